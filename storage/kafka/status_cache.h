#pragma once
// The latest status of every connector and task, as replayed from the status topic (Connect's
// KafkaStatusBackingStore cache). A task's UNASSIGNED is ignored when the cached RUNNING of
// that task has the same or a higher generation (spec kafka-connect.md §2.5).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/kafka/records.h"

namespace sluice::storage {

class StatusCache {
 public:
  // Applies one record; returns false when the key or value was not understood.
  bool apply(std::string_view key, std::optional<std::string_view> value);

  std::optional<StatusValue> connector(const std::string& name) const;
  std::map<int, StatusValue> tasks(const std::string& name) const;
  std::optional<StatusValue> task(const std::string& name, int id) const;
  std::map<std::string, std::map<std::string, bool>> topics() const { return topics_; }
  // Every connector with a connector or task status.
  std::vector<std::string> names() const;

 private:
  std::map<std::string, StatusValue> connectors_;
  std::map<std::string, std::map<int, StatusValue>> tasks_;
  std::map<std::string, std::map<std::string, bool>> topics_;  // connector -> topic names
};

}  // namespace sluice::storage
