#pragma once
// Source connectors and tasks, with Connect's lifecycle:
//   connector: initialize(context) -> start(config) -> task_configs(max) ... -> stop()
//   task:      initialize(context) -> start(config) -> poll()* / commit() ... -> stop()
//
// Plugin authors derive from SourceConnector and SourceTask; these may throw. The host never
// calls them directly: plugin.h wraps each in a guard compiled into the plugin, which turns a
// throw into a Status, so no exception crosses the boundary.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/api/config_def.h"
#include "plugins/api/record.h"
#include "plugins/api/status.h"

namespace sluice::api {

// What Connect's OffsetStorageReader gives a task: the last committed offset of a partition.
class OffsetStorageReader {
 public:
  virtual ~OffsetStorageReader() = default;
  virtual std::optional<OffsetMap> offset(const OffsetMap& partition) = 0;
};

// An append-only log of key/value records private to a connector (the MySQL connector's
// schema history). Backed by a Kafka topic through the worker's clients, or by a local file.
class DurableLog {
 public:
  virtual ~DurableLog() = default;
  virtual Status append(std::string_view key, std::string_view value) = 0;
  // Waits until everything appended so far is durable.
  virtual Status flush() = 0;
  // Reads every record from the start to the current end, in order.
  virtual Status read_all(
      const std::function<void(std::string_view key, std::string_view value)>& visit) = 0;
};

struct DurableLogSpec {
  // Exactly one of these: a Kafka topic (with client settings under the Java client names,
  // e.g. bootstrap.servers, producer.*, consumer.*), or a file path.
  std::string kafka_topic;
  Config kafka_settings;
  std::string file_path;
};

class SourceTaskContext {
 public:
  virtual ~SourceTaskContext() = default;
  virtual const Config& configs() const = 0;
  virtual OffsetStorageReader& offset_storage_reader() = 0;
  virtual Status open_durable_log(const DurableLogSpec& spec, std::unique_ptr<DurableLog>& out) = 0;
};

class ConnectorContext {
 public:
  virtual ~ConnectorContext() = default;
  // The connector's task configs changed (a new table, say): the worker asks again.
  virtual void request_task_reconfiguration() = 0;
  // An unrecoverable error in a connector's own threads: the connector goes FAILED.
  virtual void raise_error(const std::string& message) = 0;
  virtual OffsetStorageReader& offset_storage_reader() = 0;
};

class SourceTask {
 public:
  virtual ~SourceTask() = default;
  virtual std::string version() const = 0;
  virtual void initialize(SourceTaskContext& context) { context_ = &context; }
  virtual void start(const Config& config) = 0;
  // Appends a batch to `out`; returning with nothing appended is fine (the worker polls again).
  // Should not block for more than about a second, so stop() is honoured promptly.
  virtual void poll(std::vector<SourceRecord>& out) = 0;
  // Offsets up to the last flushed ones are durable (Postgres confirms its LSN here).
  virtual void commit() {}
  // Kafka acknowledged this record (metadata is null if a transform dropped it). A record that
  // was sent comes without its key and value (nor their schemas): the worker releases them once
  // converted, since thousands of records can wait for acknowledgement. Topic, partition,
  // offsets, timestamp and headers are as polled.
  virtual void commit_record(const SourceRecord&, const RecordMetadata*) {}
  // Called from another thread than poll(): must make a running poll return soon.
  virtual void stop() = 0;

 protected:
  SourceTaskContext* context_ = nullptr;
};

class SourceConnector {
 public:
  virtual ~SourceConnector() = default;
  virtual std::string version() const = 0;
  virtual void initialize(ConnectorContext& context) { context_ = &context; }
  virtual void start(const Config& config) = 0;
  virtual std::vector<Config> task_configs(int max_tasks) = 0;
  virtual std::unique_ptr<SourceTask> create_task() = 0;
  virtual void stop() = 0;
  virtual ConfigDef config_def() const = 0;
  // Default: the ConfigDef's checks. Connectors add cross-field checks here.
  virtual ConfigInfos validate(const std::string& name, const Config& config) const {
    return config_def().validate(name, config);
  }

 protected:
  ConnectorContext* context_ = nullptr;
};

}  // namespace sluice::api
