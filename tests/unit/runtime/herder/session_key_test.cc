// Request signing of the `sessioned` protocol. The expected signatures were computed once with
// Java 17's javax.crypto.Mac (SecretKeySpec over the key below, Mac.doFinal(body),
// java.util.Base64's encoder) and written here as constants.

#include <catch2/catch.hpp>

#include "runtime/herder/distributed_config.h"
#include "runtime/herder/session_key.h"
#include "storage/kafka/records.h"

using namespace sluice;
using namespace sluice::herder;

namespace {
std::string test_key() {
  std::string raw;
  for (int i = 0; i < 32; ++i) raw += static_cast<char>(i * 7 + 1);
  return raw;
}
const std::string kBody = R"([{"topic":"vs","task.id":"0"}])";
std::string signature(const std::string& alg) {
  auto mac = hmac(alg, test_key(), kBody);
  REQUIRE(mac);
  return storage::base64_encode(*mac);
}
}  // namespace

TEST_CASE("signatures match Java's Mac over the request body") {
  CHECK(signature("HmacSHA256") == "l4k+FKKpENaEz7jSRI3+AT0UE130QKIMoiB9LqAx3xs=");
  CHECK(signature("HmacSHA1") == "VRm5C4TNqPEOIuKSCNI5qKsCMYQ=");
  CHECK(signature("HmacSHA512") ==
        "Gac5q8tndX6bP07ffw+q4OQTGJaLVwSSzD6myFc2YQ2F370oIzzOHLTwRRi2wTCyJnnc65J3DW5/lTtJruFCyw==");
  CHECK_FALSE(hmac("HmacMD5", test_key(), kBody));
  CHECK_FALSE(mac_algorithm_supported("HmacFoo"));
}

TEST_CASE("session keys: KeyGenerator's sizes, random") {
  auto a = generate_session_key("HmacSHA256", 0);
  auto b = generate_session_key("HmacSHA256", 0);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->size() == 32);  // Java: KeyGenerator.getInstance("HmacSHA256").generateKey() is 32 bytes
  CHECK(*a != *b);
  CHECK(generate_session_key("HmacSHA256", 128)->size() == 16);
  CHECK(generate_session_key("HmacSHA256", 41)->size() == 6);
  CHECK(generate_session_key("HmacSHA512", 0)->size() == 64);
  CHECK_FALSE(generate_session_key("HmacSHA256", 32));
  CHECK_FALSE(generate_session_key("Foo", 0));
  CHECK(equal_constant_time("abc", "abc"));
  CHECK_FALSE(equal_constant_time("abc", "abd"));
  CHECK_FALSE(equal_constant_time("abc", "ab"));
}

TEST_CASE("inter.worker.* settings are checked as Java does") {
  std::map<std::string, std::string> raw{{"group.id", "g"},
                                         {"config.storage.topic", "c"},
                                         {"offset.storage.topic", "o"},
                                         {"status.storage.topic", "s"}};
  auto c = DistributedConfig::parse(raw);
  REQUIRE(c);
  CHECK(c->key_generation_algorithm == "HmacSHA256");
  CHECK(c->key_ttl_ms == 3600000);
  CHECK(c->key_size_bits == 0);
  CHECK(c->verification_algorithms == std::vector<std::string>{"HmacSHA256"});
  auto bad = raw;
  bad["inter.worker.signature.algorithm"] = "HmacSHA512";
  auto e = DistributedConfig::parse(bad);
  REQUIRE_FALSE(e);
  CHECK(e.error().message.find("must be present in the list of verification algorithms") != std::string::npos);
  bad["inter.worker.verification.algorithms"] = "HmacSHA256, HmacSHA512";
  REQUIRE(DistributedConfig::parse(bad));
  CHECK(DistributedConfig::parse(bad)->verification_algorithms ==
        std::vector<std::string>{"HmacSHA256", "HmacSHA512"});
  bad = raw;
  bad["inter.worker.key.generation.algorithm"] = "HmacFoo";
  CHECK_FALSE(DistributedConfig::parse(bad));
  bad = raw;
  bad["inter.worker.key.size"] = "16";
  CHECK_FALSE(DistributedConfig::parse(bad));
  bad["inter.worker.key.size"] = "512";
  CHECK(DistributedConfig::parse(bad)->key_size_bits == 512);
}
