// Group members in one process against librdkafka's mock cluster, protocol type "connect".
// Every wait polls a condition with a deadline.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "runtime/kafka/connect_protocol.h"
#include "runtime/kafka/group_client.h"
#include "runtime/kafka/mock_cluster.h"

using namespace sluice;
using namespace sluice::kafka;
using namespace std::chrono_literals;

namespace {

bool wait_for(const std::function<bool()>& cond, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return cond();
}

// One member: offers Connect metadata with its own url, and as leader assigns each member
// "<member id>@<generation>".
struct Member {
  std::string url;
  ConnectProtocol protocol;
  std::vector<GroupProtocol> offered;  // what the last JoinGroup carried
  std::mutex mu;
  std::vector<GroupAssignment> assignments;
  std::vector<GroupJoin> led;  // joins this member saw as leader
  std::map<std::string, std::string> last_assigned;
  int prepares = 0;
  std::unique_ptr<GroupClient> client;

  Member(std::string u, ConnectProtocol p) : url(std::move(u)), protocol(p) {}

  void start(const MockCluster& cluster, const std::string& group) {
    GroupClientConfig cfg;
    cfg.bootstrap_servers = cluster.bootstrap_servers();
    cfg.group_id = group;
    cfg.session_timeout = 4000ms;
    cfg.heartbeat_interval = 500ms;
    cfg.rebalance_timeout = 10000ms;
    cfg.request_timeout = 10000ms;
    cfg.leader_sync_delay = 200ms;
    cfg.connection.client_id = "test-" + url;
    GroupCallbacks cb;
    cb.protocols = [this] {
      WorkerMetadata m;
      m.url = url;
      m.config_offset = 42;
      std::vector<GroupProtocol> out;
      for (auto& p : connect_join_protocols(protocol, m)) out.push_back({p.name, p.metadata});
      std::lock_guard<std::mutex> lock(mu);
      offered = out;
      return out;
    };
    cb.on_join_prepare = [this](int32_t, const std::string&) {
      std::lock_guard<std::mutex> lock(mu);
      ++prepares;
    };
    cb.perform_assignment = [this](const GroupJoin& j) {
      std::map<std::string, std::string> out;
      for (const auto& m : j.members) out[m.member_id] = m.member_id + "@" + std::to_string(j.generation);
      std::lock_guard<std::mutex> lock(mu);
      led.push_back(j);
      last_assigned = out;
      return out;
    };
    cb.on_assign = [this](const GroupAssignment& a) {
      std::lock_guard<std::mutex> lock(mu);
      assignments.push_back(a);
    };
    auto c = GroupClient::start(cfg, cb);
    REQUIRE(c.ok());
    client = std::move(*c);
  }

  std::optional<GroupAssignment> last() {
    std::lock_guard<std::mutex> lock(mu);
    if (assignments.empty()) return std::nullopt;
    return assignments.back();
  }
  std::string offered_metadata(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& p : offered)
      if (p.name == name) return p.metadata;
    return {};
  }
};

// All members stable in one generation, and that generation's leader saw exactly them.
bool settled(std::vector<Member*> members, int32_t after_generation = -1) {
  int32_t gen = -2;
  std::set<std::string> ids;
  for (auto* m : members) {
    if (!m->client->stable()) return false;
    auto a = m->last();
    if (!a || a->generation <= after_generation) return false;
    if (gen != -2 && a->generation != gen) return false;
    gen = a->generation;
    ids.insert(a->member_id);
  }
  if (ids.size() != members.size()) return false;
  for (auto* m : members) {
    std::lock_guard<std::mutex> lock(m->mu);
    if (!m->led.empty() && m->led.back().generation == gen) {
      std::set<std::string> seen;
      for (const auto& x : m->led.back().members) seen.insert(x.member_id);
      return seen == ids;
    }
  }
  return false;
}

Member* leader_of(std::vector<Member*> members) {
  for (auto* m : members)
    if (m->client->is_leader()) return m;
  return nullptr;
}

}  // namespace

