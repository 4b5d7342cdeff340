// DistributedHerder: startup (waiting for Kafka), the herder loop, reconciling what runs here
// with the assignment, status writes, and the group membership callbacks.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "runtime/common/log.h"
#include "runtime/herder/distributed_herder.h"
#include "runtime/kafka/cluster.h"

namespace sluice::herder {

namespace {

constexpr const char* kCtx = "herder";
constexpr int kStatusWriteTimeoutMs = 10000;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

WorkSet to_set(const std::vector<kafka::ConnectorTasks>& list) {
  WorkSet out;
  for (auto& ct : list)
    for (int32_t t : ct.tasks) out.insert({ct.connector, t});
  return out;
}

// Connect's order within a connector entry: -1 (the Connector) first, then the task ids.
std::vector<kafka::ConnectorTasks> to_list(const WorkSet& set) {
  std::vector<kafka::ConnectorTasks> out;
  for (auto& item : set) {
    if (out.empty() || out.back().connector != item.connector) out.push_back({item.connector, {}});
    out.back().tasks.push_back(item.task);
  }
  return out;
}

std::string status_key(const WorkItem& item) {
  return item.is_connector() ? storage::connector_status_key(item.connector)
                             : storage::task_status_key(item.connector, item.task);
}

// Connect's reverse transform: a task config value that came from a provider reference in the
// connector config gets the reference back, so stored configs hold no secrets.
Config reverse_transform(const Config& raw, Config task) {
  for (auto& [k, v] : raw)
    if (v.find("${") != std::string::npos)
      if (auto it = task.find(k); it != task.end()) it->second = v;
  return task;
}

std::string json_config_list(const std::vector<Config>& configs) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.StartArray();
  for (auto& c : configs) {
    w.StartObject();
    for (auto& [k, v] : c) {
      w.String(k.data(), static_cast<rapidjson::SizeType>(k.size()));
      w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    }
    w.EndObject();
  }
  w.EndArray();
  return {b.GetString(), b.GetSize()};
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

// ---- lifecycle ----------------------------------------------------------------------------

void DistributedHerder::start() {
  thread_ = std::thread([this] { run(); });
}

void DistributedHerder::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    kick_locked();
  }
  if (thread_.joinable()) thread_.join();
  // Stop the work first (tasks flush their offsets), then say so, then leave the group so the
  // leader reassigns at once.
  std::vector<storage::KeyValue> statuses;
  {
    std::lock_guard work(work_mu_);
    int32_t gen = generation();
    std::string id;
    {
      std::lock_guard lock(mu_);
      id = options_.worker_id;
    }
    worker_.stop_all();
    for (auto& item : running_) statuses.push_back({status_key(item), storage::encode_status({"UNASSIGNED", std::nullopt, id, gen})});
    running_.clear();
  }
  if (statuses_ && !statuses.empty()) statuses_->write(statuses, kStatusWriteTimeoutMs);
  if (group_) {
    group_->close();
    group_.reset();
  }
}

void DistributedHerder::request_reconfiguration(const std::string& name) {
  std::lock_guard lock(mu_);
  needs_task_configs_.insert(name);
  kick_locked();
}

