#include "runtime/kafka/admin.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>

#include "runtime/common/log.h"

namespace sluice::kafka {

struct TopicAdmin::Impl {
  rd_kafka_t* rk = nullptr;
  rd_kafka_queue_t* queue = nullptr;
  bool controller_checked = false;
  bool no_controller = false;
  ~Impl() {
    if (queue) rd_kafka_queue_destroy(queue);
    if (rk) rd_kafka_destroy(rk);
  }
};

std::string NewTopic::describe() const {
  std::string out = "NewTopic(name=" + name + ", numPartitions=" +
                    (partitions < 0 ? std::string("default") : std::to_string(partitions)) +
                    ", replicationFactor=" +
                    (replication_factor < 0 ? std::string("default") : std::to_string(replication_factor)) +
                    ", replicasAssignments=null, configs={";
  bool first = true;
  for (auto& [k, v] : configs) {
    out += (first ? "" : ", ") + k + "=" + v;
    first = false;
  }
  return out + "})";
}

namespace {

void log_cb(const rd_kafka_t* rk, int level, const char* fac, const char* buf) {
  if (level <= 3) log::error("librdkafka", rd_kafka_name(rk), " ", fac, ": ", buf);
  else if (level <= 4) log::warn("librdkafka", rd_kafka_name(rk), " ", fac, ": ", buf);
  else log::debug("librdkafka", rd_kafka_name(rk), " ", fac, ": ", buf);
}

}  // namespace

Result<std::unique_ptr<TopicAdmin>> TopicAdmin::create(const RdProps& props) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (auto& [k, v] : props) {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return Error::fatal("admin client setting " + k + "=" + v + ": " + err, Stage::Config);
    }
  }
  rd_kafka_conf_set_log_cb(conf, log_cb);
  std::unique_ptr<TopicAdmin> admin(new TopicAdmin());
  admin->impl_ = std::make_unique<Impl>();
  // The Admin API works on any client instance; a producer handle that never produces.
  admin->impl_->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!admin->impl_->rk) {
    rd_kafka_conf_destroy(conf);
    return Error::fatal(std::string("cannot create a Kafka admin client: ") + err, Stage::Config);
  }
  admin->impl_->queue = rd_kafka_queue_new(admin->impl_->rk);
  return admin;
}

TopicAdmin::~TopicAdmin() = default;

Result<CreateOutcome> TopicAdmin::create_topic(const NewTopic& t, int timeout_ms) {
  char err[512];
  // CreateTopics goes to the controller. librdkafka's mock cluster (the embedded dev broker)
  // names a controller that is none of its brokers, so the request would only time out: check.
  if (!impl_->controller_checked) {
    int wait = std::min(timeout_ms, 10000);
    int32_t controller = rd_kafka_controllerid(impl_->rk, wait);
    bool known = false;
    const rd_kafka_metadata_t* md = nullptr;
    if (controller >= 0 && rd_kafka_metadata(impl_->rk, 0, nullptr, &md, wait) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      for (int i = 0; i < md->broker_cnt; ++i) known = known || md->brokers[i].id == controller;
      rd_kafka_metadata_destroy(md);
    }
    impl_->controller_checked = true;
    impl_->no_controller = !known;
  }
  if (impl_->no_controller) return CreateOutcome::Unsupported;
  rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(t.name.c_str(), t.partitions, t.replication_factor, err, sizeof err);
  if (!nt) return Error::fatal("invalid topic " + t.describe() + ": " + err);
  std::unique_ptr<rd_kafka_NewTopic_t, void (*)(rd_kafka_NewTopic_t*)> guard(nt, rd_kafka_NewTopic_destroy);
  for (auto& [k, v] : t.configs)
    if (rd_kafka_NewTopic_set_config(nt, k.c_str(), v.c_str()) != RD_KAFKA_RESP_ERR_NO_ERROR)
      return Error::fatal("invalid topic config " + k + "=" + v + " for " + t.name);
  rd_kafka_AdminOptions_t* opts = rd_kafka_AdminOptions_new(impl_->rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  std::unique_ptr<rd_kafka_AdminOptions_t, void (*)(rd_kafka_AdminOptions_t*)> opts_guard(opts, rd_kafka_AdminOptions_destroy);
  rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, err, sizeof err);
  rd_kafka_AdminOptions_set_operation_timeout(opts, timeout_ms, err, sizeof err);
  rd_kafka_CreateTopics(impl_->rk, &nt, 1, opts, impl_->queue);
  // A little longer than the request timeout: librdkafka reports the timeout itself.
  rd_kafka_event_t* ev = rd_kafka_queue_poll(impl_->queue, timeout_ms + 5000);
  if (!ev) return CreateOutcome::Unsupported;
  std::unique_ptr<rd_kafka_event_t, void (*)(rd_kafka_event_t*)> ev_guard(ev, rd_kafka_event_destroy);
  auto classify = [&](rd_kafka_resp_err_t code, const char* message) -> Result<CreateOutcome> {
    switch (code) {
      case RD_KAFKA_RESP_ERR_NO_ERROR: return CreateOutcome::Created;
      case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS: return CreateOutcome::Existed;
      case RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION:
      case RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE:
      case RD_KAFKA_RESP_ERR__TIMED_OUT:
      case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
        return CreateOutcome::Unsupported;
      default:
        return Error::fatal(std::string(rd_kafka_err2name(code)) + ": " + (message && *message ? message : rd_kafka_err2str(code)),
                            Stage::KafkaProduce);
    }
  };
  if (rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR_NO_ERROR)
    return classify(rd_kafka_event_error(ev), rd_kafka_event_error_string(ev));
  const rd_kafka_CreateTopics_result_t* res = rd_kafka_event_CreateTopics_result(ev);
  size_t n = 0;
  const rd_kafka_topic_result_t** results = res ? rd_kafka_CreateTopics_result_topics(res, &n) : nullptr;
  if (!results || n == 0) return Error::fatal("no CreateTopics result for " + t.name, Stage::KafkaProduce);
  return classify(rd_kafka_topic_result_error(results[0]), rd_kafka_topic_result_error_string(results[0]));
}

