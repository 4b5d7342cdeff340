#include "runtime/kafka/compacted_log.h"

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <mutex>
#include <vector>

namespace sluice::kafka {

struct CompactedLog::Impl {
  std::string topic;
  int timeout_ms = 30000;
  int partitions = 0;
  rd_kafka_t* producer = nullptr;
  rd_kafka_t* consumer = nullptr;
  std::vector<int64_t> next;  // per partition: the offset the reader is at
  std::mutex read_mu;
  std::mutex err_mu;
  std::string delivery_error;

  ~Impl() {
    if (producer) {
      rd_kafka_flush(producer, 5000);
      rd_kafka_destroy(producer);
    }
    if (consumer) {
      rd_kafka_consumer_close(consumer);
      rd_kafka_destroy(consumer);
    }
  }
};

namespace {

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* impl = static_cast<CompactedLog::Impl*>(opaque);
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
  std::lock_guard lock(impl->err_mu);
  if (impl->delivery_error.empty())
    impl->delivery_error = "write to " + impl->topic + " failed: " + rd_kafka_err2str(m->err);
}

Result<rd_kafka_t*> make_client(rd_kafka_type_t type, const RdProps& props, void* opaque) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (auto& [k, v] : props)
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return Error::fatal("client setting " + k + "=" + v + ": " + err, Stage::Config);
    }
  if (type == RD_KAFKA_PRODUCER) {
    rd_kafka_conf_set_opaque(conf, opaque);
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  }
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  if (!rk) {
    rd_kafka_conf_destroy(conf);
    return Error::fatal(std::string("cannot create a Kafka client: ") + err, Stage::Config);
  }
  return rk;
}

Result<int> partition_count(rd_kafka_t* rk, const std::string& topic, int timeout_ms) {
  rd_kafka_topic_t* t = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, t, &md, timeout_ms);
  rd_kafka_topic_destroy(t);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    return Error::retry("cannot read the metadata of topic " + topic + ": " + rd_kafka_err2str(e));
  int n = 0;
  rd_kafka_resp_err_t terr = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
  if (md->topic_cnt == 1) {
    n = md->topics[0].partition_cnt;
    terr = md->topics[0].err;
  }
  rd_kafka_metadata_destroy(md);
  if (terr != RD_KAFKA_RESP_ERR_NO_ERROR || n <= 0)
    return Error::retry("topic " + topic + " is not available: " + rd_kafka_err2str(terr));
  return n;
}

}  // namespace

