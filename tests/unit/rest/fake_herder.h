#pragma once
// An in-memory Herder that answers like Connect's (same statuses and messages), for the REST
// tests and the REST fuzz target. Thread-safe. Knobs: ready, a delay in server_info() (a slow
// herder call), a hang in ready() (an unresponsive herder loop).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "runtime/herder/herder.h"

namespace sluice::rest::test {

class FakeHerder : public herder::Herder {
 public:
  struct Connector {
    herder::Config config;
    std::string state = "RUNNING";  // RUNNING, PAUSED, STOPPED, FAILED
    int tasks = 1;
    std::string type = "source";
    std::vector<herder::PartitionOffset> offsets;
    std::vector<std::string> topics;
    std::set<int> failed_tasks;
    bool has_status = true;
  };

  std::atomic<bool> is_ready{true};
  std::atomic<int> server_info_delay_ms{0};
  std::atomic<int> server_info_calls{0};
  std::atomic<bool> hang_ready{false};
  std::string worker = "127.0.0.1:8083";

  FakeHerder() {
    plugins_ = {{"org.example.FileSourceConnector", "source", "1.0"},
                {"org.example.FileSinkConnector", "sink", "undefined"},
                {"org.apache.kafka.connect.json.JsonConverter", "converter", "3.7.0"},
                {"org.apache.kafka.connect.transforms.RegexRouter", "transformation", "3.7.0"}};
  }
  ~FakeHerder() override {
    release_ready();
    while (in_ready_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  // ---- test helpers ----
  void add(const std::string& name, Connector c) {
    std::lock_guard lock(mu_);
    c.config["name"] = name;
    if (!c.config.count("connector.class")) c.config["connector.class"] = "org.example.FileSourceConnector";
    connectors_[name] = std::move(c);
  }
  Connector get(const std::string& name) {
    std::lock_guard lock(mu_);
    return connectors_.at(name);
  }
  bool has(const std::string& name) {
    std::lock_guard lock(mu_);
    return connectors_.count(name) > 0;
  }
  std::map<std::string, std::optional<std::string>> last_patch() {
    std::lock_guard lock(mu_);
    return last_patch_;
  }
  std::optional<herder::InitialState> last_initial_state() {
    std::lock_guard lock(mu_);
    return last_initial_;
  }
  std::vector<herder::PartitionOffset> last_altered() {
    std::lock_guard lock(mu_);
    return last_altered_;
  }
  std::string last_restart() {
    std::lock_guard lock(mu_);
    return last_restart_;
  }
  herder::Config last_validated() {
    std::lock_guard lock(mu_);
    return last_validated_;
  }
  void release_ready() {
    std::lock_guard lock(mu_);
    hang_ready = false;
    cv_.notify_all();
  }

  // ---- Herder ----
  herder::ServerInfo server_info() override {
    ++server_info_calls;
    if (int d = server_info_delay_ms.load()) std::this_thread::sleep_for(std::chrono::milliseconds(d));
    return {"3.7.0", "2ae524ed625438c5", "I4ZmrWqfT2e-upky_4fdPA"};
  }

  bool ready() override {
    ++in_ready_;
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !hang_ready.load(); });
    bool r = is_ready;
    lock.unlock();
    --in_ready_;
    return r;
  }

  std::vector<std::string> connectors() override {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (auto& [n, c] : connectors_) out.push_back(n);
    return out;
  }

  Result<herder::ConnectorInfo> connector_info(const std::string& name) override {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(name);
    if (it == connectors_.end()) return not_found(name);
    return info(name, it->second);
  }

  Result<herder::Config> connector_config(const std::string& name) override {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(name);
    if (it == connectors_.end()) return not_found(name);
    return it->second.config;
  }

  Result<herder::PutResult> put_connector_config(const std::string& name, const herder::Config& config,
                                                 bool allow_replace, herder::InitialState initial) override {
    std::lock_guard lock(mu_);
    last_initial_ = initial;
    return put_locked(name, config, allow_replace, initial);
  }

  Result<herder::ConnectorInfo> patch_connector_config(
      const std::string& name, const std::map<std::string, std::optional<std::string>>& patch) override {
    std::lock_guard lock(mu_);
    last_patch_ = patch;
    auto it = connectors_.find(name);
    if (it == connectors_.end()) return not_found(name);
    herder::Config merged = it->second.config;
    for (auto& [k, v] : patch) {
      if (v) merged[k] = *v;
      else merged.erase(k);
    }
    auto r = put_locked(name, merged, true, herder::InitialState::Running);
    if (!r) return r.error();
    return r->info;
  }

  Status delete_connector(const std::string& name) override {
    std::lock_guard lock(mu_);
    if (!connectors_.erase(name)) return not_found(name);
    return {};
  }

  Result<herder::ConnectorState> connector_status(const std::string& name) override {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(name);
    if (it == connectors_.end() || !it->second.has_status)
      return Error::with_status(404, "No status found for connector " + name);
    return state(name, it->second, false);
  }