Result<std::optional<std::string>> TopicAdmin::topic_config(const std::string& topic, const std::string& key,
                                                            int timeout_ms) {
  char err[512];
  rd_kafka_ConfigResource_t* cr = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  std::unique_ptr<rd_kafka_ConfigResource_t, void (*)(rd_kafka_ConfigResource_t*)> cr_guard(cr, rd_kafka_ConfigResource_destroy);
  rd_kafka_AdminOptions_t* opts = rd_kafka_AdminOptions_new(impl_->rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
  std::unique_ptr<rd_kafka_AdminOptions_t, void (*)(rd_kafka_AdminOptions_t*)> opts_guard(opts, rd_kafka_AdminOptions_destroy);
  rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, err, sizeof err);
  rd_kafka_DescribeConfigs(impl_->rk, &cr, 1, opts, impl_->queue);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(impl_->queue, timeout_ms + 5000);
  if (!ev) return Error::retry("DescribeConfigs of " + topic + " got no answer");
  std::unique_ptr<rd_kafka_event_t, void (*)(rd_kafka_event_t*)> ev_guard(ev, rd_kafka_event_destroy);
  if (rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR_NO_ERROR)
    return Error::retry("DescribeConfigs of " + topic + ": " + rd_kafka_event_error_string(ev));
  const rd_kafka_DescribeConfigs_result_t* res = rd_kafka_event_DescribeConfigs_result(ev);
  size_t n = 0;
  const rd_kafka_ConfigResource_t** rs = res ? rd_kafka_DescribeConfigs_result_resources(res, &n) : nullptr;
  if (!rs || n == 0) return Error::retry("no DescribeConfigs result for " + topic);
  if (rd_kafka_ConfigResource_error(rs[0]) != RD_KAFKA_RESP_ERR_NO_ERROR)
    return Error::retry("DescribeConfigs of " + topic + ": " + rd_kafka_ConfigResource_error_string(rs[0]));
  size_t cnt = 0;
  const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(rs[0], &cnt);
  for (size_t i = 0; i < cnt; ++i)
    if (key == rd_kafka_ConfigEntry_name(entries[i])) {
      const char* v = rd_kafka_ConfigEntry_value(entries[i]);
      return std::optional<std::string>(v ? v : "");
    }
  return std::optional<std::string>{};
}

}  // namespace sluice::kafka
