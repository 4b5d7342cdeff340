// DistributedHerder: the Herder interface (REST's side). The loop, startup and the group
// callbacks are in distributed_herder_loop.cc.
#include "runtime/herder/distributed_herder.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>

#include "plugins/api/config_def.h"
#include "runtime/common/log.h"
#include "runtime/worker/offset_codec.h"

namespace sluice::herder {

namespace {

constexpr const char* kNoLeader =
    "Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.";
constexpr const char* kStale =
    "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config "
    "change)";
constexpr const char* kStoppedFirst =
    "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the "
    "specified connector by issuing a 'PUT' request to the '/connectors/";
constexpr int kConfigWriteTimeoutMs = 30000;

std::string get(const Config& c, const std::string& k) {
  auto it = c.find(k);
  return it == c.end() ? "" : it->second;
}

Error unknown(const std::string& name) { return Error::with_status(404, "Connector " + name + " not found"); }

}  // namespace

DistributedHerder::DistributedHerder(worker::Worker& worker, storage::KafkaOffsetStore& offsets,
                                     config::ConfigProviders providers, DistributedConfig config, Options options)
    : worker_(worker),
      offsets_(offsets),
      providers_(providers),
      config_(std::move(config)),
      options_(std::move(options)),
      plugins_(worker, providers, StandaloneHerder::Options{}),
      assignor_(config_.scheduled_rebalance_max_delay_ms) {
  // KIP-558: each worker records the topics its tasks produce to in the status topic.
  if (api::config_value::get_bool(worker_.config().raw, "topic.tracking.enable", true))
    worker_.set_topic_listener([this](const std::string& connector, const std::string& topic, int task) {
      record_active_topic(connector, topic, task);
    });
}

DistributedHerder::~DistributedHerder() { stop(); }

void DistributedHerder::set_rest_url(std::string url, std::string worker_id) {
  std::lock_guard lock(mu_);
  options_.worker_url = std::move(url);
  options_.worker_id = std::move(worker_id);
}

ServerInfo DistributedHerder::server_info() {
  std::lock_guard lock(mu_);
  return {options_.version, options_.commit, cluster_id_};
}

bool DistributedHerder::ready() {
  std::lock_guard lock(mu_);
  return ready_;
}

std::string DistributedHerder::fatal_error() const {
  std::lock_guard lock(mu_);
  return fatal_;
}

bool DistributedHerder::is_leader() const {
  std::lock_guard lock(mu_);
  return !member_id_.empty() && member_id_ == leader_id_;
}

int32_t DistributedHerder::generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

storage::ConfigSnapshot DistributedHerder::snapshot() {
  {
    std::lock_guard lock(mu_);
    if (!ready_) return {};
  }
  return configs_->snapshot();
}

std::optional<Error> DistributedHerder::leader_check() {
  std::lock_guard lock(mu_);
  if (ready_ && !member_id_.empty() && member_id_ == leader_id_) return std::nullopt;
  if (leader_url_.empty()) return Error::with_status(409, kNoLeader);
  return Error::with_status(kForwardStatus, leader_url_);
}

std::optional<Error> DistributedHerder::stale_check() {
  std::lock_guard lock(mu_);
  if (!ready_) return Error::with_status(409, kNoLeader);
  if (rebalance_needed_) return Error::with_status(409, kStale);
  return std::nullopt;
}

Status DistributedHerder::write_config(const std::vector<storage::KeyValue>& records) {
  if (auto st = configs_->write(records, kConfigWriteTimeoutMs); !st) return st;
  return sync_config();
}

Status DistributedHerder::check_config(const std::string& name, const Config& raw) {
  Config named = raw;
  named["name"] = name;
  std::string cls = get(named, "connector.class");
  auto infos = plugins_.validate_connector_config(cls, named);
  if (!infos) return infos.error();
  if (infos->error_count == 0) return {};
  std::string msg = "Connector configuration is invalid and contains the following " +
                    std::to_string(infos->error_count) + " error(s):";
  for (auto& c : infos->configs)
    for (auto& e : c.value.errors) msg += "\n" + e;
  msg += "\nYou can also find the above list of errors at the endpoint "
         "`/connector-plugins/{connectorType}/config/validate`";
  return Error::with_status(400, msg);
}

// ---- configs ------------------------------------------------------------------------------

std::vector<std::string> DistributedHerder::connectors() {
  std::vector<std::string> out;
  for (auto& [n, _] : snapshot().connectors) out.push_back(n);
  return out;
}

Result<ConnectorInfo> DistributedHerder::connector_info(const std::string& name) {
  if (auto e = stale_check()) return *e;
  auto snap = snapshot();
  auto it = snap.connectors.find(name);
  if (it == snap.connectors.end()) return unknown(name);
  ConnectorInfo info{name, it->second, {}, "source"};
  if (!worker_.registry().find(SLUICE_SOURCE_CONNECTOR, get(it->second, "connector.class"))) info.type = "unknown";
  for (int i = 0; i < snap.task_count(name); ++i) info.tasks.push_back({name, i});
  return info;
}

Result<Config> DistributedHerder::connector_config(const std::string& name) {
  if (auto e = stale_check()) return *e;
  auto snap = snapshot();
  auto it = snap.connectors.find(name);
  if (it == snap.connectors.end()) return unknown(name);
  return it->second;
}

Result<std::vector<TaskConfig>> DistributedHerder::task_configs(const std::string& name) {
  if (auto e = stale_check()) return *e;
  auto snap = snapshot();
  if (!snap.connectors.count(name)) return unknown(name);
  std::vector<TaskConfig> out;
  for (int i = 0; i < snap.task_count(name); ++i) out.push_back({{name, i}, snap.tasks.at(name)[static_cast<size_t>(i)]});
  return out;
}

Result<PutResult> DistributedHerder::put_connector_config(const std::string& name, const Config& config,
                                                          bool allow_replace, InitialState initial) {
  if (auto e = leader_check()) return *e;
  if (auto st = sync_config(); !st) return st.error();
  auto snap = snapshot();
  bool exists = snap.connectors.count(name) > 0;
  if (exists && !allow_replace) return Error::with_status(409, "Connector " + name + " already exists");
  Config raw = config;
  raw["name"] = name;
  if (auto st = check_config(name, raw); !st) return st.error();
  std::vector<storage::KeyValue> records;
  if (!exists && initial != InitialState::Running)
    records.push_back({storage::target_state_key(name),
                       storage::encode_target_state(initial == InitialState::Paused ? storage::TargetState::Paused
                                                                                    : storage::TargetState::Stopped)});
  records.push_back({storage::connector_key(name), storage::encode_properties(raw)});
  if (auto st = write_config(records); !st) return st.error();
  log::info(name, exists ? "connector config updated" : "connector created");
  snap = snapshot();
  PutResult out;
  out.created = !exists;
  out.info = ConnectorInfo{name, raw, {}, "source"};
  for (int i = 0; i < snap.task_count(name); ++i) out.info.tasks.push_back({name, i});
  return out;
}

Result<ConnectorInfo> DistributedHerder::patch_connector_config(
    const std::string& name, const std::map<std::string, std::optional<std::string>>& patch) {
  if (auto e = leader_check()) return *e;
  auto snap = snapshot();
  auto it = snap.connectors.find(name);
  if (it == snap.connectors.end()) return unknown(name);
  Config merged = it->second;
  for (auto& [k, v] : patch) {
    if (v) merged[k] = *v;
    else merged.erase(k);
  }
  auto r = put_connector_config(name, merged, true, InitialState::Running);
  if (!r) return r.error();
  return r->info;
}

Status DistributedHerder::delete_connector(const std::string& name) {
  if (auto e = leader_check()) return *e;
  if (auto st = sync_config(); !st) return st;
  if (!snapshot().connectors.count(name)) return unknown(name);
  log::info(name, "deleting connector");
  return write_config({{storage::connector_key(name), std::nullopt}, {storage::target_state_key(name), std::nullopt}});
}

// ---- task configs -------------------------------------------------------------------------

Status DistributedHerder::publish_task_configs(const std::string& name, const std::vector<Config>& configs) {
  if (auto st = sync_config(); !st) return st;
  auto snap = snapshot();
  if (!snap.connectors.count(name)) return unknown(name);
  auto it = snap.tasks.find(name);
  if (it != snap.tasks.end() && !snap.inconsistent.count(name) && it->second == configs) return {};
  std::vector<storage::KeyValue> records;
  for (size_t i = 0; i < configs.size(); ++i)
    records.push_back({storage::task_key(name, static_cast<int>(i)), storage::encode_properties(configs[i])});
  records.push_back({storage::commit_key(name), storage::encode_commit(static_cast<int>(configs.size()))});
  log::info(name, "publishing ", configs.size(), " task configs");
  return write_config(records);
}

Status DistributedHerder::put_task_configs(const std::string& name, const std::vector<Config>& configs,
                                           const InternalRequest& request) {
  if (auto e = check_signature(request)) return *e;
  if (auto e = leader_check()) return *e;
  return publish_task_configs(name, configs);
}

// ---- states -------------------------------------------------------------------------------

ConnectorState DistributedHerder::state_of(const std::string& name, const storage::ConfigSnapshot& snap) {
  auto cache = statuses_->cache();
  ConnectorState s;
  s.name = name;
  if (auto c = cache.connector(name)) {
    s.state = c->state;
    s.worker_id = c->worker_id;
    s.trace = c->trace.value_or("");
  }
  int count = snap.task_count(name);
  for (auto& [id, v] : cache.tasks(name))
    if (id < count || !snap.connectors.count(name)) s.tasks.push_back({id, v.state, v.worker_id, v.trace.value_or("")});
  return s;
}

Result<ConnectorState> DistributedHerder::connector_status(const std::string& name) {
  if (!ready() || !statuses_->cache().connector(name))
    return Error::with_status(404, "No status found for connector " + name);
  return state_of(name, snapshot());
}

Result<TaskState> DistributedHerder::task_status(const std::string& name, int task) {
  if (ready())
    if (auto t = statuses_->cache().task(name, task)) return TaskState{task, t->state, t->worker_id, t->trace.value_or("")};
  return Error::with_status(404, "No status found for task " + name + "-" + std::to_string(task));
}

// ---- restarts, pause, resume, stop --------------------------------------------------------

std::string DistributedHerder::owner_url(const WorkItem& item) {
  std::lock_guard lock(mu_);
  for (auto& [member, set] : member_sets_)
    if (set.count(item)) {
      auto u = member_urls_.find(member);
      if (u != member_urls_.end()) return u->second;
    }
  return {};
}

Result<std::optional<ConnectorState>> DistributedHerder::restart_connector(const std::string& name,
                                                                           bool include_tasks, bool only_failed) {
  if (auto e = stale_check()) return *e;
  auto snap = snapshot();
  if (!include_tasks && !only_failed) {
    if (!snap.connectors.count(name)) return Error::with_status(404, "Unknown connector: " + name);
    {
      std::lock_guard work(work_mu_);
      if (running_.count({name, -1})) {
        log::info(name, "restarting connector");
        worker_.stop_connector(name);
        for (auto it = running_.begin(); it != running_.end();)
          it = it->connector == name ? running_.erase(it) : std::next(it);
        start_failures_.erase(storage::connector_status_key(name));
        std::lock_guard lock(mu_);
        kick_locked();
        return std::optional<ConnectorState>{};
      }
    }
    if (auto e = leader_check()) return *e;
    std::string url = owner_url({name, -1});
    if (url.empty()) return Error::with_status(409, kStale);
    return Error::with_status(kForwardStatus, url);
  }
  if (auto e = leader_check()) return *e;
  if (!snap.connectors.count(name)) return Error::with_status(404, "Unknown connector: " + name);
  ConnectorState plan = state_of(name, snap);
  if (!only_failed || plan.state == "FAILED") plan.state = "RESTARTING";
  if (include_tasks)
    for (auto& t : plan.tasks)
      if (!only_failed || t.state == "FAILED") {
        t.state = "RESTARTING";
        t.trace.clear();
      }
  storage::RestartRequest req{include_tasks, only_failed};
  if (auto st = write_config({{storage::restart_key(name), storage::encode_restart(req)}}); !st) return st.error();
  return std::optional<ConnectorState>(plan);
}

Status DistributedHerder::restart_task(const std::string& name, int task) {
  if (auto e = stale_check()) return *e;
  auto snap = snapshot();
  if (!snap.connectors.count(name)) return Error::with_status(404, "Unknown connector: " + name);
  if (task < 0 || task >= snap.task_count(name))
    return Error::with_status(404, "Unknown task: " + name + "-" + std::to_string(task));
  {
    std::lock_guard work(work_mu_);
    if (running_.count({name, task})) {
      log::info(name, "restarting task ", task);
      worker_.stop_task({name, task});
      running_.erase({name, task});
      std::lock_guard lock(mu_);
      kick_locked();
      return {};
    }
  }
  if (auto e = leader_check()) return *e;
  std::string url = owner_url({name, task});
  if (url.empty()) return Error::with_status(409, kStale);
  return Error::with_status(kForwardStatus, url);
}

Status DistributedHerder::pause_connector(const std::string& name) {
  if (!snapshot().connectors.count(name)) return Error::with_status(404, "Unknown connector " + name);
  return configs_->write({{storage::target_state_key(name), storage::encode_target_state(storage::TargetState::Paused)}},
                         kConfigWriteTimeoutMs);
}

Status DistributedHerder::resume_connector(const std::string& name) {
  if (!snapshot().connectors.count(name)) return Error::with_status(404, "Unknown connector " + name);
  return configs_->write({{storage::target_state_key(name), storage::encode_target_state(storage::TargetState::Started)}},
                         kConfigWriteTimeoutMs);
}

Status DistributedHerder::stop_connector(const std::string& name) {
  if (auto e = leader_check()) return *e;
  if (auto st = sync_config(); !st) return st;
  if (!snapshot().connectors.count(name)) return Error::with_status(404, "Unknown connector " + name);
  // As Connect: an empty task list first, then the target state.
  if (auto st = publish_task_configs(name, {}); !st) return st;
  return write_config({{storage::target_state_key(name), storage::encode_target_state(storage::TargetState::Stopped)}});
}

// ---- offsets and topics -------------------------------------------------------------------

Result<std::vector<PartitionOffset>> DistributedHerder::connector_offsets(const std::string& name) {
  if (!snapshot().connectors.count(name)) return unknown(name);
  if (auto st = offsets_.refresh(); !st) return st.error();
  std::vector<PartitionOffset> out;
  for (auto& entry : offsets_.all()) {
    if (!entry.value) continue;
    auto key = worker::decode_partition_key(entry.key);
    if (!key || key->connector != name) continue;
    out.push_back({worker::encode_offset(key->partition), entry.value});
  }
  return out;
}

Result<std::string> DistributedHerder::alter_connector_offsets(const std::string& name,
                                                               const std::vector<PartitionOffset>& offsets) {
  if (auto e = stale_check()) return *e;
  if (auto e = leader_check()) return *e;
  auto snap = snapshot();
  if (!snap.connectors.count(name)) return unknown(name);
  if (snap.target(name) != storage::TargetState::Stopped)
    return Error::with_status(400, std::string(kStoppedFirst) + name + "/stop' endpoint");
  if (offsets.empty())
    return Error::with_status(400, "Partitions / offsets need to be provided for an alter offsets request");
  std::vector<storage::OffsetEntry> writes;
  for (auto& po : offsets) {
    if (po.partition_json.empty()) return Error::with_status(400, "Partition objects cannot be null");
    auto partition = worker::decode_offset(po.partition_json);
    if (!partition)
      return Error::with_status(400, "Partitions must be JSON objects of primitive values: " + po.partition_json);
    std::optional<std::string> value;
    if (po.offset_json) {
      auto offset = worker::decode_offset(*po.offset_json);
      if (!offset)
        return Error::with_status(400, "Offsets must be JSON objects of primitive values, or null: " + *po.offset_json);
      value = worker::encode_offset(*offset);
    }
    writes.push_back({worker::encode_partition_key(name, *partition), value});
  }
  if (auto st = offsets_.set(writes); !st) return st.error();
  return std::string(
      "The Connect framework-managed offsets for this connector have been altered successfully. However, if this "
      "connector manages offsets externally, they will need to be manually altered in the system that the "
      "connector uses.");
}

Result<std::string> DistributedHerder::reset_connector_offsets(const std::string& name) {
  if (auto e = stale_check()) return *e;
  if (auto e = leader_check()) return *e;
  auto snap = snapshot();
  if (!snap.connectors.count(name)) return unknown(name);
  if (snap.target(name) != storage::TargetState::Stopped)
    return Error::with_status(400, std::string(kStoppedFirst) + name + "/stop' endpoint");
  if (auto st = offsets_.refresh(); !st) return st.error();
  std::vector<storage::OffsetEntry> writes;
  for (auto& entry : offsets_.all()) {
    auto key = worker::decode_partition_key(entry.key);
    if (key && key->connector == name && entry.value) writes.push_back({entry.key, std::nullopt});
  }
  if (auto st = offsets_.set(writes); !st) return st.error();
  return std::string(
      "The Connect framework-managed offsets for this connector have been reset successfully. However, if this "
      "connector manages offsets externally, they will need to be manually reset in the system that the "
      "connector uses.");
}

// ---- active topics (KIP-558) ----------------------------------------------------------------

void DistributedHerder::record_active_topic(const std::string& connector, const std::string& topic, int task) {
  if (!statuses_) return;  // tasks start only after the stores are open
  auto cache = statuses_->cache();
  auto known = cache.topics();
  if (auto it = known.find(connector); it != known.end() && it->second.count(topic)) return;
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch()).count();
  auto value = storage::encode_topic_status({topic, connector, task, now});
  if (auto st = statuses_->write({{storage::topic_status_key(topic, connector), value}}, 10000); !st)
    log::warn("herder", "cannot record topic ", topic, " of connector ", connector, ": ", st.error().message);
}

