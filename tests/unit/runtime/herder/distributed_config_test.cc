// connect-distributed's worker properties as the distributed herder reads them.
#include <catch2/catch.hpp>

#include "runtime/herder/distributed_config.h"

using namespace sluice;
using namespace sluice::herder;

namespace {
std::map<std::string, std::string> base() {
  return {{"bootstrap.servers", "k:9092"},
          {"group.id", "g"},
          {"config.storage.topic", "c"},
          {"offset.storage.topic", "o"},
          {"status.storage.topic", "s"}};
}
}  // namespace

TEST_CASE("Connect's defaults") {
  auto c = DistributedConfig::parse(base());
  REQUIRE(c.ok());
  CHECK(c->group_id == "g");
  CHECK(c->config_topic.partitions == 1);
  CHECK(c->offset_topic.partitions == 25);
  CHECK(c->status_topic.partitions == 5);
  CHECK(c->config_topic.replication_factor == 3);
  CHECK(c->protocol == kafka::ConnectProtocol::Sessioned);
  CHECK(c->scheduled_rebalance_max_delay_ms == 300000);
  CHECK(c->session_timeout.count() == 10000);
  CHECK(c->heartbeat_interval.count() == 3000);
  CHECK(c->rebalance_timeout.count() == 60000);
  CHECK(c->leader_sync_delay.count() == 0);
}

TEST_CASE("settings, topic configs and the config topic's fixed single partition") {
  auto p = base();
  p["config.storage.partitions"] = "7";  // ignored, as Connect does
  p["offset.storage.partitions"] = "-1";
  p["status.storage.replication.factor"] = "-1";
  p["offset.storage.min.insync.replicas"] = "2";
  p["offset.storage.cleanup.policy"] = "delete";  // always compact
  p["connect.protocol"] = "EAGER";
  p["scheduled.rebalance.max.delay.ms"] = "5000";
  p["session.timeout.ms"] = "3000";
  auto c = DistributedConfig::parse(p);
  REQUIRE(c.ok());
  CHECK(c->config_topic.partitions == 1);
  CHECK(c->offset_topic.partitions == -1);
  CHECK(c->status_topic.replication_factor == -1);
  CHECK(c->offset_topic.configs == std::map<std::string, std::string>{{"min.insync.replicas", "2"}});
  CHECK(c->protocol == kafka::ConnectProtocol::Eager);
  CHECK(c->scheduled_rebalance_max_delay_ms == 5000);
  CHECK(c->session_timeout.count() == 3000);
}

TEST_CASE("missing and invalid settings say which") {
  for (const char* key : {"group.id", "config.storage.topic", "offset.storage.topic", "status.storage.topic"}) {
    auto p = base();
    p.erase(key);
    auto c = DistributedConfig::parse(p);
    REQUIRE_FALSE(c.ok());
    CHECK_THAT(c.error().message, Catch::Contains(key));
  }
  auto p = base();
  p["connect.protocol"] = "bogus";
  CHECK_THAT(DistributedConfig::parse(p).error().message, Catch::Contains("connect.protocol"));
  p = base();
  p["heartbeat.interval.ms"] = "soon";
  CHECK_THAT(DistributedConfig::parse(p).error().message, Catch::Contains("heartbeat.interval.ms"));
  p = base();
  p["offset.storage.replication.factor"] = "0";
  CHECK_THAT(DistributedConfig::parse(p).error().message, Catch::Contains("offset.storage.replication.factor"));
}
