#include "runtime/kafka/mock_cluster.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <mutex>

#include "runtime/common/log.h"

namespace sluice {
namespace {

constexpr std::string_view kLogCtx = "mock";
constexpr int kProbeTimeoutMs = 10000;

void on_rdkafka_log(const rd_kafka_t*, int level, const char* fac, const char* buf) {
  // The hosting handle has no bootstrap servers on purpose; its warning about that is noise.
  if (std::strcmp(fac, "CONFWARN") == 0 && std::strstr(buf, "bootstrap.servers")) return;
  // syslog levels: 0..3 error, 4 warning, 5..6 notice/info, 7 debug.
  if (level <= 3) {
    log::error("rdkafka", fac, ": ", buf);
  } else if (level == 4) {
    log::warn("rdkafka", fac, ": ", buf);
  } else if (level <= 6) {
    log::info("rdkafka", fac, ": ", buf);
  } else {
    log::debug("rdkafka", fac, ": ", buf);
  }
}

std::string err_text(rd_kafka_resp_err_t err) {
  return std::string(rd_kafka_err2name(err)) + " (" + rd_kafka_err2str(err) + ")";
}

Status from_err(rd_kafka_resp_err_t err, std::string_view what) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return {};
  return Error::fatal(std::string(what) + ": " + err_text(err));
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

template <class Int>
bool parse_int(std::string_view s, Int& out) {
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

Result<std::vector<MockBrokerAddress>> parse_bootstraps(std::string_view list) {
  std::vector<MockBrokerAddress> out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    size_t colon = item.rfind(':');
    uint16_t port = 0;
    if (colon == std::string_view::npos || !parse_int(item.substr(colon + 1), port) || port == 0) {
      return Error::fatal("unexpected mock bootstrap address '" + std::string(item) + "'");
    }
    out.push_back({std::string(item.substr(0, colon)), port});
  }
  return out;
}

// Kafka API keys by protocol name, for the "err" and "clear" commands.
constexpr std::pair<std::string_view, int16_t> kApiKeys[] = {
    {"Produce", 0},          {"Fetch", 1},
    {"ListOffsets", 2},      {"Metadata", 3},
    {"OffsetCommit", 8},     {"OffsetFetch", 9},
    {"FindCoordinator", 10}, {"JoinGroup", 11},
    {"Heartbeat", 12},       {"LeaveGroup", 13},
    {"SyncGroup", 14},       {"DescribeGroups", 15},
    {"ListGroups", 16},      {"SaslHandshake", 17},
    {"ApiVersions", 18},     {"CreateTopics", 19},
    {"DeleteTopics", 20},    {"DeleteRecords", 21},
    {"InitProducerId", 22},  {"OffsetForLeaderEpoch", 23},
    {"AddPartitionsToTxn", 24}, {"AddOffsetsToTxn", 25},
    {"EndTxn", 26},          {"TxnOffsetCommit", 28},
    {"DescribeConfigs", 32}, {"AlterConfigs", 33},
};

Result<int16_t> parse_api_key(std::string_view s) {
  int16_t key = 0;
  if (parse_int(s, key)) {
    if (key < 0) return Error::fatal("API key must be >= 0, not " + std::string(s));
    return key;
  }
  for (auto& [name, k] : kApiKeys) {
    if (iequals(name, s)) return k;
  }
  return Error::fatal("unknown API key '" + std::string(s) +
                      "' (use a number, e.g. 0 for Produce, or a name such as Fetch)");
}

Result<int> parse_error_code(std::string_view s) {
  const rd_kafka_err_desc* descs = nullptr;
  size_t n = 0;
  rd_kafka_get_err_descs(&descs, &n);
  int code = 0;
  bool numeric = parse_int(s, code);
  if (!numeric) {
    for (std::string_view prefix : {"RD_KAFKA_RESP_ERR_", "ERR_"}) {
      if (s.size() > prefix.size() && iequals(s.substr(0, prefix.size()), prefix)) {
        s.remove_prefix(prefix.size());
        break;
      }
    }
  }
  // Newer Kafka name for error 6, which librdkafka 2.0.2 still calls NOT_LEADER_FOR_PARTITION.
  if (!numeric && iequals(s, "NOT_LEADER_OR_FOLLOWER")) return 6;
  for (size_t i = 0; i < n; ++i) {
    if (!descs[i].name) continue;
    if (numeric ? descs[i].code == code : iequals(descs[i].name, s)) return descs[i].code;
  }
  return Error::fatal("unknown error code '" + std::string(s) +
                      "' (use a Kafka error number, e.g. 6, or a name such as "
                      "NOT_LEADER_FOR_PARTITION)");
}

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

void on_probe_log(const rd_kafka_t*, int, const char* fac, const char* buf) {
  // The probe's connection errors (a broker set down, say) are expected; keep them quiet.
  log::debug("rdkafka", fac, ": ", buf);
}

}  // namespace

struct MockCluster::Impl {
  rd_kafka_t* rk = nullptr;
  rd_kafka_mock_cluster_t* mc = nullptr;
  std::mutex probe_mu;
  rd_kafka_t* probe = nullptr;  // a client of the mock itself, created on first use

