// Byte-exact config/status topic records, written from spec kafka-connect.md §2.2 and §2.5.
#include <catch2/catch.hpp>

#include "storage/kafka/config_state.h"
#include "storage/kafka/records.h"
#include "storage/kafka/status_cache.h"

using namespace sluice::storage;

TEST_CASE("config topic values are Java's compact schemaless JSON") {
  CHECK(encode_properties({{"connector.class", "Verifiable"}, {"name", "x"}, {"tasks.max", "2"}}) ==
        R"({"properties":{"connector.class":"Verifiable","name":"x","tasks.max":"2"}})");
  CHECK(encode_properties({{"q", "a\"b\\c\n\x01/é"}}) == "{\"properties\":{\"q\":\"a\\\"b\\\\c\\n\\u0001/é\"}}");
  CHECK(encode_target_state(TargetState::Paused) == R"({"state":"PAUSED","state.v2":"PAUSED"})");
  CHECK(encode_target_state(TargetState::Stopped) == R"({"state":"PAUSED","state.v2":"STOPPED"})");
  CHECK(encode_target_state(TargetState::Started) == R"({"state":"STARTED","state.v2":"STARTED"})");
  CHECK(encode_commit(3) == R"({"tasks":3})");
  CHECK(encode_restart({true, false}) == R"({"include-tasks":true,"only-failed":false})");
  CHECK(task_key("my-conn", 12) == "task-my-conn-12");
  CHECK(commit_key("a") == "commit-a");
  CHECK(restart_key("a") == "restart-connector-a");
}

TEST_CASE("config topic values decode as Java reads them") {
  auto p = decode_properties(R"({"properties":{"a":"1","b":null,"c":2}})");
  REQUIRE(p.ok());
  CHECK(*p == Properties{{"a", "1"}, {"c", "2"}});
  CHECK(*decode_target_state(R"({"state":"PAUSED","state.v2":"STOPPED"})") == TargetState::Stopped);
  CHECK(*decode_target_state(R"({"state":"PAUSED"})") == TargetState::Paused);  // pre-3.5 writer
  CHECK(*decode_target_state(R"({"state":"PAUSED","state.v2":7})") == TargetState::Paused);
  CHECK_FALSE(decode_target_state(R"({"state":"NOPE"})").ok());
  CHECK(*decode_commit(R"({"tasks":4})") == 4);
  CHECK_FALSE(decode_commit(R"({"tasks":"4"})").ok());
  CHECK(*decode_restart(R"({"include-tasks":"yes","only-failed":true})") == RestartRequest{false, true});
  CHECK_FALSE(decode_properties("not json").ok());
}

TEST_CASE("config keys split as Connect matches them") {
  auto k = parse_config_key("task-my-conn-7");
  CHECK(k.kind == ConfigKey::Task);
  CHECK(k.connector == "my-conn");
  CHECK(k.task == 7);
  CHECK(parse_config_key("target-state-connector-x").kind == ConfigKey::TargetState);
  CHECK(parse_config_key("target-state-connector-x").connector == "connector-x");
  CHECK(parse_config_key("connector-task-1").kind == ConfigKey::Connector);
  CHECK(parse_config_key("session-key").kind == ConfigKey::SessionKey);
  CHECK(parse_config_key("tasks-fencing-a").kind == ConfigKey::TasksFencing);
  CHECK(parse_config_key("task-x-notanumber").kind == ConfigKey::Unknown);
  CHECK(parse_config_key("zzz").kind == ConfigKey::Unknown);
}

TEST_CASE("status records: value shape and key parsing") {
  CHECK(encode_status({"RUNNING", std::nullopt, "10.0.0.5:8083", 12}) ==
        R"({"state":"RUNNING","trace":null,"worker_id":"10.0.0.5:8083","generation":12})");
  CHECK(encode_status({"FAILED", "boom\n\tat x", "w:1", 3}) ==
        R"({"state":"FAILED","trace":"boom\n\tat x","worker_id":"w:1","generation":3})");
  auto v = decode_status(R"({"state":"RUNNING","trace":null,"worker_id":"w:1","generation":5})");
  REQUIRE(v.ok());
  CHECK(*v == StatusValue{"RUNNING", std::nullopt, "w:1", 5});
  auto t = parse_status_key("status-task-a-b-3");
  CHECK(t.kind == StatusKey::Task);
  CHECK(t.connector == "a-b");
  CHECK(t.task == 3);
  auto topic = parse_status_key("status-topic-orders:connector-a");
  CHECK(topic.kind == StatusKey::Topic);
  CHECK(topic.topic == "orders");
  CHECK(topic.connector == "a");
  CHECK(parse_status_key("status-connector-x").connector == "x");
}