void DistributedHerder::run() {
  auto wait = [&](std::chrono::milliseconds d) {
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, d, [&] { return stopping_ || kicked_; });
    kicked_ = false;
    return !stopping_;
  };
  while (!connect_once())
    if (!wait(std::chrono::milliseconds(2000))) return;
  kafka::GroupClientConfig gc;
  gc.bootstrap_servers = config_.bootstrap_servers;
  gc.group_id = config_.group_id;
  gc.session_timeout = config_.session_timeout;
  gc.heartbeat_interval = config_.heartbeat_interval;
  gc.rebalance_timeout = config_.rebalance_timeout;
  gc.request_timeout = config_.request_timeout;
  gc.leader_sync_delay = config_.leader_sync_delay;
  gc.connection.client_id = config_.client_id.empty() ? "connect-" + options_.worker_id : config_.client_id;
  kafka::GroupCallbacks cb;
  cb.protocols = [this] { return join_protocols(); };
  cb.perform_assignment = [this](const kafka::GroupJoin& j) { return assign(j); };
  cb.on_assign = [this](const kafka::GroupAssignment& a) { on_assign(a); };
  cb.on_join_prepare = [this](int32_t, const std::string&) { on_join_prepare(); };
  cb.on_lost = [this](const std::string& reason) { on_lost(reason); };
  while (true) {
    auto client = kafka::GroupClient::start(gc, cb);
    if (client) {
      std::lock_guard lock(mu_);
      group_ = std::move(*client);
      break;
    }
    log::error(kCtx, "cannot join group ", config_.group_id, ": ", client.error().message, "; retrying");
    if (!wait(std::chrono::milliseconds(2000))) return;
  }
  log::info(kCtx, "joining group ", config_.group_id, " as ", options_.worker_url);
  while (true) {
    loop_once();
    if (!wait(std::chrono::milliseconds(200))) return;
  }
}

bool DistributedHerder::connect_once() {
  int timeout = static_cast<int>(std::min<int64_t>(config_.request_timeout.count(), 10000));
  auto id = kafka::describe_cluster(config_.client_props, timeout);
  if (!id) {
    log::error(kCtx, "cannot reach Kafka at bootstrap.servers=", config_.bootstrap_servers, ": ", id.error().message,
               "; retrying in 2 s");
    return false;
  }
  auto admin = kafka::TopicAdmin::create(config_.client_props);
  if (!admin) {
    log::error(kCtx, admin.error().message);
    return false;
  }
  struct Spec {
    const InternalTopicConfig* t;
    bool single;
    const char* suffix;
    const char* property;
  };
  std::vector<std::unique_ptr<kafka::CompactedLog>> logs;
  for (Spec s : {Spec{&config_.config_topic, true, "configs", "config.storage.topic"},
                 Spec{&config_.offset_topic, false, "offsets", "offset.storage.topic"},
                 Spec{&config_.status_topic, false, "statuses", "status.storage.topic"}}) {
    kafka::NewTopic nt{s.t->name, s.t->partitions, s.t->replication_factor, s.t->configs};
    if (auto st = storage::ensure_internal_topic(**admin, nt, config_.client_props, s.single, timeout, s.property);
        !st) {
      // A topic that cannot serve (refused creation, several partitions for the config
      // topic, not compacted): Connect does not start, and neither does this worker.
      log::error(kCtx, st.error().message);
      std::lock_guard lock(mu_);
      fatal_ = st.error().message;
      stopping_ = true;
      return false;
    }
    std::string client = config_.group_id + (config_.client_id.empty() ? "" : "-" + config_.client_id) + "-" + s.suffix;
    auto log = kafka::CompactedLog::open(s.t->name, config_.client_props, client, 30000);
    if (!log) {
      log::error(kCtx, log.error().message, "; retrying in 2 s");
      return false;
    }
    logs.push_back(std::move(*log));
  }
  auto configs = std::make_unique<storage::KafkaConfigStore>(std::move(logs[0]));
  auto statuses = std::make_unique<storage::KafkaStatusStore>(std::move(logs[2]));
  Status st = configs->refresh(nullptr);
  if (st) st = statuses->refresh();
  if (st) {
    offsets_.attach(std::move(logs[1]));
    st = offsets_.refresh();
  }
  if (!st) {
    log::error(kCtx, "cannot read the internal topics: ", st.error().message, "; retrying in 2 s");
    return false;
  }
  auto snap = configs->snapshot();
  log::info(kCtx, "read ", snap.connectors.size(), " connectors from ", config_.config_topic.name, " (offset ",
            snap.offset, "); Kafka cluster ID: ", *id);
  std::lock_guard lock(mu_);
  configs_ = std::move(configs);
  statuses_ = std::move(statuses);
  cluster_id_ = *id;
  ready_ = true;
  replayed_ = true;
  return true;
}

