// Debezium 2.7's PostgreSQL type mapping: schema name/parameters and value per type.
#include <catch2/catch.hpp>

#include <cmath>

#include "plugins/postgres/decode/types.h"

using namespace sluice::postgres;
namespace api = sluice::api;
using api::Type;
using api::Value;

namespace {

const TypeCatalog& catalog() {
  static const TypeCatalog c = [] {
    TypeCatalog c;
    PgType mood{16400, "public", "mood", 'e', 'E', 0, 0, -1, {"sad", "ok", "happy"}};
    c.add(mood);
    c.add(PgType{16401, "public", "_mood", 'b', 'A', 16400, 0, -1, {}});
    c.add(PgType{16410, "public", "hstore", 'b', 'U', 0, 0, -1, {}});
    c.add(PgType{16411, "public", "_hstore", 'b', 'A', 16410, 0, -1, {}});
    c.add(PgType{16420, "public", "citext", 'b', 'S', 0, 0, -1, {}});
    c.add(PgType{16430, "public", "ltree", 'b', 'U', 0, 0, -1, {}});
    c.add(PgType{16440, "public", "geometry", 'b', 'U', 0, 0, -1, {}});
    c.add(PgType{16441, "public", "geography", 'b', 'U', 0, 0, -1, {}});
    // CREATE DOMAIN price AS numeric(8,2); CREATE DOMAIN email AS citext;
    c.add(PgType{16450, "public", "price", 'd', 'N', 0, oid::kNumeric, ((8 << 16) | 2) + 4, {}});
    c.add(PgType{16451, "public", "email", 'd', 'S', 0, 16420, -1, {}});
    c.add(PgType{16460, "public", "floatrange", 'r', 'R', 0, 0, -1, {}});
    return c;
  }();
  return c;
}

ColumnMapping map(uint32_t type_oid, int32_t typmod = -1, MappingOptions opt = {}, bool optional = true,
                  std::optional<std::string> def = std::nullopt) {
  ColumnInfo c{"c", type_oid, typmod, optional, std::move(def), false};
  auto m = map_column(c, catalog(), opt);
  INFO((m.ok() ? std::string() : m.message()));
  REQUIRE(m.ok());
  return *m;
}

Value conv(const ColumnMapping& m, std::string_view text) {
  auto v = m.from_text(text);
  INFO(std::string(text) + ": " + (v.ok() ? std::string() : v.message()));
  REQUIRE(v.ok());
  return *v;
}

std::string param(const ColumnMapping& m, std::string_view key) {
  const std::string* p = m.schema->parameter(key);
  return p ? *p : std::string("<none>");
}

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(char(x));
  return s;
}

int32_t typmod_numeric(int p, int s) { return ((p << 16) | s) + 4; }

}  // namespace

TEST_CASE("integers, oid, floats, bool", "[types]") {
  auto i2 = map(oid::kInt2);
  CHECK(i2.schema->type() == Type::Int16);
  CHECK(i2.schema->optional());
  CHECK(conv(i2, "-32768") == Value::int16(-32768));
  CHECK_FALSE(i2.from_text("32768").ok());
  CHECK(conv(map(oid::kInt4), "2147483647") == Value::int32(2147483647));
  CHECK(conv(map(oid::kInt8), "-9223372036854775808") == Value::int64(INT64_MIN));
  auto o = map(oid::kOid);
  CHECK(o.schema->type() == Type::Int64);
  CHECK(conv(o, "4294967295") == Value::int64(4294967295LL));

  auto f4 = map(oid::kFloat4);
  CHECK(f4.schema->type() == Type::Float32);
  CHECK(conv(f4, "1.5") == Value::float32(1.5f));
  CHECK(std::isnan(conv(f4, "NaN").as_float32()));
  CHECK(conv(map(oid::kFloat8), "-Infinity").as_float64() == -HUGE_VAL);
  CHECK(conv(map(oid::kFloat8), "1e+300") == Value::float64(1e300));
  CHECK(conv(map(oid::kFloat8), "0.1") == Value::float64(0.1));

  auto b = map(oid::kBool);
  CHECK(b.schema->type() == Type::Boolean);
  CHECK(conv(b, "t") == Value::boolean(true));
  CHECK(conv(b, "f") == Value::boolean(false));
  CHECK_FALSE(b.from_text("yes").ok());
}