  ~Impl() {
    if (probe) rd_kafka_destroy(probe);
    if (mc) rd_kafka_mock_cluster_destroy(mc);
    if (rk) rd_kafka_destroy(rk);
  }

  // The partition count of `topic` as the cluster reports it, 0 if the topic does not exist.
  // Asks for all topics' metadata, which never auto-creates one.
  Result<int> partition_count(const std::string& topic) {
    std::lock_guard lk(probe_mu);
    char errstr[512];
    if (!probe) {
      rd_kafka_conf_t* conf = rd_kafka_conf_new();
      rd_kafka_conf_set_log_cb(conf, on_probe_log);
      if (rd_kafka_conf_set(conf, "bootstrap.servers", rd_kafka_mock_cluster_bootstraps(mc),
                            errstr, sizeof errstr) != RD_KAFKA_CONF_OK ||
          rd_kafka_conf_set(conf, "client.id", "sluice-mock-probe", errstr, sizeof errstr) !=
              RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        return Error::fatal(std::string("metadata probe config: ") + errstr);
      }
      probe = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
      if (!probe) {
        rd_kafka_conf_destroy(conf);
        return Error::fatal(std::string("cannot create the metadata probe: ") + errstr);
      }
    }
    const rd_kafka_metadata_t* md = nullptr;
    rd_kafka_resp_err_t err = rd_kafka_metadata(probe, 1, nullptr, &md, kProbeTimeoutMs);
    if (err) return Error::retry("cannot read the cluster's metadata: " + err_text(err));
    int count = 0;
    for (int i = 0; i < md->topic_cnt; ++i) {
      if (topic == md->topics[i].topic) count = md->topics[i].partition_cnt;
    }
    rd_kafka_metadata_destroy(md);
    return count;
  }
};

MockCluster::MockCluster(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MockCluster::~MockCluster() = default;

Result<std::unique_ptr<MockCluster>> MockCluster::start(int brokers) {
  if (brokers < 1 || brokers > kMaxBrokers) {
    return Error::fatal("broker count must be 1.." + std::to_string(kMaxBrokers) + ", not " +
                        std::to_string(brokers));
  }
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set_log_cb(conf, on_rdkafka_log);
  // The handle only hosts the mock; it never talks to a broker itself.
  if (rd_kafka_conf_set(conf, "client.id", "sluice-mock-cluster", errstr, sizeof errstr) !=
      RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    return Error::fatal(std::string("mock cluster config: ") + errstr);
  }
  auto impl = std::make_unique<Impl>();
  impl->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!impl->rk) {
    rd_kafka_conf_destroy(conf);
    return Error::fatal(std::string("cannot create the mock cluster's client handle: ") + errstr);
  }
  impl->mc = rd_kafka_mock_cluster_new(impl->rk, brokers);
  if (!impl->mc) {
    return Error::fatal("cannot start the mock cluster (see the rdkafka log above)");
  }
  const char* boot = rd_kafka_mock_cluster_bootstraps(impl->mc);
  auto addresses = parse_bootstraps(boot ? boot : "");
  if (!addresses) return addresses.error();
  if (static_cast<int>(addresses->size()) != brokers) {
    return Error::fatal("mock cluster reported " + std::to_string(addresses->size()) +
                        " brokers instead of " + std::to_string(brokers));
  }
  std::unique_ptr<MockCluster> mc(new MockCluster(std::move(impl)));
  mc->bootstraps_ = boot;
  mc->addresses_ = std::move(*addresses);
  log::debug(kLogCtx, "mock cluster with ", brokers, " broker(s) at ", mc->bootstraps_);
  return mc;
}

Status MockCluster::check_broker(int32_t broker_id) const {
  if (broker_id < 1 || broker_id > broker_count()) {
    return Error::fatal("no broker " + std::to_string(broker_id) + " (brokers are 1.." +
                        std::to_string(broker_count()) + ")");
  }
  return {};
}

Status MockCluster::create_topic(const std::string& name, int partitions,
                                 int replication_factor) {
  if (auto s = validate_topic_name(name); !s) return s;
  if (partitions < 1 || partitions > kMaxMockPartitions) {
    return Error::fatal("partition count must be 1.." + std::to_string(kMaxMockPartitions) +
                        ", not " + std::to_string(partitions));
  }
  if (replication_factor <= 0) replication_factor = std::min(3, broker_count());
  if (replication_factor > broker_count()) {
    return Error::fatal("replication factor " + std::to_string(replication_factor) +
                        " exceeds the " + std::to_string(broker_count()) + " broker(s)");
  }
  return from_err(
      rd_kafka_mock_topic_create(impl_->mc, name.c_str(), partitions, replication_factor),
      "cannot create topic " + name);
}

Status MockCluster::set_broker_down(int32_t broker_id) {
  if (auto s = check_broker(broker_id); !s) return s;
  return from_err(rd_kafka_mock_broker_set_down(impl_->mc, broker_id),
                  "broker " + std::to_string(broker_id) + " down");
}

Status MockCluster::set_broker_up(int32_t broker_id) {
  if (auto s = check_broker(broker_id); !s) return s;
  return from_err(rd_kafka_mock_broker_set_up(impl_->mc, broker_id),
                  "broker " + std::to_string(broker_id) + " up");
}

Status MockCluster::set_broker_rtt(int32_t broker_id, int rtt_ms) {
  if (rtt_ms < 0) return Error::fatal("RTT must be >= 0 ms, not " + std::to_string(rtt_ms));
  if (broker_id == -1) {
    for (int32_t id = 1; id <= broker_count(); ++id) {
      if (auto s = set_broker_rtt(id, rtt_ms); !s) return s;
    }
    return {};
  }
  if (auto s = check_broker(broker_id); !s) return s;
  return from_err(rd_kafka_mock_broker_set_rtt(impl_->mc, broker_id, rtt_ms),
                  "broker " + std::to_string(broker_id) + " rtt");
}

Status MockCluster::push_request_errors(int16_t api_key, const std::vector<int>& error_codes) {
  if (api_key < 0) return Error::fatal("API key must be >= 0");
  if (error_codes.empty()) return Error::fatal("no error codes given");
  std::vector<rd_kafka_resp_err_t> errs;
  errs.reserve(error_codes.size());
  for (int c : error_codes) errs.push_back(static_cast<rd_kafka_resp_err_t>(c));
  rd_kafka_mock_push_request_errors_array(impl_->mc, api_key, errs.size(), errs.data());
  return {};
}

void MockCluster::clear_request_errors(int16_t api_key) {
  rd_kafka_mock_clear_request_errors(impl_->mc, api_key);
}

Status MockCluster::set_partition_leader(const std::string& topic, int32_t partition,
                                         int32_t broker_id) {
  if (auto s = check_broker(broker_id); !s) return s;
  if (auto s = validate_topic_name(topic); !s) return s;
  if (partition < 0) return Error::fatal("partition must be >= 0");
  // The mock creates a missing topic here (with partition + 1 partitions); refuse instead,
  // so a typo does not silently make a new topic.
  auto count = impl_->partition_count(topic);
  if (!count) return count.error();
  if (*count == 0) return Error::fatal("no topic " + topic);
  if (partition >= *count) {
    return Error::fatal("topic " + topic + " has partitions 0.." + std::to_string(*count - 1) +
                        ", not " + std::to_string(partition));
  }
  return from_err(
      rd_kafka_mock_partition_set_leader(impl_->mc, topic.c_str(), partition, broker_id),
      "leader of " + topic + " [" + std::to_string(partition) + "]");
}

Status validate_topic_name(std::string_view name) {
  if (name.empty()) return Error::fatal("topic name is empty");
  if (name.size() > 249) return Error::fatal("topic name is longer than 249 characters");
  if (name == "." || name == "..") return Error::fatal("topic name cannot be '.' or '..'");
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) {
      return Error::fatal("topic name '" + std::string(name) +
                          "' may contain only letters, digits, '.', '_' and '-'");
    }
  }
  return {};
}

