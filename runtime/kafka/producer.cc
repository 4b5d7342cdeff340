#include "runtime/kafka/producer.h"

#include <librdkafka/rdkafka.h>

#include <unordered_map>

#include "runtime/common/log.h"

namespace sluice::kafka {

namespace {
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
}  // namespace

struct Producer::Impl {
  rd_kafka_t* rk = nullptr;
  DeliveryFn on_delivery;
  // One handle per topic, kept for the producer's life: no name lookup per record.
  std::unordered_map<std::string, rd_kafka_topic_t*, StringHash, std::equal_to<>> topics;

  rd_kafka_topic_t* topic(std::string_view name);
};

rd_kafka_topic_t* Producer::Impl::topic(std::string_view name) {
  if (auto it = topics.find(name); it != topics.end()) return it->second;
  std::string key(name);
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, key.c_str(), nullptr);
  if (!rkt) return nullptr;
  // librdkafka looks up a topic that a running producer meets for the first time on its
  // once-a-second timer, so the first records of every new topic would wait up to a second
  // (librdkafka issue #3202). Asking for its metadata now avoids that wait; a failure here is
  // harmless, the timer still finds the topic.
  const rd_kafka_metadata_t* md = nullptr;
  if (rd_kafka_metadata(rk, 0, rkt, &md, 2000) == RD_KAFKA_RESP_ERR_NO_ERROR) rd_kafka_metadata_destroy(md);
  topics.emplace(std::move(key), rkt);
  return rkt;
}

namespace {

void delivery_cb(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* impl = static_cast<Producer::Impl*>(opaque);
  Delivery d;
  d.opaque = m->_private;
  d.ok = m->err == RD_KAFKA_RESP_ERR_NO_ERROR;
  if (!d.ok) d.error = rd_kafka_err2str(m->err);
  if (m->rkt) d.topic = rd_kafka_topic_name(m->rkt);
  d.partition = m->partition;
  d.offset = m->offset;
  rd_kafka_timestamp_type_t tstype;
  d.timestamp = rd_kafka_message_timestamp(m, &tstype);
  impl->on_delivery(d);
}

void log_cb(const rd_kafka_t* rk, int level, const char* fac, const char* buf) {
  const char* name = rd_kafka_name(rk);
  if (level <= 3)
    log::error("librdkafka", name, " ", fac, ": ", buf);
  else if (level <= 4)
    log::warn("librdkafka", name, " ", fac, ": ", buf);
  else
    log::debug("librdkafka", name, " ", fac, ": ", buf);
}

}  // namespace

Result<std::unique_ptr<Producer>> Producer::create(const RdProps& props, DeliveryFn on_delivery) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (auto& [k, v] : props) {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return Error::fatal("producer setting " + k + "=" + v + ": " + err, Stage::Config);
    }
  }
  std::unique_ptr<Producer> p(new Producer());
  p->impl_ = std::make_unique<Impl>();
  p->impl_->on_delivery = std::move(on_delivery);
  rd_kafka_conf_set_opaque(conf, p->impl_.get());
  rd_kafka_conf_set_dr_msg_cb(conf, delivery_cb);
  rd_kafka_conf_set_log_cb(conf, log_cb);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {  // conf is still ours on failure
    rd_kafka_conf_destroy(conf);
    return Error::fatal(std::string("cannot create Kafka producer: ") + err, Stage::Config);
  }
  p->impl_->rk = rk;
  return p;
}

Producer::~Producer() {
  if (impl_ && impl_->rk) {
    rd_kafka_purge(impl_->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(impl_->rk, 0);
    for (auto& [name, rkt] : impl_->topics) rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(impl_->rk);
  }
}

Status Producer::produce(std::string_view topic, int32_t partition, const std::string* key,
                         const std::string* value, const std::vector<OutHeader>& headers,
                         int64_t timestamp, void* opaque) {
  rd_kafka_headers_t* hdrs = nullptr;
  if (!headers.empty()) {
    hdrs = rd_kafka_headers_new(headers.size());
    for (auto& h : headers)
      rd_kafka_header_add(hdrs, h.key.data(), static_cast<ssize_t>(h.key.size()),
                          h.is_null ? nullptr : h.value.data(),
                          h.is_null ? 0 : static_cast<ssize_t>(h.value.size()));
  }
  rd_kafka_topic_t* rkt = impl_->topic(topic);
  if (!rkt) {
    if (hdrs) rd_kafka_headers_destroy(hdrs);
    return Error::fatal("cannot produce to " + std::string(topic) + ": " +
                            rd_kafka_err2str(rd_kafka_last_error()),
                        Stage::KafkaProduce);
  }
  rd_kafka_resp_err_t e = rd_kafka_producev(
      impl_->rk, RD_KAFKA_V_RKT(rkt),
      RD_KAFKA_V_PARTITION(partition < 0 ? RD_KAFKA_PARTITION_UA : partition),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
      RD_KAFKA_V_KEY(key ? key->data() : nullptr, key ? key->size() : 0),
      RD_KAFKA_V_VALUE(value ? const_cast<char*>(value->data()) : nullptr, value ? value->size() : 0),
      RD_KAFKA_V_TIMESTAMP(timestamp < 0 ? 0 : timestamp), RD_KAFKA_V_HEADERS(hdrs),
      RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
  if (e == RD_KAFKA_RESP_ERR_NO_ERROR) return {};  // headers now belong to the message
  if (hdrs) rd_kafka_headers_destroy(hdrs);
  if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) return Error::retry("producer queue full", Stage::KafkaProduce);
  return Error::fatal(std::string("cannot produce to ") + std::string(topic) + ": " + rd_kafka_err2str(e),
                      Stage::KafkaProduce);
}

int Producer::poll(int timeout_ms) { return rd_kafka_poll(impl_->rk, timeout_ms); }

Status Producer::flush(int timeout_ms) {
  rd_kafka_resp_err_t e = rd_kafka_flush(impl_->rk, timeout_ms);
  if (e == RD_KAFKA_RESP_ERR_NO_ERROR) return {};
  return Error::retry(std::string("flush: ") + rd_kafka_err2str(e), Stage::KafkaProduce);
}

int Producer::in_flight() const { return rd_kafka_outq_len(impl_->rk); }

std::string Producer::fatal_error() const {
  char buf[512];
  if (rd_kafka_fatal_error(impl_->rk, buf, sizeof buf) == RD_KAFKA_RESP_ERR_NO_ERROR) return {};
  return buf;
}

}  // namespace sluice::kafka
