#pragma once
// The Worker starts and stops connectors and tasks on this process. It knows nothing of
// where configs come from (the Herder's job); it resolves classes through the plugin
// registry, builds converters and producers, and runs each task on its own thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "plugins/api/plugin.h"
#include "runtime/plugin_host/registry.h"
#include "runtime/worker/source_task_runner.h"
#include "runtime/worker/task_state.h"
#include "runtime/worker/worker_config.h"
#include "storage/api/offset_store.h"

namespace sluice::worker {

class Worker {
 public:
  // Called (from any thread) when a connector asks for its tasks to be reconfigured.
  using ReconfigureFn = std::function<void(const std::string& connector)>;

  Worker(WorkerConfig config, const plugin_host::Registry& registry,
         storage::OffsetBackingStore& offsets, ReconfigureFn on_reconfigure = {});
  ~Worker();

  const WorkerConfig& config() const { return config_; }

  // `config` has config-provider references already resolved.
  Status start_connector(const std::string& name, const api::Config& config);
  Result<std::vector<api::Config>> task_configs(const std::string& name);
  Status start_task(const TaskId& id, const api::Config& connector_config,
                    const api::Config& task_config, bool paused = false);
  void stop_task(const TaskId& id);
  void stop_tasks(const std::string& connector);
  // Restarts the Connector instance only (its tasks keep running).
  Status restart_connector_instance(const std::string& connector);
  // PAUSED: the connector reports PAUSED and its tasks stop polling.
  void set_paused(const std::string& connector, bool paused);
  std::vector<std::string> topics(const std::string& connector) const;
  void reset_topics(const std::string& connector);
  // Told (from task threads) the first time each task of a connector produces to a topic;
  // set before tasks start (the distributed herder writes status-topic records from it).
  using TopicListener = std::function<void(const std::string& connector, const std::string& topic, int task)>;
  void set_topic_listener(TopicListener fn);
  bool has_connector(const std::string& connector) const;
  const plugin_host::Registry& registry() const { return registry_; }
  storage::OffsetBackingStore& offsets() { return offsets_; }
  // Stops the connector instance and this worker's tasks of it.
  void stop_connector(const std::string& connector);
  // Stops the connector instance only: its tasks keep running (a distributed worker gives
  // the instance to another worker, or restarts just the instance).
  void stop_connector_instance(const std::string& connector);
  void stop_all();

  StatusSnapshot connector_status(const std::string& name) const;
  std::vector<std::pair<int, StatusSnapshot>> task_statuses(const std::string& name) const;
  uint64_t delivered(const std::string& connector) const;
  // Records skipped after errors (errors.tolerance=all) by the connector's running tasks.
  uint64_t skipped(const std::string& connector) const;

 private:
  struct ConnectorRun;
  Result<std::unique_ptr<api::ConverterHandle>> make_converter(bool is_key, const api::Config& cc) const;
  Result<std::unique_ptr<api::HeaderConverterHandle>> make_header_converter(const api::Config& cc) const;
  Result<kafka::RdProps> producer_props(const TaskId& id, const api::Config& cc) const;
  Result<kafka::RdProps> admin_props(const TaskId& id, const api::Config& cc) const;
  // `fresh`: a start from the herder, which resets the task's auto-restart count.
  Status launch_task(const TaskId& id, const api::Config& cc, const api::Config& task_config, bool paused,
                     bool fresh);

  // Sluice's auto-restart of FAILED tasks (sluice.task.auto.restart.*, worker_config.h): a
  // thread looks at the tasks every 200 ms and restarts a FAILED one after its backoff.
  struct RestartState {
    api::Config connector_config, task_config;
    int64_t attempts = 0;  // restarts in a row so far
    bool scheduled = false;
    bool gave_up = false;
    std::chrono::steady_clock::time_point next, started;
    uint64_t generation = 0;  // which start of the task this state belongs to
    std::string history;      // one line per restart so far, for the status trace
    std::string pending;      // the failure the scheduled restart is for
  };
  void supervise();
  void supervise_once();

  WorkerConfig config_;
  const plugin_host::Registry& registry_;
  storage::OffsetBackingStore& offsets_;
  ReconfigureFn on_reconfigure_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<ConnectorRun>> connectors_;
  std::map<std::string, std::vector<std::unique_ptr<SourceTaskRunner>>> tasks_;
  // Outlives the connector's tasks: topic tracking survives restarts, as in Connect.
  std::map<std::string, std::shared_ptr<TopicSet>> topics_;
  std::shared_ptr<TopicListener> topic_listener_;  // under mu_
  // Serializes starting and stopping tasks with the auto-restarts (held while joining tasks,
  // so never while holding mu_). Recursive: stop_all -> stop_connector -> stop_tasks.
  std::recursive_mutex control_mu_;
  std::map<std::string, RestartState> restarts_;  // by TaskId::str(), under mu_
  uint64_t generation_ = 0;
  std::thread supervisor_;
  std::mutex supervisor_mu_;
  std::condition_variable supervisor_cv_;
  bool supervisor_stop_ = false;
};

}  // namespace sluice::worker
