#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "runtime/kafka/connect_protocol.h"

using namespace sluice::kafka;

namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  int hi = -1;
  for (char c : hex) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else continue;  // spaces separate fields
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<char>(hi * 16 + v));
      hi = -1;
    }
  }
  return out;
}

std::string hex(std::string_view bytes) {
  static const char* d = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(d[c >> 4]);
    out.push_back(d[c & 15]);
  }
  return out;
}

// Assignment V1 written by hand from spec §3.4: leader "m1", url "http://w1:8083/", offset
// 42, assigned c1:[-1,0], revoked c2:[1], delay 300.
const char* kAssignmentV1Hex =
    "0001 0000 0002 6D31 000F 687474703A2F2F77313A383038332F 000000000000002A"
    " 00000001 0002 6331 00000002 FFFFFFFF 00000000"
    " 00000001 0002 6332 00000001 00000001"
    " 0000012C";

ConnectAssignment assignment_v1() {
  ConnectAssignment a;
  a.version = 1;
  a.leader = "m1";
  a.leader_url = "http://w1:8083/";
  a.config_offset = 42;
  a.assigned = {{"c1", {-1, 0}}};
  a.revoked = {{"c2", {1}}};
  a.delay_ms = 300;
  return a;
}

}  // namespace

TEST_CASE("member metadata V1 matches the spec's hex example") {
  WorkerMetadata m;
  m.version = 1;
  m.url = "http://w1:8083/";
  m.config_offset = 42;
  std::string expected = unhex("0001 000F 687474703A2F2F77313A383038332F 000000000000002A FFFFFFFF");
  CHECK(hex(encode_worker_metadata(m)) == hex(expected));
  auto d = decode_worker_metadata(expected);
  REQUIRE(d.ok());
  CHECK(*d == m);
  CHECK_FALSE(d->allocation.has_value());
}

TEST_CASE("member metadata V0 has no allocation field; V0 bytes read with no allocation") {
  WorkerMetadata m;
  m.version = 0;
  m.url = "http://w1:8083/";
  m.config_offset = -1;
  m.allocation = assignment_v1();  // ignored by V0
  std::string bytes = encode_worker_metadata(m);
  CHECK(hex(bytes) == hex(unhex("0000 000F 687474703A2F2F77313A383038332F FFFFFFFFFFFFFFFF")));
  auto d = decode_worker_metadata(bytes);
  REQUIRE(d.ok());
  CHECK(d->version == 0);
  CHECK(d->url == "http://w1:8083/");
  CHECK(d->config_offset == -1);
  CHECK_FALSE(d->allocation.has_value());
}

TEST_CASE("member metadata V2 embeds its allocation as an assignment with its own version") {
  WorkerMetadata m;
  m.version = 2;
  m.url = "http://w1:8083/";
  m.config_offset = 42;
  m.allocation = assignment_v1();
  m.allocation->version = 2;
  std::string alloc = unhex(kAssignmentV1Hex);
  alloc[1] = 2;  // version 2, same layout
  std::string expected = unhex("0002 000F 687474703A2F2F77313A383038332F 000000000000002A");
  expected += unhex("00000049");  // allocation length
  REQUIRE(alloc.size() == 0x49);
  expected += alloc;
  CHECK(hex(encode_worker_metadata(m)) == hex(expected));
  auto d = decode_worker_metadata(expected);
  REQUIRE(d.ok());
  CHECK(*d == m);
}

