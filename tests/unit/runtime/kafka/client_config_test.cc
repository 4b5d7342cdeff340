#include <catch2/catch.hpp>

#include <algorithm>

#include "runtime/kafka/client_config.h"

using namespace sluice::kafka;

namespace {
std::string value_of(const RdProps& p, const std::string& k) {
  std::string v = "<unset>";
  for (auto& [key, val] : p)
    if (key == k) v = val;  // the last one wins, as when applied in order
  return v;
}
}  // namespace

TEST_CASE("Java producer settings become librdkafka's") {
  auto r = translate_producer({{"acks", "all"},
                               {"max.request.size", "2097152"},
                               {"buffer.memory", "33554432"},
                               {"delivery.timeout.ms", "2147483647"},
                               {"sasl.mechanism", "SCRAM-SHA-512"},
                               {"security.protocol", "SASL_SSL"},
                               {"sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required "
                                "username=\"alice\" password=\"s3cr;et\";"},
                               {"ssl.truststore.type", "PEM"},
                               {"ssl.truststore.location", "/etc/ca.pem"},
                               {"ssl.endpoint.identification.algorithm", ""}},
                              "producer.");
  REQUIRE(r.ok());
  CHECK(value_of(*r, "acks") == "all");
  CHECK(value_of(*r, "message.max.bytes") == "2097152");
  CHECK(value_of(*r, "queue.buffering.max.kbytes") == "32768");
  CHECK(value_of(*r, "message.timeout.ms") == "0");
  CHECK(value_of(*r, "sasl.mechanisms") == "SCRAM-SHA-512");
  CHECK(value_of(*r, "sasl.username") == "alice");
  CHECK(value_of(*r, "sasl.password") == "s3cr;et");
  CHECK(value_of(*r, "ssl.ca.location") == "/etc/ca.pem");
  CHECK(value_of(*r, "ssl.endpoint.identification.algorithm") == "none");
}

TEST_CASE("Java settings Sluice cannot honour fail naming the key") {
  auto jks = translate_producer({{"ssl.truststore.location", "/x.jks"}}, "producer.");
  REQUIRE_FALSE(jks.ok());
  CHECK_THAT(jks.error().message, Catch::Contains("producer.ssl.truststore.type=JKS"));
  auto icpt = translate_producer({{"interceptor.classes", "com.x.I"}}, "producer.override.");
  REQUIRE_FALSE(icpt.ok());
  CHECK_THAT(icpt.error().message, Catch::Contains("producer.override.interceptor.classes"));
  auto typo = translate_producer({{"lingr.ms", "5"}}, "producer.");
  REQUIRE_FALSE(typo.ok());
  CHECK_THAT(typo.error().message, Catch::Contains("producer.lingr.ms"));
  auto iam = translate_common({{"sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;"}}, "");
  REQUIRE_FALSE(iam.ok());
  CHECK_THAT(iam.error().message, Catch::Contains("sasl.jaas.config"));
  // Producer-only settings are refused where only common ones belong.
  CHECK_FALSE(translate_common({{"acks", "1"}}, "").ok());
}