TEST_CASE("numeric(p,s): Decimal with scale and connect.decimal.precision", "[types]") {
  auto m = map(oid::kNumeric, typmod_numeric(10, 2));
  CHECK(m.schema->name() == "org.apache.kafka.connect.data.Decimal");
  CHECK(m.schema->version() == 1);
  REQUIRE(m.schema->parameters().size() == 2);
  CHECK(m.schema->parameters()[0] == std::pair<std::string, std::string>("scale", "2"));
  CHECK(m.schema->parameters()[1] == std::pair<std::string, std::string>("connect.decimal.precision", "10"));
  CHECK(conv(m, "1234.56") == Value::bytes(bytes({0x01, 0xE2, 0x40})));  // 123456
  CHECK(conv(m, "-0.01") == Value::bytes(bytes({0xFF})));
  CHECK(conv(m, "0.00") == Value::bytes(bytes({0x00})));
  CHECK(conv(m, "1.28") == Value::bytes(bytes({0x00, 0x80})));
  auto nan = m.from_text("NaN");
  REQUIRE_FALSE(nan.ok());
  CHECK(nan.error().kind == Error::Kind::Unrepresentable);

  auto p = map(oid::kNumeric, typmod_numeric(5, 0));
  CHECK(param(p, "scale") == "0");
  CHECK(conv(p, "99999") == Value::bytes(bytes({0x01, 0x86, 0x9F})));

  MappingOptions dbl;
  dbl.decimal = DecimalMode::Double;
  auto d = map(oid::kNumeric, typmod_numeric(10, 2), dbl);
  CHECK(d.schema->type() == Type::Float64);
  CHECK(d.schema->name().empty());
  CHECK(conv(d, "1234.56") == Value::float64(1234.56));
  CHECK(std::isnan(conv(d, "NaN").as_float64()));
  CHECK(conv(d, "Infinity").as_float64() == HUGE_VAL);

  MappingOptions str;
  str.decimal = DecimalMode::String;
  auto s = map(oid::kNumeric, typmod_numeric(10, 2), str);
  CHECK(s.schema->type() == Type::String);
  CHECK(conv(s, "1234.50") == Value::string("1234.50"));
  CHECK(conv(s, "NaN") == Value::string("NAN"));
  CHECK(conv(s, "-Infinity") == Value::string("NEGATIVE_INFINITY"));
}

TEST_CASE("unconstrained numeric: VariableScaleDecimal", "[types]") {
  auto m = map(oid::kNumeric);
  CHECK(m.schema->type() == Type::Struct);
  CHECK(m.schema->name() == "io.debezium.data.VariableScaleDecimal");
  CHECK(m.schema->version() == 1);
  CHECK(m.schema->doc() == std::optional<std::string>("Variable scaled decimal"));
  REQUIRE(m.schema->fields().size() == 2);
  CHECK(m.schema->fields()[0].name == "scale");
  CHECK(m.schema->fields()[1].name == "value");
  auto v = conv(m, "12.3400");
  CHECK(v.as_struct().get(0) == Value::int32(2));  // trailing zeros stripped
  CHECK(v.as_struct().get(1) == Value::bytes(bytes({0x04, 0xD2})));  // 1234
  CHECK(v.as_struct().schema() == m.schema);
  auto big = conv(m, "1200");  // stripping would give scale -2: set back to 0
  CHECK(big.as_struct().get(0) == Value::int32(0));
  CHECK(big.as_struct().get(1) == Value::bytes(bytes({0x04, 0xB0})));
  CHECK_FALSE(m.from_text("Infinity").ok());

  MappingOptions str;
  str.decimal = DecimalMode::String;
  CHECK(conv(map(oid::kNumeric, -1, str), "12.3400") == Value::string("12.3400"));
}

