// The Connect field schemas (type, name, parameters, optional, default) Sluice maps each column
// of golden/mapping_table.sql to, against what Debezium 2.7's own TableSchemaBuilder +
// MySqlValueConverters build (golden/mapping_goldens.tsv, from GenMappingGoldens.java), in
// every handling mode, compared as JsonConverter schema JSON.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "plugins/converters/json_converter.h"
#include "plugins/mysql/schema/ddl_parser.h"
#include "plugins/mysql/schema/value_mapping.h"

using namespace sluice::mysql;

namespace {

std::string golden_dir() {
  const char* d = std::getenv("SLUICE_SOURCE_DIR");
  return std::string(d ? d : ".") + "/tests/unit/plugins/mysql/schema/golden/";
}

MappingOptions mode(const std::string& name) {
  MappingOptions o;
  if (name == "decimal=double") o.decimal = DecimalHandling::kDouble;
  else if (name == "decimal=string") o.decimal = DecimalHandling::kString;
  else if (name == "time=connect") o.time = TimePrecision::kConnect;
  else if (name == "bigint=precise") o.bigint_unsigned = BigintUnsignedHandling::kPrecise;
  else if (name == "binary=base64") o.binary = BinaryHandling::kBase64;
  else if (name == "binary=hex") o.binary = BinaryHandling::kHex;
  else REQUIRE(name == "default");
  return o;
}

}  // namespace

TEST_CASE("Field schemas and defaults match Debezium 2.7 in every mode", "[mysql][schema][golden]") {
  std::ifstream ddl_in(golden_dir() + "mapping_table.sql");
  REQUIRE(ddl_in.good());
  std::stringstream ddl;
  ddl << ddl_in.rdbuf();
  Schemas s;
  REQUIRE(apply_ddl("SET character_set_server=utf8mb4", "", s).ok());
  auto r = apply_ddl(ddl.str(), "d", s);
  REQUIRE(r.ok());
  auto table = s.find("d", "m");
  REQUIRE(table);

  sluice::converters::JsonConverterConfig cfg;
  sluice::converters::JsonConverter conv(cfg);
  std::ifstream in(golden_dir() + "mapping_goldens.tsv");
  REQUIRE(in.good());
  std::string line;
  size_t compared = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
    std::string mode_name = line.substr(0, t1), col = line.substr(t1 + 1, t2 - t1 - 1), want = line.substr(t2 + 1);
    INFO(mode_name << " " << col);
    const Column* c = table->column(col);
    REQUIRE(c);
    auto m = map_column(*c, mode(mode_name));
    REQUIRE(m.ok());
    std::string got;
    if (!m->schema) got = "DROPPED";
    else conv.append_schema_json(m->schema, got);
    CHECK(got == want);
    ++compared;
  }
  CHECK(compared == 7 * table->columns.size());
}