// Answered from the status topic (read to its end), so every worker gives the same answer.
Result<std::vector<std::string>> DistributedHerder::connector_topics(const std::string& name) {
  if (!ready() || !statuses_) return worker_.topics(name);
  if (auto st = statuses_->refresh(); !st) return st.error();
  std::vector<std::string> out;
  auto all = statuses_->cache().topics();
  if (auto it = all.find(name); it != all.end())
    for (auto& [topic, _] : it->second) out.push_back(topic);
  return out;
}

// Any worker may reset (as Java): tombstones for the connector's status-topic-* keys.
Status DistributedHerder::reset_connector_topics(const std::string& name) {
  worker_.reset_topics(name);
  if (!ready() || !statuses_) return {};
  if (auto st = statuses_->refresh(); !st) return st;
  std::vector<storage::KeyValue> writes;
  auto all = statuses_->cache().topics();
  if (auto it = all.find(name); it != all.end())
    for (auto& [topic, _] : it->second) writes.push_back({storage::topic_status_key(topic, name), std::nullopt});
  if (writes.empty()) return {};
  if (auto st = statuses_->write(writes, 10000); !st) return st;
  return statuses_->refresh();
}

// ---- plugins ------------------------------------------------------------------------------

std::vector<PluginInfo> DistributedHerder::plugins(bool connectors_only) { return plugins_.plugins(connectors_only); }

Result<std::vector<api::ConfigKey>> DistributedHerder::plugin_config(const std::string& plugin) {
  return plugins_.plugin_config(plugin);
}

Result<api::ConfigInfos> DistributedHerder::validate_connector_config(const std::string& type, const Config& config) {
  return plugins_.validate_connector_config(type, config);
}

}  // namespace sluice::herder
