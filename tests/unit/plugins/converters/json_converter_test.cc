// JsonConverter golden tests: the exact bytes Java's JsonConverter (Jackson) writes, for every
// Connect type and logical type, with and without schemas; reading them back; error cases.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>

#include "plugins/converters/json_converter.h"

using namespace sluice;
using namespace sluice::api;
using sluice::converters::JsonConverter;

namespace {

std::unique_ptr<JsonConverter> make(bool schemas, const char* decimal = "BASE64",
                                    bool replace_null = true) {
  auto c = std::make_unique<JsonConverter>();
  c->configure({{"schemas.enable", schemas ? "true" : "false"},
                {"decimal.format", decimal},
                {"replace.null.with.default", replace_null ? "true" : "false"}},
               false);
  return c;
}

std::string write(JsonConverter& c, const SchemaPtr& s, const Value& v) {
  std::string out;
  bool is_null = true;
  c.from_connect("topic", s, v, out, is_null);
  REQUIRE_FALSE(is_null);
  return out;
}

SchemaAndValue read(JsonConverter& c, const std::string& json) {
  return c.to_connect("topic", json.data(), json.size());
}

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}

// Writes with and without the envelope, checks both against the goldens, and reads the
// enveloped form back to the same schema and value.
void golden(const SchemaPtr& s, const Value& v, const std::string& schema_json,
            const std::string& payload_json, const char* decimal = "BASE64") {
  auto with = make(true, decimal);
  auto without = make(false, decimal);
  std::string enveloped = write(*with, s, v);
  CHECK(enveloped == "{\"schema\":" + schema_json + ",\"payload\":" + payload_json + "}");
  CHECK(write(*without, s, v) == payload_json);
  // A second write comes from the schema cache and must be identical.
  CHECK(write(*with, s, v) == enveloped);
  SchemaAndValue back = read(*with, enveloped);
  REQUIRE(back.schema);
  CHECK(*back.schema == *s);
  CHECK(back.value == v);
}

const SchemaPtr kSpecSchema = SchemaBuilder::structure()
                                  .name("dbserver1.inventory.products.Value")
                                  .field("id", schemas::int32())
                                  .field("price", logical::decimal(2).optional().build())
                                  .field("d", logical::date().optional().build())
                                  .field("ts", logical::timestamp().build())
                                  .build();

Value spec_value() {
  Struct st(kSpecSchema);
  st.put("id", Value::int32(1))
      .put("price", Value::bytes(bytes({0x00, 0xDE})))
      .put("d", Value::int32(19000))
      .put("ts", Value::int64(1700000000000));
  return Value::structure(std::move(st));
}

}  // namespace

TEST_CASE("JsonConverter: the spec's example, verbatim", "[converters][json]") {
  const std::string expected =
      R"({"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"price"},{"type":"int32","optional":true,"name":"org.apache.kafka.connect.data.Date","version":1,"field":"d"},{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"ts"}],"optional":false,"name":"dbserver1.inventory.products.Value"},"payload":{"id":1,"price":"AN4=","d":19000,"ts":1700000000000}})";
  auto c = make(true);
  CHECK(write(*c, kSpecSchema, spec_value()) == expected);

  auto plain = make(false);
  CHECK(write(*plain, kSpecSchema, spec_value()) ==
        R"({"id":1,"price":"AN4=","d":19000,"ts":1700000000000})");

  SchemaAndValue back = read(*c, expected);
  REQUIRE(back.schema);
  CHECK(*back.schema == *kSpecSchema);
  CHECK(back.value == spec_value());
}

