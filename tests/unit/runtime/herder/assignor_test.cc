// Assignor properties (spec kafka-connect.md §3.5): balance, stickiness, revocation and the
// delayed reassignment of lost work, on a simulated group that applies every plan.
#include <catch2/catch.hpp>

#include <random>

#include "runtime/herder/assignor.h"

using namespace sluice::herder;

namespace {

// A group whose members apply their plans as Connect workers do: new set = old - revoked + assigned.
struct Group {
  IncrementalAssignor assignor;
  std::map<std::string, WorkSet> state;
  int32_t generation = 0;
  int64_t now = 1'000'000;
  int32_t last_delay = 0;
  int revocations = 0;

  explicit Group(int64_t max_delay) : assignor(max_delay) {}

  std::map<std::string, MemberPlan> round(const Configured& c) {
    int32_t last = generation;
    ++generation;
    auto plans = assignor.assign(c, state, last, generation, now);
    last_delay = 0;
    for (auto& [m, p] : plans) {
      for (auto& r : p.revoked) {
        REQUIRE(state[m].count(r));  // only what the member holds is revoked
        state[m].erase(r);
        ++revocations;
      }
      for (auto& a : p.assigned) {
        REQUIRE_FALSE(state[m].count(a));  // assignments are increments
        state[m].insert(a);
      }
      last_delay = p.delay_ms;
    }
    return plans;
  }
  // Rounds until nothing moves and no follow-up is scheduled (as members rejoin after a
  // revocation or after a delay), advancing the clock past each delay.
  int settle(const Configured& c) {
    for (int i = 0; i < 50; ++i) {
      auto plans = round(c);
      bool moved = false;
      for (auto& [_, p] : plans) moved = moved || !p.assigned.empty() || !p.revoked.empty();
      if (!moved && last_delay == 0) return i + 1;
      now += last_delay;
    }
    FAIL("the assignment never settled");
    return -1;
  }
};

void check_exactly_once(const Group& g, const Configured& c) {
  std::map<WorkItem, int> count;
  for (auto& [_, set] : g.state)
    for (auto& w : set) ++count[w];
  WorkSet want = configured_work(c);
  for (auto& w : want) {
    INFO(w.connector << " " << w.task);
    CHECK(count[w] == 1);
  }
  for (auto& [w, n] : count) CHECK(want.count(w) == 1);
}

void check_balanced(const Group& g) {
  size_t cmin = SIZE_MAX, cmax = 0, tmin = SIZE_MAX, tmax = 0;
  for (auto& [_, set] : g.state) {
    size_t c = 0, t = 0;
    for (auto& w : set) (w.is_connector() ? c : t)++;
    cmin = std::min(cmin, c), cmax = std::max(cmax, c), tmin = std::min(tmin, t), tmax = std::max(tmax, t);
  }
  CHECK(cmax - cmin <= 1);
  CHECK(tmax - tmin <= 1);
}

}  // namespace

TEST_CASE("eager: connectors then tasks round-robin over sorted members") {
  auto a = eager_assign({{"a", 2}, {"b", 3}}, {"w2", "w1", "w3"});
  CHECK(a["w1"] == WorkSet{{"a", -1}, {"a", 1}, {"b", 2}});
  CHECK(a["w2"] == WorkSet{{"b", -1}, {"b", 0}});
  CHECK(a["w3"] == WorkSet{{"a", 0}, {"b", 1}});
}

TEST_CASE("cooperative: every configured item runs exactly once, balanced, for random groups") {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    Group g(0);
    Configured c;
    int connectors = std::uniform_int_distribution<>(0, 6)(rng);
    for (int i = 0; i < connectors; ++i) c["c" + std::to_string(i)] = std::uniform_int_distribution<>(0, 9)(rng);
    int members = std::uniform_int_distribution<>(1, 6)(rng);
    for (int m = 0; m < members; ++m) g.state["m" + std::to_string(m)];
    g.settle(c);
    check_exactly_once(g, c);
    check_balanced(g);
    // Random churn: a member joins or leaves, a connector changes its task count.
    for (int step = 0; step < 4; ++step) {
      int what = std::uniform_int_distribution<>(0, 2)(rng);
      if (what == 0) g.state["n" + std::to_string(trial) + "-" + std::to_string(step)];
      if (what == 1 && g.state.size() > 1) g.state.erase(g.state.begin());
      if (what == 2 && !c.empty()) c.begin()->second = std::uniform_int_distribution<>(0, 9)(rng);
      g.settle(c);
      check_exactly_once(g, c);
      check_balanced(g);
    }
  }
}