Status DistributedHerder::sync_config() {
  {
    std::lock_guard lock(mu_);
    if (!ready_) return Error::with_status(409, "the worker has not read its config topic yet");
  }
  std::lock_guard sync(sync_mu_);
  std::vector<storage::ConfigEvent> events;
  Status st = configs_->refresh(&events);
  if (!events.empty()) {
    std::lock_guard lock(mu_);
    for (auto& e : events) {
      if (e.kind == storage::ConfigEvent::ConnectorAdded || e.kind == storage::ConfigEvent::ConnectorRemoved ||
          e.kind == storage::ConfigEvent::TasksCommitted)
        rebalance_needed_ = true;
      events_.push_back(std::move(e));
    }
    kick_locked();
  }
  return st;
}

void DistributedHerder::loop_once() {
  if (auto st = sync_config(); !st) log::warn(kCtx, "reading the config topic: ", st.error().message);
  if (auto st = statuses_->refresh(); !st) log::warn(kCtx, "reading the status topic: ", st.error().message);
  process_events();
  bool cleanup = false;
  {
    std::lock_guard lock(mu_);
    cleanup = leader_cleanup_due_;
    leader_cleanup_due_ = false;
  }
  if (cleanup) leader_cleanup();
  maybe_rotate_session_key();
  reconcile();
  publish_pending_task_configs();
  write_statuses();
  bool rejoin = false;
  {
    std::lock_guard lock(mu_);
    if (rejoin_at_ && std::chrono::steady_clock::now() >= *rejoin_at_) {
      rejoin_at_.reset();
      rejoin = true;
    }
  }
  if (rejoin && group_) group_->request_rejoin();
}

// ---- config changes -----------------------------------------------------------------------

void DistributedHerder::process_events() {
  std::vector<storage::ConfigEvent> events;
  {
    std::lock_guard lock(mu_);
    events.swap(events_);
  }
  if (events.empty()) return;
  auto snap = snapshot();
  bool rejoin = false;
  std::lock_guard work(work_mu_);
  for (auto& e : events) {
    const std::string& name = e.connector;
    switch (e.kind) {
      case storage::ConfigEvent::ConnectorAdded:
        rejoin = true;
        break;
      case storage::ConfigEvent::ConnectorRemoved:
      case storage::ConfigEvent::ConnectorUpdated:
        // Removed: stop it here at once. Updated: its owner restarts it with the new config
        // (reconcile starts it again) and regenerates its task configs.
        if (running_.count({name, -1}) || e.kind == storage::ConfigEvent::ConnectorRemoved) {
          worker_.stop_connector(name);
          for (auto it = running_.begin(); it != running_.end();)
            it = it->connector == name ? running_.erase(it) : std::next(it);
          start_failures_.erase(storage::connector_status_key(name));
        }
        rejoin = rejoin || e.kind == storage::ConfigEvent::ConnectorRemoved;
        break;
      case storage::ConfigEvent::TasksCommitted: {
        // New task configs: the tasks running here restart with them (after the rebalance).
        for (auto it = running_.begin(); it != running_.end();) {
          if (it->connector == name && !it->is_connector()) {
            worker_.stop_task({name, it->task});
            it = running_.erase(it);
          } else {
            ++it;
          }
        }
        rejoin = true;
        break;
      }
      case storage::ConfigEvent::TargetChanged: {
        auto target = snap.target(name);
        if (target == storage::TargetState::Stopped) {
          if (running_.count({name, -1}) || std::any_of(running_.begin(), running_.end(), [&](auto& i) { return i.connector == name; })) {
            log::info(name, "stopping connector (target state STOPPED)");
            worker_.stop_connector(name);
            for (auto it = running_.begin(); it != running_.end();)
              it = it->connector == name ? running_.erase(it) : std::next(it);
          }
        } else {
          worker_.set_paused(name, target == storage::TargetState::Paused);
        }
        break;
      }
      case storage::ConfigEvent::Restart: {
        auto cache = statuses_->cache();
        auto failed = [&](const std::optional<storage::StatusValue>& v) { return v && v->state == "FAILED"; };
        if (running_.count({name, -1}) && (!e.restart.only_failed || failed(cache.connector(name)))) {
          log::info(name, "restarting connector (restart request)");
          worker_.stop_connector_instance(name);  // its tasks restart only with include_tasks
          running_.erase(WorkItem{name, -1});
        }
        if (e.restart.include_tasks)
          for (auto it = running_.begin(); it != running_.end();) {
            if (it->connector == name && !it->is_connector() &&
                (!e.restart.only_failed || failed(cache.task(name, it->task)))) {
              worker_.stop_task({name, it->task});
              it = running_.erase(it);
            } else {
              ++it;
            }
          }
        break;
      }
      case storage::ConfigEvent::Skipped:
      case storage::ConfigEvent::Ignored:
        break;
    }
  }
  if (rejoin && group_) group_->request_rejoin();
}