TEST_CASE("money: Decimal at money.fraction.digits without precision", "[types]") {
  auto m = map(oid::kMoney);
  CHECK(m.schema->name() == "org.apache.kafka.connect.data.Decimal");
  REQUIRE(m.schema->parameters().size() == 1);
  CHECK(param(m, "scale") == "2");
  CHECK(conv(m, "$1,234.56") == Value::bytes(bytes({0x01, 0xE2, 0x40})));
  CHECK(conv(m, "-$0.01") == Value::bytes(bytes({0xFF})));
  MappingOptions three;
  three.money_fraction_digits = 3;
  CHECK(conv(map(oid::kMoney, -1, three), "$1.00") == Value::bytes(bytes({0x03, 0xE8})));
  MappingOptions str;
  str.decimal = DecimalMode::String;
  CHECK(conv(map(oid::kMoney, -1, str), "-$1,000.50") == Value::string("-1000.50"));
}

TEST_CASE("character types, json, xml, uuid, network, ranges, ltree", "[types]") {
  for (uint32_t o : {oid::kText, oid::kVarchar, oid::kBpchar, oid::kName, oid::kChar, oid::kInet, oid::kCidr,
                     oid::kMacaddr, oid::kMacaddr8, oid::kInt4range, oid::kTstzrange}) {
    auto m = map(o);
    CHECK(m.schema->type() == Type::String);
    CHECK(m.schema->name().empty());
  }
  CHECK(conv(map(oid::kBpchar, 5 + 4), "ab   ") == Value::string("ab   "));  // blank padding kept
  CHECK(map(oid::kJson).schema->name() == "io.debezium.data.Json");
  CHECK(map(oid::kJsonb).schema->name() == "io.debezium.data.Json");
  CHECK(map(oid::kXml).schema->name() == "io.debezium.data.Xml");
  CHECK(map(oid::kUuid).schema->name() == "io.debezium.data.Uuid");
  CHECK(map(16430).schema->name() == "io.debezium.data.Ltree");
  CHECK(map(16420).schema->name().empty());  // citext
  CHECK(conv(map(16460), "[1.5,2)") == Value::string("[1.5,2)"));  // a user range type
  CHECK(conv(map(oid::kJsonb), "{\"a\": 1}") == Value::string("{\"a\": 1}"));
}

TEST_CASE("bytea per binary.handling.mode", "[types]") {
  auto m = map(oid::kBytea);
  CHECK(m.schema->type() == Type::Bytes);
  CHECK(conv(m, "\\x00ff10") == Value::bytes(bytes({0x00, 0xFF, 0x10})));
  CHECK(conv(m, "\\x") == Value::bytes(""));
  CHECK(conv(m, "a\\\\b\\001") == Value::bytes(bytes({'a', '\\', 'b', 0x01})));  // escape format
  CHECK_FALSE(m.from_text("\\x0").ok());
  CHECK_FALSE(m.from_text("\\xzz").ok());
  MappingOptions opt;
  opt.binary = BinaryMode::Base64;
  auto b64 = map(oid::kBytea, -1, opt);
  CHECK(b64.schema->type() == Type::String);
  CHECK(conv(b64, "\\xfbff") == Value::string("+/8="));
  opt.binary = BinaryMode::Base64UrlSafe;
  CHECK(conv(map(oid::kBytea, -1, opt), "\\xfbff") == Value::string("-_8="));
  opt.binary = BinaryMode::Hex;
  CHECK(conv(map(oid::kBytea, -1, opt), "\\xFBFF") == Value::string("fbff"));
}

