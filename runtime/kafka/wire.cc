#include "runtime/kafka/wire.h"

#include <algorithm>
#include <limits>

namespace sluice::kafka {

namespace {
template <class U>
void put_be(std::string& out, U v) {
  for (int shift = (sizeof(U) - 1) * 8; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}
}  // namespace

void Writer::i16(int16_t v) { put_be(out_, static_cast<uint16_t>(v)); }
void Writer::i32(int32_t v) { put_be(out_, static_cast<uint32_t>(v)); }
void Writer::i64(int64_t v) { put_be(out_, static_cast<uint64_t>(v)); }

void Writer::string(std::string_view s) {
  if (s.size() > static_cast<size_t>(std::numeric_limits<int16_t>::max())) s = s.substr(0, 32767);
  i16(static_cast<int16_t>(s.size()));
  out_.append(s);
}

void Writer::nullable_string(const std::optional<std::string>& s) {
  if (!s) {
    i16(-1);
    return;
  }
  string(*s);
}

void Writer::bytes(std::string_view b) {
  i32(static_cast<int32_t>(b.size()));
  out_.append(b);
}

void Writer::nullable_bytes(const std::optional<std::string>& b) {
  if (!b) {
    i32(-1);
    return;
  }
  bytes(*b);
}

void Reader::fail(const std::string& what) {
  if (error_.empty()) error_ = what + " at byte " + std::to_string(pos_);
}

bool Reader::need(size_t n, const char* what) {
  if (!ok()) return false;
  if (in_.size() - pos_ < n) {
    fail(std::string("truncated ") + what + " (need " + std::to_string(n) + " bytes, have " +
         std::to_string(in_.size() - pos_) + ")");
    return false;
  }
  return true;
}

namespace {
template <class U>
U get_be(std::string_view in, size_t pos) {
  U v = 0;
  for (size_t i = 0; i < sizeof(U); ++i) v = static_cast<U>((v << 8) | static_cast<uint8_t>(in[pos + i]));
  return v;
}
}  // namespace

int8_t Reader::i8() {
  if (!need(1, "int8")) return 0;
  return static_cast<int8_t>(in_[pos_++]);
}
int16_t Reader::i16() {
  if (!need(2, "int16")) return 0;
  auto v = static_cast<int16_t>(get_be<uint16_t>(in_, pos_));
  pos_ += 2;
  return v;
}
int32_t Reader::i32() {
  if (!need(4, "int32")) return 0;
  auto v = static_cast<int32_t>(get_be<uint32_t>(in_, pos_));
  pos_ += 4;
  return v;
}
int64_t Reader::i64() {
  if (!need(8, "int64")) return 0;
  auto v = static_cast<int64_t>(get_be<uint64_t>(in_, pos_));
  pos_ += 8;
  return v;
}

std::optional<std::string> Reader::nullable_string() {
  int16_t n = i16();
  if (!ok()) return std::nullopt;
  if (n == -1) return std::nullopt;
  if (n < 0) {
    fail("negative string length " + std::to_string(n));
    return std::nullopt;
  }
  if (!need(static_cast<size_t>(n), "string")) return std::nullopt;
  std::string s(in_.substr(pos_, static_cast<size_t>(n)));
  pos_ += static_cast<size_t>(n);
  return s;
}

std::string Reader::string() {
  size_t at = pos_;
  int16_t n = i16();
  if (!ok()) return {};
  if (n < 0) {
    pos_ = at;
    fail("null or negative length " + std::to_string(n) + " for a non-nullable string");
    return {};
  }
  if (!need(static_cast<size_t>(n), "string")) return {};
  std::string s(in_.substr(pos_, static_cast<size_t>(n)));
  pos_ += static_cast<size_t>(n);
  return s;
}

std::optional<std::string> Reader::nullable_bytes() {
  int32_t n = i32();
  if (!ok() || n == -1) return std::nullopt;
  if (n < 0) {
    fail("negative bytes length " + std::to_string(n));
    return std::nullopt;
  }
  if (!need(static_cast<size_t>(n), "bytes")) return std::nullopt;
  std::string s(in_.substr(pos_, static_cast<size_t>(n)));
  pos_ += static_cast<size_t>(n);
  return s;
}

int32_t Reader::array_count(size_t min_element_size) {
  int32_t n = i32();
  if (!ok()) return 0;
  if (n == -1) return -1;
  if (n < 0) {
    fail("negative array count " + std::to_string(n));
    return 0;
  }
  if (min_element_size > 0 && static_cast<uint64_t>(n) * min_element_size > in_.size() - pos_) {
    fail("array count " + std::to_string(n) + " exceeds the remaining " + std::to_string(in_.size() - pos_) +
         " bytes");
    return 0;
  }
  return n;
}

std::string error_name(int16_t code) {
  const char* name = nullptr;
  switch (code) {
    case err::kNone: name = "NONE"; break;
    case err::kCoordinatorLoadInProgress: name = "COORDINATOR_LOAD_IN_PROGRESS"; break;
    case err::kCoordinatorNotAvailable: name = "COORDINATOR_NOT_AVAILABLE"; break;
    case err::kNotCoordinator: name = "NOT_COORDINATOR"; break;
    case err::kIllegalGeneration: name = "ILLEGAL_GENERATION"; break;
    case err::kInconsistentGroupProtocol: name = "INCONSISTENT_GROUP_PROTOCOL"; break;
    case err::kUnknownMemberId: name = "UNKNOWN_MEMBER_ID"; break;
    case err::kInvalidSessionTimeout: name = "INVALID_SESSION_TIMEOUT"; break;
    case err::kRebalanceInProgress: name = "REBALANCE_IN_PROGRESS"; break;
    case err::kGroupAuthorizationFailed: name = "GROUP_AUTHORIZATION_FAILED"; break;
    case err::kUnsupportedVersion: name = "UNSUPPORTED_VERSION"; break;
    case err::kInvalidRequest: name = "INVALID_REQUEST"; break;
    case err::kMemberIdRequired: name = "MEMBER_ID_REQUIRED"; break;
    case err::kGroupMaxSizeReached: name = "GROUP_MAX_SIZE_REACHED"; break;
    default: return "Kafka error " + std::to_string(code);
  }
  return std::string(name) + " (" + std::to_string(code) + ")";
}

std::string frame_request(int16_t api_key, int16_t api_version, int32_t correlation_id,
                          std::string_view client_id, std::string_view body) {
  Writer w;
  w.i32(0);  // size, patched below
  w.i16(api_key);
  w.i16(api_version);
  w.i32(correlation_id);
  w.string(client_id);
  w.raw(body);
  std::string out = w.take();
  auto size = static_cast<uint32_t>(out.size() - 4);
  for (int i = 0; i < 4; ++i) out[static_cast<size_t>(i)] = static_cast<char>((size >> (24 - 8 * i)) & 0xff);
  return out;
}

namespace {
template <class T>
Result<T> finish(const Reader& r, T value, const char* what) {
  if (!r.ok()) return Error::fatal(std::string("malformed ") + what + " response: " + r.error());
  return value;
}
}  // namespace

Result<ApiVersionsResponse> decode_api_versions(std::string_view body, int16_t version) {
  (void)version;  // v0..2 share the prefix; v1+ append throttle_time_ms
  Reader r(body);
  ApiVersionsResponse out;
  out.error = r.i16();
  int32_t n = r.array_count(6);
  for (int32_t i = 0; i < n && r.ok(); ++i) {
    ApiVersionRange a;
    a.api_key = r.i16();
    a.min_version = r.i16();
    a.max_version = r.i16();
    out.apis.push_back(a);
  }
  // A broker answering UNSUPPORTED_VERSION may send an empty body after the error.
  if (!r.ok() && out.error != 0) return out;
  return finish(r, std::move(out), "ApiVersions");
}

int16_t pick_version(const std::vector<ApiVersionRange>& broker, int16_t api_key, int16_t our_min,
                     int16_t our_max) {
  for (const auto& a : broker) {
    if (a.api_key != api_key) continue;
    int16_t hi = std::min(a.max_version, our_max);
    int16_t lo = std::max(a.min_version, our_min);
    return hi >= lo ? hi : -1;
  }
  return -1;
}

std::string encode_find_coordinator(std::string_view group_id, int16_t version) {
  Writer w;
  w.string(group_id);
  if (version >= 1) w.i8(0);  // key_type GROUP
  return w.take();
}

Result<FindCoordinatorResponse> decode_find_coordinator(std::string_view body, int16_t version) {
  Reader r(body);
  FindCoordinatorResponse out;
  if (version >= 1) r.i32();  // throttle_time_ms
  out.error = r.i16();
  if (version >= 1) out.error_message = r.nullable_string();
  out.node_id = r.i32();
  out.host = r.string();
  out.port = r.i32();
  return finish(r, std::move(out), "FindCoordinator");
}

std::string encode_join_group(const JoinGroupRequest& q, int16_t version) {
  Writer w;
  w.string(q.group_id);
  w.i32(q.session_timeout_ms);
  if (version >= 1) w.i32(q.rebalance_timeout_ms);
  w.string(q.member_id);
  if (version >= 5) w.nullable_string(std::nullopt);  // group_instance_id: no static membership
  w.string(q.protocol_type);
  w.i32(static_cast<int32_t>(q.protocols.size()));
  for (const auto& p : q.protocols) {
    w.string(p.name);
    w.bytes(p.metadata);
  }
  return w.take();
}

Result<JoinGroupResponse> decode_join_group(std::string_view body, int16_t version) {
  Reader r(body);
  JoinGroupResponse out;
  if (version >= 2) r.i32();  // throttle_time_ms
  out.error = r.i16();
  out.generation = r.i32();
  // Non-nullable before v7, but error answers (librdkafka's mock among them) may carry null.
  out.protocol_name = r.nullable_string().value_or(std::string());
  out.leader = r.nullable_string().value_or(std::string());
  out.member_id = r.nullable_string().value_or(std::string());
  int32_t n = r.array_count(6);
  for (int32_t i = 0; i < n && r.ok(); ++i) {
    JoinGroupMember m;
    m.member_id = r.string();
    if (version >= 5) r.nullable_string();  // group_instance_id
    m.metadata = r.bytes();
    out.members.push_back(std::move(m));
  }
  return finish(r, std::move(out), "JoinGroup");
}

std::string encode_sync_group(const SyncGroupRequest& q, int16_t version) {
  Writer w;
  w.string(q.group_id);
  w.i32(q.generation);
  w.string(q.member_id);
  if (version >= 3) w.nullable_string(std::nullopt);
  w.i32(static_cast<int32_t>(q.assignments.size()));
  for (const auto& [member, bytes] : q.assignments) {
    w.string(member);
    w.bytes(bytes);
  }
  return w.take();
}

Result<SyncGroupResponse> decode_sync_group(std::string_view body, int16_t version) {
  Reader r(body);
  SyncGroupResponse out;
  if (version >= 1) r.i32();
  out.error = r.i16();
  out.assignment = r.bytes();
  return finish(r, std::move(out), "SyncGroup");
}

std::string encode_heartbeat(std::string_view group_id, int32_t generation, std::string_view member_id,
                             int16_t version) {
  Writer w;
  w.string(group_id);
  w.i32(generation);
  w.string(member_id);
  if (version >= 3) w.nullable_string(std::nullopt);
  return w.take();
}

std::string encode_leave_group(std::string_view group_id, std::string_view member_id, int16_t version) {
  Writer w;
  w.string(group_id);
  if (version >= 3) {
    w.i32(1);
    w.string(member_id);
    w.nullable_string(std::nullopt);
  } else {
    w.string(member_id);
  }
  return w.take();
}

Result<int16_t> decode_error_only(std::string_view body, int16_t version) {
  Reader r(body);
  if (version >= 1) r.i32();
  int16_t e = r.i16();
  return finish(r, e, "Heartbeat/LeaveGroup");
}

}  // namespace sluice::kafka