// ---- assignments --------------------------------------------------------------------------

// On the group thread, right after SyncGroup: the new full assignment and the stop of what was
// revoked happen before the group client can send another JoinGroup, so this member's next
// metadata always shows what it really runs. The herder thread starts what is new.
void DistributedHerder::apply_assignment(const kafka::GroupAssignment& given) {
  const kafka::GroupAssignment* pending = &given;
  auto a = kafka::decode_connect_assignment(pending->assignment);
  if (!a) {
    log::error(kCtx, "undecodable assignment from the leader: ", a.error().message, "; rejoining");
    rejoin_soon();
    return;
  }
  if (a->error != kafka::ConnectAssignment::kNoError) {
    log::warn(kCtx, "the leader reports a config mismatch; reading the config topic and rejoining");
    sync_config();
    rejoin_soon();
    return;
  }
  if (snapshot().offset < a->config_offset) {
    sync_config();
    if (snapshot().offset < a->config_offset) {
      log::warn(kCtx, "config topic still behind the assignment's offset ", a->config_offset, "; rejoining");
      rejoin_soon();
      return;
    }
  }
  bool eager = pending->protocol == "default";
  WorkSet added = to_set(a->assigned), revoked = to_set(a->revoked);
  std::lock_guard work(work_mu_);  // before mu_: reconcile reads assigned_ under it
  WorkSet next;
  {
    std::lock_guard lock(mu_);
    member_id_ = pending->member_id;
    leader_id_ = a->leader;
    leader_url_ = a->leader_url;
    generation_ = pending->generation;
    group_protocol_ = pending->protocol;
    last_completed_generation_ = pending->generation;
    assignment_offset_ = a->config_offset;
    if (eager) {
      next = added;
    } else {
      next = assigned_;
      for (auto& r : revoked) next.erase(r);
      next.insert(added.begin(), added.end());
    }
    assigned_ = next;
    rebalance_needed_ = false;
    if (a->delay_ms > 0) rejoin_at_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(a->delay_ms);
    if (member_id_ == leader_id_) leader_cleanup_due_ = true;
    kick_locked();
  }
  log::info(kCtx, "generation ", pending->generation, ": ", next.size(), " assigned (", added.size(), " new, ",
            revoked.size(), " revoked)", member_id_ == leader_id_ ? " - this worker leads" : "",
            a->delay_ms > 0 ? ", follow-up rebalance in " + std::to_string(a->delay_ms) + " ms" : "");
  for (auto it = running_.begin(); it != running_.end();) {
    if (!next.count(*it)) {
      WorkItem item = *it;
      stop_item(item, true);
      it = running_.upper_bound(item);
    } else {
      ++it;
    }
  }
  if (!revoked.empty()) rejoin_soon();  // the follow-up round
}

void DistributedHerder::rejoin_soon() {
  std::lock_guard lock(mu_);
  rejoin_at_ = std::chrono::steady_clock::now();
  kick_locked();
}

