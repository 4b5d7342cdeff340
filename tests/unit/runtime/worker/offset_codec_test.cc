#include <catch2/catch.hpp>

#include "runtime/worker/offset_codec.h"

using namespace sluice;
using namespace sluice::worker;

TEST_CASE("partition keys are Connect's compact JSON in insertion order") {
  api::OffsetMap p{{"server", api::Value::string("dbserver1")}, {"db", api::Value::string("x")}};
  CHECK(encode_partition_key("inventory", p) == R"(["inventory",{"server":"dbserver1","db":"x"}])");
  CHECK(encode_partition_key("c", {}) == R"(["c",{}])");
}

TEST_CASE("offset values render as Jackson renders them") {
  api::OffsetMap o{{"lsn", api::Value::int64(123456)},
                   {"txId", api::Value::int32(789)},
                   {"snapshot", api::Value::boolean(true)},
                   {"file", api::Value::string("a\"b\\c\n\x01/é")},
                   {"ratio", api::Value::float64(0.5)},
                   {"none", api::Value()}};
  CHECK(encode_offset(o) ==
        "{\"lsn\":123456,\"txId\":789,\"snapshot\":true,\"file\":\"a\\\"b\\\\c\\n\\u0001/é\","
        "\"ratio\":0.5,\"none\":null}");
}

TEST_CASE("decoding gives 64-bit integers and doubles, as Connect reads offsets") {
  auto m = decode_offset(R"({"seqno":42,"f":1.5,"s":"x","b":false,"n":null})");
  REQUIRE(m.ok());
  REQUIRE(m->size() == 5);
  CHECK((*m)[0].second.kind() == api::Value::Kind::Int64);
  CHECK((*m)[0].second.as_int64() == 42);
  CHECK((*m)[1].second.as_float64() == 1.5);
  CHECK((*m)[2].second.as_string() == "x");
  CHECK((*m)[3].second.as_bool() == false);
  CHECK((*m)[4].second.is_null());
  CHECK_FALSE(decode_offset("{").ok());
  CHECK_FALSE(decode_offset("[1]").ok());
  CHECK_FALSE(decode_offset(R"({"nested":{"a":1}})").ok());
}

TEST_CASE("keys that are not [connector, partition] are rejected") {
  auto k = decode_partition_key(R"(["c",{"id":1}])");
  REQUIRE(k.ok());
  CHECK(k->connector == "c");
  CHECK(k->partition.at(0).second.as_int64() == 1);
  CHECK(decode_partition_key(R"(["c",null])").ok());
  CHECK_FALSE(decode_partition_key(R"(["c"])").ok());
  CHECK_FALSE(decode_partition_key(R"([1,{}])").ok());
  CHECK_FALSE(decode_partition_key("garbage").ok());
}