TEST_CASE("task configs apply only with a complete commit") {
  ConfigState s;
  CHECK(s.snapshot().offset == -1);
  CHECK(s.apply("connector-a", encode_properties({{"name", "a"}}), 0).kind == ConfigEvent::ConnectorAdded);
  CHECK(s.apply("task-a-0", encode_properties({{"t", "0"}}), 1).kind == ConfigEvent::Ignored);
  CHECK(s.apply("task-a-1", encode_properties({{"t", "1"}}), 2).kind == ConfigEvent::Ignored);
  CHECK(s.snapshot().task_count("a") == 0);  // not committed yet
  CHECK(s.apply("commit-a", encode_commit(2), 3).kind == ConfigEvent::TasksCommitted);
  CHECK(s.snapshot().task_count("a") == 2);
  CHECK(s.snapshot().tasks.at("a")[1].at("t") == "1");
  CHECK(s.snapshot().offset == 4);

  // A commit whose task configs are missing makes the connector inconsistent.
  s.apply("task-a-0", encode_properties({{"t", "x"}}), 4);
  CHECK(s.apply("commit-a", encode_commit(3), 5).kind == ConfigEvent::Skipped);
  CHECK(s.snapshot().inconsistent.count("a") == 1);
  CHECK(s.snapshot().task_count("a") == 0);
  // Republishing fixes it; extra ids are fine.
  for (int i = 0; i < 4; ++i) s.apply(task_key("a", i), encode_properties({{"t", std::to_string(i)}}), 6 + i);
  CHECK(s.apply("commit-a", encode_commit(3), 10).kind == ConfigEvent::TasksCommitted);
  CHECK(s.snapshot().task_count("a") == 3);
  CHECK(s.snapshot().inconsistent.empty());
}

TEST_CASE("updates, target states, deletes, restarts and unknown records") {
  ConfigState s;
  s.apply("connector-a", encode_properties({{"v", "1"}}), 0);
  CHECK(s.apply("connector-a", encode_properties({{"v", "2"}}), 1).kind == ConfigEvent::ConnectorUpdated);
  CHECK(s.apply("target-state-a", encode_target_state(TargetState::Stopped), 2).kind == ConfigEvent::TargetChanged);
  CHECK(s.snapshot().target("a") == TargetState::Stopped);
  CHECK(s.snapshot().target("zz") == TargetState::Started);
  auto r = s.apply("restart-connector-a", encode_restart({true, true}), 3);
  CHECK(r.kind == ConfigEvent::Restart);
  CHECK(r.restart == RestartRequest{true, true});
  CHECK(s.apply("something-new", std::string_view("{}"), 4).kind == ConfigEvent::Skipped);
  CHECK(s.apply("connector-a", std::string_view("garbage"), 5).kind == ConfigEvent::Skipped);
  CHECK(s.snapshot().connectors.at("a").at("v") == "2");
  CHECK(s.apply("connector-a", std::nullopt, 6).kind == ConfigEvent::ConnectorRemoved);
  CHECK(s.snapshot().connectors.empty());
  CHECK(s.snapshot().targets.empty());
  CHECK(s.snapshot().offset == 7);
  // A commit for an unknown connector clears what is left.
  s.apply("task-b-0", encode_properties({}), 7);
  CHECK(s.apply("commit-b", encode_commit(1), 8).kind == ConfigEvent::Ignored);
  CHECK(s.snapshot().tasks.count("b") == 0);
}