  Result<herder::TaskState> task_status(const std::string& name, int task) override {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(name);
    if (it == connectors_.end() || task < 0 || task >= tasks_of(it->second))
      return Error::with_status(404, "No status found for task " + name + "-" + std::to_string(task));
    return task_state(it->second, task);
  }

  Result<std::vector<herder::TaskConfig>> task_configs(const std::string& name) override {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(name);
    if (it == connectors_.end()) return not_found(name);
    std::vector<herder::TaskConfig> out;
    for (int t = 0; t < tasks_of(it->second); ++t) {
      herder::TaskConfig tc{{name, t}, it->second.config};
      tc.config["task.index"] = std::to_string(t);
      out.push_back(std::move(tc));
    }
    return out;
  }

  Result<std::optional<herder::ConnectorState>> restart_connector(const std::string& name, bool include_tasks,
                                                                  bool only_failed) override {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(name);
    if (it == connectors_.end()) return Error::with_status(404, "Unknown connector: " + name);
    last_restart_ = name + (include_tasks ? " includeTasks" : "") + (only_failed ? " onlyFailed" : "");
    if (!include_tasks && !only_failed) return std::optional<herder::ConnectorState>();
    herder::ConnectorState s = state(name, it->second, false);
    bool connector_failed = it->second.state == "FAILED";
    if (!only_failed || connector_failed) s.state = "RESTARTING";
    if (include_tasks)
      for (auto& t : s.tasks)
        if (!only_failed || t.state == "FAILED") t.state = "RESTARTING";
    return std::optional<herder::ConnectorState>(std::move(s));
  }

  Status restart_task(const std::string& name, int task) override {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(name);
    if (it == connectors_.end()) return Error::with_status(404, "Unknown connector: " + name);
    if (task < 0 || task >= tasks_of(it->second))
      return Error::with_status(404, "Unknown task: " + name + "-" + std::to_string(task));
    last_restart_ = name + "-" + std::to_string(task);
    return {};
  }

  Status pause_connector(const std::string& name) override { return set_state(name, "PAUSED"); }
  Status resume_connector(const std::string& name) override { return set_state(name, "RUNNING"); }
  Status stop_connector(const std::string& name) override { return set_state(name, "STOPPED"); }

  Result<std::vector<herder::PartitionOffset>> connector_offsets(const std::string& name) override {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(name);
    if (it == connectors_.end()) return not_found(name);
    return it->second.offsets;
  }

  Result<std::string> alter_connector_offsets(const std::string& name,
                                              const std::vector<herder::PartitionOffset>& offsets) override {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(name);
    if (it == connectors_.end()) return not_found(name);
    if (it->second.state != "STOPPED") return not_stopped(name);
    for (auto& o : offsets)
      if (o.partition_json.empty()) return Error::with_status(400, "Partition objects cannot be null");
    last_altered_ = offsets;
    for (auto& o : offsets) {
      auto& list = it->second.offsets;
      auto pos = std::find_if(list.begin(), list.end(),
                              [&](const herder::PartitionOffset& x) { return x.partition_json == o.partition_json; });
      if (pos != list.end()) list.erase(pos);
      if (o.offset_json) list.push_back(o);
    }
    return std::string(
        "The Connect framework-managed offsets for this connector have been altered successfully. However, if "
        "this connector manages offsets externally, they will need to be manually altered in the system that "
        "the connector uses.");
  }

  Result<std::string> reset_connector_offsets(const std::string& name) override {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(name);
    if (it == connectors_.end()) return not_found(name);
    if (it->second.state != "STOPPED") return not_stopped(name);
    it->second.offsets.clear();
    return std::string(
        "The Connect framework-managed offsets for this connector have been reset successfully. However, if "
        "this connector manages offsets externally, they will need to be manually reset in the system that "
        "the connector uses.");
  }

  Result<std::vector<std::string>> connector_topics(const std::string& name) override {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(name);
    if (it == connectors_.end()) return std::vector<std::string>{};
    return it->second.topics;
  }

  Status reset_connector_topics(const std::string& name) override {
    std::lock_guard lock(mu_);
    if (auto it = connectors_.find(name); it != connectors_.end()) it->second.topics.clear();
    return {};
  }

  std::vector<herder::PluginInfo> plugins(bool connectors_only) override {
    std::vector<herder::PluginInfo> out;
    for (auto& p : plugins_)
      if (!connectors_only || p.type == "source" || p.type == "sink") out.push_back(p);
    return out;
  }

  Result<std::vector<api::ConfigKey>> plugin_config(const std::string& plugin) override {
    if (!find_plugin(plugin)) return Error::with_status(404, "Unknown plugin " + plugin + ".");
    return config_def().keys();
  }

  Result<api::ConfigInfos> validate_connector_config(const std::string& type,
                                                     const herder::Config& config) override {
    {
      std::lock_guard lock(mu_);
      last_validated_ = config;
    }
    auto cls = config.find("connector.class");
    if (cls == config.end() || !find_plugin(cls->second))
      return Error::with_status(0, "Failed to find any class that implements Connector and which name matches " +
                                       (cls == config.end() ? std::string() : cls->second));
    (void)type;
    return config_def().validate(cls->second, config);
  }