TEST_CASE("date and time per time.precision.mode", "[types]") {
  auto d = map(oid::kDate);
  CHECK(d.schema->name() == "io.debezium.time.Date");
  CHECK(conv(d, "1970-01-02") == Value::int32(1));
  CHECK(conv(d, "2024-02-29") == Value::int32(19782));
  CHECK(conv(d, "1969-12-31") == Value::int32(-1));
  CHECK(conv(d, "0001-01-01 BC") == Value::int32(-719528));  // year 0, proleptic Gregorian
  CHECK_FALSE(d.from_text("2023-02-29").ok());
  CHECK(conv(d, "infinity") == Value::int32(-2147472692));  // Debezium's numbers
  CHECK(conv(d, "-infinity") == Value::int32(-2147472691));
  MappingOptions connect;
  connect.time_precision = TimePrecisionMode::Connect;
  CHECK(map(oid::kDate, -1, connect).schema->name() == "org.apache.kafka.connect.data.Date");

  auto t = map(oid::kTime);  // no precision: 6
  CHECK(t.schema->name() == "io.debezium.time.MicroTime");
  CHECK(t.schema->type() == Type::Int64);
  CHECK(conv(t, "10:15:30.123456") == Value::int64(36930123456LL));
  CHECK(conv(t, "24:00:00") == Value::int64(86400000000LL));
  auto t3 = map(oid::kTime, 3);
  CHECK(t3.schema->name() == "io.debezium.time.Time");
  CHECK(conv(t3, "10:15:30.123") == Value::int32(36930123));
  MappingOptions micros;
  micros.time_precision = TimePrecisionMode::AdaptiveTimeMicroseconds;
  CHECK(map(oid::kTime, 3, micros).schema->name() == "io.debezium.time.MicroTime");
  auto tc = map(oid::kTime, 6, connect);
  CHECK(tc.schema->name() == "org.apache.kafka.connect.data.Time");
  CHECK(conv(tc, "10:15:30.123456") == Value::int32(36930123));

  auto tz = map(oid::kTimetz);
  CHECK(tz.schema->name() == "io.debezium.time.ZonedTime");
  CHECK(conv(tz, "10:15:30+02") == Value::string("08:15:30Z"));
  CHECK(conv(tz, "01:00:00.5-05:30") == Value::string("06:30:00.5Z"));
  CHECK(conv(tz, "00:30:00+01") == Value::string("23:30:00Z"));
}

TEST_CASE("timestamp and timestamptz", "[types]") {
  auto ts = map(oid::kTimestamp);
  CHECK(ts.schema->name() == "io.debezium.time.MicroTimestamp");
  CHECK(conv(ts, "2024-01-15 10:30:00.123456") == Value::int64(1705314600123456LL));
  CHECK(conv(ts, "1969-12-31 23:59:59.5") == Value::int64(-500000));
  CHECK(conv(ts, "infinity") == Value::int64(9223372036825200000LL));
  CHECK(conv(ts, "-infinity") == Value::int64(-9223372036832400000LL));
  auto ts3 = map(oid::kTimestamp, 3);
  CHECK(ts3.schema->name() == "io.debezium.time.Timestamp");
  CHECK(conv(ts3, "1969-12-31 23:59:59.999") == Value::int64(-1));
  CHECK(conv(ts3, "2024-01-15 10:30:00.123") == Value::int64(1705314600123LL));
  MappingOptions connect;
  connect.time_precision = TimePrecisionMode::Connect;
  CHECK(map(oid::kTimestamp, 6, connect).schema->name() == "org.apache.kafka.connect.data.Timestamp");
  CHECK(conv(map(oid::kTimestamp, 6, connect), "2024-01-15 10:30:00.123456") == Value::int64(1705314600123LL));
  CHECK(conv(ts, "0044-03-15 12:00:00 BC") == Value::int64(-63517780800000000LL));

  auto tz = map(oid::kTimestamptz);
  CHECK(tz.schema->name() == "io.debezium.time.ZonedTimestamp");
  CHECK(conv(tz, "2024-01-15 12:30:00+02") == Value::string("2024-01-15T10:30:00.000000Z"));
  CHECK(conv(tz, "2024-01-15 12:30:00.5+05:30") == Value::string("2024-01-15T07:00:00.500000Z"));
  CHECK(conv(tz, "infinity") == Value::string("infinity"));
  CHECK(conv(tz, "-infinity") == Value::string("-infinity"));
  CHECK(conv(map(oid::kTimestamptz, 3), "2024-01-15 10:30:00.12+00") == Value::string("2024-01-15T10:30:00.120Z"));
  CHECK(conv(map(oid::kTimestamptz, 0), "2024-01-15 10:30:00+00") == Value::string("2024-01-15T10:30:00Z"));
  CHECK(conv(tz, "10000-01-01 00:00:00+00") == Value::string("+10000-01-01T00:00:00.000000Z"));
}