TEST_CASE("member metadata: readers accept future versions and reject broken allocations") {
  std::string future = unhex("0007 0001 78 0000000000000005 FFFFFFFF 0102");  // trailing bytes ignored
  auto d = decode_worker_metadata(future);
  REQUIRE(d.ok());
  CHECK(d->version == 7);
  CHECK(d->url == "x");
  CHECK(d->config_offset == 5);
  auto bad = decode_worker_metadata(unhex("0001 0001 78 0000000000000005 00000002 0001"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("allocation") != std::string::npos);
  CHECK_FALSE(decode_worker_metadata(unhex("FFFF 0001 78 0000000000000005")).ok());
  CHECK_FALSE(decode_worker_metadata("").ok());
}

TEST_CASE("assignment V1 encodes byte for byte and round-trips") {
  std::string expected = unhex(kAssignmentV1Hex);
  CHECK(hex(encode_connect_assignment(assignment_v1())) == hex(expected));
  auto d = decode_connect_assignment(expected);
  REQUIRE(d.ok());
  CHECK(*d == assignment_v1());
}

TEST_CASE("assignment V0 stops after the assignment array; V0 bytes read as V1 give empty revoked, delay 0") {
  ConnectAssignment a = assignment_v1();
  a.version = 0;
  a.error = ConnectAssignment::kConfigMismatch;
  std::string bytes = encode_connect_assignment(a);
  CHECK(hex(bytes) == hex(unhex("0000 0001 0002 6D31 000F 687474703A2F2F77313A383038332F 000000000000002A"
                                " 00000001 0002 6331 00000002 FFFFFFFF 00000000")));
  auto d = decode_connect_assignment(bytes);
  REQUIRE(d.ok());
  CHECK(d->version == 0);
  CHECK(d->error == ConnectAssignment::kConfigMismatch);
  CHECK(d->assigned == a.assigned);
  CHECK(d->revoked.empty());
  CHECK(d->delay_ms == 0);
}

TEST_CASE("assignment: empty arrays are written with count 0; a null revoked array reads as empty") {
  ConnectAssignment a;
  a.version = 2;
  a.leader = "";
  a.leader_url = "";
  a.config_offset = -1;
  CHECK(hex(encode_connect_assignment(a)) ==
        hex(unhex("0002 0000 0000 0000 FFFFFFFFFFFFFFFF 00000000 00000000 00000000")));
  auto d = decode_connect_assignment(unhex("0001 0000 0000 0000 0000000000000001 00000000 FFFFFFFF 00000007"));
  REQUIRE(d.ok());
  CHECK(d->revoked.empty());
  CHECK(d->delay_ms == 7);
}

TEST_CASE("join protocols follow connect.protocol, highest version first") {
  WorkerMetadata m;
  m.url = "http://w1:8083/";
  m.config_offset = 42;
  auto p = connect_join_protocols(ConnectProtocol::Sessioned, m);
  REQUIRE(p.size() == 3);
  CHECK(p[0].name == "sessioned");
  CHECK(p[1].name == "compatible");
  CHECK(p[2].name == "default");
  CHECK(hex(p[1].metadata) == hex(unhex("0001 000F 687474703A2F2F77313A383038332F 000000000000002A FFFFFFFF")));
  CHECK(p[0].metadata.substr(2) == p[1].metadata.substr(2));
  CHECK(p[2].metadata.size() == 2 + 2 + 15 + 8);
  auto eager = connect_join_protocols(ConnectProtocol::Eager, m);
  REQUIRE(eager.size() == 1);
  CHECK(eager[0].name == "default");
  CHECK(parse_connect_protocol_setting("SESSIONED") == ConnectProtocol::Sessioned);
  CHECK(parse_connect_protocol_setting("eager") == ConnectProtocol::Eager);
  CHECK_FALSE(parse_connect_protocol_setting("cooperative").has_value());
  CHECK(connect_protocol_from_name("compatible") == ConnectProtocol::Compatible);
}

TEST_CASE("decoding every truncation of valid payloads fails cleanly or reads a shorter version") {
  WorkerMetadata m;
  m.version = 1;
  m.url = "http://w1:8083/";
  m.config_offset = 42;
  m.allocation = assignment_v1();
  std::string meta = encode_worker_metadata(m);
  for (size_t n = 0; n < meta.size(); ++n) {
    auto d = decode_worker_metadata(std::string_view(meta).substr(0, n));
    // Only the cut right before the allocation is a valid (allocation-less) metadata.
    if (d.ok()) CHECK(n == 2 + 2 + 15 + 8);
  }
  std::string asg = unhex(kAssignmentV1Hex);
  for (size_t n = 0; n < asg.size(); ++n) {
    auto d = decode_connect_assignment(std::string_view(asg).substr(0, n));
    // Only cuts right after the assigned array (53) or the revoked array (69) are valid.
    if (d.ok()) CHECK((n == 53 || n == 69));
  }
}

TEST_CASE("decoding rejects absurd lengths and counts without allocating them") {
  // assigned count 0x7fffffff with 2 bytes left
  auto d = decode_connect_assignment(unhex("0001 0000 0000 0000 0000000000000000 7FFFFFFF 0000"));
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().message.find("array count") != std::string::npos);
  CHECK_FALSE(decode_connect_assignment(unhex("0001 0000 8000")).ok());            // negative string
  CHECK_FALSE(decode_connect_assignment(unhex("0001 0000 FFFF")).ok());            // null non-nullable string
  CHECK_FALSE(decode_connect_assignment(unhex("0001 0000 0000 0000 0000000000000000 FFFFFFFE")).ok());
  CHECK_FALSE(decode_worker_metadata(unhex("0001 0001 78 0000000000000005 80000000")).ok());
}

TEST_CASE("decoding random bytes never crashes") {
  std::mt19937 rng(12345);
  std::string base = unhex(kAssignmentV1Hex);
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    if (i % 2 == 0) {
      s = base;
      for (int k = 0; k < 3; ++k) s[rng() % s.size()] = static_cast<char>(rng());
    } else {
      s.resize(rng() % 64);
      for (auto& c : s) c = static_cast<char>(rng());
    }
    (void)decode_connect_assignment(s);
    (void)decode_worker_metadata(s);
  }
  SUCCEED();
}
