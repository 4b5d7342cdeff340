#include "runtime/kafka/group_client.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "runtime/common/log.h"

namespace sluice::kafka {

namespace {
constexpr const char* kLog = "kafka.group";

// The versions this client encodes (all non-flexible).
constexpr int16_t kFindCoordinatorMax = 2;
constexpr int16_t kJoinGroupMax = 5;
constexpr int16_t kSyncGroupMax = 3;
constexpr int16_t kHeartbeatMax = 3;
constexpr int16_t kLeaveGroupMax = 3;

bool is_coordinator_error(int16_t e) {
  return e == err::kNotCoordinator || e == err::kCoordinatorNotAvailable || e == err::kCoordinatorLoadInProgress;
}
}  // namespace

struct GroupClient::Impl {
  GroupClientConfig cfg;
  GroupCallbacks cb;
  std::vector<HostPort> bootstrap;

  mutable std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  bool rejoin_requested = false;
  // Published state (guarded by mu).
  int32_t generation = -1;
  std::string member_id;
  std::string leader_id;
  bool stable = false;
  GroupClientStats stats;
  std::string last_error;

  std::atomic<bool> stop_flag{false};  // close() was called
  std::atomic<bool> abort_io{false};   // in-flight I/O gives up (set by close(), cleared to leave)
  std::thread thread;

  // Loop-thread state.
  std::unique_ptr<BrokerConnection> coordinator;
  bool need_rejoin = true;
  bool join_prepared = false;
  bool had_assignment = false;
  bool lost_reported = false;
  SteadyClock::time_point coordinator_lost_at{};

  bool stopped() const { return stop_flag.load(); }

  void note_error(const std::string& e) {
    log::info(kLog, "group ", cfg.group_id, ": ", e);
    std::lock_guard<std::mutex> lock(mu);
    last_error = e;
  }

