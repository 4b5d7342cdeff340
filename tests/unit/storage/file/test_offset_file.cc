// FileOffsetStore: loading Java's files, saving atomically, failures, threads, and Java reading
// what Sluice wrote (ReadOffsets.java, when a `java` is on PATH).

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "storage/file/java_serialization.h"
#include "storage/file/offset_file.h"
#include "test_support.h"

namespace sluice::storage {
namespace {

using test::golden_path;
using test::read_bytes;
using test::TempDir;
using test::write_bytes;

FileOffsetStore open_ok(const std::string& path) {
  auto r = FileOffsetStore::open(path);
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r.ok());
  return std::move(*r);
}

void save_ok(FileOffsetStore& store) {
  Status s = store.save();
  INFO((s ? std::string() : s.error().message));
  REQUIRE(s.ok());
}

std::vector<std::string> dir_listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// ReadOffsets.java's escaping, to compare its output with what we wrote.
std::string escape(const std::optional<std::string>& bytes) {
  if (!bytes) return "\\N";
  std::string out;
  for (char c : *bytes) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F && c != '\\') {
      out.push_back(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    }
  }
  return out;
}

bool have_java() { return std::system("command -v java >/dev/null 2>&1") == 0; }

// Runs a command, returning its exit status and standard output (stderr joined).
int run(const std::string& cmd, std::string& output) {
  output.clear();
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, n);
  return ::pclose(p);
}

}  // namespace

TEST_CASE("offset file: a missing file is an empty store; save then reopen", "[storage][file]") {
  TempDir dir;
  const std::string path = dir.file("connect.offsets");
  FileOffsetStore store = open_ok(path);
  CHECK(store.size() == 0);
  CHECK(store.path() == path);
  CHECK_FALSE(std::filesystem::exists(path));

  std::string binary_key("[\"c\",{\"k\":\"\x00\xff\"}]", 17);
  store.put(R"(["local-file-source",{"filename":"/tmp/test.txt"}])", R"({"position":1234})");
  store.put(R"(["inventory",{"server":"dbserver1"}])", std::nullopt);
  store.put(binary_key, std::string("\x00\x01\x02", 3));
  save_ok(store);
  CHECK(dir_listing(dir.path()) == std::vector<std::string>{"connect.offsets"});
  CHECK(static_cast<unsigned char>(read_bytes(path)[0]) == 0xAC);

  FileOffsetStore again = open_ok(path);
  CHECK(again.entries() == store.entries());
  CHECK(again.size() == 3);
  CHECK(again.get(R"(["local-file-source",{"filename":"/tmp/test.txt"}])") == R"({"position":1234})");
  CHECK(again.get(binary_key) == std::string("\x00\x01\x02", 3));
  // A null value: present, but no offset.
  CHECK(again.contains(R"(["inventory",{"server":"dbserver1"}])"));
  CHECK_FALSE(again.get(R"(["inventory",{"server":"dbserver1"}])").has_value());
  CHECK_FALSE(again.contains("nope"));
  CHECK_FALSE(again.get("nope").has_value());
}

TEST_CASE("offset file: put replaces, put_all applies a batch, save overwrites", "[storage][file]") {
  TempDir dir;
  const std::string path = dir.file("offsets.bin");
  FileOffsetStore store = open_ok(path);
  store.put("k", "1");
  save_ok(store);
  store.put("k", "2");
  store.put_all({{"a", "x"}, {"k", std::nullopt}, {"b", "y"}});
  save_ok(store);
  std::vector<OffsetEntry> want = {{"a", "x"}, {"b", "y"}, {"k", std::nullopt}};
  CHECK(store.entries() == want);
  CHECK(open_ok(path).entries() == want);
  CHECK(dir_listing(dir.path()) == std::vector<std::string>{"offsets.bin"});

  SECTION("an empty store saves the empty map Java writes") {
    FileOffsetStore empty = open_ok(dir.file("empty.bin"));
    save_ok(empty);
    CHECK(read_bytes(dir.file("empty.bin")) == read_bytes(golden_path("java_offsets_empty.bin")));
    CHECK(open_ok(dir.file("empty.bin")).size() == 0);
  }
  SECTION("1000 entries") {
    FileOffsetStore big = open_ok(dir.file("big.bin"));
    for (int i = 0; i < 1000; ++i) {
      big.put(R"(["db",{"table":")" + std::to_string(i) + R"("}])",
              i % 10 == 0 ? std::nullopt : std::optional<std::string>(std::to_string(i)));
    }
    save_ok(big);
    CHECK(open_ok(dir.file("big.bin")).entries() == big.entries());
  }
}

TEST_CASE("offset file: reads the file connect-standalone wrote", "[storage][file]") {
  TempDir dir;
  const std::string path = dir.file("connect.offsets");
  write_bytes(path, read_bytes(golden_path("java_offsets.bin")));
  FileOffsetStore store = open_ok(path);
  std::vector<OffsetEntry> want = {
      {R"(["inventory",{"server":"dbserver1"}])", std::nullopt},
      {R"(["local-file-source",{"filename":"/tmp/other.txt"}])", R"({"position":56})"},
      {R"(["local-file-source",{"filename":"/tmp/test.txt"}])", R"({"position":1234})"},
  };
  CHECK(store.entries() == want);

  // And keeps them through a save of its own.
  store.put(R"(["local-file-source",{"filename":"/tmp/test.txt"}])", R"({"position":2000})");
  save_ok(store);
  want[2].value = R"({"position":2000})";
  CHECK(open_ok(path).entries() == want);

  SECTION("a LinkedHashMap file too") {
    write_bytes(path, read_bytes(golden_path("java_offsets_linked.bin")));
    CHECK(open_ok(path).size() == 2);
  }
}