TEST_CASE("JsonConverter: primitive types", "[converters][json]") {
  golden(schemas::int8(), Value::int8(-5), R"({"type":"int8","optional":false})", "-5");
  golden(schemas::int16(), Value::int16(-300), R"({"type":"int16","optional":false})", "-300");
  golden(schemas::int32(), Value::int32(2147483647), R"({"type":"int32","optional":false})",
         "2147483647");
  golden(schemas::int64(), Value::int64(INT64_MIN), R"({"type":"int64","optional":false})",
         "-9223372036854775808");
  golden(schemas::float32(), Value::float32(1.1f), R"({"type":"float","optional":false})", "1.1");
  golden(schemas::float64(), Value::float64(3.14), R"({"type":"double","optional":false})", "3.14");
  golden(schemas::float64(), Value::float64(1.0), R"({"type":"double","optional":false})", "1.0");
  golden(schemas::float64(), Value::float64(1.5e10), R"({"type":"double","optional":false})",
         "1.5E10");
  golden(schemas::float64(), Value::float64(1.0e-5), R"({"type":"double","optional":false})",
         "1.0E-5");
  golden(schemas::float64(), Value::float64(HUGE_VAL), R"({"type":"double","optional":false})",
         "\"Infinity\"");
  golden(schemas::boolean(), Value::boolean(true), R"({"type":"boolean","optional":false})", "true");
  golden(schemas::string(), Value::string("a\"b\\c/\n\x01\xc3\xa9"),
         R"({"type":"string","optional":false})", "\"a\\\"b\\\\c/\\n\\u0001\xc3\xa9\"");
  golden(schemas::bytes(), Value::bytes(bytes({1, 2, 3, 0xFF})), R"({"type":"bytes","optional":false})",
         "\"AQID/w==\"");
  golden(schemas::of(Type::String, true), Value::string(""), R"({"type":"string","optional":true})",
         "\"\"");

  // NaN is written as Jackson quotes it; it reads back as NaN (Java would read 0.0).
  auto c = make(true);
  std::string nan = write(*c, schemas::float32(), Value::float32(std::nanf("")));
  CHECK(nan == R"({"schema":{"type":"float","optional":false},"payload":"NaN"})");
  CHECK(std::isnan(read(*c, nan).value.as_float32()));
}

TEST_CASE("JsonConverter: logical types", "[converters][json]") {
  const std::string dec2 =
      R"({"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}})";
  SchemaPtr d2 = logical::decimal(2).build();
  golden(d2, Value::bytes(bytes({0x00, 0xDE})), dec2, "\"AN4=\"");            // 2.22
  golden(d2, Value::bytes(bytes({0xFB})), dec2, "\"+w==\"");                   // -0.05
  golden(d2, Value::bytes(bytes({0x00, 0xDE})), dec2, "2.22", "NUMERIC");
  golden(d2, Value::bytes(bytes({0xFB})), dec2, "-0.05", "NUMERIC");
  golden(d2, Value::bytes(bytes({0x00})), dec2, "0.00", "NUMERIC");
  golden(d2, Value::bytes(bytes({0x01, 0, 0, 0, 0, 0, 0, 0, 0})), dec2, "184467440737095516.16",
         "NUMERIC");
  golden(d2, Value::bytes(bytes({0xFF, 0, 0, 0, 0, 0, 0, 0, 0})), dec2, "-184467440737095516.16",
         "NUMERIC");
  SchemaPtr d0 = logical::decimal(0).build();
  golden(d0, Value::bytes(bytes({0x64})), 
         R"({"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"0"}})",
         "100", "NUMERIC");

  golden(logical::date().build(), Value::int32(19000),
         R"({"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1})",
         "19000");
  golden(logical::time().build(), Value::int32(3723004),
         R"({"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Time","version":1})",
         "3723004");
  golden(logical::timestamp().build(), Value::int64(-1),
         R"({"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1})",
         "-1");

  // Redundant sign bytes are dropped, as BigInteger.toByteArray() has none.
  auto c = make(false);
  CHECK(write(*c, d2, Value::bytes(bytes({0x00, 0x00, 0xDE}))) == "\"AN4=\"");
  CHECK(write(*c, d2, Value::bytes(bytes({0xFF, 0xFB}))) == "\"+w==\"");

  // Small decimals follow BigDecimal.toString(), which switches to exponent form.
  auto n = make(false, "NUMERIC");
  CHECK(write(*n, logical::decimal(8).build(), Value::bytes(bytes({0x05}))) == "5E-8");

  // The decoder accepts either form whatever decimal.format says.
  auto b = make(true);
  auto sv = read(*b, "{\"schema\":" + dec2 + ",\"payload\":2.2}");
  CHECK(sv.value == Value::bytes(bytes({0x00, 0xDC})));  // 220 at scale 2
  sv = read(*b, "{\"schema\":" + dec2 + ",\"payload\":-5e-2}");
  CHECK(sv.value == Value::bytes(bytes({0xFB})));
  CHECK_THROWS_WITH(read(*b, "{\"schema\":" + dec2 + ",\"payload\":2.225}"),
                    Catch::Contains("Invalid value for Decimal with scale 2"));
  CHECK_THROWS_WITH(read(*b, "{\"schema\":" + dec2 + ",\"payload\":\"!!\"}"),
                    Catch::Contains("Invalid bytes for Decimal field"));
  CHECK_THROWS_WITH(read(*b, "{\"schema\":" + dec2 + ",\"payload\":true}"),
                    Catch::Contains("should be numeric or bytes but was BOOLEAN"));
}