 private:
  static Error not_found(const std::string& name) {
    return Error::with_status(404, "Connector " + name + " not found");
  }
  static Error not_stopped(const std::string& name) {
    return Error::with_status(400,
                              "Connectors must be in the STOPPED state before their offsets can be modified. "
                              "This can be done for the specified connector by issuing a 'PUT' request to the "
                              "'/connectors/" + name + "/stop' endpoint");
  }

  static api::ConfigDef config_def() {
    api::ConfigDef def;
    api::ConfigKey file;
    file.name = "file";
    file.type = api::ConfigType::String;
    file.importance = api::Importance::High;
    file.documentation = "Source filename.";
    file.group = "File";
    file.order_in_group = 1;
    file.width = api::Width::Long;
    file.display_name = "File";
    def.define(file);
    api::ConfigKey password;
    password.name = "password";
    password.type = api::ConfigType::Password;
    password.default_value = "";
    password.importance = api::Importance::Medium;
    password.documentation = "A secret.";
    def.define(password);
    def.define("tasks.max", api::ConfigType::Int, std::string("1"), api::Importance::High,
               "Maximum number of tasks to use for this connector.", api::validators::at_least(1));
    return def;
  }

  const herder::PluginInfo* find_plugin(const std::string& name) const {
    for (auto& p : plugins_) {
      std::string simple = p.class_name.substr(p.class_name.rfind('.') + 1);
      std::string alias = simple.size() > 9 && simple.compare(simple.size() - 9, 9, "Connector") == 0
                              ? simple.substr(0, simple.size() - 9)
                              : simple;
      if (name == p.class_name || name == simple || name == alias) return &p;
    }
    return nullptr;
  }

  static int tasks_of(const Connector& c) { return c.state == "STOPPED" ? 0 : c.tasks; }

  herder::ConnectorInfo info(const std::string& name, const Connector& c) const {
    herder::ConnectorInfo i;
    i.name = name;
    i.config = c.config;
    for (int t = 0; t < tasks_of(c); ++t) i.tasks.push_back({name, t});
    i.type = c.type;
    return i;
  }

  herder::TaskState task_state(const Connector& c, int t) const {
    herder::TaskState ts;
    ts.id = t;
    bool failed = c.failed_tasks.count(t) > 0;
    ts.state = failed ? "FAILED" : c.state;
    ts.worker_id = worker;
    if (failed) ts.trace = "org.apache.kafka.connect.errors.ConnectException: boom\n\tat Task.poll";
    return ts;
  }

  herder::ConnectorState state(const std::string& name, const Connector& c, bool) const {
    herder::ConnectorState s;
    s.name = name;
    s.state = c.state;
    s.worker_id = worker;
    if (c.state == "FAILED") s.trace = "connector failed";
    for (int t = tasks_of(c) - 1; t >= 0; --t) s.tasks.push_back(task_state(c, t));  // unsorted on purpose
    s.type = c.type;
    return s;
  }

  Result<herder::PutResult> put_locked(const std::string& name, const herder::Config& config, bool allow_replace,
                                       herder::InitialState initial) {
    auto it = connectors_.find(name);
    if (it != connectors_.end() && !allow_replace)
      return Error::with_status(409, "Connector " + name + " already exists");
    if (name.empty())
      return Error::with_status(400,
                                "Connector configuration is invalid and contains the following 1 error(s):\n"
                                "Invalid value  for configuration name: String must be non-empty\n"
                                "You can also find the above list of errors at the endpoint "
                                "`/connector-plugins/{connectorType}/config/validate`");
    auto cls = config.find("connector.class");
    const herder::PluginInfo* plugin = cls == config.end() ? nullptr : find_plugin(cls->second);
    if (!plugin)
      return Error::fatal("Failed to find any class that implements Connector and which name matches " +
                          (cls == config.end() ? std::string() : cls->second));
    Connector c;
    bool created = it == connectors_.end();
    if (!created) c = it->second;
    c.config = config;
    c.type = plugin->type;
    auto tm = config.find("tasks.max");
    c.tasks = tm == config.end() ? 1 : std::max(0, std::atoi(tm->second.c_str()));
    if (created) {
      c.state = initial == herder::InitialState::Paused    ? "PAUSED"
                : initial == herder::InitialState::Stopped ? "STOPPED"
                                                           : "RUNNING";
    }
    connectors_[name] = c;
    return herder::PutResult{created, info(name, c)};
  }

  Status set_state(const std::string& name, const char* state) {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(name);
    if (it == connectors_.end()) return Error::with_status(404, "Unknown connector " + name);
    it->second.state = state;
    return {};
  }

  std::atomic<int> in_ready_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Connector> connectors_;
  std::vector<herder::PluginInfo> plugins_;
  std::map<std::string, std::optional<std::string>> last_patch_;
  std::optional<herder::InitialState> last_initial_;
  std::vector<herder::PartitionOffset> last_altered_;
  std::string last_restart_;
  herder::Config last_validated_;
};

}  // namespace sluice::rest::test
