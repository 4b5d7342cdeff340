#include "runtime/kafka/cluster.h"

#include <librdkafka/rdkafka.h>

#include <memory>

namespace sluice::kafka {

Result<std::string> describe_cluster(const RdProps& props, int timeout_ms) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::string bootstrap;
  for (auto& [k, v] : props) {
    if (k == "bootstrap.servers") bootstrap = v;
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return Error::fatal("client setting " + k + "=" + v + ": " + err, Stage::Config);
    }
  }
  // Connection errors are reported below, in one line; keep librdkafka's own log quiet.
  rd_kafka_conf_set(conf, "log_level", "0", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {
    rd_kafka_conf_destroy(conf);
    return Error::fatal(std::string("cannot create a Kafka client: ") + err, Stage::Config);
  }
  std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)> guard(rk, rd_kafka_destroy);
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, nullptr, &md, timeout_ms);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    return Error::fatal("cannot reach Kafka at bootstrap.servers=" + bootstrap + " within " +
                        std::to_string(timeout_ms) + " ms (" + rd_kafka_err2str(e) +
                        "): check bootstrap.servers, the security settings, and that the brokers are up",
                        Stage::Config);
  rd_kafka_metadata_destroy(md);
  char* id = rd_kafka_clusterid(rk, timeout_ms);
  std::string out = id ? id : "unknown";
  if (id) rd_kafka_mem_free(rk, id);
  return out;
}

}  // namespace sluice::kafka