TEST_CASE("JsonConverter: arrays and maps", "[converters][json]") {
  SchemaPtr ints = SchemaBuilder::array(schemas::int32()).build();
  golden(ints, Value::array({Value::int32(1), Value::int32(2), Value::int32(3)}),
         R"({"type":"array","items":{"type":"int32","optional":false},"optional":false})",
         "[1,2,3]");
  golden(ints, Value::array({}),
         R"({"type":"array","items":{"type":"int32","optional":false},"optional":false})", "[]");

  SchemaPtr by_name = SchemaBuilder::map(schemas::string(), schemas::of(Type::Int64, true)).build();
  golden(by_name,
         Value::map({{Value::string("a"), Value::int64(1)}, {Value::string("b\""), Value()}}),
         R"({"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int64","optional":true},"optional":false})",
         R"({"a":1,"b\"":null})");

  // Non-string keys: an array of [key, value] pairs.
  SchemaPtr by_int = SchemaBuilder::map(schemas::int32(), schemas::string()).build();
  golden(by_int, Value::map({{Value::int32(1), Value::string("a")}, {Value::int32(-2), Value::string("b")}}),
         R"({"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"string","optional":false},"optional":false})",
         R"([[1,"a"],[-2,"b"]])");

  SchemaPtr key_struct = SchemaBuilder::structure().field("k", schemas::string()).build();
  SchemaPtr by_struct = SchemaBuilder::map(key_struct, schemas::boolean()).optional().build();
  Struct k(key_struct);
  k.put("k", Value::string("x"));
  golden(by_struct, Value::map({{Value::structure(std::move(k)), Value::boolean(false)}}),
         R"({"type":"map","keys":{"type":"struct","fields":[{"type":"string","optional":false,"field":"k"}],"optional":false},"values":{"type":"boolean","optional":false},"optional":true})",
         R"([[{"k":"x"},false]])");
}

TEST_CASE("JsonConverter: nested structs, optional fields, defaults and metadata",
          "[converters][json]") {
  SchemaPtr inner = SchemaBuilder::structure()
                        .name("inner")
                        .field("x", schemas::of(Type::Float64, true))
                        .optional()
                        .build();
  SchemaPtr outer = SchemaBuilder::structure()
                        .name("com.example.Outer")
                        .version(3)
                        .doc("an \"outer\" record")
                        .parameter("p1", "v1")
                        .parameter("a", "b")
                        .field("inner", inner)
                        .field("n", SchemaBuilder(Type::Int32).optional().default_value(Value::int32(7)).build())
                        .field("tags", SchemaBuilder::array(schemas::string()).optional().build())
                        .build();
  Struct in(inner);
  in.put("x", Value::float64(0.5));
  Struct out(outer);
  out.put("inner", Value::structure(std::move(in))).put("n", Value::int32(1));
  golden(outer, Value::structure(std::move(out)),
         R"({"type":"struct","fields":[{"type":"struct","fields":[{"type":"double","optional":true,"field":"x"}],"optional":true,"name":"inner","field":"inner"},{"type":"int32","optional":true,"default":7,"field":"n"},{"type":"array","items":{"type":"string","optional":false},"optional":true,"field":"tags"}],"optional":false,"name":"com.example.Outer","version":3,"doc":"an \"outer\" record","parameters":{"p1":"v1","a":"b"}})",
         R"({"inner":{"x":0.5},"n":1,"tags":null})");

  // A null with a default becomes the default, unless replace.null.with.default is off.
  Struct with_null(outer);
  with_null.put("n", Value());
  Value v = Value::structure(std::move(with_null));
  auto replacing = make(false);
  CHECK(write(*replacing, outer, v) == R"({"inner":null,"n":7,"tags":null})");
  auto keeping = make(false, "BASE64", false);
  CHECK(write(*keeping, outer, v) == R"({"inner":null,"n":null,"tags":null})");

  // Reading: a missing or null field with a default reads as the default when replacing.
  auto env = make(true);
  std::string schema_json;
  env->append_schema_json(outer, schema_json);
  auto sv = read(*env, "{\"schema\":" + schema_json + ",\"payload\":{\"inner\":null}}");
  CHECK(*sv.value.as_struct().get("n") == Value::int32(7));
  auto env_keep = make(true, "BASE64", false);
  sv = read(*env_keep, "{\"schema\":" + schema_json + ",\"payload\":{\"inner\":null}}");
  CHECK(sv.value.as_struct().get("n")->is_null());

  // Defaults of every kind render inside the schema.
  SchemaPtr with_defaults =
      SchemaBuilder::structure()
          .field("s", SchemaBuilder(Type::String).default_value(Value::string("dflt")).build())
          .field("b", SchemaBuilder(Type::Bytes).default_value(Value::bytes("hi")).build())
          .field("d", logical::decimal(1).default_value(Value::bytes(bytes({0x0F}))).build())
          .field("f", SchemaBuilder(Type::Float32).default_value(Value::float32(2.5f)).build())
          .build();
  Struct dv(with_defaults);
  dv.put("s", Value::string("v")).put("b", Value::bytes("")).put("d", Value::bytes(bytes({0x01}))).put("f", Value::float32(-1.0f));
  golden(with_defaults, Value::structure(std::move(dv)),
         R"({"type":"struct","fields":[{"type":"string","optional":false,"default":"dflt","field":"s"},{"type":"bytes","optional":false,"default":"aGk=","field":"b"},{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"1"},"default":"Dw==","field":"d"},{"type":"float","optional":false,"default":2.5,"field":"f"}],"optional":false})",
         R"({"s":"v","b":"","d":"AQ==","f":-1.0})");
}