TEST_CASE("offset file: bad files are errors naming the file", "[storage][file]") {
  TempDir dir;
  const std::string path = dir.file("offsets.bin");

  SECTION("an empty file is an empty store, as in Java") {
    write_bytes(path, "");
    CHECK(open_ok(path).size() == 0);
  }
  SECTION("not a Java stream") {
    write_bytes(path, "{\"some\":\"json\"}");
    auto r = FileOffsetStore::open(path);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains(path) && Catch::Contains("0xACED"));
  }
  SECTION("truncated Java stream") {
    std::string java = read_bytes(golden_path("java_offsets.bin"));
    write_bytes(path, java.substr(0, java.size() - 10));
    auto r = FileOffsetStore::open(path);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains(path) && Catch::Contains("at byte 273") &&
                                      Catch::Contains("exceeds the 28 bytes left"));
  }
  SECTION("a directory") {
    auto r = FileOffsetStore::open(dir.path());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains(dir.path()));
  }
  SECTION("no path") {
    CHECK_FALSE(FileOffsetStore::open("").ok());
  }
}

TEST_CASE("offset file: a failed save says why and keeps the old file", "[storage][file]") {
  TempDir dir;

  SECTION("directory does not exist") {
    const std::string path = dir.file("no/such/dir/offsets.bin");
    FileOffsetStore store = open_ok(path);
    store.put("k", "v");
    Status s = store.save();
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().retriable);
    CHECK(s.error().stage == Stage::OffsetCommit);
    CHECK_THAT(s.error().message, Catch::Contains(path) &&
                                      Catch::Contains("No such file or directory"));
  }

  const std::string path = dir.file("offsets.bin");
  FileOffsetStore store = open_ok(path);
  store.put("k", "old");
  save_ok(store);
  const std::string before = read_bytes(path);
  store.put("k", "new");

  SECTION("the temporary file cannot be created") {
    // A directory where <path>.tmp goes stops even root.
    std::filesystem::create_directory(path + ".tmp");
    Status s = store.save();
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.error().message, Catch::Contains(path + ".tmp") &&
                                      Catch::Contains("previous offsets file is unchanged"));
    CHECK(read_bytes(path) == before);
    CHECK(open_ok(path).get("k") == "old");

    std::filesystem::remove(path + ".tmp");
    save_ok(store);
    CHECK(open_ok(path).get("k") == "new");
  }
  SECTION("read-only directory") {
    if (::geteuid() == 0) {
      WARN("running as root, which ignores directory permissions: read-only case skipped");
    } else {
      REQUIRE(::chmod(dir.path().c_str(), 0555) == 0);
      Status s = store.save();
      ::chmod(dir.path().c_str(), 0755);
      REQUIRE_FALSE(s.ok());
      CHECK_THAT(s.error().message, Catch::Contains(path) &&
                                        Catch::Contains("Permission denied"));
      CHECK(read_bytes(path) == before);
      CHECK(open_ok(path).get("k") == "old");
    }
  }
}

TEST_CASE("offset file: concurrent puts and saves", "[storage][file]") {
  TempDir dir;
  const std::string path = dir.file("offsets.bin");
  FileOffsetStore store = open_ok(path);
  constexpr int kThreads = 4;
  constexpr int kPuts = 200;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&store, &failures, t] {
      for (int i = 0; i < kPuts; ++i) {
        std::string key = "[\"task-" + std::to_string(t) + "\",{\"n\":" + std::to_string(i) + "}]";
        if (i % 2 == 0) {
          store.put(key, "{\"pos\":" + std::to_string(i) + "}");
        } else {
          store.put_all({{key, "{\"pos\":" + std::to_string(i) + "}"},
                         {key + "-gone", std::nullopt}});
        }
        if (i % 25 == 0 && !store.save().ok()) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == std::vector<int>(kThreads, 0));
  save_ok(store);
  CHECK(dir_listing(dir.path()) == std::vector<std::string>{"offsets.bin"});
  FileOffsetStore again = open_ok(path);
  CHECK(again.size() == kThreads * kPuts + kThreads * kPuts / 2);
  CHECK(again.entries() == store.entries());
  CHECK(again.get("[\"task-3\",{\"n\":199}]") == "{\"pos\":199}");
}

TEST_CASE("offset file: Java's ObjectInputStream reads what Sluice saved", "[storage][file][java]") {
  if (!have_java()) {
    WARN("no `java` on PATH: skipping the Java read-back check");
    return;
  }
  TempDir dir;
  const std::string path = dir.file("offsets.bin");
  FileOffsetStore store = open_ok(path);
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
  store.put(R"(["local-file-source",{"filename":"/tmp/test.txt"}])", R"({"position":1234})");
  store.put(R"(["inventory",{"server":"dbserver1"}])", std::nullopt);
  store.put(R"(["pg",{"server":"pg1"}])", R"({"lsn":123456789,"txId":42,"ts_usec":1700000000000000})");
  store.put("binary\\key", all_bytes);
  store.put("", "");
  for (int i = 0; i < 20; ++i) store.put("[\"many\",{\"i\":" + std::to_string(i) + "}]", "{}");
  save_ok(store);

  std::vector<std::string> want;
  for (const OffsetEntry& e : store.entries()) want.push_back(escape(e.key) + "\t" + escape(e.value));
  std::sort(want.begin(), want.end());

  std::string out;
  int status = run("java '" + test::test_dir() + "/ReadOffsets.java' '" + path + "'", out);
  INFO(out);
  REQUIRE(status == 0);
  std::vector<std::string> got;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) got.push_back(line);
  std::sort(got.begin(), got.end());
  CHECK(got == want);
}

}  // namespace sluice::storage
