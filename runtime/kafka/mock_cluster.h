#pragma once
// An in-memory Kafka cluster on loopback: librdkafka's mock cluster (rdkafka_mock.h), for
// `sluice dev-kafka` and for tests. It is not a faithful broker (see
// shared/notes/embedded-broker.md): data lives in memory only, the brokers listen on new
// ephemeral 127.0.0.1 ports on every start, each partition keeps only its newest ~5 MiB,
// there is no CreateTopics or DescribeConfigs, topic configs and compaction are ignored and
// transactions are fake.
//
// Thread-safe: every method may be called from any thread while the cluster lives.
// Callers never see librdkafka types; this header is the only way to the mock from outside
// runtime/kafka.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/common/error.h"

namespace sluice {

struct MockBrokerAddress {
  std::string host;
  uint16_t port = 0;
};

class MockCluster {
 public:
  static constexpr int kMaxBrokers = 32;

  // Starts `brokers` brokers (ids 1..brokers, 1 <= brokers <= kMaxBrokers).
  static Result<std::unique_ptr<MockCluster>> start(int brokers);

  // Stops the brokers and frees every message; connected clients see their sockets close.
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  // "127.0.0.1:p1,127.0.0.1:p2,...", for bootstrap.servers.
  const std::string& bootstrap_servers() const { return bootstraps_; }
  // The brokers' listeners, broker id i at index i-1.
  const std::vector<MockBrokerAddress>& brokers() const { return addresses_; }
  int broker_count() const { return static_cast<int>(addresses_.size()); }

  // Creates a topic. replication_factor <= 0 means min(3, brokers), which is also what
  // auto-creation uses (auto-created topics get 4 partitions).
  Status create_topic(const std::string& name, int partitions, int replication_factor = 0);
  // Takes a broker down (closes its connections, refuses requests) or brings it back.
  // This does not move partition leaders: use set_partition_leader for that.
  Status set_broker_down(int32_t broker_id);
  Status set_broker_up(int32_t broker_id);
  // Adds `rtt_ms` of latency to every response of one broker, or of all brokers if
  // broker_id is -1.
  Status set_broker_rtt(int32_t broker_id, int rtt_ms);
  // The next errors.size() requests with this API key fail with these Kafka error codes,
  // in order. Error -195 (librdkafka's _TRANSPORT) makes the broker drop the connection.
  Status push_request_errors(int16_t api_key, const std::vector<int>& error_codes);
  void clear_request_errors(int16_t api_key);
  // Moves a partition's leader. The topic must exist: this asks the cluster for its metadata
  // first (through a client of its own, so it waits on a broker set down or slowed by rtt).
  Status set_partition_leader(const std::string& topic, int32_t partition, int32_t broker_id);

 private:
  struct Impl;
  explicit MockCluster(std::unique_ptr<Impl> impl);
  Status check_broker(int32_t broker_id) const;

  std::unique_ptr<Impl> impl_;
  std::string bootstraps_;
  std::vector<MockBrokerAddress> addresses_;
};

// Parses "NAME:PARTITIONS" (a legal Kafka topic name, 1..kMaxMockPartitions partitions).
struct MockTopicSpec {
  std::string name;
  int partitions = 0;
};
inline constexpr int kMaxMockPartitions = 10000;
Result<MockTopicSpec> parse_mock_topic_spec(std::string_view spec);

// Checks a Kafka topic name: 1..249 characters from [a-zA-Z0-9._-], not "." or "..".
Status validate_topic_name(std::string_view name);

// The text command language used to drive a running mock from outside (dev-kafka's stdin and
// control FIFO, test harnesses). One command per line:
//   down BROKER | up BROKER | rtt BROKER|-1 MS | err APIKEY ERRCODE [ERRCODE...]
//   clear APIKEY | leader TOPIC PARTITION BROKER | topic NAME PARTITIONS | help
// API keys and error codes are numbers or names ("Produce", "NOT_LEADER_FOR_PARTITION").
struct MockCommandReply {
  bool ok = true;
  std::string text;  // "ok", help text (for "help", ends with "ok"), or "error: ..."
};
MockCommandReply run_mock_command(MockCluster& cluster, std::string_view line);

// The command summary printed by "help".
const char* mock_command_help();

}  // namespace sluice
