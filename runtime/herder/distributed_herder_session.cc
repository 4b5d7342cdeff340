// The `sessioned` protocol's session key and request signing (KIP-507, spec kafka-connect.md
// §1.1 and §3): the leader keeps a `session-key` record in the config topic, every worker
// reads it, followers sign the internal POST /connectors/{n}/tasks with it and the leader
// checks the signature with Java's answers.

#include <chrono>
#include <cstdio>

#include "runtime/common/log.h"
#include "runtime/herder/distributed_herder.h"
#include "runtime/herder/session_key.h"

namespace sluice::herder {

namespace {

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// java.util.List.toString: [a, b]
std::string java_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

std::string illegal_base64(const std::string& text) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
  for (unsigned char c : text)
    if (alphabet.find(static_cast<char>(c)) == std::string::npos) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "%x", c);
      return std::string("Illegal base64 character ") + hex;
    }
  return "Input byte array has wrong 4-byte ending unit";
}

}  // namespace

bool DistributedHerder::signing_enabled() const {
  std::lock_guard lock(mu_);
  // Before the first assignment the configured protocol says; afterwards the group's choice
  // (a group with an older member runs `compatible` and signs nothing, as Java).
  if (group_protocol_.empty()) return config_.protocol == kafka::ConnectProtocol::Sessioned;
  return group_protocol_ == "sessioned";
}

void DistributedHerder::maybe_rotate_session_key() {
  if (!is_leader() || !signing_enabled()) return;
  auto snap = snapshot();
  int64_t now = wall_ms();
  if (snap.session_key && snap.session_key->creation_timestamp + config_.key_ttl_ms > now) return;
  auto key = generate_session_key(config_.key_generation_algorithm, config_.key_size_bits);
  if (!key) {
    log::error("herder", "cannot generate a session key: ", key.error().message);
    return;
  }
  storage::SessionKeyRecord record{*key, config_.key_generation_algorithm, now};
  if (auto st = write_config({{"session-key", storage::encode_session_key(record)}}); !st)
    log::warn("herder", "cannot write the session key (retrying): ", st.error().message);
  else
    log::info("herder", snap.session_key ? "rotated" : "wrote", " the session key (", config_.key_generation_algorithm, ")");
}

std::optional<Error> DistributedHerder::check_signature(const InternalRequest& request) {
  // As Java's InternalRequestSignature.fromHeaders: only both headers make a signature, and
  // a signature that cannot be read is a bad request whatever the protocol.
  bool present = request.signature && request.algorithm;
  std::optional<std::string> mac;
  if (present) {
    if (!mac_algorithm_supported(*request.algorithm))
      return Error::with_status(400, "Algorithm " + *request.algorithm + " not available");
    mac = storage::base64_decode(*request.signature);
    if (!mac) return Error::with_status(400, illegal_base64(*request.signature));
  }
  if (!signing_enabled()) return std::nullopt;
  if (!present) return Error::with_status(400, "Internal request missing required signature");
  bool allowed = false;
  for (auto& a : config_.verification_algorithms) allowed = allowed || a == *request.algorithm;
  if (!allowed)
    return Error::with_status(
        400, "This worker does not support the '" + *request.algorithm +
                 "' key signing algorithm used by other workers. This worker is currently configured to use: " +
                 java_list(config_.verification_algorithms) +
                 ". Check that all workers' configuration files permit the same set of signature algorithms, and "
                 "correct any misconfigured worker and restart it.");
  auto key = snapshot().session_key;
  if (!key)
    return Error::with_status(503, "This worker has not read a session key from the config topic yet; "
                                   "the request cannot be verified. Retry shortly.");
  auto expected = hmac(*request.algorithm, key->key, request.body);
  if (!expected) return Error::with_status(400, expected.error().message);
  if (!equal_constant_time(*expected, *mac))
    return Error::with_status(403, "Internal request contained invalid signature.");
  return std::nullopt;
}

Result<HttpHeaders> DistributedHerder::sign(const std::string& body) {
  auto key = snapshot().session_key;
  if (!key) return Error::retry("no session key read from the config topic yet");
  auto mac = hmac(config_.signature_algorithm, key->key, body);
  if (!mac) return mac.error();
  return HttpHeaders{{kSignatureHeader, storage::base64_encode(*mac)},
                     {kSignatureAlgorithmHeader, config_.signature_algorithm}};
}

}  // namespace sluice::herder