  // Sleeps up to d; returns early on stop or a rejoin request.
  void pause(std::chrono::milliseconds d) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, d, [&] { return stopping || rejoin_requested; });
  }

  void set_unstable() {
    std::lock_guard<std::mutex> lock(mu);
    stable = false;
  }

  void reset_member() {
    std::lock_guard<std::mutex> lock(mu);
    member_id.clear();
    generation = -1;
    leader_id.clear();
    stable = false;
  }

  void drop_coordinator(const std::string& why) {
    if (coordinator) {
      note_error("coordinator " + coordinator->address() + " lost: " + why);
      coordinator->close();
      coordinator.reset();
    }
    if (coordinator_lost_at == SteadyClock::time_point{}) coordinator_lost_at = SteadyClock::now();
    need_rejoin = true;
    set_unstable();
  }

  SteadyClock::time_point deadline(std::chrono::milliseconds d) const { return SteadyClock::now() + d; }

  StopCheck stop_check() {
    return [this] { return abort_io.load(); };
  }

  bool find_coordinator_once() { return find_coordinator(true); }

  bool find_coordinator(bool closing = false) {
    {
      std::lock_guard<std::mutex> lock(mu);
      ++stats.coordinator_lookups;
    }
    auto timeout = closing ? std::min(cfg.request_timeout, std::chrono::milliseconds(5000)) : cfg.request_timeout;
    for (const auto& b : bootstrap) {
      if (stopped() && !closing) return false;
      auto dl = deadline(timeout);
      auto conn = BrokerConnection::open(b.host, b.port, cfg.connection, dl, stop_check());
      if (!conn.ok()) {
        note_error("bootstrap " + b.host + ":" + std::to_string(b.port) + ": " + conn.error().message);
        continue;
      }
      int16_t v = (*conn)->version_for(api::kFindCoordinator, 0, kFindCoordinatorMax);
      if (v < 0) {
        note_error("broker " + (*conn)->address() + " does not support FindCoordinator v0-2");
        continue;
      }
      auto body = (*conn)->roundtrip(api::kFindCoordinator, v, encode_find_coordinator(cfg.group_id, v), dl);
      if (!body.ok()) {
        note_error("FindCoordinator: " + body.error().message);
        continue;
      }
      auto resp = decode_find_coordinator(*body, v);
      if (!resp.ok()) {
        note_error(resp.error().message);
        continue;
      }
      if (resp->error != 0) {
        note_error("FindCoordinator: " + error_name(resp->error) +
                   (resp->error_message ? ": " + *resp->error_message : std::string()));
        continue;
      }
      if (resp->port <= 0 || resp->port > 65535) {
        note_error("FindCoordinator returned port " + std::to_string(resp->port));
        continue;
      }
      auto port = static_cast<uint16_t>(resp->port);
      if (resp->host == (*conn)->host() && port == (*conn)->port()) {
        coordinator = std::move(*conn);
      } else {
        auto cc = BrokerConnection::open(resp->host, port, cfg.connection, deadline(timeout), stop_check());
        if (!cc.ok()) {
          note_error("coordinator " + resp->host + ":" + std::to_string(port) + ": " + cc.error().message);
          continue;
        }
        coordinator = std::move(*cc);
      }
      // Info: rare, and what an operator (or a failover test) wants to know.
      log::info(kLog, "group ", cfg.group_id, ": coordinator is broker ", resp->node_id, " at ",
                coordinator->address());
      coordinator_lost_at = {};
      lost_reported = false;
      return true;
    }
    return false;
  }

  // One JoinGroup + SyncGroup attempt. Returns when the member is stable or must retry.
  void join_and_sync() {
    if (!join_prepared) {
      join_prepared = true;
      set_unstable();
      int32_t gen;
      std::string mid;
      {
        std::lock_guard<std::mutex> lock(mu);
        gen = generation;
        mid = member_id;
      }
      if (cb.on_join_prepare) cb.on_join_prepare(gen, mid);
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      rejoin_requested = false;
    }
    int16_t jv = coordinator->version_for(api::kJoinGroup, 0, kJoinGroupMax);
    int16_t sv = coordinator->version_for(api::kSyncGroup, 0, kSyncGroupMax);
    if (jv < 0 || sv < 0) {
      note_error("coordinator " + coordinator->address() + " lacks JoinGroup v0-5 or SyncGroup v0-3");
      drop_coordinator("unsupported versions");
      return;
    }
    JoinGroupRequest jr;
    jr.group_id = cfg.group_id;
    jr.session_timeout_ms = static_cast<int32_t>(cfg.session_timeout.count());
    jr.rebalance_timeout_ms = static_cast<int32_t>(cfg.rebalance_timeout.count());
    {
      std::lock_guard<std::mutex> lock(mu);
      jr.member_id = member_id;
    }
    jr.protocol_type = cfg.protocol_type;
    jr.protocols = cb.protocols();
    // The coordinator may hold a JoinGroup for the whole rebalance timeout (v0 has none:
    // the session timeout bounds it).
    auto join_wait = (jv >= 1 ? cfg.rebalance_timeout : cfg.session_timeout) + std::chrono::milliseconds(5000);
    auto body = coordinator->roundtrip(api::kJoinGroup, jv, encode_join_group(jr, jv), deadline(join_wait));
    if (!body.ok()) {
      drop_coordinator("JoinGroup: " + body.error().message);
      return;
    }
    auto join = decode_join_group(*body, jv);
    if (!join.ok()) {
      drop_coordinator(join.error().message);
      return;
    }
    if (join->error != 0) {
      handle_group_error("JoinGroup", join->error, join->member_id);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      generation = join->generation;
      member_id = join->member_id;
      leader_id = join->leader;
      ++stats.joins;
    }
    log::debug(kLog, "group ", cfg.group_id, ": joined generation ", join->generation, " as ", join->member_id,
               " (leader ", join->leader, ", protocol ", join->protocol_name, ", ", join->members.size(),
               " members)");

    SyncGroupRequest sr;
    sr.group_id = cfg.group_id;
    sr.generation = join->generation;
    sr.member_id = join->member_id;
    if (join->leader == join->member_id) {
      GroupJoin gj{join->generation, join->member_id, join->leader, join->protocol_name, join->members};
      auto assigned = cb.perform_assignment(gj);
      for (const auto& m : join->members) {
        auto it = assigned.find(m.member_id);
        sr.assignments.emplace_back(m.member_id, it == assigned.end() ? std::string() : it->second);
      }
      if (cfg.leader_sync_delay.count() > 0) pause(cfg.leader_sync_delay);
      if (stopped()) return;
    }
    body = coordinator->roundtrip(api::kSyncGroup, sv, encode_sync_group(sr, sv), deadline(cfg.request_timeout));
    if (!body.ok()) {
      drop_coordinator("SyncGroup: " + body.error().message);
      return;
    }
    auto sync = decode_sync_group(*body, sv);
    if (!sync.ok()) {
      drop_coordinator(sync.error().message);
      return;
    }
    if (sync->error != 0) {
      handle_group_error("SyncGroup", sync->error, "");
      return;
    }
    need_rejoin = false;
    join_prepared = false;
    had_assignment = true;
    {
      std::lock_guard<std::mutex> lock(mu);
      ++stats.syncs;
      stable = !rejoin_requested;
    }
    GroupAssignment ga{join->generation, join->member_id, join->leader, join->protocol_name,
                       std::move(sync->assignment)};
    cb.on_assign(ga);
  }

  // Decides what an error answer from a group request means; always leaves need_rejoin set
  // unless the error is a plain failure the loop retries after a backoff anyway.
  void handle_group_error(const char* what, int16_t e, const std::string& offered_member_id) {
    {
      std::lock_guard<std::mutex> lock(mu);
      ++stats.rejoin_errors;
    }
    note_error(std::string(what) + " answered " + error_name(e));
    need_rejoin = true;
    set_unstable();
    if (e == err::kMemberIdRequired) {
      std::lock_guard<std::mutex> lock(mu);
      member_id = offered_member_id;  // retry at once with the id the coordinator gave
      return;
    }
    if (e == err::kUnknownMemberId || e == err::kIllegalGeneration) {
      reset_member();
      return;
    }
    if (is_coordinator_error(e)) {
      drop_coordinator(error_name(e));
      return;
    }
    if (e == err::kRebalanceInProgress || e == err::kInvalidRequest) return;  // rejoin at once
    // Anything else (authorization, bad session timeout, inconsistent protocol...): back off.
    pause(cfg.retry_backoff * 5);
  }

  void heartbeat_once() {
    int32_t gen;
    std::string mid;
    {
      std::lock_guard<std::mutex> lock(mu);
      gen = generation;
      mid = member_id;
    }
    int16_t v = coordinator->version_for(api::kHeartbeat, 0, kHeartbeatMax);
    if (v < 0) {
      drop_coordinator("no Heartbeat v0-3");
      return;
    }
    auto body = coordinator->roundtrip(api::kHeartbeat, v, encode_heartbeat(cfg.group_id, gen, mid, v),
                                       deadline(std::min(cfg.request_timeout, cfg.session_timeout)));
    if (!body.ok()) {
      drop_coordinator("Heartbeat: " + body.error().message);
      return;
    }
    auto e = decode_error_only(*body, v);
    if (!e.ok()) {
      drop_coordinator(e.error().message);
      return;
    }
    if (*e != 0) {
      handle_group_error("Heartbeat", *e, "");
      return;
    }
    std::lock_guard<std::mutex> lock(mu);
    ++stats.heartbeats;
  }

  void leave_group() {
    std::string mid;
    {
      std::lock_guard<std::mutex> lock(mu);
      mid = member_id;
    }
    if (mid.empty()) return;
    auto dl = deadline(std::min(cfg.request_timeout, std::chrono::milliseconds(5000)));
    // close() aborted whatever was in flight; this one request must go out.
    abort_io = false;
    if (!coordinator || coordinator->broken()) {
      coordinator.reset();
      if (!find_coordinator_once()) return;
    }
    int16_t v = coordinator->version_for(api::kLeaveGroup, 0, kLeaveGroupMax);
    if (v < 0) return;
    auto body = coordinator->roundtrip(api::kLeaveGroup, v, encode_leave_group(cfg.group_id, mid, v), dl);
    if (body.ok()) {
      auto e = decode_error_only(*body, v);
      log::debug(kLog, "group ", cfg.group_id, ": left as ", mid,
                 (e.ok() && *e != 0 ? " (" + error_name(*e) + ")" : std::string()));
    }
    reset_member();
  }

  void run() {
    auto next_heartbeat = SteadyClock::now();
    while (!stopped()) {
      if (!coordinator) {
        // After a loss, do not hammer the cluster: wait one backoff before looking again.
        if (coordinator_lost_at != SteadyClock::time_point{}) pause(cfg.retry_backoff);
        if (stopped()) break;
        if (!find_coordinator()) {
          if (stopped()) break;
          if (had_assignment && !lost_reported && coordinator_lost_at != SteadyClock::time_point{} &&
              SteadyClock::now() - coordinator_lost_at >= cfg.heartbeat_interval) {
            lost_reported = true;
            if (cb.on_lost) cb.on_lost("group coordinator unreachable for " +
                                       std::to_string(cfg.heartbeat_interval.count()) + " ms");
          }
          pause(cfg.retry_backoff);
          continue;
        }
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        if (rejoin_requested) need_rejoin = true;
      }
      if (need_rejoin) {
        join_and_sync();
        if (!need_rejoin) next_heartbeat = SteadyClock::now() + cfg.heartbeat_interval;
        continue;
      }
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait_until(lock, next_heartbeat, [&] { return stopping || rejoin_requested; });
        if (stopping) break;
        if (rejoin_requested) {
          stable = false;
          continue;
        }
      }
      heartbeat_once();
      next_heartbeat = SteadyClock::now() + cfg.heartbeat_interval;
    }
    // Closing: the stop flag aborted whatever was in flight.
    leave_group();
    if (coordinator) coordinator->close();
  }
};

