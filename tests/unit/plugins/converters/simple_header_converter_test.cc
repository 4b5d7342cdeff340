// SimpleHeaderConverter: Values.convertToString and Values.parseString.
#include <catch2/catch.hpp>

#include <string>

#include "plugins/converters/simple_header_converter.h"

using namespace sluice::api;
using sluice::converters::SimpleHeaderConverter;

namespace {

std::string write(const SchemaPtr& s, const Value& v) {
  SimpleHeaderConverter c;
  std::string out;
  bool is_null = true;
  c.from_connect_header("topic", "h", s, v, out, is_null);
  REQUIRE_FALSE(is_null);
  return out;
}

SchemaAndValue read(const std::string& text) {
  SimpleHeaderConverter c;
  return c.to_connect_header("topic", "h", text.data(), text.size());
}

void check_read(const std::string& text, const SchemaPtr& schema, const Value& value) {
  INFO("text: " << text);
  SchemaAndValue sv = read(text);
  REQUIRE(sv.schema);
  CHECK(*sv.schema == *schema);
  CHECK(sv.value == value);
}

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}

}  // namespace

TEST_CASE("SimpleHeaderConverter writes Values.convertToString", "[converters][header]") {
  CHECK(write(schemas::string(), Value::string("hello \"world\"")) == "hello \"world\"");
  CHECK(write(nullptr, Value::int32(42)) == "42");
  CHECK(write(nullptr, Value::int64(-5000000000)) == "-5000000000");
  CHECK(write(nullptr, Value::boolean(false)) == "false");
  CHECK(write(nullptr, Value::float64(1.5)) == "1.5");
  CHECK(write(nullptr, Value::float64(1.0e-7)) == "1.0E-7");
  CHECK(write(nullptr, Value::float32(2.0f)) == "2.0");
  CHECK(write(nullptr, Value::bytes("hi")) == "aGk=");
  CHECK(write(SchemaBuilder::array(schemas::int32()).build(),
              Value::array({Value::int32(1), Value::int32(2)})) == "[1,2]");
  CHECK(write(nullptr, Value::array({Value::string("a\"b"), Value(), Value::bytes("hi")})) ==
        R"(["a\"b",null,"aGk="])");
  CHECK(write(nullptr, Value::map({{Value::string("a"), Value::int32(1)}})) == R"({"a":1})");
  CHECK(write(nullptr, Value::map({{Value::int8(1), Value::array({})}})) == R"({1:[]})");

  SchemaPtr s = SchemaBuilder::structure()
                    .field("id", schemas::int32())
                    .field("name", schemas::optional_string())
                    .field("n", SchemaBuilder(Type::Int32).optional().default_value(Value::int32(9)).build())
                    .field("tags", SchemaBuilder::array(schemas::string()).optional().build())
                    .build();
  Struct st(s);
  st.put("id", Value::int32(1)).put("tags", Value::array({Value::string("x")}));
  CHECK(write(s, Value::structure(std::move(st))) == R"({"id":1,"name":null,"n":9,"tags":["x"]})");

  CHECK(write(logical::decimal(2).build(), Value::bytes(bytes({0x00, 0xDE}))) == "2.22");
  CHECK(write(logical::date().build(), Value::int32(19000)) == "2022-01-08");
  CHECK(write(logical::time().build(), Value::int32(3723004)) == "01:02:03.004Z");
  CHECK(write(logical::timestamp().build(), Value::int64(1700000000000)) == "2023-11-14T22:13:20.000Z");
  CHECK(write(logical::timestamp().build(), Value::int64(1700000000000 - 1700000000000 % 86400000)) ==
        "2023-11-14");  // a whole day prints as a date, as Values.dateFormatFor decides
  CHECK(write(logical::date().build(), Value::int32(0)) == "00:00:00.000Z");  // likewise Java
  CHECK(write(SchemaBuilder::array(logical::date().build()).build(), Value::array({Value::int32(19000)})) ==
        "[2022-01-08]");

  SimpleHeaderConverter c;
  std::string out;
  bool is_null = false;
  c.from_connect_header("t", "h", schemas::optional_string(), Value(), out, is_null);
  CHECK(is_null);
  CHECK(out.empty());
}

