#include <catch2/catch.hpp>

#include <string>

#include "runtime/kafka/broker_connection.h"
#include "runtime/kafka/wire.h"

using namespace sluice::kafka;

namespace {
std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int v : b) s.push_back(static_cast<char>(v));
  return s;
}
}  // namespace

TEST_CASE("primitives are big-endian with the classic length prefixes") {
  Writer w;
  w.i16(0x0102);
  w.i32(-2);
  w.i64(0x0102030405060708LL);
  w.string("ab");
  w.nullable_string(std::nullopt);
  w.nullable_bytes(std::nullopt);
  w.bytes("z");
  std::string out = w.take();
  CHECK(out == bytes({1, 2, 0xff, 0xff, 0xff, 0xfe, 1, 2, 3, 4, 5, 6, 7, 8, 0, 2, 'a', 'b', 0xff, 0xff, 0xff, 0xff,
                      0xff, 0xff, 0, 0, 0, 1, 'z'}));
  Reader r(out);
  CHECK(r.i16() == 0x0102);
  CHECK(r.i32() == -2);
  CHECK(r.i64() == 0x0102030405060708LL);
  CHECK(r.string() == "ab");
  CHECK_FALSE(r.nullable_string().has_value());
  CHECK_FALSE(r.nullable_bytes().has_value());
  CHECK(r.bytes() == "z");
  CHECK(r.ok());
  CHECK(r.at_end());
  CHECK(r.i8() == 0);
  CHECK_FALSE(r.ok());
  CHECK(r.error().find("truncated int8") != std::string::npos);
}

TEST_CASE("request frames carry size, api key, version, correlation id and client id") {
  std::string f = frame_request(api::kHeartbeat, 3, 7, "cli", "BODY");
  CHECK(f == bytes({0, 0, 0, 17, 0, 12, 0, 3, 0, 0, 0, 7, 0, 3, 'c', 'l', 'i', 'B', 'O', 'D', 'Y'}));
}

TEST_CASE("JoinGroup requests follow the version's layout") {
  JoinGroupRequest q;
  q.group_id = "g";
  q.session_timeout_ms = 3000;
  q.rebalance_timeout_ms = 60000;
  q.member_id = "";
  q.protocol_type = "connect";
  q.protocols = {{"sessioned", "M"}};
  std::string v0 = encode_join_group(q, 0);
  std::string v1 = encode_join_group(q, 1);
  std::string v5 = encode_join_group(q, 5);
  CHECK(v1.size() == v0.size() + 4);  // rebalance timeout
  CHECK(v5.size() == v1.size() + 2);  // null group_instance_id
  Writer w;
  w.string("g");
  w.i32(3000);
  w.i32(60000);
  w.string("");
  w.nullable_string(std::nullopt);
  w.string("connect");
  w.i32(1);
  w.string("sessioned");
  w.bytes("M");
  CHECK(v5 == w.take());
}

TEST_CASE("JoinGroup v5 responses decode members and skip group_instance_id") {
  Writer w;
  w.i32(0);  // throttle
  w.i16(0);
  w.i32(2);
  w.string("sessioned");
  w.string("m1");
  w.string("m1");
  w.i32(2);
  w.string("m1");
  w.nullable_string(std::nullopt);
  w.bytes("meta1");
  w.string("m2");
  w.nullable_string(std::string("inst"));
  w.bytes("meta2");
  auto r = decode_join_group(w.data(), 5);
  REQUIRE(r.ok());
  CHECK(r->generation == 2);
  CHECK(r->leader == "m1");
  REQUIRE(r->members.size() == 2);
  CHECK(r->members[1].member_id == "m2");
  CHECK(r->members[1].metadata == "meta2");
  // Cut anywhere: an error, never a crash.
  for (size_t n = 0; n < w.data().size(); ++n) CHECK_FALSE(decode_join_group(w.data().substr(0, n), 5).ok());
}

TEST_CASE("JoinGroup error answers may carry null strings") {
  Writer w;
  w.i16(15);
  w.i32(-1);
  w.nullable_string(std::nullopt);
  w.nullable_string(std::nullopt);
  w.nullable_string(std::nullopt);
  w.i32(0);
  auto r = decode_join_group(w.data(), 0);
  REQUIRE(r.ok());
  CHECK(r->error == 15);
  CHECK(r->member_id.empty());
}

TEST_CASE("FindCoordinator, SyncGroup and error-only responses decode per version") {
  Writer f;
  f.i32(0);
  f.i16(0);
  f.nullable_string(std::nullopt);
  f.i32(3);
  f.string("127.0.0.1");
  f.i32(9092);
  auto fc = decode_find_coordinator(f.data(), 1);
  REQUIRE(fc.ok());
  CHECK(fc->node_id == 3);
  CHECK(fc->host == "127.0.0.1");
  CHECK(fc->port == 9092);
  CHECK(encode_find_coordinator("g", 0) == bytes({0, 1, 'g'}));
  CHECK(encode_find_coordinator("g", 2) == bytes({0, 1, 'g', 0}));

  Writer s;
  s.i16(27);
  s.bytes("");
  auto sg = decode_sync_group(s.data(), 0);
  REQUIRE(sg.ok());
  CHECK(sg->error == 27);
  CHECK(error_name(27) == "REBALANCE_IN_PROGRESS (27)");

  auto e = decode_error_only(bytes({0, 0, 0, 0, 0, 22}), 1);
  REQUIRE(e.ok());
  CHECK(*e == 22);
  CHECK_FALSE(decode_error_only(bytes({0, 0, 0}), 1).ok());
  CHECK(encode_leave_group("g", "m", 0) == bytes({0, 1, 'g', 0, 1, 'm'}));
  CHECK(encode_leave_group("g", "m", 3) == bytes({0, 1, 'g', 0, 0, 0, 1, 0, 1, 'm', 0xff, 0xff}));
}

TEST_CASE("version negotiation picks the highest common version") {
  std::vector<ApiVersionRange> broker = {{api::kJoinGroup, 0, 5}, {api::kHeartbeat, 4, 4}};
  CHECK(pick_version(broker, api::kJoinGroup, 0, 5) == 5);
  CHECK(pick_version(broker, api::kJoinGroup, 0, 3) == 3);
  CHECK(pick_version(broker, api::kHeartbeat, 0, 3) == -1);
  CHECK(pick_version(broker, api::kSyncGroup, 0, 3) == -1);
  Writer w;
  w.i16(0);
  w.i32(1);
  w.i16(11);
  w.i16(0);
  w.i16(5);
  auto av = decode_api_versions(w.data(), 0);
  REQUIRE(av.ok());
  REQUIRE(av->apis.size() == 1);
  CHECK(av->apis[0].max_version == 5);
}

TEST_CASE("bootstrap server lists parse into host and port") {
  auto l = parse_bootstrap_servers("127.0.0.1:9092, localhost:1,[::1]:5");
  REQUIRE(l.ok());
  REQUIRE(l->size() == 3);
  CHECK((*l)[1].host == "localhost");
  CHECK((*l)[2].host == "::1");
  CHECK((*l)[2].port == 5);
  CHECK_FALSE(parse_bootstrap_servers("").ok());
  CHECK_FALSE(parse_bootstrap_servers("host").ok());
  CHECK_FALSE(parse_bootstrap_servers("host:99999").ok());
  CHECK_FALSE(parse_bootstrap_servers("host:x").ok());
}