TEST_CASE("JsonConverter: null handling and tombstones", "[converters][json]") {
  auto c = make(true);
  std::string out;
  bool is_null = false;
  c->from_connect("t", nullptr, Value(), out, is_null);
  CHECK(is_null);
  CHECK(out.empty());

  auto plain = make(false);
  is_null = false;
  plain->from_connect("t", nullptr, Value(), out, is_null);
  CHECK(is_null);

  SchemaPtr opt = schemas::optional_string();
  CHECK(write(*c, opt, Value()) == R"({"schema":{"type":"string","optional":true},"payload":null})");
  CHECK(write(*plain, opt, Value()) == "null");

  // A required field that is null with no default is an error naming the field.
  SchemaPtr s = SchemaBuilder::structure().field("id", schemas::int32()).build();
  Struct st(s);
  CHECK_THROWS_WITH(write(*c, s, Value::structure(std::move(st))),
                    "Conversion error: null value for field that is required and has no default "
                    "value (field \"id\")");
  CHECK_THROWS_WITH(write(*c, schemas::int32(), Value()),
                    "Conversion error: null value for field that is required and has no default value");

  // Reading a tombstone.
  SchemaAndValue t = c->to_connect("t", nullptr, 0);
  CHECK_FALSE(t.schema);
  CHECK(t.value.is_null());
  // And an explicit null payload with an optional schema.
  t = read(*c, R"({"schema":{"type":"string","optional":true},"payload":null})");
  REQUIRE(t.schema);
  CHECK(t.value.is_null());
  CHECK_THROWS_WITH(read(*c, R"({"schema":{"type":"int32","optional":false},"payload":null})"),
                    "Invalid null value for required INT32 field");
  CHECK_THROWS_WITH(
      read(*c, R"({"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false},"payload":{}})"),
      "Invalid null value for required INT32 field (field \"id\")");
}

