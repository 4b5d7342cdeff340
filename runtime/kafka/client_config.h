#pragma once
// Kafka client settings arrive under the Java client's names (worker.properties,
// producer.*, producer.override.*). They are translated once, here, into librdkafka's.
// A Java setting with no librdkafka equivalent fails with a message naming it: a user's
// security or durability setting is never silently ignored.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "runtime/common/error.h"

namespace sluice::kafka {

using JavaProps = std::map<std::string, std::string>;
using RdProps = std::vector<std::pair<std::string, std::string>>;

// Java client settings that are meaningful at a worker's top level and apply to every client
// (bootstrap.servers, security.protocol, sasl.*, ssl.*, ...).
bool is_common_client_key(const std::string& java_key);

// The settings every client shares, picked from a worker's (or connector's) top-level keys
// and translated: what Connect applies to all its clients.
Result<RdProps> common_client_settings(const JavaProps& top_level);

// Translates Java producer settings. `origin` names where they came from for error messages
// (e.g. "producer." or "producer.override.").
Result<RdProps> translate_producer(const JavaProps& java, const std::string& origin);
// The same for the settings every client shares (consumers use this plus their own).
Result<RdProps> translate_common(const JavaProps& java, const std::string& origin);

}  // namespace sluice::kafka
