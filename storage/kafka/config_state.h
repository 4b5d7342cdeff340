#pragma once
// The cluster's configuration as replayed from the config topic (Connect's
// KafkaConfigBackingStore + ClusterConfigState): connector configs, target states and the
// committed task configs. Task records are buffered until their commit record arrives and
// applied only if ids 0..N-1 are all there; otherwise the connector is "inconsistent" and
// its tasks do not run until it republishes (spec kafka-connect.md §2.2).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "storage/kafka/records.h"

namespace sluice::storage {

struct ConfigSnapshot {
  int64_t offset = -1;  // the config offset of the group protocol: last record read + 1
  std::map<std::string, Properties> connectors;
  std::map<std::string, TargetState> targets;  // absent: STARTED
  std::map<std::string, std::vector<Properties>> tasks;  // committed task configs
  std::set<std::string> inconsistent;
  std::optional<SessionKeyRecord> session_key;  // the latest `session-key` record

  TargetState target(const std::string& c) const {
    auto it = targets.find(c);
    return it == targets.end() ? TargetState::Started : it->second;
  }
  int task_count(const std::string& c) const {
    auto it = tasks.find(c);
    return it == tasks.end() || inconsistent.count(c) ? 0 : static_cast<int>(it->second.size());
  }
};

// What one record changed, for the herder to act on.
struct ConfigEvent {
  enum Kind { ConnectorAdded, ConnectorUpdated, ConnectorRemoved, TasksCommitted, TargetChanged, Restart,
              Ignored, Skipped };
  Kind kind = Ignored;
  std::string connector;
  RestartRequest restart;
  std::string why;  // Skipped: what was wrong with the record
};

class ConfigState {
 public:
  // Applies the record read at `offset`; nullopt value is a tombstone.
  ConfigEvent apply(std::string_view key, std::optional<std::string_view> value, int64_t offset);
  const ConfigSnapshot& snapshot() const { return s_; }

 private:
  ConfigEvent apply_commit(const std::string& connector, std::optional<std::string_view> value);

  ConfigSnapshot s_;
  std::map<std::string, std::map<int, Properties>> deferred_;
};

}  // namespace sluice::storage