TEST_CASE("JsonConverter: schemaless values", "[converters][json]") {
  Value v = Value::map({{Value::string("a"), Value::array({Value::int32(1), Value::string("x"), Value()})},
                        {Value::string("b"), Value::boolean(true)},
                        {Value::string("c"), Value::float64(2.0)},
                        {Value::string("d"), Value::bytes("hi")},
                        {Value::string("e"), Value::int8(3)}});
  auto c = make(true);
  CHECK(write(*c, nullptr, v) ==
        R"({"schema":null,"payload":{"a":[1,"x",null],"b":true,"c":2.0,"d":"aGk=","e":3}})");
  auto plain = make(false);
  CHECK(write(*plain, nullptr, v) == R"({"a":[1,"x",null],"b":true,"c":2.0,"d":"aGk=","e":3})");
  CHECK(write(*plain, nullptr, Value::map({{Value::int32(1), Value::string("a")}})) == R"([[1,"a"]])");
  CHECK(write(*plain, nullptr, Value::string("s")) == "\"s\"");

  SchemaPtr s = SchemaBuilder::structure().field("a", schemas::int32()).build();
  Struct st(s);
  st.put("a", Value::int32(1));
  CHECK_THROWS_WITH(write(*plain, nullptr, Value::structure(std::move(st))), "Mismatching schema.");

  // Decoding without schemas: integers int64, other numbers float64, objects maps.
  SchemaAndValue r =
      read(*plain, R"( {"a":1,"b":1.5,"c":[true,null,"x"],"d":{"e":12345678901234},"f":-0.0,"g":1e2} )");
  CHECK_FALSE(r.schema);
  CHECK(r.value == Value::map({{Value::string("a"), Value::int64(1)},
                               {Value::string("b"), Value::float64(1.5)},
                               {Value::string("c"), Value::array({Value::boolean(true), Value(), Value::string("x")})},
                               {Value::string("d"), Value::map({{Value::string("e"), Value::int64(12345678901234)}})},
                               {Value::string("f"), Value::float64(0.0)},
                               {Value::string("g"), Value::float64(100.0)}}));
  // Java reads numbers as BigDecimal, which has no negative zero: "-0.0" is 0.0.
  CHECK_FALSE(std::signbit(r.value.as_map()[4].second.as_float64()));
  CHECK(std::signbit(read(*plain, "-1e-400").value.as_float64()));
  // Numbers beyond double's range (RapidJSON refuses them, Jackson does not), each kept exactly.
  r = read(*plain, R"({"big":[1e400,-2.5E999,0e500],"n":1)" + std::string(400, '0') +
                       R"(,"after":"x"})");
  const Map& m = r.value.as_map();
  CHECK(m[0].second == Value::array({Value::float64(HUGE_VAL), Value::float64(-HUGE_VAL),
                                     Value::float64(0.0)}));
  CHECK(m[1].second == Value::int64(0));  // 10^400 wraps to its low 64 bits, as longValue()
  CHECK(m[2].second == Value::string("x"));
  auto dec0 = make(true);
  auto big = read(*dec0, R"({"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"0"}},"payload":1)" +
                             std::string(320, '0') + "}");
  CHECK(big.value.as_bytes().size() == 134);  // 10^320 needs 1064 bits and a sign bit
  CHECK(read(*plain, "\"text\"").value == Value::string("text"));
  // Escapes decode to UTF-8; a lone surrogate, which UTF-8 cannot hold, becomes U+FFFD.
  CHECK(read(*plain, R"("\u00e9\ud83d\ude00\u0000")").value ==
        Value::string(std::string("\xc3\xa9\xf0\x9f\x98\x80\0", 7)));
  CHECK(read(*plain, R"("a\ude00b")").value == Value::string("a\xef\xbf\xbd" "b"));
  CHECK(read(*plain, "null").value.is_null());
  CHECK(read(*plain, "").value.is_null());
  // A repeated name keeps its first place and its last value, as Jackson's tree.
  CHECK(read(*plain, R"({"a":1,"b":2,"a":3})").value ==
        Value::map({{Value::string("a"), Value::int64(3)}, {Value::string("b"), Value::int64(2)}}));
  // Envelope with a null schema.
  auto env = make(true);
  CHECK(read(*env, R"({"payload":[1],"schema":null})").value == Value::array({Value::int64(1)}));
}

TEST_CASE("JsonConverter: decoding with a schema", "[converters][json]") {
  auto c = make(true);
  // Integers narrow as Java's casts do; numbers of the other kind convert.
  auto sv = read(*c, R"({"schema":{"type":"int8","optional":false},"payload":300})");
  CHECK(sv.value == Value::int8(44));
  sv = read(*c, R"({"schema":{"type":"int32","optional":false},"payload":7.9})");
  CHECK(sv.value == Value::int32(7));
  sv = read(*c, R"({"schema":{"type":"double","optional":false},"payload":3})");
  CHECK(sv.value == Value::float64(3.0));
  sv = read(*c, R"({"schema":{"type":"float","optional":false},"payload":0.1})");
  CHECK(sv.value == Value::float32(0.1f));
  sv = read(*c, R"({"schema":{"type":"map","keys":{"type":"int64","optional":false},"values":{"type":"string","optional":true},"optional":false},"payload":[[5,"x"],[6,null]]})");
  CHECK(sv.value == Value::map({{Value::int64(5), Value::string("x")}, {Value::int64(6), Value()}}));
  // Struct members in any order; unknown members are ignored.
  sv = read(*c, R"({"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"a"},{"type":"string","optional":false,"field":"b"}],"optional":false},"payload":{"zz":0,"b":"B","a":1}})");
  CHECK(*sv.value.as_struct().get("a") == Value::int32(1));
  CHECK(*sv.value.as_struct().get("b") == Value::string("B"));
  // The schema object may list its keys in any order.
  sv = read(*c, R"({"schema":{"optional":true,"version":2,"type":"int16","name":"n","doc":"d","parameters":{"x":"y"}},"payload":5})");
  SchemaPtr expected = SchemaBuilder(Type::Int16).optional().version(2).name("n").doc("d").parameter("x", "y").build();
  CHECK(*sv.schema == *expected);
  CHECK(sv.value == Value::int16(5));
  // The same schema text comes back as the same (cached) schema object.
  auto again = read(*c, R"({"schema":{"optional":true,"version":2,"type":"int16","name":"n","doc":"d","parameters":{"x":"y"}},"payload":6})");
  CHECK(again.schema == sv.schema);
}

