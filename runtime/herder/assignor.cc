#include "runtime/herder/assignor.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sluice::herder {

namespace {

WorkSet minus(const WorkSet& a, const WorkSet& b) {
  WorkSet out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

size_t count_kind(const WorkSet& s, bool connectors) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [&](const WorkItem& w) { return w.is_connector() == connectors; }));
}

// The member with the fewest items of the kind, ties by member id.
const std::string& least_loaded(const std::map<std::string, WorkSet>& next, bool connectors) {
  const std::string* best = nullptr;
  size_t best_load = std::numeric_limits<size_t>::max();
  for (auto& [m, set] : next) {
    size_t load = count_kind(set, connectors);
    if (load < best_load) {
      best = &m;
      best_load = load;
    }
  }
  return *best;
}

// Revocations that bring every member to min or min+1 (at most `extra` members keep min+1)
// for one kind of work, taken from the front of each over-loaded member's list.
void balance_kind(const std::map<std::string, WorkSet>& next, size_t total, bool connectors,
                  std::map<std::string, WorkSet>& revoke) {
  size_t n = next.size();
  if (n == 0) return;
  size_t min = total / n, extra = total % n;
  std::vector<std::pair<size_t, std::string>> loads;
  for (auto& [m, set] : next) loads.push_back({count_kind(set, connectors), m});
  std::sort(loads.begin(), loads.end(), [](auto& a, auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  for (auto& [load, m] : loads) {
    size_t cap = min;
    if (load > min && extra > 0) {
      cap = min + 1;
      --extra;
    }
    if (load <= cap) continue;
    size_t excess = load - cap;
    for (auto& item : next.at(m)) {
      if (excess == 0) break;
      if (item.is_connector() != connectors) continue;
      revoke[m].insert(item);
      --excess;
    }
  }
}

}  // namespace

WorkSet configured_work(const Configured& c) {
  WorkSet out;
  for (auto& [name, tasks] : c) {
    out.insert({name, -1});
    for (int i = 0; i < tasks; ++i) out.insert({name, i});
  }
  return out;
}

std::map<std::string, WorkSet> eager_assign(const Configured& configured, const std::vector<std::string>& members) {
  std::map<std::string, WorkSet> out;
  if (members.empty()) return out;
  std::vector<std::string> sorted = members;
  std::sort(sorted.begin(), sorted.end());
  for (auto& m : sorted) out[m];
  size_t next = 0;
  // Connectors round-robin, then the tasks continuing the same circular iterator.
  for (auto& [name, _] : configured) out[sorted[next++ % sorted.size()]].insert({name, -1});
  for (auto& [name, tasks] : configured)
    for (int i = 0; i < tasks; ++i) out[sorted[next++ % sorted.size()]].insert({name, i});
  return out;
}

int64_t IncrementalAssignor::remaining_delay(int64_t now_ms) const {
  return std::max<int64_t>(0, std::min(scheduled_rebalance_ - now_ms, max_delay_ms_));
}

std::map<std::string, MemberPlan> IncrementalAssignor::assign(const Configured& configured_counts,
                                                              const std::map<std::string, WorkSet>& current,
                                                              int32_t last_completed_generation, int32_t generation,
                                                              int64_t now_ms) {
  // A new leader, or a sync that did not complete: what this leader remembers is not the
  // group's state any more.
  if (previous_generation_ != last_completed_generation) previous_.clear();
  WorkSet configured = configured_work(configured_counts);
  WorkSet active;
  std::map<WorkItem, int> holders;
  for (auto& [m, set] : current)
    for (auto& item : set) {
      active.insert(item);
      ++holders[item];
    }
  for (auto& item : previous_revocations_)
    if (active.count(item)) {
      previous_ = active;  // last round's revocations did not happen: start from what runs
      break;
    }
  previous_revocations_.clear();

  std::map<std::string, WorkSet> next = current;
  std::map<std::string, WorkSet> revoke;
  std::set<std::string> members;
  for (auto& [m, _] : current) members.insert(m);

  // Deleted work (gone from the config, still held or remembered) and work held twice.
  WorkSet known = previous_;
  known.insert(active.begin(), active.end());
  WorkSet deleted = minus(known, configured);
  for (auto& [m, set] : current)
    for (auto& item : set)
      if (deleted.count(item) || holders[item] > 1) {
        revoke[m].insert(item);
        next[m].erase(item);
      }
  WorkSet lost = minus(minus(previous_, active), deleted);
  WorkSet created = minus(minus(configured, previous_), active);

  // Lost work: at once, or after the scheduled delay for its worker to come back.
  int32_t delay = 0;
  WorkSet to_reassign;
  WorkSet held;
  bool all_previous_present = std::includes(members.begin(), members.end(), previous_members_.begin(),
                                            previous_members_.end());
  if (lost.empty()) {
    scheduled_rebalance_ = 0;
    candidates_.clear();
  } else if (max_delay_ms_ <= 0 || (scheduled_rebalance_ == 0 && all_previous_present)) {
    to_reassign = lost;
  } else if (scheduled_rebalance_ > 0 && now_ms >= scheduled_rebalance_) {
    std::vector<std::string> present;
    for (auto& c : candidates_)
      if (members.count(c)) present.push_back(c);
    size_t i = 0;
    for (auto& item : lost) {
      if (present.empty()) to_reassign.insert(item);
      else next[present[i++ % present.size()]].insert(item);
    }
    scheduled_rebalance_ = 0;
    candidates_.clear();
  } else {
    for (auto& [m, set] : next)
      if (set.empty()) candidates_.insert(m);
    if (scheduled_rebalance_ == 0) scheduled_rebalance_ = now_ms + max_delay_ms_;
    delay = static_cast<int32_t>(std::max<int64_t>(1, remaining_delay(now_ms)));
    held = lost;
  }

  // Load balancing, never while a delay is pending.
  if (delay == 0) {
    std::map<std::string, WorkSet> balance;
    balance_kind(next, count_kind(configured, true), true, balance);
    balance_kind(next, count_kind(configured, false), false, balance);
    if (!balance.empty()) {
      if (revoked_in_previous_ && max_delay_ms_ > 0) {
        // Revoking two rounds in a row: back off 40 ms, 1.6 s, 64 s, ... up to the max delay.
        ++successive_revoking_rounds_;
        double backoff = std::pow(40.0, successive_revoking_rounds_);
        delay = static_cast<int32_t>(std::min<double>(backoff, static_cast<double>(max_delay_ms_)));
        revoked_in_previous_ = false;
      } else {
        for (auto& [m, set] : balance)
          for (auto& item : set) {
            revoke[m].insert(item);
            next[m].erase(item);
          }
        revoked_in_previous_ = true;
      }
    } else {
      revoked_in_previous_ = false;
      successive_revoking_rounds_ = 0;
    }
  }

  // New and reassigned work: connectors first, then tasks, each to the least loaded member.
  WorkSet incoming = created;
  incoming.insert(to_reassign.begin(), to_reassign.end());
  if (!next.empty()) {
    for (bool connectors : {true, false})
      for (auto& item : incoming)
        if (item.is_connector() == connectors) next[least_loaded(next, connectors)].insert(item);
  } else {
    held.insert(incoming.begin(), incoming.end());
  }

  std::map<std::string, MemberPlan> plans;
  previous_.clear();
  for (auto& [m, set] : next) {
    MemberPlan& p = plans[m];
    WorkSet base = current.at(m);
    p.assigned = minus(set, base);
    p.revoked = revoke[m];
    p.delay_ms = delay;
    previous_.insert(set.begin(), set.end());
    previous_revocations_.insert(p.revoked.begin(), p.revoked.end());
  }
  previous_.insert(held.begin(), held.end());
  lost_pending_ = held;
  previous_members_ = members;
  previous_generation_ = generation;
  delay_ = delay;
  return plans;
}

}  // namespace sluice::herder