TEST_CASE("cooperative: a new member takes only its share; nothing else moves") {
  Group g(0);
  Configured c{{"a", 6}, {"b", 6}};
  g.state["w1"], g.state["w2"], g.state["w3"];
  g.settle(c);
  auto before = g.state;
  g.revocations = 0;
  g.state["w4"];
  g.settle(c);
  check_balanced(g);
  // 14 items over 4 members: w4 gets 3 or 4 (1 connector at most, 3 tasks), and exactly those
  // were revoked from the others; every other item stayed where it was.
  size_t moved = g.state["w4"].size();
  CHECK(g.revocations == static_cast<int>(moved));
  for (auto& [m, set] : before)
    for (auto& w : set)
      if (!g.state["w4"].count(w)) CHECK(g.state[m].count(w));
}

TEST_CASE("cooperative: deleted work is revoked, duplicated work is revoked from every holder") {
  Group g(0);
  Configured c{{"a", 2}, {"b", 2}};
  g.state["w1"], g.state["w2"];
  g.settle(c);
  c.erase("a");
  auto plans = g.round(c);
  int revoked_a = 0;
  for (auto& [_, p] : plans)
    for (auto& w : p.revoked) revoked_a += w.connector == "a";
  CHECK(revoked_a == 3);
  g.settle(c);
  check_exactly_once(g, c);

  g.state["w1"].insert({"b", 0});
  g.state["w2"].insert({"b", 0});
  plans = g.round(c);
  CHECK(plans["w1"].revoked.count({"b", 0}));
  CHECK(plans["w2"].revoked.count({"b", 0}));
  g.settle(c);
  check_exactly_once(g, c);
}

TEST_CASE("cooperative: lost work waits for the delay, then goes to the returning worker") {
  Group g(5000);
  Configured c{{"a", 4}};
  g.state["w1"], g.state["w2"], g.state["w3"];
  g.settle(c);
  WorkSet w3_had = g.state["w3"];
  REQUIRE_FALSE(w3_had.empty());
  g.state.erase("w3");  // SIGKILLed
  g.round(c);
  CHECK(g.last_delay > 0);
  CHECK(g.last_delay <= 5000);
  CHECK(g.assignor.lost_pending() == w3_had);
  for (auto& w : w3_had) {
    CHECK_FALSE(g.state["w1"].count(w));
    CHECK_FALSE(g.state["w2"].count(w));
  }
  // The replacement joins with nothing before the delay ends: it is a candidate.
  g.now += 2000;
  g.state["w3b"];
  g.round(c);
  CHECK(g.last_delay > 0);
  CHECK(g.last_delay <= 3000);
  g.now += g.last_delay;
  g.round(c);
  CHECK(g.state["w3b"] == w3_had);
  g.settle(c);
  check_exactly_once(g, c);
  check_balanced(g);
}

TEST_CASE("cooperative: with no returning worker lost work is spread after the delay; 0 means at once") {
  Group g(3000);
  Configured c{{"a", 5}, {"b", 1}};
  g.state["w1"], g.state["w2"], g.state["w3"];
  g.settle(c);
  g.state.erase("w2");
  g.round(c);
  CHECK(g.last_delay == 3000);
  g.now += 3000;
  g.settle(c);
  check_exactly_once(g, c);
  check_balanced(g);

  Group now(0);
  now.state["w1"], now.state["w2"];
  now.settle(c);
  now.state.erase("w1");
  now.round(c);
  CHECK(now.last_delay == 0);
  check_exactly_once(now, c);
}

TEST_CASE("cooperative: a new leader without memory of the previous round keeps what runs") {
  Group g(5000);
  Configured c{{"a", 3}};
  g.state["w1"], g.state["w2"];
  g.settle(c);
  auto before = g.state;
  IncrementalAssignor fresh(5000);  // the leader changed
  auto plans = fresh.assign(c, g.state, -1, g.generation + 1, g.now);
  for (auto& [m, p] : plans) {
    CHECK(p.revoked.empty());
    CHECK(p.assigned.empty());
  }
}

TEST_CASE("cooperative: revoking two rounds in a row backs off 40 ms") {
  Group g(60000);
  Configured c{{"a", 8}};
  g.state["w1"];
  g.settle(c);
  g.state["w2"];
  g.round(c);  // revokes from w1
  CHECK(g.revocations > 0);
  g.state["w3"];  // another joins right away: balancing wants to revoke again
  g.round(c);
  CHECK(g.last_delay == 40);
  g.now += 40;
  g.settle(c);
  check_balanced(g);
  check_exactly_once(g, c);
}
