// The tracked schema against TABLE_MAP events built byte by byte (binlog_builder.h): accepted
// when they agree, refused with the table and the difference named when they do not.
#include <catch2/catch.hpp>

#include "plugins/mysql/binlog/constants.h"
#include "plugins/mysql/schema/ddl_parser.h"
#include "plugins/mysql/schema/table_check.h"
#include "tests/unit/plugins/mysql/binlog_builder.h"

using namespace sluice::mysql;
using namespace sluice::mysql::test;

namespace {

namespace ct = column_type;

std::shared_ptr<const Table> make_table() {
  static Schemas s;
  if (!s.find("shop", "t")) {
    auto r = apply_ddl(
        "CREATE TABLE shop.t (id INT UNSIGNED NOT NULL, name VARCHAR(20) CHARACTER SET latin1, "
        "e ENUM('a','b'), amount DECIMAL(10,2), note TEXT, PRIMARY KEY (id)) DEFAULT CHARSET=utf8mb4",
        "", s);
    REQUIRE(r.ok());
  }
  return s.find("shop", "t");
}

std::vector<Col> columns() {
  return {
      {ct::kLong, {}, false},
      {ct::kVarchar, {20, 0}},
      {ct::kString, {ct::kEnum, 1}},
      {ct::kNewDecimal, {10, 2}},
      {ct::kBlob, {2}},
  };
}

Bytes full_metadata(std::string_view name1 = "name", uint8_t latin1 = 8, bool id_unsigned = true) {
  Bytes opt;
  put_opt_meta(opt, table_meta::kSignedness, Bytes{uint8_t(id_unsigned ? 0x80 : 0x00)});  // id, amount
  Bytes names;
  for (std::string_view n : {std::string_view("id"), name1, std::string_view("e"), std::string_view("amount"),
                             std::string_view("note")}) {
    put_lenenc_str(names, n);
  }
  put_opt_meta(opt, table_meta::kColumnName, names);
  // Column charsets of the text columns in order: name, note (ENUM has its own field).
  Bytes charsets;
  put_lenenc(charsets, latin1);
  put_lenenc(charsets, 45);
  put_opt_meta(opt, table_meta::kColumnCharset, charsets);
  Bytes labels;
  put_lenenc(labels, 2);
  put_lenenc_str(labels, "a");
  put_lenenc_str(labels, "b");
  put_opt_meta(opt, table_meta::kEnumStrValue, labels);
  Bytes pk;
  put_lenenc(pk, 0);
  put_opt_meta(opt, table_meta::kSimplePrimaryKey, pk);
  return opt;
}

TableMap parse(const Bytes& body) {
  TableMap map;
  auto st = parse_table_map(body.data(), body.size(), 6, map);
  REQUIRE(st.ok());
  return map;
}

}  // namespace

TEST_CASE("A matching TABLE_MAP passes, with and without FULL metadata", "[mysql][schema][check]") {
  auto t = make_table();
  CHECK(check_table_map(parse(table_map_body(7, "shop", "t", columns())), *t).ok());
  auto st = check_table_map(parse(table_map_body(7, "shop", "t", columns(), full_metadata())), *t);
  INFO(st.message());
  CHECK(st.ok());
}

TEST_CASE("Differences are named", "[mysql][schema][check]") {
  auto t = make_table();
  SECTION("column count") {
    auto cols = columns();
    cols.push_back({ct::kLong, {}});
    auto st = check_table_map(parse(table_map_body(7, "shop", "t", cols)), *t);
    REQUIRE_FALSE(st.ok());
    CHECK_THAT(st.message(), Catch::Contains("table shop.t") && Catch::Contains("6 columns") &&
                                 Catch::Contains("tracked schema 5"));
  }
  SECTION("type") {
    auto cols = columns();
    cols[0] = {ct::kLongLong, {}, false};
    auto st = check_table_map(parse(table_map_body(7, "shop", "t", cols)), *t);
    REQUIRE_FALSE(st.ok());
    CHECK_THAT(st.message(), Catch::Contains("column 1 (id)") && Catch::Contains("LONGLONG"));
  }
  SECTION("decimal precision and blob size") {
    auto cols = columns();
    cols[3] = {ct::kNewDecimal, {12, 2}};
    cols[4] = {ct::kBlob, {4}};
    auto st = check_table_map(parse(table_map_body(7, "shop", "t", cols)), *t);
    REQUIRE_FALSE(st.ok());
    CHECK_THAT(st.message(), Catch::Contains("DECIMAL(12,2)") && Catch::Contains("4 length bytes"));
  }
  SECTION("names, signedness, charset") {
    auto st = check_table_map(parse(table_map_body(7, "shop", "t", columns(), full_metadata("nom", 45, false))), *t);
    REQUIRE_FALSE(st.ok());
    CHECK_THAT(st.message(), Catch::Contains("names it nom") && Catch::Contains("tracked UNSIGNED, binlog signed") &&
                                 Catch::Contains("tracked charset latin1, binlog utf8mb4"));
  }
}

TEST_CASE("to_binlog_schema gives the decoder what DDL knows", "[mysql][schema][check]") {
  Schemas s;
  REQUIRE(apply_ddl("CREATE TABLE d.m (u UUID, i INT UNSIGNED, b BOOL, t TIME(3), v VARBINARY(3), c CHAR(2), "
                    "st SET('x','y'))",
                    "", s)
              .ok());
  auto bs = to_binlog_schema(*s.find("d", "m"));
  REQUIRE(bs.columns.size() == 7);
  CHECK(bs.columns[0].logical == LogicalType::kUuid);
  CHECK(bs.columns[1].is_unsigned == true);
  CHECK(bs.columns[2].logical == LogicalType::kBoolean);
  CHECK(bs.columns[3].fsp == 3);
  CHECK(bs.columns[4].collation == 63);
  CHECK(bs.columns[5].collation == 45);  // utf8mb4_general_ci
  CHECK(bs.columns[6].set_values == std::vector<std::string>{"x", "y"});
  CHECK(bs.columns[0].name == "u");
}
