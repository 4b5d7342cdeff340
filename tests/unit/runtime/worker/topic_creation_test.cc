// Topic creation groups: which group a topic falls into, the NewTopic it gets, when creation is
// off, and the validation keys.
#include <catch2/catch.hpp>

#include "runtime/worker/topic_creation.h"

using namespace sluice;

TEST_CASE("topic creation is off without topic.creation.* keys or when the worker disables it", "[worker][topics]") {
  auto none = worker::TopicCreation::from_config(true, {{"name", "x"}});
  REQUIRE(none);
  CHECK_FALSE(*none);
  auto disabled = worker::TopicCreation::from_config(
      false, {{"topic.creation.default.replication.factor", "1"}, {"topic.creation.default.partitions", "1"}});
  REQUIRE(disabled);
  CHECK_FALSE(*disabled);
}

TEST_CASE("the first matching group wins, else the default group", "[worker][topics]") {
  api::Config c = {
      {"topic.creation.default.replication.factor", "3"},
      {"topic.creation.default.partitions", "-1"},
      {"topic.creation.default.retention.ms", "1000"},
      {"topic.creation.groups", "compacted, big"},
      {"topic.creation.compacted.include", "db\\..*\\.config, settings"},
      {"topic.creation.compacted.exclude", "db\\.secret\\..*"},
      {"topic.creation.compacted.cleanup.policy", "compact"},
      {"topic.creation.big.include", ".*"},
      {"topic.creation.big.partitions", "12"},
  };
  auto tc = worker::TopicCreation::from_config(true, c);
  REQUIRE(tc);
  REQUIRE(*tc);
  auto compacted = (*tc)->new_topic("db.app.config");
  CHECK(compacted.partitions == -1);  // inherited from the default group
  CHECK(compacted.replication_factor == 3);
  CHECK(compacted.configs == std::map<std::string, std::string>{{"cleanup.policy", "compact"}});
  CHECK((*tc)->new_topic("settings").configs.count("cleanup.policy") == 1);
  auto excluded = (*tc)->new_topic("db.secret.config");  // excluded from compacted, falls to big
  CHECK(excluded.partitions == 12);
  CHECK(excluded.configs.empty());
  CHECK(excluded.describe() ==
        "NewTopic(name=db.secret.config, numPartitions=12, replicationFactor=3, replicasAssignments=null, configs={})");
  CHECK_FALSE((*tc)->known("x"));
  (*tc)->add("x");
  CHECK((*tc)->known("x"));
}

TEST_CASE("topic creation settings are checked", "[worker][topics]") {
  auto missing = worker::TopicCreation::from_config(true, {{"topic.creation.default.partitions", "1"}});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("topic.creation.default.replication.factor") != std::string::npos);
  auto zero = worker::TopicCreation::from_config(
      true, {{"topic.creation.default.replication.factor", "0"}, {"topic.creation.default.partitions", "1"}});
  REQUIRE_FALSE(zero);
  auto bad_regex = worker::TopicCreation::from_config(
      true, {{"topic.creation.default.replication.factor", "1"}, {"topic.creation.default.partitions", "1"},
             {"topic.creation.groups", "g"}, {"topic.creation.g.include", "("}});
  REQUIRE_FALSE(bad_regex);

  api::ConfigDef def;
  api::Config c = {{"topic.creation.groups", "g"}, {"topic.creation.g.include", "(", }, {"topic.creation.default.partitions", "0"}};
  worker::enrich_topic_creation(def, c);
  auto infos = def.validate("x", c);
  // The default replication factor is missing, its partitions are 0 (and so are the group's,
  // which default to them), and the include regex is bad.
  CHECK(infos.error_count == 4);
  CHECK(def.find("topic.creation.g.partitions"));
}
