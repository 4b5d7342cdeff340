#pragma once
// connect-distributed's worker properties that the distributed herder reads (spec
// kafka-connect.md §2.1, §3.1, §4.1), with Connect's defaults.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "runtime/common/error.h"
#include "runtime/kafka/client_config.h"
#include "runtime/kafka/connect_protocol.h"

namespace sluice::herder {

struct InternalTopicConfig {
  std::string name;
  int partitions = 1;
  int replication_factor = 3;
  std::map<std::string, std::string> configs;  // <prefix>.<topic config>, e.g. min.insync.replicas
};

struct DistributedConfig {
  std::string group_id;
  InternalTopicConfig config_topic, offset_topic, status_topic;
  kafka::ConnectProtocol protocol = kafka::ConnectProtocol::Sessioned;
  int64_t scheduled_rebalance_max_delay_ms = 300000;
  std::chrono::milliseconds session_timeout{10000};
  std::chrono::milliseconds heartbeat_interval{3000};
  std::chrono::milliseconds rebalance_timeout{60000};
  std::chrono::milliseconds worker_sync_timeout{3000};
  std::chrono::milliseconds request_timeout{40000};
  // Sluice, for the embedded dev broker's group bug (notes/embedded-broker.md): the leader
  // waits this long before its SyncGroup. sluice.group.leader.sync.delay.ms, default 0.
  std::chrono::milliseconds leader_sync_delay{0};
  // The `sessioned` protocol's request signing (inter.worker.*, KIP-507).
  std::string key_generation_algorithm = "HmacSHA256";  // inter.worker.key.generation.algorithm
  int key_size_bits = 0;                                 // inter.worker.key.size; 0: the algorithm's default
  int64_t key_ttl_ms = 3600000;                          // inter.worker.key.ttl.ms
  std::string signature_algorithm = "HmacSHA256";        // inter.worker.signature.algorithm
  std::vector<std::string> verification_algorithms{"HmacSHA256"};  // inter.worker.verification.algorithms
  std::string bootstrap_servers = "localhost:9092";
  kafka::RdProps client_props;  // the worker's common client settings, translated
  std::string client_id;        // client.id, may be empty

  static Result<DistributedConfig> parse(const std::map<std::string, std::string>& raw);
};

}  // namespace sluice::herder