void DistributedHerder::stop_item(const WorkItem& item, bool write_unassigned) {
  // Under work_mu_.
  if (item.is_connector()) {
    // The instance alone: its tasks here are unaffected by where the instance goes.
    worker_.stop_connector_instance(item.connector);
    running_.erase(item);
  } else {
    worker_.stop_task({item.connector, item.task});
    running_.erase(item);
  }
  std::string key = status_key(item);
  start_failures_.erase(key);
  std::string id;
  int32_t gen;
  {
    std::lock_guard lock(mu_);
    id = options_.worker_id;
    gen = generation_;
  }
  if (write_unassigned)
    statuses_->write({{key, storage::encode_status({"UNASSIGNED", std::nullopt, id, gen})}}, kStatusWriteTimeoutMs);
}

void DistributedHerder::reconcile() {
  auto snap = snapshot();
  std::lock_guard work(work_mu_);
  WorkSet assigned;
  {
    std::lock_guard lock(mu_);
    assigned = assigned_;
  }
  // Stop what runs here but should not.
  for (auto it = running_.begin(); it != running_.end();) {
    WorkItem item = *it;
    ++it;
    bool keep = assigned.count(item) && snap.connectors.count(item.connector) &&
                snap.target(item.connector) != storage::TargetState::Stopped &&
                (item.is_connector() || item.task < snap.task_count(item.connector));
    if (!keep) {
      stop_item(item, false);
      it = running_.upper_bound(item);
    }
  }
  // Start what is assigned here and not running: Connectors first, then tasks (after reading
  // the offsets topic to its end).
  bool offsets_read = false;
  for (auto& item : assigned) {
    if (running_.count(item) || !snap.connectors.count(item.connector)) continue;
    if (snap.target(item.connector) == storage::TargetState::Stopped) continue;
    if (item.is_connector()) {
      start_connector_item(item.connector);
      continue;
    }
    if (item.task >= snap.task_count(item.connector)) continue;
    if (!offsets_read) {
      if (auto st = offsets_.refresh(); !st) {
        log::warn(kCtx, "cannot read the offsets topic: ", st.error().message, "; tasks start later");
        return;
      }
      offsets_read = true;
    }
    start_task_item(item);
  }
}

void DistributedHerder::start_connector_item(const std::string& name) {
  // Under work_mu_.
  auto snap = snapshot();
  running_.insert({name, -1});
  std::string key = storage::connector_status_key(name);
  auto resolved = providers_.resolve(snap.connectors.at(name));
  Status st = resolved ? Status{} : Status(resolved.error());
  if (st) {
    (*resolved)["name"] = name;
    st = worker_.start_connector(name, *resolved);
  }
  if (!st) {
    log::error(name, "connector failed to start: ", st.error().message);
    start_failures_[key] = st.error().message;
    return;
  }
  start_failures_.erase(key);
  if (snap.target(name) == storage::TargetState::Paused) worker_.set_paused(name, true);
  std::lock_guard lock(mu_);
  needs_task_configs_.insert(name);
}

void DistributedHerder::start_task_item(const WorkItem& item) {
  // Under work_mu_.
  auto snap = snapshot();
  running_.insert(item);
  std::string key = status_key(item);
  auto cc = providers_.resolve(snap.connectors.at(item.connector));
  Status st = cc ? Status{} : Status(cc.error());
  if (st) {
    (*cc)["name"] = item.connector;
    auto tc = providers_.resolve(snap.tasks.at(item.connector).at(static_cast<size_t>(item.task)));
    st = tc ? worker_.start_task({item.connector, item.task}, *cc, *tc,
                                 snap.target(item.connector) == storage::TargetState::Paused)
            : Status(tc.error());
  }
  if (!st) {
    log::error(item.connector, "task ", item.task, " failed to start: ", st.error().message);
    start_failures_[key] = st.error().message;
    return;
  }
  start_failures_.erase(key);
}