Result<std::unique_ptr<CompactedLog>> CompactedLog::open(std::string topic, const RdProps& props,
                                                         std::string client_id, int timeout_ms) {
  std::unique_ptr<CompactedLog> log(new CompactedLog());
  log->impl_ = std::make_unique<Impl>();
  Impl& impl = *log->impl_;
  impl.topic = std::move(topic);
  impl.timeout_ms = timeout_ms;
  // Connect's internal producers: not idempotent, every replica acknowledges, and Java's
  // partitioner so that a key lands where a JVM worker would put it.
  RdProps pp = {{"acks", "all"}, {"enable.idempotence", "false"}, {"linger.ms", "1"},
                {"partitioner", "murmur2_random"}, {"client.id", client_id}};
  pp.insert(pp.end(), props.begin(), props.end());
  auto producer = make_client(RD_KAFKA_PRODUCER, pp, &impl);
  if (!producer) return producer.error();
  impl.producer = *producer;
  auto n = partition_count(impl.producer, impl.topic, timeout_ms);
  if (!n) return n.error();
  impl.partitions = *n;
  RdProps cp = {{"enable.auto.commit", "false"}, {"enable.partition.eof", "true"},
                {"auto.offset.reset", "earliest"}, {"client.id", client_id},
                // librdkafka wants a group id even for assign(); nothing joins or commits.
                {"group.id", "sluice-internal-" + client_id}};
  cp.insert(cp.end(), props.begin(), props.end());
  auto consumer = make_client(RD_KAFKA_CONSUMER, cp, nullptr);
  if (!consumer) return consumer.error();
  impl.consumer = *consumer;
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(impl.partitions);
  for (int p = 0; p < impl.partitions; ++p)
    rd_kafka_topic_partition_list_add(parts, impl.topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_resp_err_t e = rd_kafka_assign(impl.consumer, parts);
  rd_kafka_topic_partition_list_destroy(parts);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    return Error::retry("cannot read topic " + impl.topic + ": " + rd_kafka_err2str(e));
  impl.next.assign(static_cast<size_t>(impl.partitions), 0);
  return log;
}

CompactedLog::~CompactedLog() = default;

const std::string& CompactedLog::topic() const { return impl_->topic; }
int CompactedLog::partitions() const { return impl_->partitions; }

Status CompactedLog::send(std::string_view key, std::optional<std::string_view> value) {
  void* payload = value ? const_cast<char*>(value->data()) : nullptr;
  size_t len = value ? value->size() : 0;
  rd_kafka_resp_err_t e = rd_kafka_producev(
      impl_->producer, RD_KAFKA_V_TOPIC(impl_->topic.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
      RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_VALUE(payload, len), RD_KAFKA_V_END);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    return Error::retry("write to " + impl_->topic + ": " + rd_kafka_err2str(e));
  rd_kafka_poll(impl_->producer, 0);
  return {};
}

Status CompactedLog::flush(int timeout_ms) {
  rd_kafka_resp_err_t e = rd_kafka_flush(impl_->producer, timeout_ms);
  std::lock_guard lock(impl_->err_mu);
  if (!impl_->delivery_error.empty()) {
    std::string msg = std::move(impl_->delivery_error);
    impl_->delivery_error.clear();
    return Error::retry(msg);
  }
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    return Error::retry("writes to " + impl_->topic + " not acknowledged within " + std::to_string(timeout_ms) +
                        " ms: " + rd_kafka_err2str(e));
  return {};
}

Status CompactedLog::read_to_end(const std::function<void(const LogRecord&)>& visit) {
  Impl& impl = *impl_;
  std::lock_guard lock(impl.read_mu);
  // One ListOffsets(latest) for every partition at once (librdkafka groups them by leader and
  // follows leader changes), rather than one blocking query per partition.
  std::vector<int64_t> end(impl.next.size(), 0);
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(impl.partitions);
  for (int p = 0; p < impl.partitions; ++p)
    rd_kafka_topic_partition_list_add(parts, impl.topic.c_str(), p)->offset = RD_KAFKA_OFFSET_END;
  rd_kafka_resp_err_t e = rd_kafka_offsets_for_times(impl.consumer, parts, impl.timeout_ms);
  std::string failure;
  for (int i = 0; i < parts->cnt && e == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
    const auto& tp = parts->elems[i];
    if (tp.err != RD_KAFKA_RESP_ERR_NO_ERROR) failure = rd_kafka_err2str(tp.err);
    else if (tp.partition >= 0 && tp.partition < impl.partitions) end[static_cast<size_t>(tp.partition)] = tp.offset;
  }
  rd_kafka_topic_partition_list_destroy(parts);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) failure = rd_kafka_err2str(e);
  if (!failure.empty()) return Error::retry("cannot read the end offsets of " + impl.topic + ": " + failure);
  auto behind = [&] {
    for (size_t p = 0; p < end.size(); ++p)
      if (impl.next[p] < end[p]) return true;
    return false;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(impl.timeout_ms);
  while (behind()) {
    if (std::chrono::steady_clock::now() > deadline)
      return Error::retry("timed out reading " + impl.topic + " to its end");
    rd_kafka_message_t* m = rd_kafka_consumer_poll(impl.consumer, 100);
    if (!m) continue;
    std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> guard(m, rd_kafka_message_destroy);
    if (m->partition < 0 || m->partition >= impl.partitions) continue;
    auto& pos = impl.next[static_cast<size_t>(m->partition)];
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (m->offset > pos) pos = m->offset;
      continue;
    }
    if (m->err) return Error::retry("reading " + impl.topic + ": " + rd_kafka_message_errstr(m));
    LogRecord r;
    r.key = {static_cast<const char*>(m->key), m->key ? m->key_len : 0};
    if (m->payload) r.value = std::string_view(static_cast<const char*>(m->payload), m->len);
    r.partition = m->partition;
    r.offset = m->offset;
    visit(r);
    pos = m->offset + 1;
  }
  return {};
}

}  // namespace sluice::kafka
