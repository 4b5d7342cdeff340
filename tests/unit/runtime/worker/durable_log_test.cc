#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "runtime/worker/durable_log.h"

using namespace sluice;

namespace {
std::vector<std::string> read_values(api::DurableLog& log) {
  std::vector<std::string> out;
  REQUIRE(log.read_all([&](std::string_view, std::string_view v) { out.emplace_back(v); }).is_ok());
  return out;
}
}  // namespace

TEST_CASE("a file log keeps appends across reopen and cuts a torn last record") {
  char dir[] = "/tmp/sluice-log-XXXXXX";
  REQUIRE(mkdtemp(dir));
  std::string path = std::string(dir) + "/history.log";
  std::string err;
  {
    auto log = worker::open_file_log(path, err);
    REQUIRE(log);
    REQUIRE(log->append("k1", "first").is_ok());
    REQUIRE(log->append("k2", std::string("bin\0ary", 7)).is_ok());
    REQUIRE(log->flush().is_ok());
  }
  {
    std::ofstream torn(path, std::ios::app | std::ios::binary);
    torn.write("\0\0\0\x05" "ab", 6);  // a crash in the middle of an append
  }
  auto log = worker::open_file_log(path, err);
  REQUIRE(log);
  REQUIRE(log->append("k3", "after the crash").is_ok());
  auto values = read_values(*log);
  REQUIRE(values.size() == 3);
  CHECK(values[0] == "first");
  CHECK(values[1] == std::string("bin\0ary", 7));
  CHECK(values[2] == "after the crash");
  std::remove(path.c_str());
  rmdir(dir);
}

TEST_CASE("a file log in a missing directory fails with the path") {
  std::string err;
  auto log = worker::open_file_log("/nonexistent-dir/x.log", err);
  CHECK_FALSE(log);
  CHECK_THAT(err, Catch::Contains("/nonexistent-dir/x.log"));
}