Result<MockTopicSpec> parse_mock_topic_spec(std::string_view spec) {
  size_t colon = spec.rfind(':');
  if (colon == std::string_view::npos) {
    return Error::fatal("topic spec '" + std::string(spec) +
                        "' must be NAME:PARTITIONS, e.g. orders:3");
  }
  MockTopicSpec out;
  out.name = std::string(spec.substr(0, colon));
  if (auto s = validate_topic_name(out.name); !s) return s.error();
  std::string_view count = spec.substr(colon + 1);
  if (!parse_int(count, out.partitions) || out.partitions < 1 ||
      out.partitions > kMaxMockPartitions) {
    return Error::fatal("partition count '" + std::string(count) + "' in topic spec '" +
                        std::string(spec) + "' must be a number from 1 to " +
                        std::to_string(kMaxMockPartitions));
  }
  return out;
}

const char* mock_command_help() {
  return "commands (one per line):\n"
         "  down BROKER                       take a broker down (leaders do not move)\n"
         "  up BROKER                         bring a broker back up\n"
         "  rtt BROKER|-1 MS                  add MS of latency to one broker or all (-1)\n"
         "  err APIKEY ERRCODE [ERRCODE...]   fail the next requests of an API with these "
         "errors\n"
         "  clear APIKEY                      drop the pending errors of an API\n"
         "  leader TOPIC PARTITION BROKER     move a partition's leader\n"
         "  topic NAME PARTITIONS             create a topic\n"
         "  help                              this text\n"
         "APIKEY: a number or a name (Produce=0, Fetch=1, Metadata=3, OffsetCommit=8, "
         "JoinGroup=11, ...)\n"
         "ERRCODE: a Kafka error number or name (6 or NOT_LEADER_FOR_PARTITION); "
         "-195 (_TRANSPORT) drops the connection\n";
}

