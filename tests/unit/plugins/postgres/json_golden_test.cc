// Mapped PostgreSQL columns rendered by the project's JsonConverter: the exact JSON bytes of
// the schema and payload for numeric, temporal, array and geometry types (spec §5.1 layout).
#include <catch2/catch.hpp>

#include "plugins/converters/json_converter.h"
#include "plugins/postgres/decode/types.h"

using namespace sluice::postgres;
namespace api = sluice::api;

namespace {

struct Col {
  const char* name;
  uint32_t oid;
  int32_t typmod;
  const char* text;
};

std::string render(const std::vector<Col>& cols, const MappingOptions& opt, bool schemas) {
  TypeCatalog catalog;
  api::SchemaBuilder sb = api::SchemaBuilder::structure();
  sb.name("cdc.public.t.Value");
  std::vector<ColumnMapping> maps;
  for (const Col& c : cols) {
    auto m = map_column(ColumnInfo{c.name, c.oid, c.typmod, true, std::nullopt, false}, catalog, opt);
    REQUIRE(m.ok());
    sb.field(c.name, m->schema);
    maps.push_back(*m);
  }
  api::SchemaPtr schema = sb.build();
  api::Struct st(schema);
  for (size_t i = 0; i < cols.size(); ++i) {
    auto v = maps[i].from_text(cols[i].text);
    REQUIRE(v.ok());
    st.put(i, *v);
  }
  sluice::converters::JsonConverterConfig cfg;
  cfg.schemas_enable = schemas;
  sluice::converters::JsonConverter conv(cfg);
  std::string out;
  bool is_null = false;
  conv.from_connect("cdc.public.t", schema, api::Value::structure(std::move(st)), out, is_null);
  return out;
}

int32_t numeric(int p, int s) { return ((p << 16) | s) + 4; }

}  // namespace

TEST_CASE("numeric types as JSON", "[json]") {
  std::vector<Col> cols = {{"price", oid::kNumeric, numeric(10, 2), "1234.56"},
                           {"amount", oid::kNumeric, -1, "-12.3400"},
                           {"cash", oid::kMoney, -1, "$5.00"}};
  CHECK(render(cols, {}, true) ==
        R"({"schema":{"type":"struct","fields":[)"
        R"({"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2","connect.decimal.precision":"10"},"field":"price"},)"
        R"({"type":"struct","fields":[{"type":"int32","optional":false,"field":"scale"},{"type":"bytes","optional":false,"field":"value"}],"optional":true,"name":"io.debezium.data.VariableScaleDecimal","version":1,"doc":"Variable scaled decimal","field":"amount"},)"
        R"({"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"cash"}],)"
        R"("optional":false,"name":"cdc.public.t.Value"},)"
        R"("payload":{"price":"AeJA","amount":{"scale":2,"value":"+y4="},"cash":"AfQ="}})");
  MappingOptions dbl;
  dbl.decimal = DecimalMode::Double;
  CHECK(render(cols, dbl, false) == R"({"price":1234.56,"amount":-12.34,"cash":5.0})");
  MappingOptions str;
  str.decimal = DecimalMode::String;
  CHECK(render(cols, str, false) == R"({"price":"1234.56","amount":"-12.3400","cash":"5.00"})");
}

TEST_CASE("temporal types as JSON", "[json]") {
  std::vector<Col> cols = {{"d", oid::kDate, -1, "2024-01-15"},
                           {"t", oid::kTime, -1, "10:15:30.5"},
                           {"t3", oid::kTime, 3, "10:15:30.5"},
                           {"ttz", oid::kTimetz, -1, "10:15:30+02"},
                           {"ts", oid::kTimestamp, -1, "2024-01-15 10:30:00.123456"},
                           {"ts3", oid::kTimestamp, 3, "2024-01-15 10:30:00.123"},
                           {"tstz", oid::kTimestamptz, -1, "2024-01-15 12:30:00+02"},
                           {"iv", oid::kInterval, -1, "1 day 01:00:00"}};
  CHECK(render(cols, {}, false) ==
        R"({"d":19737,"t":36930500000,"t3":36930500,"ttz":"08:15:30Z","ts":1705314600123456,)"
        R"("ts3":1705314600123,"tstz":"2024-01-15T10:30:00.000000Z","iv":90000000000})");
  std::string with_schema = render(cols, {}, true);
  CHECK_THAT(with_schema, Catch::Contains(R"({"type":"int32","optional":true,"name":"io.debezium.time.Date","version":1,"field":"d"})"));
  CHECK_THAT(with_schema, Catch::Contains(R"({"type":"int64","optional":true,"name":"io.debezium.time.MicroTime","version":1,"field":"t"})"));
  CHECK_THAT(with_schema, Catch::Contains(R"({"type":"int32","optional":true,"name":"io.debezium.time.Time","version":1,"field":"t3"})"));
  CHECK_THAT(with_schema, Catch::Contains(R"({"type":"string","optional":true,"name":"io.debezium.time.ZonedTime","version":1,"field":"ttz"})"));
  CHECK_THAT(with_schema, Catch::Contains(R"({"type":"int64","optional":true,"name":"io.debezium.time.MicroTimestamp","version":1,"field":"ts"})"));
  CHECK_THAT(with_schema, Catch::Contains(R"({"type":"string","optional":true,"name":"io.debezium.time.ZonedTimestamp","version":1,"field":"tstz"})"));
  CHECK_THAT(with_schema, Catch::Contains(R"({"type":"int64","optional":true,"name":"io.debezium.time.MicroDuration","version":1,"field":"iv"})"));
  MappingOptions connect;
  connect.time_precision = TimePrecisionMode::Connect;
  CHECK_THAT(render(cols, connect, true),
             Catch::Contains(R"({"type":"int64","optional":true,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"ts"})"));
}

TEST_CASE("arrays and geometry as JSON", "[json]") {
  std::vector<Col> cols = {{"ints", 1007, -1, "{1,NULL,3}"},
                           {"tags", 1009, -1, R"({"a b",c})"},
                           {"nums", 1231, numeric(5, 1), "{1.5,-2.0}"},
                           {"p", oid::kPoint, -1, "(1,2)"}};
  CHECK(render(cols, {}, false) ==
        R"({"ints":[1,null,3],"tags":["a b","c"],"nums":["Dw==","7A=="],)"
        R"("p":{"x":1.0,"y":2.0,"wkb":"AQEAAAAAAAAAAADwPwAAAAAAAABA","srid":null}})");
  std::string with_schema = render(cols, {}, true);
  CHECK_THAT(with_schema, Catch::Contains(R"({"type":"array","items":{"type":"int32","optional":true},"optional":true,"field":"ints"})"));
  CHECK_THAT(with_schema,
             Catch::Contains(R"({"type":"array","items":{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"1","connect.decimal.precision":"5"}},"optional":true,"field":"nums"})"));
  CHECK_THAT(with_schema,
             Catch::Contains(R"J({"type":"struct","fields":[{"type":"double","optional":false,"field":"x"},{"type":"double","optional":false,"field":"y"},{"type":"bytes","optional":true,"field":"wkb"},{"type":"int32","optional":true,"field":"srid"}],"optional":true,"name":"io.debezium.data.geometry.Point","version":1,"doc":"Geometry (POINT)","field":"p"})J"));
}