TEST_CASE("JsonConverter: envelope and parse errors", "[converters][json]") {
  auto c = make(true);
  const std::string envelope_error =
      "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not "
      "contain additional fields. If you are trying to deserialize plain JSON data, set "
      "schemas.enable=false in your converter configuration.";
  CHECK_THROWS_WITH(read(*c, R"({"schema":null})"), envelope_error);
  CHECK_THROWS_WITH(read(*c, R"({"payload":1})"), envelope_error);
  CHECK_THROWS_WITH(read(*c, R"({"schema":null,"payload":1,"extra":2})"), envelope_error);
  CHECK_THROWS_WITH(read(*c, R"({"schema":null,"other":1})"), envelope_error);
  CHECK_THROWS_WITH(read(*c, R"([1,2])"), envelope_error);
  CHECK_THROWS_WITH(read(*c, R"({"a":1})"), envelope_error);
  CHECK_THROWS_WITH(read(*c, ""), envelope_error);

  auto plain = make(false);
  CHECK_THROWS_WITH(read(*plain, R"({"a":)"),
                    "Converting byte[] to Kafka Connect data failed due to serialization error: "
                    "Invalid value. (at offset 5)");
  CHECK_THROWS_WITH(read(*plain, R"({"a":1} x)"),
                    "Converting byte[] to Kafka Connect data failed due to serialization error: "
                    "The document root must not be followed by other values. (at offset 8)");
  CHECK_THROWS_WITH(read(*plain, "[1,]"), Catch::StartsWith("Converting byte[] to Kafka Connect data failed"));
  CHECK_THROWS_WITH(read(*plain, "NaN"), Catch::Contains("at offset 0"));
  CHECK_THROWS_WITH(read(*plain, "\"\xff\""), Catch::Contains("Invalid encoding in string."));
  CHECK_THROWS_WITH(read(*plain, std::string("1\0 2", 4)), Catch::Contains("offset 1"));
  CHECK_THROWS_WITH(read(*plain, std::string(1001, '[')), Catch::Contains("nesting depth"));

  CHECK_THROWS_WITH(read(*c, R"({"schema":{"type":"nope"},"payload":1})"), "Unknown schema type: nope");
  CHECK_THROWS_WITH(read(*c, R"({"schema":{"optional":true},"payload":1})"),
                    "Schema must contain 'type' field");
  CHECK_THROWS_WITH(read(*c, R"({"schema":{"type":"array"},"payload":[]})"),
                    "Array schema did not specify the element type");
  CHECK_THROWS_WITH(read(*c, R"({"schema":{"type":"struct","fields":{}},"payload":{}})"),
                    "Struct schema's \"fields\" argument is not an array.");
  CHECK_THROWS_WITH(read(*c, R"({"schema":{"type":"struct","fields":[{"type":"int32"}]},"payload":{}})"),
                    "Struct schema's field name not specified properly");
  CHECK_THROWS_WITH(read(*c, R"({"schema":{"type":"int32","parameters":{"a":1}},"payload":1})"),
                    "Schema parameters must have string values.");
  CHECK_THROWS_WITH(read(*c, R"({"schema":{"type":"struct","fields":[],"optional":false},"payload":[]})"),
                    "Structs should be encoded as JSON objects, but found ARRAY");
  CHECK_THROWS_WITH(read(*c, R"({"schema":{"type":"map","keys":{"type":"string"},"values":{"type":"int32"}},"payload":[]})"),
                    "Maps with string fields should be encoded as JSON objects, but found ARRAY");
  CHECK_THROWS_WITH(read(*c, R"({"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"int32"}},"payload":[[1]]})"),
                    "Found invalid map entry, expected length 2 but found :1");
  CHECK_THROWS_WITH(read(*c, R"({"schema":{"type":"bytes"},"payload":"not base64"})"), "Invalid bytes field");
  CHECK_THROWS_WITH(read(*c, R"({"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date"},"payload":1.5})"),
                    "Invalid type for Date, underlying representation should be integer but was NUMBER");
  CHECK_THROWS_WITH(read(*c, R"({"schema":{"type":"string"},"payload":1})"),
                    Catch::Contains("expected a JSON string but found NUMBER"));

  // Writing a value of the wrong kind.
  CHECK_THROWS_WITH(write(*c, schemas::int32(), Value::string("x")),
                    "Invalid type for INT32: class java.lang.String");
  SchemaPtr a = SchemaBuilder::structure().field("a", schemas::int32()).build();
  SchemaPtr b = SchemaBuilder::structure().field("b", schemas::int32()).build();
  Struct sb(b);
  sb.put("b", Value::int32(1));
  CHECK_THROWS_WITH(write(*c, a, Value::structure(std::move(sb))), "Mismatching schema.");
}

