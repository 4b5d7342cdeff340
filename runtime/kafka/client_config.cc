#include "runtime/kafka/client_config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

#include "runtime/common/log.h"

namespace sluice::kafka {
namespace {

// Java name -> librdkafka name, for settings whose values mean the same in both.
const std::map<std::string, std::string>& common_renames() {
  static const std::map<std::string, std::string> m = {
      {"bootstrap.servers", "bootstrap.servers"},
      {"client.id", "client.id"},
      {"security.protocol", "security.protocol"},
      {"sasl.mechanism", "sasl.mechanisms"},
      {"request.timeout.ms", "request.timeout.ms"},
      {"metadata.max.age.ms", "metadata.max.age.ms"},
      {"connections.max.idle.ms", "connections.max.idle.ms"},
      {"reconnect.backoff.ms", "reconnect.backoff.ms"},
      {"reconnect.backoff.max.ms", "reconnect.backoff.max.ms"},
      {"retry.backoff.ms", "retry.backoff.ms"},
      {"send.buffer.bytes", "socket.send.buffer.bytes"},
      {"receive.buffer.bytes", "socket.receive.buffer.bytes"},
      {"client.dns.lookup", "client.dns.lookup"},
      {"ssl.key.password", "ssl.key.password"},
      {"socket.connection.setup.timeout.ms", "socket.connection.setup.timeout.ms"},
  };
  return m;
}

const std::map<std::string, std::string>& producer_renames() {
  static const std::map<std::string, std::string> m = {
      {"acks", "acks"},
      {"linger.ms", "linger.ms"},
      {"batch.size", "batch.size"},
      {"compression.type", "compression.type"},
      {"max.request.size", "message.max.bytes"},
      {"enable.idempotence", "enable.idempotence"},
      {"max.in.flight.requests.per.connection", "max.in.flight.requests.per.connection"},
      {"retries", "message.send.max.retries"},
      {"transactional.id", "transactional.id"},
      {"transaction.timeout.ms", "transaction.timeout.ms"},
  };
  return m;
}

// Settings librdkafka has no use for but whose Java meaning it already honours, so accepting
// them changes nothing a user relies on.
const std::set<std::string>& no_effect_keys() {
  static const std::set<std::string> s = {
      "key.serializer", "value.serializer", "key.deserializer", "value.deserializer",
      "max.block.ms",  // produce() never blocks in librdkafka; the worker waits itself
      "ssl.protocol", "ssl.enabled.protocols", "ssl.keystore.type", "ssl.truststore.type",
      "ssl.truststore.password", "ssl.keystore.password", "ssl.truststore.location",
      "ssl.keystore.location", "ssl.truststore.certificates", "ssl.keystore.certificate.chain",
      "ssl.keystore.key", "sasl.jaas.config", "ssl.endpoint.identification.algorithm",
      "buffer.memory", "delivery.timeout.ms", "auto.include.jmx.reporter", "metrics.recording.level",
      "metrics.num.samples", "metrics.sample.window.ms"};
  return s;
}

// Java settings that change behaviour in ways librdkafka cannot reproduce.
const std::map<std::string, std::string>& refused_keys() {
  static const std::map<std::string, std::string> m = {
      {"interceptor.classes", "Java interceptors cannot run in Sluice"},
      {"partitioner.class", "Sluice always uses Java's default partitioner (murmur2)"},
      {"metric.reporters", "Sluice exposes metrics through Prometheus instead"},
      {"sasl.login.callback.handler.class", "Java callback handlers cannot run in Sluice"},
      {"sasl.client.callback.handler.class", "Java callback handlers cannot run in Sluice"},
  };
  return m;
}

std::string quoted_value(const std::string& jaas, const std::string& name) {
  auto pos = jaas.find(name + "=");
  if (pos == std::string::npos) return {};
  pos += name.size() + 1;
  if (pos >= jaas.size()) return {};
  char q = jaas[pos];
  if (q != '"' && q != '\'') {
    auto end = jaas.find_first_of(" ;", pos);
    return jaas.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  }
  auto end = jaas.find(q, pos + 1);
  if (end == std::string::npos) return {};
  return jaas.substr(pos + 1, end - pos - 1);
}

Status translate_jaas(const std::string& jaas, const std::string& origin, RdProps& out) {
  const bool plain = jaas.find("PlainLoginModule") != std::string::npos;
  const bool scram = jaas.find("ScramLoginModule") != std::string::npos;
  if (!plain && !scram)
    return Error::fatal(origin + "sasl.jaas.config: only PlainLoginModule and ScramLoginModule "
                        "are supported (with username=\"...\" password=\"...\")", Stage::Config);
  auto user = quoted_value(jaas, "username");
  auto pass = quoted_value(jaas, "password");
  if (user.empty())
    return Error::fatal(origin + "sasl.jaas.config has no username=\"...\"", Stage::Config);
  out.emplace_back("sasl.username", user);
  out.emplace_back("sasl.password", pass);
  return {};
}

std::string get(const JavaProps& p, const std::string& k, const std::string& def = "") {
  auto it = p.find(k);
  return it == p.end() ? def : it->second;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Status translate_ssl(const JavaProps& p, const std::string& origin, RdProps& out) {
  if (auto loc = get(p, "ssl.truststore.location"); !loc.empty()) {
    auto type = upper(get(p, "ssl.truststore.type", "JKS"));
    if (type != "PEM")
      return Error::fatal(origin + "ssl.truststore.type=" + type + " cannot be read by Sluice; "
                          "convert the truststore to PEM and set ssl.truststore.type=PEM", Stage::Config);
    out.emplace_back("ssl.ca.location", loc);
  }
  if (auto pem = get(p, "ssl.truststore.certificates"); !pem.empty()) out.emplace_back("ssl.ca.pem", pem);
  if (auto loc = get(p, "ssl.keystore.location"); !loc.empty()) {
    auto type = upper(get(p, "ssl.keystore.type", "JKS"));
    if (type == "PKCS12") {
      out.emplace_back("ssl.keystore.location", loc);
      if (auto pw = get(p, "ssl.keystore.password"); !pw.empty()) out.emplace_back("ssl.keystore.password", pw);
    } else {
      return Error::fatal(origin + "ssl.keystore.type=" + type + " cannot be read by Sluice; use "
                          "PKCS12, or PEM through ssl.keystore.certificate.chain and ssl.keystore.key",
                          Stage::Config);
    }
  }
  if (auto chain = get(p, "ssl.keystore.certificate.chain"); !chain.empty())
    out.emplace_back("ssl.certificate.pem", chain);
  if (auto key = get(p, "ssl.keystore.key"); !key.empty()) out.emplace_back("ssl.key.pem", key);
  if (p.count("ssl.endpoint.identification.algorithm")) {
    auto alg = get(p, "ssl.endpoint.identification.algorithm");
    out.emplace_back("ssl.endpoint.identification.algorithm", alg.empty() ? "none" : alg);
  }
  return {};
}

Status translate_into(const JavaProps& java, const std::string& origin, bool producer, RdProps& out) {
  for (auto& [k, v] : java) {
    if (auto r = refused_keys().find(k); r != refused_keys().end()) {
      if (v.empty()) continue;
      return Error::fatal(origin + k + "=" + v + " is not supported: " + r->second, Stage::Config);
    }
    if (auto it = common_renames().find(k); it != common_renames().end()) {
      out.emplace_back(it->second, v);
    } else if (auto pit = producer_renames().find(k); producer && pit != producer_renames().end()) {
      out.emplace_back(pit->second, v);
    } else if (no_effect_keys().count(k)) {
      continue;  // handled below or deliberately without effect
    } else {
      return Error::fatal(origin + k + " is not a Kafka client setting Sluice knows; remove it or "
                          "check its spelling", Stage::Config);
    }
  }
  if (auto jaas = get(java, "sasl.jaas.config"); !jaas.empty())
    if (auto st = translate_jaas(jaas, origin, out); !st) return st;
  if (auto st = translate_ssl(java, origin, out); !st) return st;
  if (producer) {
    if (auto mem = get(java, "buffer.memory"); !mem.empty()) {
      long long bytes = std::atoll(mem.c_str());
      out.emplace_back("queue.buffering.max.kbytes", std::to_string(std::max(1LL, bytes / 1024)));
    }
    if (auto dt = get(java, "delivery.timeout.ms"); !dt.empty()) {
      // Java's 2147483647 (Connect's default) means "as long as it takes": librdkafka's 0.
      long long ms = std::atoll(dt.c_str());
      out.emplace_back("message.timeout.ms", ms >= 2147483647LL ? "0" : dt);
    }
  }
  return {};
}

}  // namespace

bool is_common_client_key(const std::string& k) {
  return common_renames().count(k) || k == "sasl.jaas.config" || k.rfind("ssl.", 0) == 0 ||
         k.rfind("sasl.", 0) == 0;
}

Result<RdProps> common_client_settings(const JavaProps& top_level) {
  JavaProps common;
  for (auto& [k, v] : top_level)
    if (is_common_client_key(k)) common[k] = v;
  return translate_common(common, "");
}

Result<RdProps> translate_producer(const JavaProps& java, const std::string& origin) {
  RdProps out;
  if (auto st = translate_into(java, origin, true, out); !st) return st.error();
  return out;
}

Result<RdProps> translate_common(const JavaProps& java, const std::string& origin) {
  RdProps out;
  if (auto st = translate_into(java, origin, false, out); !st) return st.error();
  return out;
}

}  // namespace sluice::kafka
