#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "runtime/kafka/mock_cluster.h"
#include "runtime/kafka/topic_log.h"

using namespace sluice;

TEST_CASE("a topic log reads back everything appended, in order, across instances") {
  auto cluster = MockCluster::start(1);
  REQUIRE(cluster.ok());
  REQUIRE((*cluster)->create_topic("history", 1).ok());
  kafka::RdProps props = {{"bootstrap.servers", (*cluster)->bootstrap_servers()}};
  {
    auto log = kafka::TopicLog::open("history", props, props, 10000);
    REQUIRE(log.ok());
    std::vector<std::string> seen;
    REQUIRE((*log)->read_all([&](std::string_view, std::string_view v) { seen.emplace_back(v); }).ok());
    CHECK(seen.empty());
    for (int i = 0; i < 100; ++i) REQUIRE((*log)->append("k", "ddl-" + std::to_string(i)).ok());
    REQUIRE((*log)->flush().ok());
  }
  auto again = kafka::TopicLog::open("history", props, props, 10000);
  REQUIRE(again.ok());
  std::vector<std::string> seen;
  auto st = (*again)->read_all([&](std::string_view k, std::string_view v) {
    CHECK(k == "k");
    seen.emplace_back(v);
  });
  INFO((st.ok() ? std::string() : st.error().message));
  REQUIRE(st.ok());
  REQUIRE(seen.size() == 100);
  CHECK(seen.front() == "ddl-0");
  CHECK(seen.back() == "ddl-99");
}
