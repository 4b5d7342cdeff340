#pragma once
// Standalone mode, as connect-standalone: connectors and their tasks run in this process,
// offsets live in the offsets file. Unlike Java's standalone worker, connectors created over
// REST survive a restart: their configs and target states are kept in a file beside the
// offsets file.

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "runtime/config/config_providers.h"
#include "runtime/herder/herder.h"
#include "runtime/worker/worker.h"

namespace sluice::herder {

class StandaloneHerder : public Herder {
 public:
  struct Options {
    std::string connectors_file;  // empty: nothing persisted
    std::string version;
    std::string commit;
    std::string kafka_cluster_id;
  };

  StandaloneHerder(worker::Worker& worker, config::ConfigProviders providers, Options options);
  ~StandaloneHerder() override;

  // Starts the connectors saved by an earlier run. A connector that cannot start is kept
  // and shows FAILED with the reason.
  Status restore();
  void set_worker_id(std::string id);
  void set_ready();
  // Called from connectors' threads; the main loop's tick() acts on it.
  void request_reconfiguration(const std::string& name);
  void tick();
  void stop();

  ServerInfo server_info() override;
  bool ready() override;
  std::vector<std::string> connectors() override;
  Result<ConnectorInfo> connector_info(const std::string& name) override;
  Result<Config> connector_config(const std::string& name) override;
  Result<PutResult> put_connector_config(const std::string& name, const Config& config,
                                         bool allow_replace, InitialState initial) override;
  Result<ConnectorInfo> patch_connector_config(
      const std::string& name, const std::map<std::string, std::optional<std::string>>& patch) override;
  Status delete_connector(const std::string& name) override;
  Result<ConnectorState> connector_status(const std::string& name) override;
  Result<TaskState> task_status(const std::string& name, int task) override;
  Result<std::vector<TaskConfig>> task_configs(const std::string& name) override;
  Result<std::optional<ConnectorState>> restart_connector(const std::string& name, bool include_tasks,
                                                          bool only_failed) override;
  Status restart_task(const std::string& name, int task) override;
  Status pause_connector(const std::string& name) override;
  Status resume_connector(const std::string& name) override;
  Status stop_connector(const std::string& name) override;
  Result<std::vector<PartitionOffset>> connector_offsets(const std::string& name) override;
  Result<std::string> alter_connector_offsets(const std::string& name,
                                              const std::vector<PartitionOffset>& offsets) override;
  Result<std::string> reset_connector_offsets(const std::string& name) override;
  Result<std::vector<std::string>> connector_topics(const std::string& name) override;
  Status reset_connector_topics(const std::string& name) override;
  std::vector<PluginInfo> plugins(bool connectors_only) override;
  Result<std::vector<api::ConfigKey>> plugin_config(const std::string& plugin) override;
  Result<api::ConfigInfos> validate_connector_config(const std::string& type, const Config& config) override;

 private:
  enum class Target { Started, Paused, Stopped };
  struct Entry {
    Config raw;  // as stored and shown: provider references unresolved
    Target target = Target::Started;
    std::vector<Config> task_configs;  // as generated, references put back (reverse transform)
    std::string failure;               // why the connector could not start, if it could not
    std::map<int, std::string> task_failures;  // tasks that could not start: why (shown FAILED)
  };

  Result<api::ConfigInfos> validate_locked(const Config& resolved);
  Status check_config(const std::string& name, const Config& raw, Config& resolved);
  Status start_locked(const std::string& name, Entry& e);
  Status start_task_locked(const std::string& name, Entry& e, int task, bool paused);
  ConnectorState state_locked(const std::string& name, const Entry& e);
  Status persist_locked();
  Status load_file();
  Entry* find(const std::string& name) { auto it = entries_.find(name); return it == entries_.end() ? nullptr : &it->second; }

  worker::Worker& worker_;
  config::ConfigProviders providers_;
  Options options_;
  std::string worker_id_;
  bool ready_ = false;
  std::mutex mu_;  // serializes control operations
  std::map<std::string, Entry> entries_;
  std::mutex pending_mu_;
  std::set<std::string> pending_reconfigure_;
};

}  // namespace sluice::herder
