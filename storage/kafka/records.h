#pragma once
// The records of Connect's config and status topics, byte for byte as Java Connect writes
// them (spec kafka-connect.md §2.2, §2.5): keys are plain UTF-8 strings, values are compact
// schemaless JSON (JsonConverter with schemas.enable=false, struct fields in schema order,
// null fields written as null). Decoders accept anything and say what was wrong.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "runtime/common/error.h"

namespace sluice::storage {

using Properties = std::map<std::string, std::string>;

enum class TargetState { Started, Paused, Stopped };
const char* target_state_name(TargetState s);  // STARTED, PAUSED, STOPPED

// ---- config topic keys --------------------------------------------------------------------
std::string connector_key(std::string_view connector);           // connector-<n>
std::string target_state_key(std::string_view connector);        // target-state-<n>
std::string task_key(std::string_view connector, int task);      // task-<n>-<id>
std::string commit_key(std::string_view connector);              // commit-<n>
std::string restart_key(std::string_view connector);             // restart-connector-<n>

// A config-topic key split by kind, in Connect's matching order.
struct ConfigKey {
  enum Kind { TargetState, Connector, Task, Commit, Restart, TasksFencing, SessionKey, LoggerCluster, Unknown };
  Kind kind = Unknown;
  std::string connector;  // or the logger namespace for LoggerCluster
  int task = -1;          // Task only
};
ConfigKey parse_config_key(std::string_view key);

// ---- config topic values ------------------------------------------------------------------
// {"properties":{...}}. Java allows null property values; they decode to absent keys.
std::string encode_properties(const Properties& props);
Result<Properties> decode_properties(std::string_view json);
// {"state":"PAUSED","state.v2":"STOPPED"}: pre-3.5 readers see PAUSED for STOPPED.
std::string encode_target_state(TargetState s);
Result<TargetState> decode_target_state(std::string_view json);
// {"tasks":N}
std::string encode_commit(int tasks);
Result<int> decode_commit(std::string_view json);
struct RestartRequest {
  bool include_tasks = false;
  bool only_failed = false;
  bool operator==(const RestartRequest&) const = default;
};
// {"include-tasks":b,"only-failed":b}; a non-boolean field counts as false.
std::string encode_restart(const RestartRequest& r);
Result<RestartRequest> decode_restart(std::string_view json);

// {"key":"<base64 of the raw key>","algorithm":"HmacSHA256","creation-timestamp":ms}: the
// `sessioned` protocol's session key (KIP-507), written by the leader.
struct SessionKeyRecord {
  std::string key;  // raw key bytes
  std::string algorithm;
  int64_t creation_timestamp = 0;
  bool operator==(const SessionKeyRecord&) const = default;
};
std::string encode_session_key(const SessionKeyRecord& k);
Result<SessionKeyRecord> decode_session_key(std::string_view json);

// Standard base64 with padding (java.util.Base64's basic encoder and decoder).
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

// ---- status topic -------------------------------------------------------------------------
std::string connector_status_key(std::string_view connector);  // status-connector-<n>
std::string task_status_key(std::string_view connector, int task);  // status-task-<n>-<id>

struct StatusKey {
  enum Kind { Connector, Task, Topic, Unknown };
  Kind kind = Unknown;
  std::string connector;
  int task = -1;
  std::string topic;  // Topic only
};
StatusKey parse_status_key(std::string_view key);

// status-topic-<topic>:connector-<n> (KIP-558: a topic the connector's tasks produced to)
std::string topic_status_key(std::string_view topic, std::string_view connector);
struct TopicStatusValue {
  std::string topic;
  std::string connector;
  int task = 0;
  int64_t discover_timestamp = 0;  // ms since the epoch
  bool operator==(const TopicStatusValue&) const = default;
};
// {"topic":{"name":"t","connector":"c","task":0,"discoverTimestamp":1700000000000}}
std::string encode_topic_status(const TopicStatusValue& v);
Result<TopicStatusValue> decode_topic_status(std::string_view json);

struct StatusValue {
  std::string state;  // UNASSIGNED, RUNNING, PAUSED, STOPPED, FAILED, RESTARTING
  std::optional<std::string> trace;
  std::string worker_id;
  int64_t generation = 0;
  bool operator==(const StatusValue&) const = default;
};
// {"state":"RUNNING","trace":null,"worker_id":"h:8083","generation":12}
std::string encode_status(const StatusValue& v);
Result<StatusValue> decode_status(std::string_view json);

}  // namespace sluice::storage
