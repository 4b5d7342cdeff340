#include "runtime/herder/distributed_config.h"

#include "runtime/herder/session_key.h"

#include <charconv>

namespace sluice::herder {

namespace {

using Props = std::map<std::string, std::string>;

std::string get(const Props& p, const std::string& k, const std::string& def = "") {
  auto it = p.find(k);
  return it == p.end() ? def : it->second;
}

Result<int64_t> get_int(const Props& p, const std::string& k, int64_t def) {
  auto it = p.find(k);
  if (it == p.end()) return def;
  int64_t v = 0;
  const std::string& s = it->second;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size())
    return Error::fatal("Invalid value " + s + " for configuration " + k + ": Not a number of type INT", Stage::Config);
  return v;
}

Result<InternalTopicConfig> topic(const Props& p, const std::string& prefix, int partitions, bool fixed_partitions) {
  InternalTopicConfig t;
  t.name = get(p, prefix + ".topic");
  if (t.name.empty())
    return Error::fatal("Missing required configuration \"" + prefix + ".topic\" which has no default value.",
                        Stage::Config);
  auto rf = get_int(p, prefix + ".replication.factor", 3);
  if (!rf) return rf.error();
  t.replication_factor = static_cast<int>(*rf);
  auto parts = get_int(p, prefix + ".partitions", partitions);
  if (!parts) return parts.error();
  t.partitions = fixed_partitions ? 1 : static_cast<int>(*parts);
  if (t.replication_factor == 0 || t.replication_factor < -1)
    return Error::fatal("Invalid value " + std::to_string(t.replication_factor) + " for configuration " + prefix +
                        ".replication.factor: Replication factor must be positive and not larger than the number "
                        "of brokers in the Kafka cluster, or -1 to use the broker's default", Stage::Config);
  // Other <prefix>.<x> keys are topic configs for CreateTopics (cleanup.policy is always compact).
  for (auto& [k, v] : p) {
    if (!k.starts_with(prefix + ".")) continue;
    std::string rest = k.substr(prefix.size() + 1);
    if (rest == "topic" || rest == "replication.factor" || rest == "partitions" || rest == "cleanup.policy" ||
        rest.starts_with("file."))
      continue;
    t.configs[rest] = v;
  }
  return t;
}

Error invalid(const std::string& key, const std::string& value, const std::string& why) {
  return Error::fatal("Invalid value " + value + " for configuration " + key + ": " + why, Stage::Config);
}

// inter.worker.*: checked as Java's DistributedConfig does.
Status parse_signing(const Props& raw, DistributedConfig& c) {
  c.key_generation_algorithm = get(raw, "inter.worker.key.generation.algorithm", "HmacSHA256");
  if (!mac_algorithm_supported(c.key_generation_algorithm))
    return invalid("inter.worker.key.generation.algorithm", c.key_generation_algorithm,
                   "the algorithm is not supported (HmacSHA1, HmacSHA224, HmacSHA256, HmacSHA384, HmacSHA512)");
  if (raw.count("inter.worker.key.size") && !get(raw, "inter.worker.key.size").empty()) {
    auto size = get_int(raw, "inter.worker.key.size", 0);
    if (!size) return size.error();
    if (*size < 40 || *size > 1 << 16)
      return invalid("inter.worker.key.size", std::to_string(*size), "Key length must be at least 40 bits");
    c.key_size_bits = static_cast<int>(*size);
  }
  auto ttl = get_int(raw, "inter.worker.key.ttl.ms", 3600000);
  if (!ttl) return ttl.error();
  if (*ttl < 0) return invalid("inter.worker.key.ttl.ms", std::to_string(*ttl), "Value must be at least 0");
  c.key_ttl_ms = *ttl;
  c.signature_algorithm = get(raw, "inter.worker.signature.algorithm", "HmacSHA256");
  if (!mac_algorithm_supported(c.signature_algorithm))
    return invalid("inter.worker.signature.algorithm", c.signature_algorithm, "the algorithm is not supported");
  if (raw.count("inter.worker.verification.algorithms")) {
    c.verification_algorithms.clear();
    std::string list = get(raw, "inter.worker.verification.algorithms");
    for (size_t pos = 0; pos <= list.size();) {
      size_t comma = list.find(',', pos);
      std::string item = list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      item.erase(0, item.find_first_not_of(" \t"));
      item.erase(item.find_last_not_of(" \t") + 1);
      if (!item.empty()) {
        if (!mac_algorithm_supported(item))
          return invalid("inter.worker.verification.algorithms", list, "the algorithm " + item + " is not supported");
        c.verification_algorithms.push_back(item);
      }
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
    if (c.verification_algorithms.empty())
      return invalid("inter.worker.verification.algorithms", list, "At least one signature verification algorithm must be provided");
  }
  bool listed = false;
  for (auto& a : c.verification_algorithms) listed = listed || a == c.signature_algorithm;
  if (!listed)
    return invalid("inter.worker.signature.algorithm", c.signature_algorithm,
                   "Signature algorithm must be present in the list of verification algorithms "
                   "(inter.worker.verification.algorithms)");
  return {};
}

}  // namespace

Result<DistributedConfig> DistributedConfig::parse(const Props& raw) {
  DistributedConfig c;
  c.group_id = get(raw, "group.id");
  if (c.group_id.empty())
    return Error::fatal("Missing required configuration \"group.id\" which has no default value.", Stage::Config);
  auto cfg = topic(raw, "config.storage", 1, true);
  if (!cfg) return cfg.error();
  auto off = topic(raw, "offset.storage", 25, false);
  if (!off) return off.error();
  auto st = topic(raw, "status.storage", 5, false);
  if (!st) return st.error();
  c.config_topic = *cfg;
  c.offset_topic = *off;
  c.status_topic = *st;
  std::string proto = get(raw, "connect.protocol", "sessioned");
  auto p = kafka::parse_connect_protocol_setting(proto);
  if (!p)
    return Error::fatal("Invalid value " + proto + " for configuration connect.protocol: String must be one of: "
                        "eager, compatible, sessioned", Stage::Config);
  c.protocol = *p;
  struct Ms {
    const char* key;
    int64_t def;
    std::chrono::milliseconds* out;
  };
  for (Ms m : {Ms{"session.timeout.ms", 10000, &c.session_timeout}, Ms{"heartbeat.interval.ms", 3000, &c.heartbeat_interval},
               Ms{"rebalance.timeout.ms", 60000, &c.rebalance_timeout},
               Ms{"worker.sync.timeout.ms", 3000, &c.worker_sync_timeout},
               Ms{"request.timeout.ms", 40000, &c.request_timeout},
               Ms{"sluice.group.leader.sync.delay.ms", 0, &c.leader_sync_delay}}) {
    auto v = get_int(raw, m.key, m.def);
    if (!v) return v.error();
    if (*v < 0) return Error::fatal(std::string("Invalid value for configuration ") + m.key + ": must be >= 0", Stage::Config);
    *m.out = std::chrono::milliseconds(*v);
  }
  auto delay = get_int(raw, "scheduled.rebalance.max.delay.ms", 300000);
  if (!delay) return delay.error();
  c.scheduled_rebalance_max_delay_ms = *delay;
  if (auto st = parse_signing(raw, c); !st) return st.error();
  c.bootstrap_servers = get(raw, "bootstrap.servers", "localhost:9092");
  c.client_id = get(raw, "client.id");
  kafka::JavaProps top(raw.begin(), raw.end());
  top["bootstrap.servers"] = c.bootstrap_servers;
  auto props = kafka::common_client_settings(top);
  if (!props) return props.error();
  c.client_props = *props;
  return c;
}

}  // namespace sluice::herder
