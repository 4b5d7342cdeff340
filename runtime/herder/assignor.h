#pragma once
// Connect's two assignors (spec kafka-connect.md §3.5), as pure computations the leader runs
// on every rebalance: eager (connect.protocol=eager: every member gets its full set, all work
// stops during a rebalance) and incremental cooperative (KIP-415: members keep their work,
// the leader revokes only what must move, and lost work waits up to
// scheduled.rebalance.max.delay.ms for its worker to come back).

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace sluice::herder {

// One unit of work: a Connector instance (task == -1) or a task.
struct WorkItem {
  std::string connector;
  int task = -1;
  auto operator<=>(const WorkItem&) const = default;
  bool is_connector() const { return task < 0; }
};
using WorkSet = std::set<WorkItem>;

// What exists in the config snapshot: connector -> committed task count.
using Configured = std::map<std::string, int>;
WorkSet configured_work(const Configured& c);

// Per member: its whole new set.
std::map<std::string, WorkSet> eager_assign(const Configured& configured, const std::vector<std::string>& members);

struct MemberPlan {
  WorkSet assigned;  // newly added (cooperative) or everything (eager)
  WorkSet revoked;
  int32_t delay_ms = 0;
};

class IncrementalAssignor {
 public:
  explicit IncrementalAssignor(int64_t max_delay_ms) : max_delay_ms_(max_delay_ms) {}

  // One round. `current`: every member's allocation from its metadata (members without one
  // map to an empty set). `last_completed_generation` is the generation of this member's
  // last successful sync (-1 if none), `generation` the one being assigned.
  std::map<std::string, MemberPlan> assign(const Configured& configured,
                                           const std::map<std::string, WorkSet>& current,
                                           int32_t last_completed_generation, int32_t generation,
                                           int64_t now_ms);

  // What the assignor regards as lost and held back for a returning worker (for status).
  const WorkSet& lost_pending() const { return lost_pending_; }
  int32_t delay_ms() const { return delay_; }

 private:
  int64_t remaining_delay(int64_t now_ms) const;

  int64_t max_delay_ms_;
  WorkSet previous_;
  WorkSet previous_revocations_;
  std::set<std::string> previous_members_;
  int32_t previous_generation_ = -1;
  int64_t scheduled_rebalance_ = 0;  // ms; 0: none
  int32_t delay_ = 0;
  std::set<std::string> candidates_;
  bool revoked_in_previous_ = false;
  int successive_revoking_rounds_ = 0;
  WorkSet lost_pending_;
};

}  // namespace sluice::herder
