#pragma once
// Kafka's classic (non-flexible) wire encoding, and the group-membership requests Connect
// needs: ApiVersions, FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup.
// Everything is big-endian; STRING has an int16 length, BYTES an int32 length (-1 = null),
// ARRAY an int32 count. The Reader is bounded: any byte string decodes to a value or to a
// clear error, never past the end of its input.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/common/error.h"

namespace sluice::kafka {

class Writer {
 public:
  void i8(int8_t v) { out_.push_back(static_cast<char>(v)); }
  void i16(int16_t v);
  void i32(int32_t v);
  void i64(int64_t v);
  void string(std::string_view s);                      // int16 length; truncated by nothing
  void nullable_string(const std::optional<std::string>& s);
  void bytes(std::string_view b);                        // int32 length
  void nullable_bytes(const std::optional<std::string>& b);
  void raw(std::string_view b) { out_.append(b); }
  std::string& data() { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads primitives from a byte string. The first failure sticks: later reads return zero
// values, and error() says what failed at which offset.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  int8_t i8();
  int16_t i16();
  int32_t i32();
  int64_t i64();
  std::string string();
  std::optional<std::string> nullable_string();
  std::optional<std::string> nullable_bytes();
  std::string bytes() { return nullable_bytes().value_or(std::string()); }
  // An array count: -1 (null) is returned as -1; any other negative count, or one that
  // could not fit in the remaining bytes at min_element_size each, fails.
  int32_t array_count(size_t min_element_size);
  bool ok() const { return error_.empty(); }
  bool at_end() const { return pos_ >= in_.size(); }
  size_t remaining() const { return ok() ? in_.size() - pos_ : 0; }
  size_t position() const { return pos_; }
  const std::string& error() const { return error_; }
  void fail(const std::string& what);

 private:
  bool need(size_t n, const char* what);
  std::string_view in_;
  size_t pos_ = 0;
  std::string error_;
};

// ---- API keys, error codes ----------------------------------------------------------------

namespace api {
inline constexpr int16_t kJoinGroup = 11;
inline constexpr int16_t kHeartbeat = 12;
inline constexpr int16_t kLeaveGroup = 13;
inline constexpr int16_t kSyncGroup = 14;
inline constexpr int16_t kFindCoordinator = 10;
inline constexpr int16_t kApiVersions = 18;
}  // namespace api

namespace err {
inline constexpr int16_t kNone = 0;
inline constexpr int16_t kCoordinatorLoadInProgress = 14;
inline constexpr int16_t kCoordinatorNotAvailable = 15;
inline constexpr int16_t kNotCoordinator = 16;
inline constexpr int16_t kIllegalGeneration = 22;
inline constexpr int16_t kInconsistentGroupProtocol = 23;
inline constexpr int16_t kUnknownMemberId = 25;
inline constexpr int16_t kInvalidSessionTimeout = 26;
inline constexpr int16_t kRebalanceInProgress = 27;
inline constexpr int16_t kGroupAuthorizationFailed = 30;
inline constexpr int16_t kUnsupportedVersion = 35;
inline constexpr int16_t kInvalidRequest = 42;
inline constexpr int16_t kMemberIdRequired = 79;
inline constexpr int16_t kGroupMaxSizeReached = 81;
}  // namespace err

// "REBALANCE_IN_PROGRESS (27)" for known codes, "Kafka error N" otherwise.
std::string error_name(int16_t code);

// ---- Request framing --------------------------------------------------------------------

// A whole request frame: int32 size, then the v1 request header (api_key, api_version,
// correlation_id, client_id) and the body.
std::string frame_request(int16_t api_key, int16_t api_version, int32_t correlation_id,
                          std::string_view client_id, std::string_view body);

// ---- Per-API messages (the versions listed are the ones encoded) --------------------------

struct ApiVersionRange {
  int16_t api_key = 0;
  int16_t min_version = 0;
  int16_t max_version = 0;
};
// ApiVersions v0..2 (request body is empty).
struct ApiVersionsResponse {
  int16_t error = 0;
  std::vector<ApiVersionRange> apis;
};
Result<ApiVersionsResponse> decode_api_versions(std::string_view body, int16_t version);
// The highest version in [our_min, our_max] that the broker also supports, or -1.
int16_t pick_version(const std::vector<ApiVersionRange>& broker, int16_t api_key, int16_t our_min,
                     int16_t our_max);

// FindCoordinator v0..2, key_type 0 (group).
std::string encode_find_coordinator(std::string_view group_id, int16_t version);
struct FindCoordinatorResponse {
  int16_t error = 0;
  std::optional<std::string> error_message;
  int32_t node_id = -1;
  std::string host;
  int32_t port = 0;
};
Result<FindCoordinatorResponse> decode_find_coordinator(std::string_view body, int16_t version);

struct GroupProtocol {
  std::string name;
  std::string metadata;
};
// JoinGroup v0..5.
struct JoinGroupRequest {
  std::string group_id;
  int32_t session_timeout_ms = 10000;
  int32_t rebalance_timeout_ms = 60000;  // v1+
  std::string member_id;
  std::string protocol_type;
  std::vector<GroupProtocol> protocols;
};
std::string encode_join_group(const JoinGroupRequest& r, int16_t version);
struct JoinGroupMember {
  std::string member_id;
  std::string metadata;
};
struct JoinGroupResponse {
  int16_t error = 0;
  int32_t generation = -1;
  std::string protocol_name;
  std::string leader;
  std::string member_id;
  std::vector<JoinGroupMember> members;
};
Result<JoinGroupResponse> decode_join_group(std::string_view body, int16_t version);

// SyncGroup v0..3.
struct SyncGroupRequest {
  std::string group_id;
  int32_t generation = -1;
  std::string member_id;
  std::vector<std::pair<std::string, std::string>> assignments;  // member id, bytes
};
std::string encode_sync_group(const SyncGroupRequest& r, int16_t version);
struct SyncGroupResponse {
  int16_t error = 0;
  std::string assignment;
};
Result<SyncGroupResponse> decode_sync_group(std::string_view body, int16_t version);

// Heartbeat v0..3.
std::string encode_heartbeat(std::string_view group_id, int32_t generation, std::string_view member_id,
                             int16_t version);
// LeaveGroup v0..3 (v3 sends a one-member batch).
std::string encode_leave_group(std::string_view group_id, std::string_view member_id, int16_t version);
// Heartbeat and LeaveGroup responses: the top-level error code.
Result<int16_t> decode_error_only(std::string_view body, int16_t version);

}  // namespace sluice::kafka
