#pragma once
// A member of a Kafka consumer group over the classic protocol (FindCoordinator, JoinGroup,
// SyncGroup, Heartbeat, LeaveGroup), for protocol types librdkafka does not speak, above all
// Kafka Connect's "connect". It knows nothing of Connect's payloads: the protocols offered
// and the assignment bytes come from callbacks, so Connect's assignor plugs in through
// perform_assignment.
//
// One thread per client runs the membership loop: find the coordinator, join (with the
// MEMBER_ID_REQUIRED retry), sync (the leader first computes every member's assignment),
// then heartbeat every heartbeat_interval. It rejoins on REBALANCE_IN_PROGRESS,
// ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID (the last two with a fresh member id),
// NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, a lost coordinator connection, INVALID_REQUEST
// from SyncGroup (librdkafka's mock answers a late follower so), and on request_rejoin().
// Callbacks run on that thread, one at a time; while one runs no heartbeat is sent, so they
// must return well within the session timeout. A callback may call request_rejoin() and
// close() (which then returns at once; the membership ends when the callback returns), but
// must not destroy the client.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "runtime/common/error.h"
#include "runtime/kafka/broker_connection.h"
#include "runtime/kafka/wire.h"

namespace sluice::kafka {

struct GroupClientConfig {
  std::string bootstrap_servers;  // "host:port,..."
  std::string group_id;
  std::string protocol_type = "connect";
  std::chrono::milliseconds session_timeout{10000};
  std::chrono::milliseconds heartbeat_interval{3000};
  std::chrono::milliseconds rebalance_timeout{60000};
  std::chrono::milliseconds request_timeout{30000};  // every request but JoinGroup
  std::chrono::milliseconds retry_backoff{200};
  // Test-only: the leader waits this long before its SyncGroup, so followers' SyncGroups
  // reach librdkafka's mock first (its bug: a follower syncing after the leader gets 42).
  std::chrono::milliseconds leader_sync_delay{0};
  ConnectionOptions connection;  // client id, stream (PLAINTEXT by default), authentication
};

// What JoinGroup returned, as the leader sees it.
struct GroupJoin {
  int32_t generation = -1;
  std::string member_id;
  std::string leader_id;
  std::string protocol;
  std::vector<JoinGroupMember> members;  // every member's id and metadata, verbatim
};

// What SyncGroup delivered to this member.
struct GroupAssignment {
  int32_t generation = -1;
  std::string member_id;
  std::string leader_id;
  std::string protocol;
  std::string assignment;
};

struct GroupCallbacks {
  // The protocols offered in each JoinGroup, in preference order (called before every join,
  // so metadata may change between rebalances). Required.
  std::function<std::vector<GroupProtocol>()> protocols;
  // Called once when a rebalance starts (before the first JoinGroup of the round), with the
  // generation and member id being left behind (-1 and "" before the first assignment).
  std::function<void(int32_t generation, const std::string& member_id)> on_join_prepare;
  // Leader only: member id -> assignment bytes. Members left out get empty bytes. Required.
  std::function<std::map<std::string, std::string>(const GroupJoin&)> perform_assignment;
  // Every member, after each successful SyncGroup. Required.
  std::function<void(const GroupAssignment&)> on_assign;
  // The coordinator has been unreachable for heartbeat_interval while this member held an
  // assignment (Connect then stops its work); called once per loss.
  std::function<void(const std::string& reason)> on_lost;
};

struct GroupClientStats {
  int joins = 0;           // successful JoinGroups
  int syncs = 0;           // successful SyncGroups
  int heartbeats = 0;      // successful Heartbeats
  int rejoin_errors = 0;   // error answers that led to a rejoin
  int coordinator_lookups = 0;
};

class GroupClient {
 public:
  // Validates the config and starts the membership thread.
  static Result<std::unique_ptr<GroupClient>> start(GroupClientConfig config, GroupCallbacks callbacks);

  // Leaves the group (LeaveGroup, bounded by request_timeout) and stops the thread.
  ~GroupClient();
  void close();
  GroupClient(const GroupClient&) = delete;
  GroupClient& operator=(const GroupClient&) = delete;

  // Starts a new rebalance soon (Connect: after revocations, after a delay, on config change).
  void request_rejoin();

  int32_t generation() const;
  std::string member_id() const;
  bool is_leader() const;
  // True between a successful SyncGroup and the next rebalance.
  bool stable() const;
  GroupClientStats stats() const;
  // The last error that made the client rejoin or retry, for logs and tests.
  std::string last_error() const;

 private:
  struct Impl;
  explicit GroupClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::kafka
