#include "runtime/kafka/topic_log.h"

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <mutex>

namespace sluice::kafka {

struct TopicLog::Impl {
  std::string topic;
  rd_kafka_t* producer = nullptr;
  RdProps consumer_props;
  int timeout_ms = 30000;
  std::mutex mu;
  std::string delivery_error;  // the first failed append, reported by flush()

  ~Impl() {
    if (producer) {
      rd_kafka_flush(producer, timeout_ms);
      rd_kafka_destroy(producer);
    }
  }
};

namespace {

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* impl = static_cast<TopicLog::Impl*>(opaque);
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
  std::lock_guard lock(impl->mu);
  if (impl->delivery_error.empty())
    impl->delivery_error = "append to " + impl->topic + " failed: " + rd_kafka_err2str(m->err);
}

Result<rd_kafka_conf_t*> make_conf(const RdProps& props) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (auto& [k, v] : props)
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return Error::fatal("client setting " + k + "=" + v + ": " + err, Stage::Config);
    }
  return conf;
}

}  // namespace

Result<std::unique_ptr<TopicLog>> TopicLog::open(std::string topic, const RdProps& producer,
                                                 const RdProps& consumer, int timeout_ms) {
  std::unique_ptr<TopicLog> log(new TopicLog());
  log->impl_ = std::make_unique<Impl>();
  log->impl_->topic = std::move(topic);
  log->impl_->consumer_props = consumer;
  log->impl_->timeout_ms = timeout_ms;
  RdProps props = {{"acks", "all"}, {"enable.idempotence", "true"}, {"linger.ms", "0"}};
  props.insert(props.end(), producer.begin(), producer.end());
  auto conf = make_conf(props);
  if (!conf) return conf.error();
  rd_kafka_conf_set_opaque(*conf, log->impl_.get());
  rd_kafka_conf_set_dr_msg_cb(*conf, on_delivery);
  char err[512];
  log->impl_->producer = rd_kafka_new(RD_KAFKA_PRODUCER, *conf, err, sizeof err);
  if (!log->impl_->producer) {
    rd_kafka_conf_destroy(*conf);
    return Error::fatal(std::string("cannot create the log's producer: ") + err, Stage::Config);
  }
  return log;
}

TopicLog::~TopicLog() = default;

Status TopicLog::append(std::string_view key, std::string_view value) {
  rd_kafka_resp_err_t e = rd_kafka_producev(
      impl_->producer, RD_KAFKA_V_TOPIC(impl_->topic.c_str()), RD_KAFKA_V_PARTITION(0),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
      RD_KAFKA_V_KEY(key.data(), key.size()),
      RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()), RD_KAFKA_V_END);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    return Error::retry("append to " + impl_->topic + ": " + rd_kafka_err2str(e));
  rd_kafka_poll(impl_->producer, 0);
  return {};
}

Status TopicLog::flush() {
  rd_kafka_resp_err_t e = rd_kafka_flush(impl_->producer, impl_->timeout_ms);
  std::lock_guard lock(impl_->mu);
  if (!impl_->delivery_error.empty()) return Error::fatal(impl_->delivery_error);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    return Error::retry("flush of " + impl_->topic + ": " + rd_kafka_err2str(e));
  return {};
}

Status TopicLog::read_all(const std::function<void(std::string_view, std::string_view)>& visit) {
  auto conf = make_conf(impl_->consumer_props);
  if (!conf) return conf.error();
  char err[512];
  rd_kafka_conf_set(*conf, "enable.auto.commit", "false", err, sizeof err);
  rd_kafka_conf_set(*conf, "enable.partition.eof", "true", err, sizeof err);
  // librdkafka wants a group id even for assign(); nothing is joined or committed under it.
  rd_kafka_conf_set(*conf, "group.id", ("sluice-log-reader-" + impl_->topic).c_str(), err, sizeof err);
  rd_kafka_t* c = rd_kafka_new(RD_KAFKA_CONSUMER, *conf, err, sizeof err);
  if (!c) {
    rd_kafka_conf_destroy(*conf);
    return Error::fatal(std::string("cannot create the log's consumer: ") + err, Stage::Config);
  }
  std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)> guard(c, rd_kafka_destroy);
  int64_t lo = 0, hi = 0;
  rd_kafka_resp_err_t e =
      rd_kafka_query_watermark_offsets(c, impl_->topic.c_str(), 0, &lo, &hi, impl_->timeout_ms);
  if (e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) return {};  // nothing written yet
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    return Error::retry("cannot read the end offset of " + impl_->topic + ": " + rd_kafka_err2str(e));
  if (hi <= lo) return {};
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(parts, impl_->topic.c_str(), 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
  e = rd_kafka_assign(c, parts);
  rd_kafka_topic_partition_list_destroy(parts);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    return Error::retry("cannot read " + impl_->topic + ": " + rd_kafka_err2str(e));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(impl_->timeout_ms);
  int64_t next = lo;
  while (next < hi) {
    if (std::chrono::steady_clock::now() > deadline)
      return Error::retry("timed out reading " + impl_->topic + " at offset " + std::to_string(next) +
                          " of " + std::to_string(hi));
    rd_kafka_message_t* m = rd_kafka_consumer_poll(c, 200);
    if (!m) continue;
    std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> mg(m, rd_kafka_message_destroy);
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) break;
    if (m->err) return Error::retry("reading " + impl_->topic + ": " + rd_kafka_message_errstr(m));
    visit({static_cast<const char*>(m->key), m->key_len}, {static_cast<const char*>(m->payload), m->len});
    next = m->offset + 1;
  }
  rd_kafka_consumer_close(c);
  return {};
}

}  // namespace sluice::kafka
