#pragma once
// The Herder: the control plane's one interface. REST knows only this header and its entity
// types; standalone and distributed modes are two implementations behind it. Entities carry
// what Connect's REST JSON shows; errors carry the HTTP status Connect answers with
// (Error::status: 400 bad request, 404 not found, 409 conflict, 0 = 500).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plugins/api/config_def.h"
#include "runtime/common/error.h"

namespace sluice::herder {

using Config = std::map<std::string, std::string>;

struct ServerInfo {
  std::string version;
  std::string commit;
  std::string kafka_cluster_id;
};

struct TaskId {
  std::string connector;
  int task = 0;
};

// ConnectorInfo: the raw stored config (provider references unresolved) and the task ids.
struct ConnectorInfo {
  std::string name;
  Config config;
  std::vector<TaskId> tasks;
  std::string type = "source";  // "source", "sink", or "unknown" when the class is missing
};

// States by Connect's names: UNASSIGNED, RUNNING, PAUSED, STOPPED, FAILED, RESTARTING.
struct TaskState {
  int id = 0;
  std::string state;
  std::string worker_id;
  std::string trace;  // empty: none
};

struct ConnectorState {
  std::string name;
  std::string state;
  std::string worker_id;
  std::string trace;
  std::vector<TaskState> tasks;
  std::string type = "source";
};

struct TaskConfig {
  TaskId id;
  Config config;
};

// One source partition's offset as JSON text: partition is a JSON object (empty text when a
// request gave null or none), offset a JSON object or nullopt for null (delete).
struct PartitionOffset {
  std::string partition_json;
  std::optional<std::string> offset_json;
};

struct PluginInfo {
  std::string class_name;
  std::string type;  // source, sink, converter, header_converter, transformation, predicate
  std::string version;
};

enum class InitialState { Running, Paused, Stopped };

// Distributed mode: an Error with this status means "another worker must serve this request";
// its message is that worker's REST URL ("http://host:port/"). REST forwards the request
// there with Connect's `forward` query parameter (at most two hops).
inline constexpr int kForwardStatus = 307;

struct PutResult {
  bool created = false;
  ConnectorInfo info;
};

// An internal request's raw body and signature headers (X-Connect-Authorization,
// X-Connect-Request-Signature-Algorithm), as received.
struct InternalRequest {
  std::string body;
  std::optional<std::string> signature;
  std::optional<std::string> algorithm;
};

class Herder {
 public:
  virtual ~Herder() = default;

  virtual ServerInfo server_info() = 0;
  // False until the worker finished starting (GET /health answers 503 until then).
  virtual bool ready() = 0;

  virtual std::vector<std::string> connectors() = 0;
  virtual Result<ConnectorInfo> connector_info(const std::string& name) = 0;
  virtual Result<Config> connector_config(const std::string& name) = 0;
  // allow_replace=false is POST /connectors (409 when it exists).
  virtual Result<PutResult> put_connector_config(const std::string& name, const Config& config,
                                                 bool allow_replace,
                                                 InitialState initial = InitialState::Running) = 0;
  // A nullopt value removes that key.
  virtual Result<ConnectorInfo> patch_connector_config(
      const std::string& name, const std::map<std::string, std::optional<std::string>>& patch) = 0;
  virtual Status delete_connector(const std::string& name) = 0;

  virtual Result<ConnectorState> connector_status(const std::string& name) = 0;
  virtual Result<TaskState> task_status(const std::string& name, int task) = 0;
  virtual Result<std::vector<TaskConfig>> task_configs(const std::string& name) = 0;

  // With neither flag: restarts the Connector instance only and returns nothing.
  // Otherwise: the state with every instance to be restarted shown RESTARTING.
  virtual Result<std::optional<ConnectorState>> restart_connector(const std::string& name,
                                                                  bool include_tasks,
                                                                  bool only_failed) = 0;
  virtual Status restart_task(const std::string& name, int task) = 0;
  virtual Status pause_connector(const std::string& name) = 0;
  virtual Status resume_connector(const std::string& name) = 0;
  virtual Status stop_connector(const std::string& name) = 0;

  virtual Result<std::vector<PartitionOffset>> connector_offsets(const std::string& name) = 0;
  // Both return Connect's message for the response body; 400 unless STOPPED.
  virtual Result<std::string> alter_connector_offsets(const std::string& name,
                                                      const std::vector<PartitionOffset>& offsets) = 0;
  virtual Result<std::string> reset_connector_offsets(const std::string& name) = 0;

  // Topics the connector's records went to (KIP-558). An unknown connector has none.
  virtual Result<std::vector<std::string>> connector_topics(const std::string& name) = 0;
  virtual Status reset_connector_topics(const std::string& name) = 0;

  virtual std::vector<PluginInfo> plugins(bool connectors_only) = 0;
  // The plugin's ConfigDef (plugin-defined keys first, then the framework's); 404 if unknown.
  virtual Result<std::vector<api::ConfigKey>> plugin_config(const std::string& plugin) = 0;
  // PUT /connector-plugins/{type}/config/validate
  virtual Result<api::ConfigInfos> validate_connector_config(const std::string& type,
                                                             const Config& config) = 0;

  // Connect's internal POST /connectors/{n}/tasks: a connector's owner hands the task
  // configs it generated to the leader. Only distributed mode serves it; under the
  // `sessioned` protocol it checks `request`'s signature first.
  virtual Status put_task_configs(const std::string& name, const std::vector<Config>& configs,
                                  const InternalRequest& request) {
    (void)name;
    (void)configs;
    (void)request;
    return Error::with_status(404, "HTTP 404 Not Found");
  }
};

}  // namespace sluice::herder
