#include "runtime/herder/standalone_herder.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <optional>

#include "runtime/common/log.h"
#include "runtime/herder/connectors_file.h"
#include "runtime/worker/connector_config.h"
#include "runtime/worker/offset_codec.h"
#include "runtime/worker/transform_chain.h"

namespace sluice::herder {

namespace {

constexpr const char* kStoppedFirst =
    "Connectors must be in the STOPPED state before their offsets can be modified. This can be "
    "done for the specified connector by issuing a 'PUT' request to the '/connectors/";

std::string get(const Config& c, const std::string& k) {
  auto it = c.find(k);
  return it == c.end() ? "" : it->second;
}

// Java's Map.toString, as Connect's "contains no connector type" message shows a config.
std::string java_map_string(const Config& c) {
  std::string out = "{";
  for (auto& [k, v] : c) out += (out.size() > 1 ? ", " : "") + k + "=" + v;
  return out + "}";
}

const char* state_string(worker::State s) { return worker::state_name(s); }

// Connect's OffsetUtils.validateFormat (a DataException: 500) for a partition or offset whose
// field holds an object or an array.
std::optional<std::string> non_primitive_field(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) return std::nullopt;
  for (auto it = d.MemberBegin(); it != d.MemberEnd(); ++it)
    if (it->value.IsObject() || it->value.IsArray())
      return "Offsets may only contain primitive types as values, but field " +
             std::string(it->name.GetString(), it->name.GetStringLength()) + " contains " +
             (it->value.IsObject() ? "MAP" : "ARRAY");
  return std::nullopt;
}

// Connect's reverse transform: task config values that came from a provider reference in
// the connector config get the reference back, so stored and shown configs hold no secrets.
Config reverse_transform(const Config& raw, Config task) {
  for (auto& [k, v] : raw)
    if (v.find("${") != std::string::npos)
      if (auto it = task.find(k); it != task.end()) it->second = v;
  return task;
}

std::string plugin_type(uint32_t kind) {
  switch (kind) {
    case SLUICE_SOURCE_CONNECTOR: return "source";
    case SLUICE_CONVERTER: return "converter";
    case SLUICE_HEADER_CONVERTER: return "header_converter";
    case SLUICE_TRANSFORMATION: return "transformation";
    case SLUICE_PREDICATE: return "predicate";
  }
  return "unknown";
}

std::string strip_connector_suffix(std::string s) {
  auto dot = s.rfind('.');
  if (dot != std::string::npos) s = s.substr(dot + 1);
  if (s.size() > 9 && s.ends_with("Connector")) s.resize(s.size() - 9);
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

StandaloneHerder::StandaloneHerder(worker::Worker& worker, config::ConfigProviders providers,
                                   Options options)
    : worker_(worker), providers_(std::move(providers)), options_(std::move(options)) {}

StandaloneHerder::~StandaloneHerder() = default;

void StandaloneHerder::set_worker_id(std::string id) {
  std::lock_guard lock(mu_);
  worker_id_ = std::move(id);
}

void StandaloneHerder::set_ready() {
  std::lock_guard lock(mu_);
  ready_ = true;
}

bool StandaloneHerder::ready() {
  std::lock_guard lock(mu_);
  return ready_;
}

ServerInfo StandaloneHerder::server_info() {
  return {options_.version, options_.commit, options_.kafka_cluster_id};
}

// ---- configs ------------------------------------------------------------------------------

// Connect's Plugins.connectorClass message for a class no plugin provides (Java lists each
// plugin's PluginDesc; Sluice lists the class names).
static std::optional<Error> unknown_connector_class(const plugin_host::Registry& registry,
                                                    const std::string& cls) {
  if (registry.find(SLUICE_SOURCE_CONNECTOR, cls)) return std::nullopt;
  std::string avail;
  for (auto& c : registry.components()) {
    if (c.kind != SLUICE_SOURCE_CONNECTOR) continue;
    if (c.class_name == cls || std::find(c.aliases.begin(), c.aliases.end(), cls) != c.aliases.end())
      return std::nullopt;  // an ambiguous alias: the registry's own message says so
    avail += (avail.empty() ? "" : ", ") + c.class_name;
  }
  return Error::fatal("Failed to find any class that implements Connector and which name matches " + cls +
                      ", available connectors are: " + avail);
}

Result<api::ConfigInfos> StandaloneHerder::validate_locked(const Config& resolved) {
  const auto& registry = worker_.registry();
  std::string cls = get(resolved, "connector.class");
  if (auto unknown = unknown_connector_class(registry, cls)) return *unknown;
  auto handle = registry.create_source_connector(cls);
  if (!handle) return handle.error();
  api::ConfigInfos infos = worker::validate_connector_framework(registry, resolved, cls);
  api::ConfigInfos own;
  if (auto s = (*handle)->validate(get(resolved, "name"), resolved, own); !s.is_ok())
    return Error::fatal("validation of " + cls + " failed: " + s.message());
  for (auto& g : own.groups)
    if (std::find(infos.groups.begin(), infos.groups.end(), g) == infos.groups.end()) infos.groups.push_back(g);
  for (auto& c : own.configs) infos.configs.push_back(std::move(c));
  infos.error_count += own.error_count;
  return infos;
}

Status StandaloneHerder::check_config(const std::string& name, const Config& raw, Config& resolved) {
  if (get(raw, "connector.class").empty())
    return Error::with_status(400, "Connector config " + java_map_string(raw) + " contains no connector type");
  auto r = providers_.resolve(raw);
  if (!r) return Error::with_status(400, r.error().message);
  resolved = std::move(*r);
  resolved["name"] = name;
  auto infos = validate_locked(resolved);
  if (!infos) return infos.error();  // an unknown class: Connect answers 500
  if (infos->error_count == 0) return {};
  std::string msg = "Connector configuration is invalid and contains the following " +
                    std::to_string(infos->error_count) + " error(s):";
  for (auto& c : infos->configs)
    for (auto& e : c.value.errors) msg += "\n" + e;
  msg += "\nYou can also find the above list of errors at the endpoint "
         "`/connector-plugins/{connectorType}/config/validate`";
  return Error::with_status(400, msg);
}

Status StandaloneHerder::start_task_locked(const std::string& name, Entry& e, int task, bool paused) {
  // A task that cannot start shows FAILED with the reason, as in Connect (Worker.startTask).
  auto started = [&]() -> Status {
    auto cc = providers_.resolve(e.raw);
    if (!cc) return cc.error();
    (*cc)["name"] = name;
    auto tc = providers_.resolve(e.task_configs.at(static_cast<size_t>(task)));
    if (!tc) return tc.error();
    return worker_.start_task({name, task}, *cc, *tc, paused);
  }();
  if (started)
    e.task_failures.erase(task);
  else
    e.task_failures[task] = "org.apache.kafka.connect.errors.ConnectException: " + started.error().message;
  return started;
}

Status StandaloneHerder::start_locked(const std::string& name, Entry& e) {
  e.failure.clear();
  e.task_failures.clear();
  if (e.target == Target::Stopped) return {};
  auto resolved = providers_.resolve(e.raw);
  if (!resolved) {
    e.failure = resolved.error().message;
    return resolved.error();
  }
  (*resolved)["name"] = name;
  if (auto st = worker_.start_connector(name, *resolved); !st) {
    e.failure = st.error().message;
    return st;
  }
  auto generated = worker_.task_configs(name);
  if (!generated) {
    e.failure = generated.error().message;
    return generated.error();
  }
  e.task_configs.clear();
  for (auto& tc : *generated) e.task_configs.push_back(reverse_transform(e.raw, tc));
  bool paused = e.target == Target::Paused;
  if (paused) worker_.set_paused(name, true);
  for (size_t i = 0; i < e.task_configs.size(); ++i)
    if (auto st = start_task_locked(name, e, static_cast<int>(i), paused); !st)
      log::error(name + "-" + std::to_string(i), "cannot start task: ", st.error().message);
  return {};
}

Result<PutResult> StandaloneHerder::put_connector_config(const std::string& name, const Config& config,
                                                         bool allow_replace, InitialState initial) {
  std::lock_guard lock(mu_);
  bool exists = entries_.count(name) > 0;
  if (exists && !allow_replace) return Error::with_status(409, "Connector " + name + " already exists");
  Config raw = config;
  raw["name"] = name;
  Config resolved;
  if (auto st = check_config(name, raw, resolved); !st) return st.error();
  if (exists) {
    log::info(name, "connector config updated: restarting it");
    worker_.stop_connector(name);
  }
  Entry& e = entries_[name];
  Target keep = exists ? e.target : Target::Started;
  e = Entry{};
  e.raw = raw;
  e.target = exists ? keep
                    : (initial == InitialState::Paused    ? Target::Paused
                       : initial == InitialState::Stopped ? Target::Stopped
                                                          : Target::Started);
  if (auto st = start_locked(name, e); !st)
    log::error(name, "connector failed to start: ", st.error().message);
  if (auto st = persist_locked(); !st) log::error("herder", st.error().message);
  PutResult out;
  out.created = !exists;
  out.info = ConnectorInfo{name, e.raw, {}, "source"};
  for (size_t i = 0; i < e.task_configs.size(); ++i) out.info.tasks.push_back({name, static_cast<int>(i)});
  return out;
}

Result<ConnectorInfo> StandaloneHerder::patch_connector_config(
    const std::string& name, const std::map<std::string, std::optional<std::string>>& patch) {
  Config merged;
  {
    std::lock_guard lock(mu_);
    Entry* e = find(name);
    if (!e) return Error::with_status(404, "Connector " + name + " not found");
    merged = e->raw;
  }
  for (auto& [k, v] : patch) {
    if (v) merged[k] = *v;
    else merged.erase(k);
  }
  auto r = put_connector_config(name, merged, true, InitialState::Running);
  if (!r) return r.error();
  return r->info;
}

Status StandaloneHerder::delete_connector(const std::string& name) {
  std::lock_guard lock(mu_);
  if (!entries_.erase(name)) return Error::with_status(404, "Connector " + name + " not found");
  worker_.stop_connector(name);
  worker_.reset_topics(name);
  return persist_locked();
}

std::vector<std::string> StandaloneHerder::connectors() {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (auto& [n, _] : entries_) out.push_back(n);
  return out;
}

Result<ConnectorInfo> StandaloneHerder::connector_info(const std::string& name) {
  std::lock_guard lock(mu_);
  Entry* e = find(name);
  if (!e) return Error::with_status(404, "Connector " + name + " not found");
  ConnectorInfo info{name, e->raw, {}, "source"};
  if (!worker_.registry().find(SLUICE_SOURCE_CONNECTOR, get(e->raw, "connector.class"))) info.type = "unknown";
  for (size_t i = 0; i < e->task_configs.size(); ++i) info.tasks.push_back({name, static_cast<int>(i)});
  return info;
}

Result<Config> StandaloneHerder::connector_config(const std::string& name) {
  std::lock_guard lock(mu_);
  Entry* e = find(name);
  if (!e) return Error::with_status(404, "Connector " + name + " not found");
  return e->raw;
}

Result<std::vector<TaskConfig>> StandaloneHerder::task_configs(const std::string& name) {
  std::lock_guard lock(mu_);
  Entry* e = find(name);
  if (!e) return Error::with_status(404, "Connector " + name + " not found");
  std::vector<TaskConfig> out;
  for (size_t i = 0; i < e->task_configs.size(); ++i)
    out.push_back({{name, static_cast<int>(i)}, e->task_configs[i]});
  return out;
}

// ---- states -------------------------------------------------------------------------------

ConnectorState StandaloneHerder::state_locked(const std::string& name, const Entry& e) {
  ConnectorState s;
  s.name = name;
  s.worker_id = worker_id_;
  if (e.target == Target::Stopped) {
    s.state = "STOPPED";
    return s;
  }
  if (!e.failure.empty() && !worker_.has_connector(name)) {
    s.state = "FAILED";
    s.trace = e.failure;
  } else {
    auto cs = worker_.connector_status(name);
    s.state = state_string(cs.state);
    s.trace = cs.trace;
  }
  auto tasks = worker_.task_statuses(name);
  for (auto& [id, st] : tasks) s.tasks.push_back({id, state_string(st.state), worker_id_, st.trace});
  for (auto& [id, why] : e.task_failures)
    if (std::none_of(tasks.begin(), tasks.end(), [id = id](auto& t) { return t.first == id; }))
      s.tasks.push_back({id, "FAILED", worker_id_, why});
  std::sort(s.tasks.begin(), s.tasks.end(), [](auto& a, auto& b) { return a.id < b.id; });
  return s;
}

Result<ConnectorState> StandaloneHerder::connector_status(const std::string& name) {
  std::lock_guard lock(mu_);
  Entry* e = find(name);
  if (!e) return Error::with_status(404, "No status found for connector " + name);
  return state_locked(name, *e);
}

Result<TaskState> StandaloneHerder::task_status(const std::string& name, int task) {
  std::lock_guard lock(mu_);
  Entry* e = find(name);
  if (e)
    for (auto& t : state_locked(name, *e).tasks)
      if (t.id == task) return t;
  return Error::with_status(404, "No status found for task " + name + "-" + std::to_string(task));
}

Result<std::optional<ConnectorState>> StandaloneHerder::restart_connector(const std::string& name,
                                                                          bool include_tasks,
                                                                          bool only_failed) {
  std::lock_guard lock(mu_);
  Entry* e = find(name);
  // Connect's standalone herder: "Connector n not found" for a plain restart (its
  // restartConnectorAndTasks says "Unknown connector: n").
  if (!e && !include_tasks && !only_failed)
    return Error::with_status(404, "Connector " + name + " not found");
  if (!e) return Error::with_status(404, "Unknown connector: " + name);
  auto restart_instance = [&]() -> Status {
    if (e->target == Target::Stopped) return {};
    if (!worker_.has_connector(name)) return start_locked(name, *e);
    return worker_.restart_connector_instance(name);
  };
  if (!include_tasks && !only_failed) {
    if (auto st = restart_instance(); !st) return st.error();
    return std::optional<ConnectorState>{};
  }
  ConnectorState plan = state_locked(name, *e);
  bool restart_conn = !only_failed || plan.state == "FAILED";
  if (restart_conn) plan.state = "RESTARTING";
  std::vector<int> tasks;
  if (include_tasks)
    for (auto& t : plan.tasks)
      if (!only_failed || t.state == "FAILED") {
        t.state = "RESTARTING";
        t.trace.clear();
        tasks.push_back(t.id);
      }
  if (restart_conn)
    if (auto st = restart_instance(); !st) log::error(name, "restart failed: ", st.error().message);
  for (int id : tasks) {
    worker_.stop_task({name, id});
    if (auto st = start_task_locked(name, *e, id, e->target == Target::Paused); !st)
      log::error(name, "task restart failed: ", st.error().message);
  }
  return std::optional<ConnectorState>(plan);
}

Status StandaloneHerder::restart_task(const std::string& name, int task) {
  std::lock_guard lock(mu_);
  Entry* e = find(name);
  // Connect's standalone herder's messages (its distributed herder says "Unknown connector: n"
  // and "Unknown task: n-t").
  if (!e) return Error::with_status(404, "Connector " + name + " not found");
  if (task < 0 || static_cast<size_t>(task) >= e->task_configs.size())
    return Error::with_status(404, "Task " + name + "-" + std::to_string(task) + " not found");
  worker_.stop_task({name, task});
  return start_task_locked(name, *e, task, e->target == Target::Paused);
}

Status StandaloneHerder::pause_connector(const std::string& name) {
  std::lock_guard lock(mu_);
  Entry* e = find(name);
  if (!e) return Error::with_status(404, "Unknown connector " + name);
  if (e->target == Target::Started) {
    e->target = Target::Paused;
    worker_.set_paused(name, true);
  }
  return persist_locked();
}

Status StandaloneHerder::resume_connector(const std::string& name) {
  std::lock_guard lock(mu_);
  Entry* e = find(name);
  if (!e) return Error::with_status(404, "Unknown connector " + name);
  Target was = e->target;
  e->target = Target::Started;
  if (was == Target::Stopped) {
    if (auto st = start_locked(name, *e); !st) log::error(name, "resume failed: ", st.error().message);
  } else if (was == Target::Paused) {
    worker_.set_paused(name, false);
  }
  return persist_locked();
}

Status StandaloneHerder::stop_connector(const std::string& name) {
  std::lock_guard lock(mu_);
  Entry* e = find(name);
  if (!e) return Error::with_status(404, "Unknown connector " + name);
  e->target = Target::Stopped;
  worker_.stop_connector(name);
  e->task_configs.clear();  // as Connect: a stopped connector has zero tasks
  return persist_locked();
}

// ---- offsets and topics -------------------------------------------------------------------

Result<std::vector<PartitionOffset>> StandaloneHerder::connector_offsets(const std::string& name) {
  {
    std::lock_guard lock(mu_);
    if (!find(name)) return Error::with_status(404, "Connector " + name + " not found");
  }
  std::vector<PartitionOffset> out;
  for (auto& entry : worker_.offsets().all()) {
    if (!entry.value) continue;
    auto key = worker::decode_partition_key(entry.key);
    if (!key || key->connector != name) continue;
    out.push_back({worker::encode_offset(key->partition), entry.value});
  }
  return out;
}

Result<std::string> StandaloneHerder::alter_connector_offsets(const std::string& name,
                                                              const std::vector<PartitionOffset>& offsets) {
  std::lock_guard lock(mu_);
  Entry* e = find(name);
  if (!e) return Error::with_status(404, "Connector " + name + " not found");
  if (e->target != Target::Stopped)
    return Error::with_status(400, std::string(kStoppedFirst) + name + "/stop' endpoint");
  if (offsets.empty())
    return Error::with_status(400, "Partitions / offsets need to be provided for an alter offsets request");
  std::vector<storage::OffsetEntry> writes;
  for (auto& po : offsets) {
    // Connect would store an offset under a null partition, where nothing ever reads it.
    if (po.partition_json.empty()) return Error::with_status(400, "Partition objects cannot be null");
    if (auto bad = non_primitive_field(po.partition_json)) return Error::fatal(*bad);
    if (po.offset_json)
      if (auto bad = non_primitive_field(*po.offset_json)) return Error::fatal(*bad);
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
  if (auto st = worker_.offsets().set(writes); !st) return st.error();
  return std::string(
      "The Connect framework-managed offsets for this connector have been altered successfully. "
      "However, if this connector manages offsets externally, they will need to be manually altered "
      "in the system that the connector uses.");
}

Result<std::string> StandaloneHerder::reset_connector_offsets(const std::string& name) {
  std::lock_guard lock(mu_);
  Entry* e = find(name);
  if (!e) return Error::with_status(404, "Connector " + name + " not found");
  if (e->target != Target::Stopped)
    return Error::with_status(400, std::string(kStoppedFirst) + name + "/stop' endpoint");
  std::vector<storage::OffsetEntry> writes;
  for (auto& entry : worker_.offsets().all()) {
    auto key = worker::decode_partition_key(entry.key);
    if (key && key->connector == name && entry.value) writes.push_back({entry.key, std::nullopt});
  }
  if (auto st = worker_.offsets().set(writes); !st) return st.error();
  return std::string(
      "The Connect framework-managed offsets for this connector have been reset successfully. "
      "However, if this connector manages offsets externally, they will need to be manually reset "
      "in the system that the connector uses.");
}

Result<std::vector<std::string>> StandaloneHerder::connector_topics(const std::string& name) {
  return worker_.topics(name);
}

Status StandaloneHerder::reset_connector_topics(const std::string& name) {
  worker_.reset_topics(name);
  return {};
}

// ---- plugins ------------------------------------------------------------------------------

std::vector<PluginInfo> StandaloneHerder::plugins(bool connectors_only) {
  std::vector<PluginInfo> out;
  for (auto& c : worker_.registry().components()) {
    if (connectors_only && c.kind != SLUICE_SOURCE_CONNECTOR) continue;
    out.push_back({c.class_name, plugin_type(c.kind), c.version});
  }
  return out;
}

Result<std::vector<api::ConfigKey>> StandaloneHerder::plugin_config(const std::string& plugin) {
  const auto& registry = worker_.registry();
  api::ConfigDef def;
  api::Status s = api::Status::failed("");
  bool found = false;
  if (auto h = registry.create_source_connector(plugin)) {
    found = true;
    s = (*h)->config_def(def);
    def.merge(worker::connector_framework_def(registry));
  } else if (auto c = registry.create_converter(plugin)) {
    found = true;
    s = (*c)->config_def(def);
  } else if (auto hc = registry.create_header_converter(plugin)) {
    found = true;
    s = (*hc)->config_def(def);
  } else if (auto t = registry.create_transformation(plugin)) {
    found = true;
    s = (*t)->config_def(def);
  } else if (auto p = registry.create_predicate(plugin)) {
    found = true;
    s = (*p)->config_def(def);
  }
  if (!found) return Error::with_status(404, "Unknown plugin " + plugin + ".");
  if (!s.is_ok()) return Error::fatal(s.message());
  return def.keys();
}

Result<api::ConfigInfos> StandaloneHerder::validate_connector_config(const std::string& type,
                                                                     const Config& config) {
  std::string cls = get(config, "connector.class");
  if (cls.empty())
    return Error::with_status(400, "Connector config " + java_map_string(config) + " contains no connector type");
  if (strip_connector_suffix(cls).ends_with(strip_connector_suffix(type)) == false)
    return Error::with_status(400, "Included connector type " + cls + " does not match request type " + type);
  auto resolved = providers_.resolve(config);
  if (!resolved) return Error::with_status(400, resolved.error().message);
  std::lock_guard lock(mu_);
  return validate_locked(*resolved);
}

// ---- lifecycle ----------------------------------------------------------------------------

void StandaloneHerder::request_reconfiguration(const std::string& name) {
  std::lock_guard lock(pending_mu_);
  pending_reconfigure_.insert(name);
}

void StandaloneHerder::tick() {
  std::set<std::string> pending;
  {
    std::lock_guard lock(pending_mu_);
    pending.swap(pending_reconfigure_);
  }
  for (auto& name : pending) {
    std::lock_guard lock(mu_);
    Entry* e = find(name);
    if (!e || e->target == Target::Stopped) continue;
    log::info(name, "reconfiguring tasks at the connector's request");
    worker_.stop_tasks(name);
    auto generated = worker_.task_configs(name);
    if (!generated) {
      log::error(name, "task reconfiguration failed: ", generated.error().message);
      continue;
    }
    e->task_configs.clear();
    for (auto& tc : *generated) e->task_configs.push_back(reverse_transform(e->raw, tc));
    for (size_t i = 0; i < e->task_configs.size(); ++i)
      if (auto st = start_task_locked(name, *e, static_cast<int>(i), e->target == Target::Paused); !st)
        log::error(name, "cannot start task: ", st.error().message);
  }
}

void StandaloneHerder::stop() {
  std::lock_guard lock(mu_);
  worker_.stop_all();
}

Status StandaloneHerder::persist_locked() {
  if (options_.connectors_file.empty()) return {};
  std::vector<SavedConnector> saved;
  for (auto& [name, e] : entries_)
    saved.push_back({name, e.raw,
                     e.target == Target::Paused    ? "PAUSED"
                     : e.target == Target::Stopped ? "STOPPED"
                                                   : "STARTED"});
  return save_connectors_file(options_.connectors_file, saved);
}

Status StandaloneHerder::restore() {
  if (options_.connectors_file.empty()) return {};
  auto saved = load_connectors_file(options_.connectors_file);
  if (!saved) return saved.error();
  std::lock_guard lock(mu_);
  for (auto& s : *saved) {
    Entry& e = entries_[s.name];
    e.raw = s.config;
    e.target = s.target_state == "PAUSED"    ? Target::Paused
               : s.target_state == "STOPPED" ? Target::Stopped
                                             : Target::Started;
    log::info(s.name, "restoring connector saved by an earlier run (", s.target_state, ")");
    if (auto st = start_locked(s.name, e); !st)
      log::error(s.name, "connector failed to start: ", st.error().message);
  }
  return {};
}

}  // namespace sluice::herder