TEST_CASE("JsonConverter: schema JSON helpers and cache bound", "[converters][json]") {
  JsonConverter c;  // defaults: schemas.enable=true, BASE64
  std::string json;
  c.append_schema_json(kSpecSchema, json);
  SchemaPtr back = c.schema_from_json(json);
  CHECK(*back == *kSpecSchema);
  json.clear();
  c.append_schema_json(nullptr, json);
  CHECK(json == "null");

  // A tiny cache still gives right answers when schemas keep changing.
  auto small = std::make_unique<JsonConverter>();
  small->configure({{"schemas.cache.size", "2"}}, false);
  for (int i = 0; i < 10; ++i) {
    const std::string num = std::to_string(i);
    std::string name = "n";
    name += num;
    SchemaPtr s = SchemaBuilder(Type::Int32).name(name).build();
    std::string out = write(*small, s, Value::int32(i));
    std::string expected = R"({"schema":{"type":"int32","optional":false,"name":")";
    expected.append(name).append(R"("},"payload":)").append(num).append("}");
    CHECK(out == expected);
    CHECK(*read(*small, out).schema == *s);
  }
  auto uncached = std::make_unique<JsonConverter>();
  uncached->configure({{"schemas.cache.size", "0"}}, false);
  CHECK(write(*uncached, schemas::int8(), Value::int8(1)) ==
        R"({"schema":{"type":"int8","optional":false},"payload":1})");
  CHECK(read(*uncached, R"({"schema":{"type":"int8","optional":false},"payload":1})").value == Value::int8(1));
}


TEST_CASE("JsonConverter: struct field names stay right as struct schemas come and go",
          "[converters][json]") {
  // Field keys are cached per struct schema: a schema built anew each time (perhaps at a freed
  // one's address), names that need escaping, an empty struct, and structurally equal schemas
  // must all still come out as their own fields.
  auto c = make(false);
  for (int i = 0; i < 50; ++i) {
    std::string name = "f\"" + std::to_string(i);
    SchemaPtr s = SchemaBuilder::structure().field(name, schemas::int32()).field("x", schemas::string()).build();
    Struct v(s);
    v.put(size_t{0}, Value::int32(i)).put(size_t{1}, Value::string("y"));
    CHECK(write(*c, s, Value::structure(std::move(v))) ==
          "{\"f\\\"" + std::to_string(i) + "\":" + std::to_string(i) + ",\"x\":\"y\"}");
  }
  SchemaPtr empty = SchemaBuilder::structure().build();
  CHECK(write(*c, empty, Value::structure(Struct(empty))) == "{}");
  SchemaPtr a = SchemaBuilder::structure().field("k", schemas::int8()).build();
  SchemaPtr same = SchemaBuilder::structure().field("k", schemas::int8()).build();
  Struct v(same);
  v.put(size_t{0}, Value::int8(7));
  CHECK(write(*c, a, Value::structure(std::move(v))) == "{\"k\":7}");
}
TEST_CASE("JsonConverter: configuration", "[converters][json]") {
  JsonConverter c;
  auto def = c.config_def();
  REQUIRE(def.find("schemas.enable"));
  CHECK(*def.find("schemas.enable")->default_value == "true");
  CHECK(*def.find("schemas.cache.size")->default_value == "1000");
  CHECK(*def.find("decimal.format")->default_value == "BASE64");
  CHECK(*def.find("replace.null.with.default")->default_value == "true");
  CHECK(def.validate("JsonConverter", {{"decimal.format", "numeric"}}).error_count == 0);
  CHECK(def.validate("JsonConverter", {{"decimal.format", "hex"}}).error_count == 1);

  c.configure({{"decimal.format", "numeric"}, {"schemas.enable", "FALSE"}}, true);
  CHECK(c.config().decimal_format == sluice::converters::DecimalFormat::Numeric);
  CHECK_FALSE(c.config().schemas_enable);
  CHECK_THROWS_WITH(c.configure({{"decimal.format", "hex"}}, false), Catch::Contains("decimal.format"));
  CHECK_THROWS_WITH(c.configure({{"schemas.enable", "maybe"}}, false), Catch::Contains("schemas.enable"));

  // As a header converter it behaves the same.
  JsonConverter h;
  h.configure(Config{{"schemas.enable", "false"}});
  std::string out;
  bool is_null = true;
  h.from_connect_header("t", "k", schemas::int32(), Value::int32(5), out, is_null);
  CHECK(out == "5");
  CHECK(h.to_connect_header("t", "k", out.data(), out.size()).value == Value::int64(5));
}