TEST_CASE("interval per interval.handling.mode", "[types]") {
  auto m = map(oid::kInterval);
  CHECK(m.schema->name() == "io.debezium.time.MicroDuration");
  CHECK(conv(m, "00:00:01") == Value::int64(1000000));
  CHECK(conv(m, "1 day") == Value::int64(86400000000LL));
  CHECK(conv(m, "1 mon") == Value::int64(2629800000000LL));  // 30.4375 days
  CHECK(conv(m, "-1 days +02:00:00") == Value::int64(-79200000000LL));
  MappingOptions str;
  str.interval = IntervalMode::String;
  auto s = map(oid::kInterval, -1, str);
  CHECK(s.schema->name() == "io.debezium.time.Interval");
  CHECK(conv(s, "1 year 2 mons 3 days 04:05:06.789") == Value::string("P1Y2M3DT4H5M6.789S"));
  CHECK(conv(s, "-00:00:00.5") == Value::string("P0Y0M0DT0H0M-0.5S"));
  CHECK(conv(s, "00:00:00") == Value::string("P0Y0M0DT0H0M0S"));
}

TEST_CASE("bit(1) is boolean, bit(n) and varbit are Bits", "[types]") {
  auto b1 = map(oid::kBit, 1);
  CHECK(b1.schema->type() == Type::Boolean);
  CHECK(conv(b1, "1") == Value::boolean(true));
  auto b = map(oid::kBit, 10);
  CHECK(b.schema->name() == "io.debezium.data.Bits");
  CHECK(param(b, "length") == "10");
  CHECK(conv(b, "1000000001") == Value::bytes(bytes({0x01, 0x02})));
  CHECK(conv(b, "0000000001") == Value::bytes(bytes({0x01})));  // sized by the highest set bit
  CHECK(conv(b, "0000000000") == Value::bytes(""));
  auto vb = map(oid::kVarbit);
  CHECK(param(vb, "length") == "2147483647");
}

TEST_CASE("arrays", "[types]") {
  auto ia = map(1007);  // int4[]
  CHECK(ia.schema->type() == Type::Array);
  CHECK(ia.schema->value_schema()->type() == Type::Int32);
  CHECK(ia.schema->value_schema()->optional());
  auto v = conv(ia, "{1,NULL,-3}");
  REQUIRE(v.as_array().size() == 3);
  CHECK(v.as_array()[0] == Value::int32(1));
  CHECK(v.as_array()[1].is_null());
  CHECK(v.as_array()[2] == Value::int32(-3));
  CHECK(conv(ia, "{}").as_array().empty());
  CHECK(conv(ia, "[0:1]={5,6}").as_array().size() == 2);
  auto multi = ia.from_text("{{1,2},{3,4}}");
  REQUIRE_FALSE(multi.ok());
  CHECK(multi.error().kind == Error::Kind::Unrepresentable);

  auto ta = conv(map(1009), R"({"a,b","c\"d",NULL,"NULL",plain,""})");
  REQUIRE(ta.as_array().size() == 6);
  CHECK(ta.as_array()[0] == Value::string("a,b"));
  CHECK(ta.as_array()[1] == Value::string("c\"d"));
  CHECK(ta.as_array()[2].is_null());
  CHECK(ta.as_array()[3] == Value::string("NULL"));
  CHECK(ta.as_array()[4] == Value::string("plain"));
  CHECK(ta.as_array()[5] == Value::string(""));

  auto na = map(1231, typmod_numeric(6, 2));  // numeric(6,2)[]
  CHECK(na.schema->value_schema()->name() == "org.apache.kafka.connect.data.Decimal");
  CHECK(conv(na, "{1.50}").as_array()[0] == Value::bytes(bytes({0x00, 0x96})));
  auto tsa = map(1185);  // timestamptz[]
  CHECK(conv(tsa, R"({"2024-01-15 10:30:00+00"})").as_array()[0] == Value::string("2024-01-15T10:30:00.000000Z"));
  auto ba = map(1001);  // bytea[]
  CHECK(conv(ba, R"({"\\x0102"})").as_array()[0] == Value::bytes(bytes({1, 2})));
  auto ea = map(16401);  // mood[]
  CHECK(ea.schema->value_schema()->name() == "io.debezium.data.Enum");
  CHECK(conv(ea, "{sad,happy}").as_array()[1] == Value::string("happy"));
  CHECK(map(1041).schema->value_schema()->type() == Type::String);  // inet[]

  // Arrays Debezium does not map.
  for (uint32_t o : {791u, 1003u, 1187u, 1563u, 143u, 1017u}) {  // money, name, interval, varbit, xml, point
    auto r = map_column(ColumnInfo{"c", o, -1, true, std::nullopt, false}, catalog(), {});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == Error::Kind::UnsupportedType);
  }
}

