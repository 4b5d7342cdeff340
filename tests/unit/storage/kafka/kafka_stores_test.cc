// The stores over the embedded broker: write, read back from a second instance, tombstones,
// incremental read-to-end, and the missing-topic and multi-partition config topic errors.
#include <catch2/catch.hpp>

#include "runtime/kafka/mock_cluster.h"
#include "storage/kafka/kafka_stores.h"

using namespace sluice;
using namespace sluice::storage;

namespace {
std::unique_ptr<kafka::CompactedLog> open_log(const std::string& topic, const kafka::RdProps& props) {
  auto log = kafka::CompactedLog::open(topic, props, "test-" + topic, 10000);
  INFO((log.ok() ? "" : log.error().message));
  REQUIRE(log.ok());
  return std::move(*log);
}
}  // namespace

TEST_CASE("offsets written by one store are read by another, tombstones delete") {
  auto cluster = MockCluster::start(1);
  REQUIRE(cluster.ok());
  REQUIRE((*cluster)->create_topic("offsets", 5).ok());
  kafka::RdProps props = {{"bootstrap.servers", (*cluster)->bootstrap_servers()}};
  KafkaOffsetStore a(open_log("offsets", props));
  REQUIRE(a.refresh().ok());
  CHECK(a.all().empty());
  std::vector<OffsetEntry> writes;
  for (int i = 0; i < 20; ++i)
    writes.push_back({R"(["c",{"p":)" + std::to_string(i) + "}]", R"({"pos":)" + std::to_string(i) + "}"});
  REQUIRE(a.set(writes).ok());
  REQUIRE(a.set({{R"(["c",{"p":3}])", std::nullopt}, {R"(["c",{"p":4}])", R"({"pos":44})"}}).ok());
  KafkaOffsetStore b(open_log("offsets", props));
  REQUIRE(b.refresh().ok());
  CHECK(b.all().size() == 19);
  CHECK_FALSE(b.get(R"(["c",{"p":3}])").has_value());
  CHECK(*b.get(R"(["c",{"p":4}])") == R"({"pos":44})");
  CHECK(*b.get(R"(["c",{"p":19}])") == R"({"pos":19})");
  // Incremental: only the new record arrives on the next refresh.
  REQUIRE(a.set({{R"(["c",{"p":5}])", R"({"pos":55})"}}).ok());
  REQUIRE(b.refresh().ok());
  CHECK(*b.get(R"(["c",{"p":5}])") == R"({"pos":55})");
}

TEST_CASE("the config store replays connectors, tasks and commits with their events") {
  auto cluster = MockCluster::start(1);
  REQUIRE(cluster.ok());
  REQUIRE((*cluster)->create_topic("configs", 1).ok());
  kafka::RdProps props = {{"bootstrap.servers", (*cluster)->bootstrap_servers()}};
  KafkaConfigStore w(open_log("configs", props));
  REQUIRE(w.write({{connector_key("a"), encode_properties({{"name", "a"}})},
                   {task_key("a", 0), encode_properties({{"t", "0"}})},
                   {commit_key("a"), encode_commit(1)},
                   {"unknown-record", std::string("{}")}},
                  10000)
              .ok());
  KafkaConfigStore r(open_log("configs", props));
  std::vector<ConfigEvent> events;
  REQUIRE(r.refresh(&events).ok());
  REQUIRE(events.size() == 4);
  CHECK(events[0].kind == ConfigEvent::ConnectorAdded);
  CHECK(events[2].kind == ConfigEvent::TasksCommitted);
  CHECK(events[3].kind == ConfigEvent::Skipped);
  auto snap = r.snapshot();
  CHECK(snap.offset == 4);
  CHECK(snap.task_count("a") == 1);
  events.clear();
  REQUIRE(w.write({{connector_key("a"), std::nullopt}}, 10000).ok());
  REQUIRE(r.refresh(&events).ok());
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == ConfigEvent::ConnectorRemoved);
  CHECK(r.snapshot().offset == 5);
}

TEST_CASE("status records round-trip through the status store") {
  auto cluster = MockCluster::start(1);
  REQUIRE(cluster.ok());
  REQUIRE((*cluster)->create_topic("status", 5).ok());
  kafka::RdProps props = {{"bootstrap.servers", (*cluster)->bootstrap_servers()}};
  KafkaStatusStore w(open_log("status", props));
  REQUIRE(w.write({{connector_status_key("a"), encode_status({"RUNNING", std::nullopt, "w:1", 1})},
                   {task_status_key("a", 0), encode_status({"FAILED", "trace", "w:1", 1})}},
                  10000)
              .ok());
  KafkaStatusStore r(open_log("status", props));
  REQUIRE(r.refresh().ok());
  CHECK(r.cache().connector("a")->state == "RUNNING");
  CHECK(*r.cache().task("a", 0)->trace == "trace");
}

TEST_CASE("internal topics: the embedded broker's missing CreateTopics falls back, a bad config topic fails") {
  auto cluster = MockCluster::start(1);
  REQUIRE(cluster.ok());
  REQUIRE((*cluster)->create_topic("configs", 1).ok());
  REQUIRE((*cluster)->create_topic("configs3", 3).ok());
  kafka::RdProps props = {{"bootstrap.servers", (*cluster)->bootstrap_servers()}};
  auto admin = kafka::TopicAdmin::create(props);
  REQUIRE(admin.ok());
  CHECK(ensure_internal_topic(**admin, {"configs", 1, 1, {}}, props, true, 5000).ok());
  auto multi = ensure_internal_topic(**admin, {"configs3", 1, 1, {}}, props, true, 5000);
  REQUIRE_FALSE(multi.ok());
  CHECK_THAT(multi.error().message, Catch::Contains("single partition"));
  CHECK(ensure_internal_topic(**admin, {"configs3", 1, 1, {}}, props, false, 5000).ok());
}
