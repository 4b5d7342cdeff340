#pragma once
// Connector and task states as Connect names them in REST and the status topic.

#include <mutex>
#include <string>

namespace sluice::worker {

enum class State { Unassigned, Running, Paused, Failed, Restarting, Stopped };

inline const char* state_name(State s) {
  switch (s) {
    case State::Unassigned: return "UNASSIGNED";
    case State::Running: return "RUNNING";
    case State::Paused: return "PAUSED";
    case State::Failed: return "FAILED";
    case State::Restarting: return "RESTARTING";
    case State::Stopped: return "STOPPED";
  }
  return "UNASSIGNED";
}

struct StatusSnapshot {
  State state = State::Unassigned;
  std::string trace;  // the failure, for FAILED
};

// Written by a task thread, read by the herder.
class StatusCell {
 public:
  void set(State s, std::string trace = {}) {
    std::lock_guard lock(mu_);
    v_ = {s, std::move(trace)};
  }
  StatusSnapshot get() const {
    std::lock_guard lock(mu_);
    return v_;
  }

 private:
  mutable std::mutex mu_;
  StatusSnapshot v_;
};

}  // namespace sluice::worker