TEST_CASE("three connect members form a group, survive an injected rebalance and a leave") {
  auto cluster = MockCluster::start(3);
  REQUIRE(cluster.ok());
  auto& mc = **cluster;
  Member a("http://w1:8083/", ConnectProtocol::Sessioned);
  Member b("http://w2:8083/", ConnectProtocol::Sessioned);
  Member c("http://w3:8083/", ConnectProtocol::Sessioned);
  a.start(mc, "connect-cluster");
  b.start(mc, "connect-cluster");
  c.start(mc, "connect-cluster");
  std::vector<Member*> all = {&a, &b, &c};

  REQUIRE(wait_for([&] { return settled(all); }, 40s));
  Member* leader = leader_of(all);
  REQUIRE(leader != nullptr);
  int32_t gen = a.last()->generation;
  std::map<std::string, Member*> by_id;
  for (auto* x : all) by_id[x->last()->member_id] = x;
  {
    GroupJoin j;
    {
      std::lock_guard<std::mutex> lock(leader->mu);
      j = leader->led.back();
    }
    CHECK(j.protocol == "sessioned");
    REQUIRE(j.members.size() == 3);
    // The leader got every member's metadata verbatim, and it decodes as Connect metadata.
    for (const auto& m : j.members) {
      REQUIRE(by_id.count(m.member_id) == 1);
      Member* owner = by_id[m.member_id];
      CHECK(m.metadata == owner->offered_metadata("sessioned"));
      auto meta = decode_worker_metadata(m.metadata);
      REQUIRE(meta.ok());
      CHECK(meta->version == 2);
      CHECK(meta->url == owner->url);
      CHECK(meta->config_offset == 42);
    }
  }
  // Every member received exactly the bytes the leader assigned to it.
  for (auto* m : all) {
    auto asg = m->last();
    CHECK(asg->protocol == "sessioned");
    CHECK(asg->leader_id == leader->client->member_id());
    CHECK(asg->assignment == asg->member_id + "@" + std::to_string(gen));
    CHECK(m->client->generation() == gen);
  }
  // Heartbeats flow while stable.
  REQUIRE(wait_for([&] { return a.client->stats().heartbeats >= 2; }, 10s));

  SECTION("an injected Heartbeat REBALANCE_IN_PROGRESS forces a clean rejoin") {
    std::map<Member*, std::string> ids;
    std::map<Member*, int> prepares;
    for (auto* m : all) {
      ids[m] = m->client->member_id();
      std::lock_guard<std::mutex> lock(m->mu);
      prepares[m] = m->prepares;
    }
    REQUIRE(mc.push_request_errors(12, {27}).ok());
    REQUIRE(wait_for([&] { return settled(all, gen); }, 40s));
    int rejoins = 0;
    for (auto* m : all) {
      rejoins += m->client->stats().rejoin_errors;
      CHECK(m->client->member_id() == ids[m]);  // REBALANCE_IN_PROGRESS keeps the member id
      std::lock_guard<std::mutex> lock(m->mu);
      CHECK(m->prepares > prepares[m]);
    }
    CHECK(rejoins >= 1);
    int32_t gen2 = a.last()->generation;
    CHECK(gen2 > gen);
    for (auto* m : all) CHECK(m->last()->assignment == m->last()->member_id + "@" + std::to_string(gen2));
  }

  SECTION("a dropped coordinator connection makes the member find the coordinator and rejoin") {
    int lookups = 0;
    for (auto* m : all) lookups += m->client->stats().coordinator_lookups;
    REQUIRE(mc.push_request_errors(12, {-195}).ok());  // the broker drops the connection
    REQUIRE(wait_for([&] { return settled(all, gen); }, 40s));
    int after = 0;
    for (auto* m : all) after += m->client->stats().coordinator_lookups;
    CHECK(after > lookups);
  }

  SECTION("a member leaving triggers a new generation without it") {
    Member* leaving = (leader == &c) ? &b : &c;
    std::string gone = leaving->client->member_id();
    auto t0 = std::chrono::steady_clock::now();
    leaving->client->close();
    CHECK(std::chrono::steady_clock::now() - t0 < 6s);  // LeaveGroup is bounded
    std::vector<Member*> rest;
    for (auto* m : all)
      if (m != leaving) rest.push_back(m);
    REQUIRE(wait_for([&] { return settled(rest, gen); }, 40s));
    Member* l2 = leader_of(rest);
    REQUIRE(l2 != nullptr);
    std::lock_guard<std::mutex> lock(l2->mu);
    REQUIRE(l2->led.back().members.size() == 2);
    for (const auto& m : l2->led.back().members) CHECK(m.member_id != gone);
  }
  for (auto* m : all) m->client->close();
}

