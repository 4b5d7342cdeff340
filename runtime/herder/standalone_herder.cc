#include "runtime/herder/standalone_herder.h"

#include "runtime/common/log.h"

namespace sluice::herder {

StandaloneHerder::StandaloneHerder(worker::Worker& worker, config::ConfigProviders providers)
    : worker_(worker), providers_(std::move(providers)) {}

Status StandaloneHerder::put_connector_config(const std::string& name, const api::Config& raw) {
  auto resolved = providers_.resolve(raw);
  if (!resolved) return resolved.error();
  if (auto st = worker_.validate_connector(name, *resolved); !st) return st;
  {
    std::lock_guard lock(mu_);
    bool existed = configs_.count(name) > 0;
    configs_[name] = raw;
    if (existed) log::info(name, "connector config updated: restarting it");
  }
  worker_.stop_connector(name);
  if (auto st = worker_.start_connector(name, *resolved); !st) return st;
  return start_tasks(name, *resolved);
}

Status StandaloneHerder::start_tasks(const std::string& name, const api::Config& resolved) {
  auto task_configs = worker_.task_configs(name);
  if (!task_configs) return task_configs.error();
  for (size_t i = 0; i < task_configs->size(); ++i) {
    worker::TaskId id{name, static_cast<int>(i)};
    api::Config tc = (*task_configs)[i];
    if (auto st = worker_.start_task(id, resolved, tc); !st) {
      log::error(id.str(), "cannot start task: ", st.error().message);
      return st;
    }
  }
  return {};
}

Status StandaloneHerder::delete_connector(const std::string& name) {
  {
    std::lock_guard lock(mu_);
    if (!configs_.erase(name)) return Error::fatal("Connector " + name + " not found");
  }
  worker_.stop_connector(name);
  return {};
}

std::vector<std::string> StandaloneHerder::connectors() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (auto& [n, _] : configs_) out.push_back(n);
  return out;
}

ConnectorStatus StandaloneHerder::status(const std::string& name) const {
  ConnectorStatus s;
  s.name = name;
  s.connector = worker_.connector_status(name);
  for (auto& [id, st] : worker_.task_statuses(name)) s.tasks.push_back({id, st});
  return s;
}

void StandaloneHerder::request_reconfiguration(const std::string& name) {
  std::lock_guard lock(mu_);
  pending_reconfigure_.insert(name);
}

void StandaloneHerder::tick() {
  std::set<std::string> pending;
  std::map<std::string, api::Config> configs;
  {
    std::lock_guard lock(mu_);
    pending.swap(pending_reconfigure_);
    configs = configs_;
  }
  for (auto& name : pending) {
    auto it = configs.find(name);
    if (it == configs.end()) continue;
    auto resolved = providers_.resolve(it->second);
    if (!resolved) {
      log::error(name, "cannot resolve config: ", resolved.error().message);
      continue;
    }
    log::info(name, "reconfiguring tasks at the connector's request");
    worker_.stop_tasks(name);
    if (auto st = start_tasks(name, *resolved); !st)
      log::error(name, "task reconfiguration failed: ", st.error().message);
  }
}

void StandaloneHerder::stop() { worker_.stop_all(); }

}  // namespace sluice::herder