TEST_CASE("JsonConverter: round trips of schemaful data", "[converters][json]") {
  SchemaPtr all = SchemaBuilder::structure()
                      .name("all.Types")
                      .field("i8", schemas::int8())
                      .field("i16", schemas::int16())
                      .field("i32", schemas::int32())
                      .field("i64", schemas::int64())
                      .field("f32", schemas::float32())
                      .field("f64", schemas::float64())
                      .field("b", schemas::boolean())
                      .field("s", schemas::string())
                      .field("by", schemas::bytes())
                      .field("arr", SchemaBuilder::array(schemas::of(Type::Float64, true)).build())
                      .field("m", SchemaBuilder::map(schemas::string(), schemas::int16()).build())
                      .field("mk", SchemaBuilder::map(schemas::int64(), schemas::string()).build())
                      .field("dec", logical::decimal(5).optional().build())
                      .field("date", logical::date().build())
                      .field("time", logical::time().build())
                      .field("ts", logical::timestamp().build())
                      .field("opt", schemas::optional_string())
                      .build();
  Struct st(all);
  st.put("i8", Value::int8(-128))
      .put("i16", Value::int16(32767))
      .put("i32", Value::int32(-1))
      .put("i64", Value::int64(INT64_MAX))
      .put("f32", Value::float32(3.4028235e38f))
      .put("f64", Value::float64(-4.9e-324))
      .put("b", Value::boolean(false))
      .put("s", Value::string("\xe2\x82\xac \"quoted\" \\ \x1f"))
      .put("by", Value::bytes(std::string("\0\1\2", 3)))
      .put("arr", Value::array({Value::float64(1e300), Value(), Value::float64(0.1)}))
      .put("m", Value::map({{Value::string(""), Value::int16(-1)}}))
      .put("mk", Value::map({{Value::int64(1), Value::string("one")}}))
      .put("dec", Value::bytes(bytes({0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01})))
      .put("date", Value::int32(-719162))
      .put("time", Value::int32(86399999))
      .put("ts", Value::int64(253402300799999));
  Value v = Value::structure(std::move(st));
  for (const char* fmt : {"BASE64", "NUMERIC"}) {
    auto c = make(true, fmt);
    std::string out = write(*c, all, v);
    SchemaAndValue back = read(*c, out);
    REQUIRE(back.schema);
    CHECK(*back.schema == *all);
    CHECK(back.value == v);
    // And what we read writes back to the very same bytes.
    CHECK(write(*c, back.schema, back.value) == out);
  }
}

TEST_CASE("JsonConverter: throughput (informational)", "[.perf]") {
  auto c = make(true);
  Value v = spec_value();
  std::string out;
  bool is_null = false;
  const int n = 1000000;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    out.clear();
    c->from_connect("t", kSpecSchema, v, out, is_null);
  }
  auto t1 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) (void)c->to_connect("t", out.data(), out.size());
  auto t2 = std::chrono::steady_clock::now();
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  WARN("from_connect: " << n / ms(t1 - t0) * 1000 << " records/s; to_connect: "
                        << n / ms(t2 - t1) * 1000 << " records/s (" << out.size() << " bytes)");
}
