// The Kafka clients of runtime/kafka against a real broker (the mock cluster cannot show
// these): the cluster check, a topic log across client instances, and the producer's
// delivery reports with real offsets.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "runtime/kafka/cluster.h"
#include "runtime/kafka/producer.h"
#include "runtime/kafka/topic_log.h"
#include "tests/support/real_kafka.h"

using namespace sluice;

TEST_CASE("runtime/kafka against a real single-node Kafka", "[real-kafka]") {
  test::RealKafka kafka(1);
  kafka::RdProps props = {{"bootstrap.servers", kafka.bootstrap()}};

  auto id = kafka::describe_cluster(props, 20000);
  REQUIRE(id.ok());
  CHECK(id->size() == 22);  // a KRaft cluster id: 16 bytes, base64url without padding

  auto log = kafka::TopicLog::open("schema-history", props, props, 20000);
  REQUIRE(log.ok());
  for (int i = 0; i < 50; ++i) REQUIRE((*log)->append("db", "ddl-" + std::to_string(i)).ok());
  REQUIRE((*log)->flush().ok());
  auto reader = kafka::TopicLog::open("schema-history", props, props, 20000);
  REQUIRE(reader.ok());
  std::vector<std::string> seen;
  REQUIRE((*reader)->read_all([&](std::string_view, std::string_view v) { seen.emplace_back(v); }).ok());
  REQUIRE(seen.size() == 50);
  CHECK(seen.back() == "ddl-49");

  std::vector<int64_t> offsets;
  auto producer = kafka::Producer::create(
      {{"bootstrap.servers", kafka.bootstrap()}, {"enable.idempotence", "true"}, {"acks", "all"}},
      [&](const kafka::Delivery& d) {
        REQUIRE(d.ok);
        offsets.push_back(d.offset);
      });
  REQUIRE(producer.ok());
  std::string v = "value";
  for (int i = 0; i < 10; ++i) REQUIRE((*producer)->produce("events", 0, nullptr, &v, {}, -1, nullptr).ok());
  REQUIRE((*producer)->flush(20000).ok());
  (*producer)->poll(0);
  REQUIRE(offsets.size() == 10);
  for (int i = 0; i < 10; ++i) CHECK(offsets[static_cast<size_t>(i)] == i);
}
