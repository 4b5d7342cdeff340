// StringConverter and ByteArrayConverter.
#include <catch2/catch.hpp>

#include <string>

#include "plugins/converters/byte_array_converter.h"
#include "plugins/converters/string_converter.h"

using namespace sluice::api;
using sluice::converters::ByteArrayConverter;
using sluice::converters::StringConverter;

namespace {
template <class C>
std::string write(C& c, const SchemaPtr& s, const Value& v) {
  std::string out;
  bool is_null = true;
  c.from_connect("topic", s, v, out, is_null);
  REQUIRE_FALSE(is_null);
  return out;
}
}  // namespace

TEST_CASE("StringConverter writes Java's string forms", "[converters][string]") {
  StringConverter c;
  c.configure({}, false);
  CHECK(write(c, schemas::string(), Value::string("h\xc3\xa9llo")) == "h\xc3\xa9llo");
  CHECK(write(c, nullptr, Value::string("")) == "");
  CHECK(write(c, schemas::int32(), Value::int32(-42)) == "-42");
  CHECK(write(c, nullptr, Value::int64(INT64_MAX)) == "9223372036854775807");
  CHECK(write(c, nullptr, Value::int8(7)) == "7");
  CHECK(write(c, nullptr, Value::boolean(true)) == "true");
  CHECK(write(c, nullptr, Value::float64(1.0e10)) == "1.0E10");
  CHECK(write(c, nullptr, Value::float64(0.5)) == "0.5");
  CHECK(write(c, nullptr, Value::float32(1.1f)) == "1.1");
  CHECK(write(c, nullptr, Value::bytes("raw\x01")) == "raw\x01");
  CHECK(write(c, nullptr, Value::array({Value::int32(1), Value::string("a"), Value()})) == "[1, a, null]");
  CHECK(write(c, nullptr, Value::map({{Value::string("a"), Value::int32(1)}, {Value::string("b"), Value::boolean(false)}})) ==
        "{a=1, b=false}");
  SchemaPtr s = SchemaBuilder::structure()
                    .field("id", schemas::int32())
                    .field("name", schemas::optional_string())
                    .field("note", schemas::optional_string())
                    .build();
  Struct st(s);
  st.put("id", Value::int32(1)).put("name", Value::string("x"));
  CHECK(write(c, s, Value::structure(std::move(st))) == "Struct{id=1,name=x}");
  CHECK(write(c, logical::decimal(2).build(), Value::bytes(std::string("\x00\xde", 2))) == "2.22");
  CHECK(write(c, logical::date().build(), Value::int32(0)) == "Thu Jan 01 00:00:00 UTC 1970");
  CHECK(write(c, logical::timestamp().build(), Value::int64(1700000000000)) ==
        "Tue Nov 14 22:13:20 UTC 2023");

  std::string out;
  bool is_null = false;
  c.from_connect("t", schemas::optional_string(), Value(), out, is_null);
  CHECK(is_null);
  CHECK(out.empty());
}

TEST_CASE("StringConverter reads optional strings", "[converters][string]") {
  StringConverter c;
  c.configure({{"converter.encoding", "utf8"}}, true);
  SchemaAndValue sv = c.to_connect("t", "abc", 3);
  REQUIRE(sv.schema);
  CHECK(*sv.schema == *schemas::optional_string());
  CHECK(sv.value == Value::string("abc"));
  sv = c.to_connect("t", "a\xff", 2);
  CHECK(sv.value == Value::string("a\xef\xbf\xbd"));
  sv = c.to_connect("t", nullptr, 0);
  CHECK(*sv.schema == *schemas::optional_string());
  CHECK(sv.value.is_null());
  sv = c.to_connect("t", "", 0);
  CHECK(sv.value == Value::string(""));

  // Header converter face.
  std::string out;
  bool is_null = true;
  c.from_connect_header("t", "h", nullptr, Value::int16(3), out, is_null);
  CHECK(out == "3");
  CHECK(c.to_connect_header("t", "h", "x", 1).value == Value::string("x"));
}

TEST_CASE("StringConverter accepts only UTF-8", "[converters][string]") {
  StringConverter c;
  CHECK_NOTHROW(c.configure({{"converter.encoding", "UTF-8"}}, false));
  CHECK_THROWS_WITH(c.configure({{"converter.encoding", "ISO-8859-1"}}, false),
                    "Invalid value ISO-8859-1 for configuration converter.encoding: Only UTF-8 is "
                    "supported");
  ConfigDef def = c.config_def();
  REQUIRE(def.find("converter.encoding"));
  CHECK(*def.find("converter.encoding")->default_value == "UTF-8");
  CHECK(def.validate("StringConverter", {{"converter.encoding", "UTF-16"}}).error_count == 1);
  CHECK(def.validate("StringConverter", {}).error_count == 0);
}

TEST_CASE("ByteArrayConverter passes bytes through", "[converters][bytes]") {
  ByteArrayConverter c;
  c.configure({}, false);
  const std::string raw("\x00\x01\xff payload", 11);
  CHECK(write(c, schemas::bytes(), Value::bytes(raw)) == raw);
  CHECK(write(c, nullptr, Value::bytes(raw)) == raw);
  CHECK(write(c, schemas::of(Type::Bytes, true), Value::bytes("")) == "");

  std::string out;
  bool is_null = false;
  c.from_connect("t", schemas::of(Type::Bytes, true), Value(), out, is_null);
  CHECK(is_null);
  is_null = false;
  c.from_connect("t", nullptr, Value(), out, is_null);
  CHECK(is_null);

  CHECK_THROWS_WITH(write(c, schemas::string(), Value::string("x")),
                    "Invalid schema type for ByteArrayConverter: STRING");
  CHECK_THROWS_WITH(write(c, nullptr, Value::int32(1)),
                    "ByteArrayConverter is not compatible with objects of type class java.lang.Integer");

  SchemaAndValue sv = c.to_connect("t", raw.data(), raw.size());
  REQUIRE(sv.schema);
  CHECK(*sv.schema == *schemas::of(Type::Bytes, true));
  CHECK(sv.value == Value::bytes(raw));
  sv = c.to_connect("t", nullptr, 0);
  CHECK(*sv.schema == *schemas::of(Type::Bytes, true));
  CHECK(sv.value.is_null());

  out.clear();
  is_null = true;
  c.from_connect_header("t", "h", nullptr, Value::bytes("b"), out, is_null);
  CHECK(out == "b");
  CHECK(c.to_connect_header("t", "h", "b", 1).value == Value::bytes("b"));
}
