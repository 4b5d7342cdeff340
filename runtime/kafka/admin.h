#pragma once
// An admin client for topic creation, as Connect's TopicAdmin.createOrFindTopics: CreateTopics
// for one topic, telling "created", "already there" and "this broker cannot create topics"
// (no CreateTopics API, as on the embedded dev broker) apart from a refusal, whose error the
// caller reports.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "runtime/common/error.h"
#include "runtime/kafka/client_config.h"

namespace sluice::kafka {

struct NewTopic {
  std::string name;
  int partitions = -1;          // -1: the broker's default
  int replication_factor = -1;  // -1: the broker's default
  std::map<std::string, std::string> configs;

  // Java's NewTopic.toString(), which Connect's messages show.
  std::string describe() const;
};

enum class CreateOutcome { Created, Existed, Unsupported };

class TopicAdmin {
 public:
  // `props` are librdkafka settings (already translated from the Java names).
  static Result<std::unique_ptr<TopicAdmin>> create(const RdProps& props);
  ~TopicAdmin();
  TopicAdmin(const TopicAdmin&) = delete;
  TopicAdmin& operator=(const TopicAdmin&) = delete;

  // Creates the topic, waiting up to timeout_ms. An error is the broker's refusal (authorization,
  // replication factor, policy, ...) with its code and message; Unsupported means the broker
  // has no CreateTopics (or did not answer in time), so the producer's auto-creation is left to
  // do it.
  Result<CreateOutcome> create_topic(const NewTopic& topic, int timeout_ms);

  // One config of a topic as the broker reports it (DescribeConfigs); nullopt when the broker
  // does not list that key.
  Result<std::optional<std::string>> topic_config(const std::string& topic, const std::string& key,
                                                  int timeout_ms);

 private:
  struct Impl;
  TopicAdmin() = default;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::kafka