TEST_CASE("SimpleHeaderConverter infers schemas as Values.parseString", "[converters][header]") {
  check_read("", schemas::string(), Value::string(""));
  check_read("hello world", schemas::string(), Value::string("hello world"));
  check_read("  ", schemas::string(), Value::string("  "));
  check_read("true", schemas::boolean(), Value::boolean(true));
  check_read(" false ", schemas::boolean(), Value::boolean(false));
  check_read("true}", schemas::string(), Value::string("true}"));
  check_read("42", schemas::int8(), Value::int8(42));
  check_read("-128", schemas::int8(), Value::int8(-128));
  check_read("300", schemas::int16(), Value::int16(300));
  check_read("70000", schemas::int32(), Value::int32(70000));
  check_read("5000000000", schemas::int64(), Value::int64(5000000000));
  check_read("+7", schemas::int8(), Value::int8(7));
  check_read("1.0", schemas::int8(), Value::int8(1));  // an exact integer, as Java decides
  check_read("1e3", schemas::int16(), Value::int16(1000));
  check_read("1.5", schemas::float64(), Value::float64(1.5));
  check_read("-0.001", schemas::float64(), Value::float64(-0.001));
  check_read("99999999999999999999", logical::decimal(0).build(),
             Value::bytes(bytes({0x05, 0x6B, 0xC7, 0x5E, 0x2D, 0x63, 0x0F, 0xFF, 0xFF})));
  check_read("12abc", schemas::string(), Value::string("12abc"));
  check_read("1, 2", schemas::string(), Value::string("1, 2"));
  check_read("12:30", schemas::string(), Value::string("12:30"));
  check_read("-", schemas::string(), Value::string("-"));

  check_read("2022-01-08", logical::date().build(), Value::int32(19000));
  check_read("01:02:03.004Z", logical::time().build(), Value::int32(3723004));
  check_read("2023-11-14T22:13:20.000Z", logical::timestamp().build(), Value::int64(1700000000000));
  check_read("2023-02-30", schemas::string(), Value::string("2023-02-30"));

  check_read("[1,2,3]", SchemaBuilder::array(schemas::int8()).build(),
             Value::array({Value::int8(1), Value::int8(2), Value::int8(3)}));
  check_read("[1, 300]", SchemaBuilder::array(schemas::int16()).build(),
             Value::array({Value::int16(1), Value::int16(300)}));
  check_read("[1, 2.5]", SchemaBuilder::array(schemas::float64()).build(),
             Value::array({Value::float64(1.0), Value::float64(2.5)}));
  check_read(R"(["a","b c"])", SchemaBuilder::array(schemas::string()).build(),
             Value::array({Value::string("a"), Value::string("b c")}));
  check_read(R"(["a\"b"])", SchemaBuilder::array(schemas::string()).build(),
             Value::array({Value::string("a\"b")}));
  check_read("[]", SchemaBuilder::array(nullptr).build(), Value::array({}));
  check_read("[1,\"a\"]", SchemaBuilder::array(nullptr).build(),
             Value::array({Value::int8(1), Value::string("a")}));
  check_read("[true,false]", SchemaBuilder::array(schemas::boolean()).build(),
             Value::array({Value::boolean(true), Value::boolean(false)}));
  check_read(R"(["2022-01-08"])", SchemaBuilder::array(logical::date().build()).build(),
             Value::array({Value::int32(19000)}));
  check_read("[[1],[2]]", SchemaBuilder::array(SchemaBuilder::array(schemas::int8()).build()).build(),
             Value::array({Value::array({Value::int8(1)}), Value::array({Value::int8(2)})}));
  check_read("[1,null]", schemas::string(), Value::string("[1,null]"));  // a required element schema
  check_read("[1,x]", schemas::string(), Value::string("[1,x]"));
  check_read("[1,2", schemas::string(), Value::string("[1,2"));
  check_read("[1,2] tail", schemas::string(), Value::string("[1,2] tail"));

  check_read(R"({"a":1,"b":2})", SchemaBuilder::map(schemas::string(), schemas::int8()).build(),
             Value::map({{Value::string("a"), Value::int8(1)}, {Value::string("b"), Value::int8(2)}}));
  check_read(R"({"a":[1],"b":[]})",
             SchemaBuilder::map(schemas::string(), SchemaBuilder::array(nullptr).build()).build(),
             Value::map({{Value::string("a"), Value::array({Value::int8(1)})},
                         {Value::string("b"), Value::array({})}}));
  check_read("{1:true}", SchemaBuilder::map(schemas::int8(), schemas::boolean()).build(),
             Value::map({{Value::int8(1), Value::boolean(true)}}));
  check_read(R"({"a":null})", SchemaBuilder::map(schemas::string(), nullptr).build(),
             Value::map({{Value::string("a"), Value()}}));
  check_read("{}", SchemaBuilder::map(nullptr, nullptr).build(), Value::map({}));
  check_read(R"({"a":1,"a":2})", SchemaBuilder::map(schemas::string(), schemas::int8()).build(),
             Value::map({{Value::string("a"), Value::int8(2)}}));
  check_read(R"({null:1})", schemas::string(), Value::string("{null:1}"));

  SchemaAndValue sv = read("null");
  CHECK_FALSE(sv.schema);
  CHECK(sv.value.is_null());
  sv = SimpleHeaderConverter().to_connect_header("t", "h", nullptr, 0);
  CHECK_FALSE(sv.schema);
  CHECK(sv.value.is_null());
}

TEST_CASE("SimpleHeaderConverter round trips", "[converters][header]") {
  auto round = [](const SchemaPtr& s, const Value& v) {
    std::string text = write(s, v);
    SchemaAndValue back = read(text);
    INFO("text: " << text);
    REQUIRE(back.schema);
    CHECK(*back.schema == *s);
    CHECK(back.value == v);
  };
  round(schemas::string(), Value::string("just text"));
  round(schemas::int16(), Value::int16(-1000));
  round(schemas::boolean(), Value::boolean(true));
  round(schemas::float64(), Value::float64(0.1));
  round(logical::timestamp().build(), Value::int64(1700000000123));
  round(SchemaBuilder::array(schemas::string()).build(),
        Value::array({Value::string("a,b"), Value::string("q\"uote"), Value::string("back\\slash")}));
  round(SchemaBuilder::map(schemas::string(), schemas::int32()).build(),
        Value::map({{Value::string("k"), Value::int32(100000)}}));
}