void DistributedHerder::publish_pending_task_configs() {
  std::set<std::string> names;
  std::string leader_url;
  bool leader;
  {
    std::lock_guard lock(mu_);
    names = needs_task_configs_;
    leader_url = leader_url_;
    leader = !member_id_.empty() && member_id_ == leader_id_;
  }
  if (names.empty()) return;
  auto snap = snapshot();
  for (auto& name : names) {
    bool done = true;
    if (worker_.has_connector(name) && snap.connectors.count(name) &&
        snap.target(name) != storage::TargetState::Stopped) {
      auto generated = worker_.task_configs(name);
      if (!generated) {
        log::error(name, "cannot generate task configs: ", generated.error().message);
      } else {
        std::vector<Config> configs;
        for (auto& tc : *generated) configs.push_back(reverse_transform(snap.connectors.at(name), tc));
        auto it = snap.tasks.find(name);
        bool same = it != snap.tasks.end() && !snap.inconsistent.count(name) && it->second == configs;
        if (!same) {
          Status st;
          if (leader) {
            st = publish_task_configs(name, configs);
          } else if (leader_url.empty() || !options_.http) {
            st = Error::retry("no known leader URL");
          } else {
            std::string body = json_config_list(configs);
            HttpHeaders headers;
            if (signing_enabled()) {
              auto signed_headers = sign(body);
              if (signed_headers) headers = std::move(*signed_headers);
              else st = signed_headers.error();
            }
            Result<HttpReply> r = st ? options_.http("POST", leader_url + "connectors/" + url_encode(name) +
                                                                 "/tasks?forward=true", body, headers)
                                     : Result<HttpReply>(st.error());
            if (!r) st = r.error();
            else if (r->status >= 300) st = Error::retry("the leader answered " + std::to_string(r->status) + ": " + r->body);
          }
          if (!st) {
            log::warn(name, "cannot publish task configs yet: ", st.error().message);
            done = false;
          }
        }
      }
    }
    if (done) {
      std::lock_guard lock(mu_);
      needs_task_configs_.erase(name);
    }
  }
}

// ---- statuses -----------------------------------------------------------------------------

Status DistributedHerder::write_status(const std::string& key, const storage::StatusValue& v) {
  return statuses_->write({{key, storage::encode_status(v)}}, kStatusWriteTimeoutMs);
}

void DistributedHerder::write_statuses() {
  auto snap = snapshot();
  std::vector<std::pair<std::string, storage::StatusValue>> now;
  std::string id;
  int32_t gen;
  WorkSet assigned;
  {
    std::lock_guard lock(mu_);
    id = options_.worker_id;
    gen = generation_;
    assigned = assigned_;
  }
  {
    std::lock_guard work(work_mu_);
    for (auto& item : running_) {
      std::string key = status_key(item);
      storage::StatusValue v{"UNASSIGNED", std::nullopt, id, gen};
      if (auto f = start_failures_.find(key); f != start_failures_.end()) {
        v.state = "FAILED";
        v.trace = f->second;
      } else if (item.is_connector()) {
        auto s = worker_.connector_status(item.connector);
        v.state = worker::state_name(s.state);
        if (!s.trace.empty()) v.trace = s.trace;
      } else {
        for (auto& [tid, s] : worker_.task_statuses(item.connector))
          if (tid == item.task) {
            v.state = worker::state_name(s.state);
            if (!s.trace.empty()) v.trace = s.trace;
          }
      }
      now.push_back({key, v});
    }
  }
  // A Connector assigned here whose target is STOPPED does not run but shows STOPPED.
  for (auto& item : assigned)
    if (item.is_connector() && snap.connectors.count(item.connector) &&
        snap.target(item.connector) == storage::TargetState::Stopped)
      now.push_back({status_key(item), {"STOPPED", std::nullopt, id, gen}});
  // Written when the status topic (as last read) says something else: another worker's record
  // for the same task (the previous owner, the leader's UNASSIGNED) is replaced too.
  auto cache = statuses_->cache();
  std::vector<storage::KeyValue> writes;
  for (auto& [key, v] : now) {
    storage::StatusKey k = storage::parse_status_key(key);
    auto cur = k.kind == storage::StatusKey::Connector ? cache.connector(k.connector) : cache.task(k.connector, k.task);
    if (v.state == "UNASSIGNED") continue;  // not started yet (or gone): nothing to report
    if (cur && cur->state == v.state && cur->trace == v.trace && cur->worker_id == v.worker_id) continue;
    writes.push_back({key, storage::encode_status(v)});
  }
  if (writes.empty()) return;
  if (auto st = statuses_->write(writes, kStatusWriteTimeoutMs); !st)
    log::warn(kCtx, "cannot write statuses: ", st.error().message);
}

