#pragma once
// Topic creation for source connectors (KIP-158), as Connect's TopicCreation and
// TopicCreationGroup:
//
//   worker:    topic.creation.enable (default true)
//   connector: topic.creation.default.replication.factor, .partitions (both required once any
//              topic.creation.* key is set; -1 = the broker's default), topic.creation.default.<c>
//              for any other topic config;
//              topic.creation.groups=g1,g2 and per group topic.creation.<g>.include / .exclude
//              (lists of Java regexes, exclude wins), .replication.factor and .partitions
//              (defaulting to the default group's), .<topic config>.
//
// Before a task's first record goes to a topic the topic is created with the settings of the
// first group (in topic.creation.groups order) that includes and does not exclude it, else the
// default group's; the topics seen are cached per task. A broker that refuses (authorization,
// replication factor, policy) fails the task with Connect's message and the broker's reason. A
// broker without CreateTopics (the embedded dev broker) leaves creation to its auto-creation,
// with one warning per process.

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "plugins/api/config_def.h"
#include "runtime/common/error.h"
#include "runtime/config/java_regex.h"
#include "runtime/kafka/admin.h"

namespace sluice::worker {

struct TopicCreationGroup {
  std::string name;
  std::optional<config::JavaRegex> include;  // the list joined with '|'; none: matches nothing
  std::optional<config::JavaRegex> exclude;  // none: excludes nothing
  int partitions = -1;
  int replication_factor = -1;
  std::map<std::string, std::string> configs;

  bool matches(const std::string& topic) const;
};

class TopicCreation {
 public:
  // Null when topic creation is off: the worker disabled it, or the connector sets no
  // topic.creation.* key.
  static Result<std::unique_ptr<TopicCreation>> from_config(bool worker_enabled, const api::Config& connector_config);

  // The topic as the first matching group (else the default group) would create it.
  kafka::NewTopic new_topic(const std::string& topic) const;
  bool known(const std::string& topic) const { return known_.count(topic) > 0; }
  void add(const std::string& topic) { known_.insert(topic); }

 private:
  TopicCreationGroup default_group_;
  std::vector<TopicCreationGroup> groups_;
  std::set<std::string> known_;
};

// Adds the topic creation keys of this config to a connector ConfigDef (Connect's
// SourceConnectorConfig.enrich): the default group's replication factor and partitions, and
// each group's include, exclude, replication factor and partitions, in groups
// "Topic Creation: default" / "Topic Creation: <g>".
void enrich_topic_creation(api::ConfigDef& def, const api::Config& config);

}  // namespace sluice::worker