TEST_CASE("enums, domains, hstore", "[types]") {
  auto e = map(16400);
  CHECK(e.schema->name() == "io.debezium.data.Enum");
  CHECK(param(e, "allowed") == "sad,ok,happy");
  CHECK(conv(e, "ok") == Value::string("ok"));

  auto price = map(16450);  // domain over numeric(8,2)
  CHECK(param(price, "scale") == "2");
  CHECK(param(price, "connect.decimal.precision") == "8");
  CHECK(map(16451).schema->type() == Type::String);  // domain over citext

  auto h = map(16410);
  CHECK(h.schema->name() == "io.debezium.data.Json");
  // java.util.HashMap order: "9" (bucket 9) before "10" (bucket 15).
  CHECK(conv(h, R"("10"=>"x", "9"=>NULL)") == Value::string(R"({"9":null,"10":"x"})"));
  CHECK(conv(h, R"("a\"b"=>"c\\d")") == Value::string(R"({"a\"b":"c\\d"})"));
  CHECK(conv(h, "") == Value::string("{}"));
  MappingOptions mo;
  mo.hstore = HstoreMode::Map;
  auto hm = map(16410, -1, mo);
  CHECK(hm.schema->type() == Type::Map);
  CHECK(hm.schema->value_schema()->optional());
  auto mv = conv(hm, R"("b"=>"2", "a"=>"1")");
  REQUIRE(mv.as_map().size() == 2);
  CHECK(mv.as_map()[0].first == Value::string("a"));
  CHECK(mv.as_map()[1].second == Value::string("2"));
}

TEST_CASE("point and PostGIS geometry", "[types]") {
  auto p = map(oid::kPoint);
  CHECK(p.schema->name() == "io.debezium.data.geometry.Point");
  CHECK(p.schema->doc() == std::optional<std::string>("Geometry (POINT)"));
  auto v = conv(p, "(1.5,-2)");
  const auto& st = v.as_struct();
  CHECK(*st.get("x") == Value::float64(1.5));
  CHECK(*st.get("y") == Value::float64(-2));
  CHECK(st.get("wkb")->as_bytes() == bytes({1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0xC0}));
  CHECK(st.get("srid")->is_null());

  auto g = map(16440);
  CHECK(g.schema->name() == "io.debezium.data.geometry.Geometry");
  // SRID=4326;POINT(1 2) as PostGIS prints it.
  auto gv = conv(g, "0101000020E6100000000000000000F03F0000000000000040");
  CHECK(*gv.as_struct().get("srid") == Value::int32(4326));
  CHECK(gv.as_struct().get("wkb")->as_bytes().size() == 25);
  auto plain = conv(g, "0101000000000000000000F03F0000000000000040");
  CHECK(plain.as_struct().get("srid")->is_null());
  CHECK(map(16441).schema->name() == "io.debezium.data.geometry.Geography");
}

TEST_CASE("unknown types: an error, or raw text with include.unknown.datatypes", "[types]") {
  ColumnInfo box{"b", 603, -1, true, std::nullopt, false};
  auto r = map_column(box, catalog(), {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == Error::Kind::UnsupportedType);
  CHECK_THAT(r.message(), Catch::Contains("column b") && Catch::Contains("box") && Catch::Contains("include.unknown.datatypes"));
  auto unknown = map_column(ColumnInfo{"u", 99999, -1, true, std::nullopt, false}, catalog(), {});
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.message(), Catch::Contains("99999"));

  MappingOptions inc;
  inc.include_unknown_datatypes = true;
  auto m = map(603, -1, inc);
  CHECK(m.schema->type() == Type::Bytes);
  CHECK(conv(m, "(1,1),(0,0)") == Value::bytes("(1.0,1.0),(0.0,0.0)"));  // re-printed as pgjdbc's PGbox
  CHECK(conv(map(3220, -1, inc), "16/B374D848") == Value::bytes("16/B374D848"));  // pg_lsn as it is
  inc.binary = BinaryMode::Hex;
  CHECK(conv(map(3220, -1, inc), "ab") == Value::string("6162"));
  auto money_array = map_column(ColumnInfo{"m", 791, -1, true, std::nullopt, false}, catalog(), inc);
  REQUIRE_FALSE(money_array.ok());  // arrays of unmapped types stay out, as in Debezium
  CHECK(money_array.error().kind == Error::Kind::UnsupportedType);
}

TEST_CASE("optional, defaults and fallbacks", "[types]") {
  auto req = map(oid::kInt4, -1, {}, false);
  CHECK_FALSE(req.schema->optional());
  CHECK(req.fallback() == Value::int32(0));
  CHECK(map(oid::kInt4).fallback().is_null());

  auto serial = map(oid::kInt4, -1, {}, false, "nextval('t_id_seq'::regclass)");
  REQUIRE(serial.schema->default_value());
  CHECK(*serial.schema->default_value() == Value::int32(0));
  auto vc = map(oid::kVarchar, 20 + 4, {}, true, "'it''s'::character varying");
  REQUIRE(vc.schema->default_value());
  CHECK(*vc.schema->default_value() == Value::string("it's"));
  auto neg = map(oid::kInt8, -1, {}, false, "'-5'::integer");
  CHECK(*neg.schema->default_value() == Value::int64(-5));
  CHECK(*map(oid::kBool, -1, {}, true, "true").schema->default_value() == Value::boolean(true));
  auto num = map(oid::kNumeric, typmod_numeric(5, 2), {}, false, "1.5");
  CHECK(*num.schema->default_value() == Value::bytes(bytes({0x00, 0x96})));
  CHECK(num.fallback() == Value::bytes(bytes({0x00, 0x96})));  // the default wins
  auto now = map(oid::kTimestamptz, -1, {}, false, "now()");
  CHECK(*now.schema->default_value() == Value::string("1970-01-01T00:00:00.000000Z"));  // formatted, unlike the fallback
  CHECK(map(oid::kTimestamptz, -1, {}, false).fallback() == Value::string("1970-01-01T00:00:00Z"));
  CHECK(*map(oid::kUuid, -1, {}, true, "gen_random_uuid()").schema->default_value() ==
        Value::string("00000000-0000-0000-0000-000000000000"));
  CHECK_FALSE(map(oid::kBytea, -1, {}, true, "'\\x00'::bytea").schema->default_value());  // as Debezium
  CHECK_FALSE(map(oid::kMoney, -1, {}, true, "'$1.00'::money").schema->default_value());
  auto geo = map(16440, -1, {}, false);  // NOT NULL, yet Debezium's Geometry schema is optional
  CHECK(geo.schema->optional());
  CHECK(geo.fallback().as_struct().get(0).as_bytes() == bytes({1, 7, 0, 0, 0, 0, 0, 0, 0}));
  CHECK_FALSE(map(oid::kInt4, -1, {}, true, "a + b").schema->default_value());

  CHECK(map(oid::kNumeric, -1, {}, false).fallback().as_struct().get(1).as_bytes() == bytes({0}));
  CHECK(map(1007, -1, {}, false).fallback().as_array().empty());
}

TEST_CASE("unchanged TOAST placeholder per type", "[types]") {
  const std::string ph = "__debezium_unavailable_value";
  CHECK(map(oid::kText).unavailable(ph) == Value::string(ph));
  CHECK(map(oid::kJsonb).unavailable(ph) == Value::string(ph));
  CHECK(map(oid::kBytea).unavailable(ph) == Value::bytes(ph));
  CHECK(map(oid::kBytea).unavailable("hex:0aff") == Value::bytes(bytes({0x0A, 0xFF})));
  auto ta = map(1009).unavailable(ph);
  REQUIRE(ta.as_array().size() == 1);
  CHECK(ta.as_array()[0] == Value::string(ph));
  auto ia = map(1016).unavailable("ab");  // int8[]: the placeholder's byte values
  REQUIRE(ia.as_array().size() == 2);
  CHECK(ia.as_array()[0] == Value::int64('a'));
  CHECK(map(16410).unavailable("p") == Value::string(R"({"p":"p"})"));
  // uuid[]: java.util.UUID.nameUUIDFromBytes("__debezium_unavailable_value".getBytes()).
  CHECK(map(2951).unavailable(ph).as_array().at(0) == Value::string("b68a35a7-17ad-35b3-af2a-ae46edb4545a"));
  CHECK(map(1182).unavailable("a").as_array().at(0) == Value::int32('a'));  // date[] as int4[]
  CHECK(map(1005).unavailable(ph).is_null());  // int2[]: no placeholder in Debezium
  CHECK(map(oid::kInt4).unavailable(ph).is_null());
}

TEST_CASE("source type parameters when propagation is on", "[types]") {
  ColumnInfo c{"c", oid::kVarchar, 255 + 4, true, std::nullopt, true};
  auto m = map_column(c, catalog(), {});
  REQUIRE(m.ok());
  CHECK(param(*m, "__debezium.source.column.type") == "VARCHAR");
  CHECK(param(*m, "__debezium.source.column.length") == "255");
  CHECK(param(*m, "__debezium.source.column.scale") == "0");
  CHECK(param(*m, "__debezium.source.column.name") == "c");
  CHECK(m->schema->parameters().back().first == "__debezium.source.column.name");
  ColumnInfo n{"n", oid::kNumeric, typmod_numeric(10, 3), true, std::nullopt, true};
  auto nm = map_column(n, catalog(), {});
  CHECK(param(*nm, "__debezium.source.column.length") == "10");
  CHECK(param(*nm, "__debezium.source.column.scale") == "3");
  CHECK(nm->schema->parameters()[0].first == "scale");  // appended after the type's own
}

TEST_CASE("catalog rows and config values", "[types]") {
  auto t = type_from_catalog_row({"16400", "public", "mood", "e", "E", "0", "0", "-1", "{sad,ok,\"very happy\"}"});
  REQUIRE(t.ok());
  CHECK(t->enum_labels == std::vector<std::string>{"sad", "ok", "very happy"});
  CHECK(t->typtype == 'e');
  auto arr = type_from_catalog_row({"16401", "public", "_mood", "b", "A", "16400", "0", "-1", std::nullopt});
  REQUIRE(arr.ok());
  CHECK(arr->element_oid == 16400);
  CHECK_FALSE(type_from_catalog_row({"x", "public", "t", "b", "U", "0", "0", "-1", std::nullopt}).ok());
  CHECK_FALSE(type_from_catalog_row({"1"}).ok());
  CHECK_THAT(std::string(type_catalog_query()), Catch::Contains("pg_enum"));

  TypeCatalog c;
  CHECK(c.find(oid::kInt4)->name == "int4");
  CHECK(c.find(1007)->element_oid == oid::kInt4);
  CHECK(c.find_by_name("pg_catalog", "numeric")->oid == oid::kNumeric);
  CHECK(c.find_by_name("", "hstore") == nullptr);

  CHECK(parse_decimal_mode("PRECISE") == DecimalMode::Precise);
  CHECK(parse_time_precision_mode("adaptive_time_microseconds") == TimePrecisionMode::AdaptiveTimeMicroseconds);
  CHECK(parse_binary_mode("base64-url-safe") == BinaryMode::Base64UrlSafe);
  CHECK(parse_interval_mode("string") == IntervalMode::String);
  CHECK(parse_hstore_mode("map") == HstoreMode::Map);
  CHECK_FALSE(parse_decimal_mode("exact"));
}