TEST_CASE("eager members join through injected coordinator errors and request_rejoin works") {
  auto cluster = MockCluster::start(1);
  REQUIRE(cluster.ok());
  auto& mc = **cluster;
  // JoinGroup COORDINATOR_NOT_AVAILABLE twice, then MEMBER_ID_REQUIRED (retried with the
  // id the answer carries).
  REQUIRE(mc.push_request_errors(11, {15, 15, 79}).ok());
  Member a("http://w1:8083/", ConnectProtocol::Eager);
  Member b("http://w2:8083/", ConnectProtocol::Eager);
  a.start(mc, "eager-cluster");
  b.start(mc, "eager-cluster");
  std::vector<Member*> all = {&a, &b};
  REQUIRE(wait_for([&] { return settled(all); }, 40s));
  CHECK(a.last()->protocol == "default");
  auto meta = decode_worker_metadata(a.offered_metadata("default"));
  REQUIRE(meta.ok());
  CHECK(meta->version == 0);
  int32_t gen = a.last()->generation;
  CHECK(a.client->stats().rejoin_errors + b.client->stats().rejoin_errors >= 3);

  b.client->request_rejoin();
  REQUIRE(wait_for([&] { return settled(all, gen); }, 40s));
  CHECK(b.last()->generation > gen);
  a.client->close();
  b.client->close();
  CHECK(a.client->member_id().empty());
}

TEST_CASE("a client with no reachable broker keeps retrying and closes promptly") {
  GroupClientConfig cfg;
  cfg.bootstrap_servers = "127.0.0.1:1";
  cfg.group_id = "g";
  cfg.session_timeout = 3000ms;
  cfg.heartbeat_interval = 1000ms;
  cfg.request_timeout = 2000ms;
  GroupCallbacks cb;
  cb.protocols = [] { return std::vector<GroupProtocol>{{"default", "x"}}; };
  cb.perform_assignment = [](const GroupJoin&) { return std::map<std::string, std::string>{}; };
  cb.on_assign = [](const GroupAssignment&) {};
  auto c = GroupClient::start(cfg, cb);
  REQUIRE(c.ok());
  REQUIRE(wait_for([&] { return (*c)->stats().coordinator_lookups >= 2; }, 10s));
  CHECK_FALSE((*c)->last_error().empty());
  auto t0 = std::chrono::steady_clock::now();
  (*c)->close();
  CHECK(std::chrono::steady_clock::now() - t0 < 3s);
  CHECK_FALSE((*c)->stable());

  GroupClientConfig bad = cfg;
  bad.heartbeat_interval = 5000ms;
  CHECK_FALSE(GroupClient::start(bad, cb).ok());
  bad = cfg;
  bad.bootstrap_servers = "nohost";
  CHECK_FALSE(GroupClient::start(bad, cb).ok());
}

TEST_CASE("a callback may close its own client; the member then leaves the group") {
  auto cluster = MockCluster::start(1);
  REQUIRE(cluster.ok());
  GroupClientConfig cfg;
  cfg.bootstrap_servers = (*cluster)->bootstrap_servers();
  cfg.group_id = "self-close";
  cfg.session_timeout = 3000ms;
  cfg.heartbeat_interval = 500ms;
  GroupCallbacks cb;
  std::atomic<int> assigned{0};
  std::atomic<GroupClient*> self{nullptr};  // set before the mock's 3 s initial join delay ends
  cb.protocols = [] { return std::vector<GroupProtocol>{{"default", "m"}}; };
  cb.perform_assignment = [](const GroupJoin& j) {
    std::map<std::string, std::string> out;
    for (const auto& m : j.members) out[m.member_id] = "a";
    return out;
  };
  cb.on_assign = [&](const GroupAssignment&) {
    ++assigned;
    self.load()->close();
  };
  auto c = GroupClient::start(cfg, cb);
  REQUIRE(c.ok());
  self = c->get();
  REQUIRE(wait_for([&] { return assigned.load() == 1 && (*c)->member_id().empty(); }, 20s));
  c->reset();  // joins the finished thread
  CHECK(assigned.load() == 1);
}
