// The group client against a real single-node Kafka (tests/support/kafka_cluster.py): version
// negotiation with a real broker, JoinGroup v4+'s MEMBER_ID_REQUIRED round trip, the
// coordinator's protocol choice, a graceful leave.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/kafka/connect_protocol.h"
#include "runtime/kafka/group_client.h"
#include "tests/support/real_kafka.h"

using namespace sluice::kafka;
using namespace std::chrono_literals;

namespace {

bool wait_for(const std::function<bool()>& cond, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return cond();
}

struct Worker {
  std::string url;
  std::mutex mu;
  std::vector<GroupAssignment> got;
  std::vector<GroupJoin> led;
  std::unique_ptr<GroupClient> client;

  void start(const std::string& bootstrap) {
    GroupClientConfig cfg;
    cfg.bootstrap_servers = bootstrap;
    cfg.group_id = "sluice-real-group";
    cfg.session_timeout = 10000ms;
    cfg.heartbeat_interval = 1000ms;
    cfg.rebalance_timeout = 10000ms;
    GroupCallbacks cb;
    cb.protocols = [this] {
      WorkerMetadata m;
      m.url = url;
      m.config_offset = 7;
      std::vector<GroupProtocol> out;
      for (auto& p : connect_join_protocols(ConnectProtocol::Sessioned, m)) out.push_back({p.name, p.metadata});
      return out;
    };
    cb.perform_assignment = [this](const GroupJoin& j) {
      std::map<std::string, std::string> out;
      for (const auto& m : j.members) {
        ConnectAssignment a;
        a.version = 2;
        a.leader = j.leader_id;
        a.leader_url = url;
        a.config_offset = 7;
        a.assigned = {{"conn-" + m.member_id, {kConnectorTaskId, 0}}};
        out[m.member_id] = encode_connect_assignment(a);
      }
      std::lock_guard<std::mutex> lock(mu);
      led.push_back(j);
      return out;
    };
    cb.on_assign = [this](const GroupAssignment& a) {
      std::lock_guard<std::mutex> lock(mu);
      got.push_back(a);
    };
    auto c = GroupClient::start(cfg, cb);
    REQUIRE(c.ok());
    client = std::move(*c);
  }
  std::optional<GroupAssignment> last() {
    std::lock_guard<std::mutex> lock(mu);
    if (got.empty()) return std::nullopt;
    return got.back();
  }
};

}  // namespace

TEST_CASE("connect group members on a real Kafka", "[real-kafka]") {
  sluice::test::RealKafka kafka(1);
  Worker a, b;
  a.url = "http://w1:8083/";
  b.url = "http://w2:8083/";
  a.start(kafka.bootstrap());
  b.start(kafka.bootstrap());
  auto both = [&](int32_t after) {
    auto x = a.last(), y = b.last();
    return x && y && x->generation > after && x->generation == y->generation && a.client->stable() &&
           b.client->stable() && x->member_id != y->member_id;
  };
  REQUIRE(wait_for([&] { return both(-1); }, 60s));
  for (Worker* w : {&a, &b}) {
    auto g = w->last();
    CHECK(g->protocol == "sessioned");
    auto asg = decode_connect_assignment(g->assignment);
    REQUIRE(asg.ok());
    REQUIRE(asg->assigned.size() == 1);
    CHECK(asg->assigned[0].connector == "conn-" + g->member_id);
  }
  Worker* leader = a.client->is_leader() ? &a : &b;
  Worker* follower = leader == &a ? &b : &a;
  {
    std::lock_guard<std::mutex> lock(leader->mu);
    REQUIRE(leader->led.back().members.size() == 2);
    for (const auto& m : leader->led.back().members) {
      auto meta = decode_worker_metadata(m.metadata);
      REQUIRE(meta.ok());
      CHECK(meta->version == 2);
      CHECK(meta->config_offset == 7);
    }
  }
  // A graceful leave: the survivor gets a generation of its own quickly (no session wait).
  int32_t gen = leader->last()->generation;
  auto t0 = std::chrono::steady_clock::now();
  follower->client->close();
  REQUIRE(wait_for([&] {
    auto x = leader->last();
    return x && x->generation > gen && leader->client->stable();
  }, 30s));
  CHECK(std::chrono::steady_clock::now() - t0 < 8s);
  {
    std::lock_guard<std::mutex> lock(leader->mu);
    CHECK(leader->led.back().members.size() == 1);
  }
  leader->client->close();
}
