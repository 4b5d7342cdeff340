#pragma once
// Standalone mode, as connect-standalone: connector configs live in this process (from the
// command line, later from REST), offsets in the offsets file.

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "runtime/config/config_providers.h"
#include "runtime/worker/worker.h"

namespace sluice::herder {

struct TaskStatus {
  int id = 0;
  worker::StatusSnapshot status;
};

struct ConnectorStatus {
  std::string name;
  worker::StatusSnapshot connector;
  std::vector<TaskStatus> tasks;
};

class StandaloneHerder {
 public:
  StandaloneHerder(worker::Worker& worker, config::ConfigProviders providers);

  // Validates, (re)starts the connector and its tasks. `raw` keeps provider references;
  // they are resolved for the connector only.
  Status put_connector_config(const std::string& name, const api::Config& raw);
  Status delete_connector(const std::string& name);
  std::vector<std::string> connectors() const;
  ConnectorStatus status(const std::string& name) const;

  // Called from connectors' threads.
  void request_reconfiguration(const std::string& name);
  // Runs pending reconfigurations; the app calls it from its main loop.
  void tick();
  void stop();

 private:
  Status start_tasks(const std::string& name, const api::Config& resolved);

  worker::Worker& worker_;
  config::ConfigProviders providers_;
  mutable std::mutex mu_;
  std::map<std::string, api::Config> configs_;  // raw, as stored and shown
  std::set<std::string> pending_reconfigure_;
};

}  // namespace sluice::herder