GroupClient::GroupClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<GroupClient>> GroupClient::start(GroupClientConfig config, GroupCallbacks callbacks) {
  if (config.group_id.empty()) return Error::fatal("group client: group.id is empty");
  if (!callbacks.protocols || !callbacks.perform_assignment || !callbacks.on_assign)
    return Error::fatal("group client: protocols, perform_assignment and on_assign are required");
  if (config.session_timeout.count() <= 0 || config.heartbeat_interval.count() <= 0 ||
      config.heartbeat_interval >= config.session_timeout)
    return Error::fatal("group client: heartbeat interval must be positive and below the session timeout");
  if (config.rebalance_timeout.count() <= 0 || config.request_timeout.count() <= 0)
    return Error::fatal("group client: timeouts must be positive");
  auto servers = parse_bootstrap_servers(config.bootstrap_servers);
  if (!servers.ok()) return servers.error();
  auto impl = std::make_unique<Impl>();
  impl->cfg = std::move(config);
  impl->cb = std::move(callbacks);
  impl->bootstrap = std::move(*servers);
  Impl* raw = impl.get();
  std::unique_ptr<GroupClient> client(new GroupClient(std::move(impl)));
  raw->thread = std::thread([raw] { raw->run(); });
  return client;
}

GroupClient::~GroupClient() { close(); }

void GroupClient::close() {
  if (!impl_) return;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->abort_io = true;  // before stop_flag: leave_group() clears it after the loop sees stop_flag
  impl_->stop_flag = true;
  impl_->cv.notify_all();
  // From a callback (the membership thread itself): the loop ends when the callback
  // returns, and the destructor joins.
  if (impl_->thread.joinable() && impl_->thread.get_id() != std::this_thread::get_id()) impl_->thread.join();
}

void GroupClient::request_rejoin() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->rejoin_requested = true;
    impl_->stable = false;
  }
  impl_->cv.notify_all();
}

int32_t GroupClient::generation() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->generation;
}
std::string GroupClient::member_id() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->member_id;
}
bool GroupClient::is_leader() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return !impl_->member_id.empty() && impl_->member_id == impl_->leader_id;
}
bool GroupClient::stable() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->stable;
}
GroupClientStats GroupClient::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->stats;
}
std::string GroupClient::last_error() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->last_error;
}

}  // namespace sluice::kafka