TEST_CASE("a task's UNASSIGNED from an older generation does not hide its RUNNING") {
  StatusCache c;
  REQUIRE(c.apply("status-task-a-0", encode_status({"RUNNING", std::nullopt, "w2:1", 5})));
  c.apply("status-task-a-0", encode_status({"UNASSIGNED", std::nullopt, "w1:1", 4}));
  CHECK(c.task("a", 0)->state == "RUNNING");
  c.apply("status-task-a-0", encode_status({"UNASSIGNED", std::nullopt, "w2:1", 5}));
  CHECK(c.task("a", 0)->state == "RUNNING");
  // The leader's UNASSIGNED for a lost task carries the newer generation: accepted.
  c.apply("status-task-a-0", encode_status({"UNASSIGNED", std::nullopt, "w3:1", 6}));
  CHECK(c.task("a", 0)->state == "UNASSIGNED");
  c.apply("status-task-a-0", std::nullopt);
  CHECK_FALSE(c.task("a", 0).has_value());
  CHECK(c.apply("status-connector-a", encode_status({"PAUSED", std::nullopt, "w:1", 1})));
  CHECK(c.connector("a")->state == "PAUSED");
  CHECK_FALSE(c.apply("bogus", std::string_view("{}")));
}

TEST_CASE("topic status records (KIP-558): key, value bytes and the cache") {
  CHECK(topic_status_key("orders", "a-b") == "status-topic-orders:connector-a-b");
  // The spec's value, byte for byte (§2.5).
  const std::string spec =
      R"({"topic":{"name":"orders","connector":"a","task":0,"discoverTimestamp":1700000000000}})";
  CHECK(encode_topic_status({"orders", "a", 0, 1700000000000}) == spec);
  auto v = decode_topic_status(spec);
  REQUIRE(v);
  CHECK(*v == TopicStatusValue{"orders", "a", 0, 1700000000000});
  CHECK_FALSE(decode_topic_status(R"({"state":"RUNNING"})"));
  auto k = parse_status_key(topic_status_key("db.inventory.customers", "my-conn"));
  CHECK(k.kind == StatusKey::Topic);
  CHECK(k.topic == "db.inventory.customers");
  CHECK(k.connector == "my-conn");

  StatusCache c;
  CHECK(c.apply(topic_status_key("t1", "a"), encode_topic_status({"t1", "a", 1, 5})));
  CHECK(c.apply(topic_status_key("t2", "a"), encode_topic_status({"t2", "a", 0, 6})));
  CHECK_FALSE(c.apply(topic_status_key("t3", "a"), std::string_view("{}")));
  CHECK(c.topics()["a"] == std::map<std::string, bool>{{"t1", true}, {"t2", true}});
  CHECK(c.apply(topic_status_key("t1", "a"), std::nullopt));  // reset's tombstone
  CHECK(c.topics()["a"] == std::map<std::string, bool>{{"t2", true}});
}

TEST_CASE("session-key records: Java's format, base64 of the raw key") {
  std::string raw;
  for (int i = 0; i < 32; ++i) raw += static_cast<char>(i * 7 + 1);
  // Base64 of these bytes as java.util.Base64 printed it.
  CHECK(base64_encode(raw) == "AQgPFh0kKzI5QEdOVVxjanF4f4aNlJuiqbC3vsXM09o=");
  CHECK(base64_decode("AQgPFh0kKzI5QEdOVVxjanF4f4aNlJuiqbC3vsXM09o=") == raw);
  CHECK(base64_encode("ab") == "YWI=");
  CHECK(base64_decode("YWI=") == std::string("ab"));
  CHECK_FALSE(base64_decode("YWI"));
  CHECK_FALSE(base64_decode("Y=WI"));
  CHECK_FALSE(base64_decode("YW*="));
  const std::string json =
      R"({"key":"AQgPFh0kKzI5QEdOVVxjanF4f4aNlJuiqbC3vsXM09o=","algorithm":"HmacSHA256","creation-timestamp":1700000000000})";
  CHECK(encode_session_key({raw, "HmacSHA256", 1700000000000}) == json);
  auto k = decode_session_key(json);
  REQUIRE(k);
  CHECK(*k == SessionKeyRecord{raw, "HmacSHA256", 1700000000000});
  CHECK_FALSE(decode_session_key(R"({"key":"!!","algorithm":"HmacSHA256","creation-timestamp":1})"));
  CHECK_FALSE(decode_session_key(R"({"algorithm":"HmacSHA256","creation-timestamp":1})"));

  ConfigState s;
  CHECK(s.apply("session-key", json, 0).kind == ConfigEvent::Ignored);
  REQUIRE(s.snapshot().session_key);
  CHECK(s.snapshot().session_key->key == raw);
  CHECK(s.snapshot().offset == 1);
  CHECK(s.apply("session-key", std::string_view("{}"), 1).kind == ConfigEvent::Skipped);
  CHECK(s.snapshot().session_key->creation_timestamp == 1700000000000);  // the bad record left it
}
