// Every case of fixtures/debezium_golden.tsv (made by golden/make_golden.sh from Debezium
// 2.7.4's own PostgresValueConverter and Kafka Connect's JsonConverter): the same text value
// through map_column and the project's JsonConverter gives the same JSON bytes, schema and
// payload. Known, deliberate differences are listed below with their reason.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "plugins/converters/json_converter.h"
#include "plugins/postgres/decode/types.h"

using namespace sluice::postgres;
namespace api = sluice::api;

namespace {

TypeCatalog golden_catalog() {
  TypeCatalog c;
  c.add(PgType{16400, "public", "mood", 'e', 'E', 0, 0, -1, {"sad", "ok", "happy"}});
  c.add(PgType{16410, "public", "hstore", 'b', 'U', 0, 0, -1, {}});
  c.add(PgType{16420, "public", "citext", 'b', 'S', 0, 0, -1, {}});
  c.add(PgType{16430, "public", "ltree", 'b', 'U', 0, 0, -1, {}});
  c.add(PgType{16440, "public", "geometry", 'b', 'U', 0, 0, -1, {}});
  c.add(PgType{16441, "public", "geography", 'b', 'U', 0, 0, -1, {}});
  return c;
}

MappingOptions options_for(const std::string& modes) {
  MappingOptions o;
  std::stringstream ss(modes);
  std::string m;
  while (std::getline(ss, m, ',')) {
    if (m == "double") o.decimal = DecimalMode::Double;
    if (m == "string") o.decimal = DecimalMode::String;
    if (m == "connect") o.time_precision = TimePrecisionMode::Connect;
    if (m == "micros") o.time_precision = TimePrecisionMode::AdaptiveTimeMicroseconds;
    if (m == "hmap") o.hstore = HstoreMode::Map;
    if (m == "base64") o.binary = BinaryMode::Base64;
    if (m == "hex") o.binary = BinaryMode::Hex;
    if (m == "istring") o.interval = IntervalMode::String;
    if (m == "unknown") o.include_unknown_datatypes = true;
  }
  return o;
}

std::string unescape(std::string s) {  // as PgGolden reads the text column
  for (auto [from, to] : {std::pair<std::string, std::string>{"\\n", "\n"}, {"\\t", "\t"}}) {
    size_t pos = 0;
    while ((pos = s.find(from, pos)) != std::string::npos) {
      s.replace(pos, from.size(), to);
      pos += to.size();
    }
  }
  return s;
}

// Where this library deliberately differs from Debezium 2.7.4's streaming converter.
std::string known_difference(const std::string& type, const std::string& text) {
  if (type == "name") return "Debezium's pgoutput value resolver has no case for `name`: null; we keep the text (its snapshot does too)";
  if (text == "'it''s'::character varying") return "Debezium's default parser stops at the doubled quote (\"it\"); we read it's";
  if (type == "_time") return "Debezium reads time[] through java.sql.Time and drops the microseconds; we keep them";
  return "";
}

}  // namespace

TEST_CASE("Debezium 2.7.4 golden values, byte for byte through JsonConverter", "[golden]") {
  std::string path = std::string(std::getenv("SLUICE_SOURCE_DIR") ? std::getenv("SLUICE_SOURCE_DIR") : ".") +
                     "/tests/unit/plugins/postgres/fixtures/debezium_golden.tsv";
  std::ifstream in(path);
  REQUIRE(in.good());
  TypeCatalog catalog = golden_catalog();
  sluice::converters::JsonConverter json;
  std::string line;
  int compared = 0, skipped = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) f.push_back(cell);
    if (line.back() == '\t') f.push_back("");
    REQUIRE(f.size() == 7);
    const std::string& expected = f[6];
    int32_t typmod = std::stoi(f[4]);
    INFO(line);
    if (!known_difference(f[1], f[5]).empty()) {
      ++skipped;
      continue;
    }
    bool is_default = f[0].find("default") != std::string::npos;
    bool not_null = f[0].find("notnull") != std::string::npos;
    bool propagate = f[0].find("propagate") != std::string::npos;
    std::optional<std::string> default_text;
    if (is_default) default_text = f[5];
    auto m = map_column(ColumnInfo{"c", uint32_t(std::stoul(f[2])), typmod, !not_null, default_text, propagate},
                        catalog, options_for(f[0]));
    if (expected == "UNSUPPORTED") {
      REQUIRE_FALSE(m.ok());
      CHECK(m.error().kind == Error::Kind::UnsupportedType);
      ++compared;
      continue;
    }
    REQUIRE(m.ok());
    // Default cases hold a null value (JsonConverter writes the default); NOT NULL cases the
    // fallback; the others the converted text.
    auto v = is_default || propagate ? Result<api::Value>(api::Value()) : not_null ? Result<api::Value>(m->fallback())
                                                                      : m->from_text(unescape(f[5]));
    if (expected.rfind("ERROR", 0) == 0) {
      CHECK_FALSE(v.ok());  // Debezium throws; the connector warns and leaves the field null
      ++compared;
      continue;
    }
    INFO((v.ok() ? std::string() : v.message()));
    REQUIRE(v.ok());
    api::SchemaPtr schema = api::SchemaBuilder::structure().field("c", m->schema).build();
    api::Struct st(schema);
    st.put(size_t(0), *v);
    std::string out;
    bool is_null = false;
    json.from_connect("t", schema, api::Value::structure(std::move(st)), out, is_null);
    CHECK(out == expected);
    ++compared;
  }
  CHECK(compared > 350);
  CHECK(skipped == 3);
}