MockCommandReply run_mock_command(MockCluster& cluster, std::string_view line) {
  auto words = split_words(line);
  if (words.empty() || words[0].front() == '#') return {true, ""};
  auto fail = [](std::string msg) { return MockCommandReply{false, "error: " + msg}; };
  auto done = [](const Status& s) {
    return s ? MockCommandReply{true, "ok"} : MockCommandReply{false, "error: " + s.error().message};
  };
  auto usage = [&](const char* form) { return fail(std::string("usage: ") + form); };
  auto broker_arg = [](std::string_view w, int32_t& out) { return parse_int(w, out); };

  std::string_view cmd = words[0];
  size_t argc = words.size() - 1;
  if (cmd == "help") {
    if (argc != 0) return usage("help");
    return {true, std::string(mock_command_help()) + "ok"};
  }
  if (cmd == "down" || cmd == "up") {
    int32_t id = 0;
    if (argc != 1 || !broker_arg(words[1], id)) return usage(cmd == "down" ? "down BROKER" : "up BROKER");
    return done(cmd == "down" ? cluster.set_broker_down(id) : cluster.set_broker_up(id));
  }
  if (cmd == "rtt") {
    int32_t id = 0;
    int ms = 0;
    if (argc != 2 || !broker_arg(words[1], id) || !parse_int(words[2], ms)) {
      return usage("rtt BROKER|-1 MS");
    }
    return done(cluster.set_broker_rtt(id, ms));
  }
  if (cmd == "err") {
    if (argc < 2) return usage("err APIKEY ERRCODE [ERRCODE...]");
    auto key = parse_api_key(words[1]);
    if (!key) return fail(key.error().message);
    std::vector<int> codes;
    for (size_t i = 2; i < words.size(); ++i) {
      auto code = parse_error_code(words[i]);
      if (!code) return fail(code.error().message);
      codes.push_back(*code);
    }
    return done(cluster.push_request_errors(*key, codes));
  }
  if (cmd == "clear") {
    if (argc != 1) return usage("clear APIKEY");
    auto key = parse_api_key(words[1]);
    if (!key) return fail(key.error().message);
    cluster.clear_request_errors(*key);
    return {true, "ok"};
  }
  if (cmd == "leader") {
    int32_t partition = 0, id = 0;
    if (argc != 3 || !parse_int(words[2], partition) || !broker_arg(words[3], id)) {
      return usage("leader TOPIC PARTITION BROKER");
    }
    return done(cluster.set_partition_leader(std::string(words[1]), partition, id));
  }
  if (cmd == "topic") {
    int partitions = 0;
    if (argc != 2 || !parse_int(words[2], partitions)) return usage("topic NAME PARTITIONS");
    return done(cluster.create_topic(std::string(words[1]), partitions));
  }
  return fail("unknown command '" + std::string(cmd) + "' (try: help)");
}

}  // namespace sluice