void DistributedHerder::leader_cleanup() {
  auto snap = snapshot();
  auto cache = statuses_->cache();
  std::string id;
  int32_t gen;
  WorkSet lost;
  {
    std::lock_guard lock(mu_);
    id = options_.worker_id;
    gen = generation_;
    lost = lost_pending_;
  }
  std::vector<storage::KeyValue> writes;
  // Lost work waiting for its worker: UNASSIGNED with this generation, so readers take it
  // over the dead worker's RUNNING.
  for (auto& item : lost) {
    auto cur = item.is_connector() ? cache.connector(item.connector) : cache.task(item.connector, item.task);
    if (cur && cur->state != "UNASSIGNED")
      writes.push_back({status_key(item), storage::encode_status({"UNASSIGNED", std::nullopt, id, gen})});
  }
  // Statuses of connectors and tasks that no longer exist.
  for (auto& name : cache.names()) {
    bool exists = snap.connectors.count(name) > 0;
    if (!exists && cache.connector(name)) writes.push_back({storage::connector_status_key(name), std::nullopt});
    for (auto& [tid, _] : cache.tasks(name))
      if (!exists || tid >= snap.task_count(name)) writes.push_back({storage::task_status_key(name, tid), std::nullopt});
  }
  // A deleted connector's active topics are forgotten (Java's onDeletion deletes them).
  for (auto& [name, topics] : cache.topics())
    if (!snap.connectors.count(name))
      for (auto& [topic, _] : topics) writes.push_back({storage::topic_status_key(topic, name), std::nullopt});
  if (!writes.empty())
    if (auto st = statuses_->write(writes, kStatusWriteTimeoutMs); !st)
      log::warn(kCtx, "cannot write statuses: ", st.error().message);
}

// ---- group membership callbacks -------------------------------------------------------------

std::vector<kafka::GroupProtocol> DistributedHerder::join_protocols() {
  kafka::WorkerMetadata m;
  m.config_offset = snapshot().offset;
  {
    std::lock_guard lock(mu_);
    m.url = options_.worker_url;
    if (generation_ >= 0) {
      kafka::ConnectAssignment alloc;
      alloc.leader = leader_id_;
      alloc.leader_url = leader_url_;
      alloc.config_offset = assignment_offset_;
      alloc.assigned = to_list(assigned_);
      m.allocation = alloc;
    }
  }
  std::vector<kafka::GroupProtocol> out;
  for (auto& p : kafka::connect_join_protocols(config_.protocol, m)) out.push_back({p.name, p.metadata});
  return out;
}

std::map<std::string, std::string> DistributedHerder::assign(const kafka::GroupJoin& join) {
  std::map<std::string, kafka::WorkerMetadata> metas;
  int64_t max_offset = -1;
  for (auto& member : join.members) {
    auto m = kafka::decode_worker_metadata(member.metadata);
    if (!m) {
      log::warn(kCtx, "member ", member.member_id, " sent undecodable metadata: ", m.error().message);
      metas[member.member_id] = {};
      continue;
    }
    max_offset = std::max(max_offset, m->config_offset);
    metas[member.member_id] = *m;
  }
  if (snapshot().offset < max_offset) sync_config();
  auto snap = snapshot();
  auto version = kafka::connect_protocol_from_name(join.protocol).value_or(kafka::ConnectProtocol::Eager);
  std::string url;
  int32_t last_completed;
  {
    std::lock_guard lock(mu_);
    url = options_.worker_url;
    last_completed = last_completed_generation_;
  }
  kafka::ConnectAssignment base;
  base.version = static_cast<int16_t>(version);
  base.leader = join.member_id;
  base.leader_url = url;
  std::map<std::string, std::string> out;
  if (snap.offset < max_offset) {
    log::warn(kCtx, "config topic behind the members' offset ", max_offset, ": answering CONFIG_MISMATCH");
    base.error = kafka::ConnectAssignment::kConfigMismatch;
    base.config_offset = max_offset;
    for (auto& [id, _] : metas) out[id] = kafka::encode_connect_assignment(base);
    return out;
  }
  base.config_offset = snap.offset;
  Configured configured;
  for (auto& [name, _] : snap.connectors) configured[name] = snap.task_count(name);
  std::map<std::string, WorkSet> full;
  if (version == kafka::ConnectProtocol::Eager) {
    std::vector<std::string> ids;
    for (auto& [id, _] : metas) ids.push_back(id);
    full = eager_assign(configured, ids);
    for (auto& [id, set] : full) {
      kafka::ConnectAssignment a = base;
      a.assigned = to_list(set);
      out[id] = kafka::encode_connect_assignment(a);
    }
  } else {
    std::map<std::string, WorkSet> current;
    for (auto& [id, m] : metas) current[id] = m.allocation ? to_set(m.allocation->assigned) : WorkSet{};
    auto plans = assignor_.assign(configured, current, last_completed, join.generation, now_ms());
    // A round that revokes needs a follow-up round; members that revoke nothing would only
    // notice it at their next heartbeat, so they are asked to rejoin right away too.
    bool revoking = std::any_of(plans.begin(), plans.end(), [](auto& p) { return !p.second.revoked.empty(); });
    for (auto& [id, p] : plans) {
      if (revoking && p.revoked.empty() && p.delay_ms == 0) p.delay_ms = 1;
      kafka::ConnectAssignment a = base;
      a.assigned = to_list(p.assigned);
      a.revoked = to_list(p.revoked);
      a.delay_ms = p.delay_ms;
      out[id] = kafka::encode_connect_assignment(a);
      WorkSet set = current[id];
      for (auto& r : p.revoked) set.erase(r);
      set.insert(p.assigned.begin(), p.assigned.end());
      full[id] = set;
    }
  }
  std::lock_guard lock(mu_);
  member_sets_ = full;
  member_urls_.clear();
  for (auto& [id, m] : metas) member_urls_[id] = m.url;
  lost_pending_ = version == kafka::ConnectProtocol::Eager ? WorkSet{} : assignor_.lost_pending();
  return out;
}

void DistributedHerder::on_assign(const kafka::GroupAssignment& a) { apply_assignment(a); }

void DistributedHerder::on_join_prepare() {
  if (config_.protocol != kafka::ConnectProtocol::Eager) return;
  // Eager rebalancing: everything stops before the group re-forms.
  std::lock_guard work(work_mu_);
  for (auto it = running_.begin(); it != running_.end();) {
    WorkItem item = *it;
    stop_item(item, false);
    it = running_.begin();
  }
  std::lock_guard lock(mu_);
  assigned_.clear();
}

void DistributedHerder::on_lost(const std::string& reason) {
  log::warn(kCtx, "lost the group coordinator (", reason, "): stopping all work until the group re-forms");
  std::lock_guard work(work_mu_);
  while (!running_.empty()) stop_item(*running_.begin(), false);
  std::lock_guard lock(mu_);
  assigned_.clear();
  generation_ = -1;
}

}  // namespace sluice::herder
