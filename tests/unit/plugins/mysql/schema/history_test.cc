// Schema history records beyond the golden one: renames, drops, ddl-only records, Debezium's
// records read back, errors.
#include <catch2/catch.hpp>

#include "plugins/mysql/schema/ddl_parser.h"
#include "plugins/mysql/schema/history_record.h"

using namespace sluice::mysql;
using sluice::api::Value;

namespace {

struct Step {
  Schemas before, after;
  DdlResult result;
};

Step step(Schemas& s, std::string_view sql, std::string_view db = "d") {
  Step st;
  st.before = s;
  auto r = apply_ddl(sql, db, s);
  INFO(sql << ": " << r.error());
  REQUIRE(r.ok());
  st.result = *r;
  st.after = s;
  return st;
}

}  // namespace

TEST_CASE("Renames and drops become ALTER with previousId and DROP without a table", "[mysql][schema][history]") {
  Schemas s;
  step(s, "CREATE DATABASE d");
  step(s, "CREATE TABLE a (x INT PRIMARY KEY)");
  auto st = step(s, "RENAME TABLE a TO b");
  HistoryRecord h;
  h.source = {{"server", Value::string("p")}};
  h.position = {{"file", Value::string("bin.000001")}, {"pos", Value::int64(4)}};
  h.ts_ms = 5;
  h.database_name = "d";
  h.ddl = "RENAME TABLE a TO b";
  h.table_changes = table_changes_for(st.result, st.before, st.after);
  REQUIRE(h.table_changes.size() == 1);
  std::string json = write_history_record(h);
  CHECK_THAT(json, Catch::Contains(R"("type":"ALTER","id":"\"d\".\"b\"","previousId":"\"d\".\"a\"","table":{)"));

  Schemas replay;
  step(replay, "CREATE DATABASE d");
  step(replay, "CREATE TABLE a (x INT PRIMARY KEY)");
  REQUIRE(apply_history_record(json, replay).ok());
  CHECK(replay.find("d", "a") == nullptr);
  CHECK(replay.find("d", "b") != nullptr);

  auto drop = step(s, "DROP TABLE b");
  h.table_changes = table_changes_for(drop.result, drop.before, drop.after);
  h.ddl = "DROP TABLE b";
  json = write_history_record(h);
  CHECK_THAT(json, Catch::EndsWith(R"("ddl":"DROP TABLE b","tableChanges":[{"type":"DROP","id":"\"d\".\"b\""}]})"));
  REQUIRE(apply_history_record(json, replay).ok());
  CHECK(replay.find("d", "b") == nullptr);
}

TEST_CASE("Records without tableChanges are replayed from their ddl", "[mysql][schema][history]") {
  Schemas s;
  const char* records[] = {
      R"({"source":{"server":"p"},"position":{"ts_sec":1,"file":"b.1","pos":4,"snapshot":true},"ts_ms":1,"databaseName":"","ddl":"SET character_set_server=latin1, collation_server=latin1_swedish_ci","tableChanges":[]})",
      R"({"source":{"server":"p"},"position":{"file":"b.1","pos":4},"ts_ms":1,"databaseName":"d","ddl":"CREATE DATABASE `d`","tableChanges":[]})",
      R"J({"source":{"server":"p"},"position":{"file":"b.1","pos":9},"ts_ms":2,"databaseName":"d","ddl":"CREATE TABLE t (v VARCHAR(3), e ENUM('a','b'))"})J",
  };
  for (const char* r : records) {
    auto st = apply_history_record(r, s);
    INFO(r << ": " << st.error());
    REQUIRE(st.ok());
  }
  auto t = s.find("d", "t");
  REQUIRE(t);
  CHECK(t->default_charset == "latin1");
  CHECK(t->columns[1].labels == std::vector<std::string>{"a", "b"});
}

TEST_CASE("A Debezium record reads back into a full column model", "[mysql][schema][history]") {
  // As Debezium 2.7 writes it for CREATE TABLE t (id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  // ts TIMESTAMP(3) NULL, s SET('x','y'), PRIMARY KEY (id)).
  const char* rec =
      R"({"source":{"server":"p"},"position":{"transaction_id":null,"ts_sec":1,"file":"b.1","pos":4,"gtids":null},"ts_ms":3,)"
      R"("databaseName":"d","ddl":"...","tableChanges":[{"type":"CREATE","id":"\"d\".\"t\"","table":{"defaultCharsetName":"utf8mb4",)"
      R"("primaryKeyColumnNames":["id"],"columns":[{"name":"id","jdbcType":4,"typeName":"INT UNSIGNED","typeExpression":"INT UNSIGNED",)"
      R"("charsetName":null,"position":1,"optional":false,"autoIncremented":true,"generated":true,"comment":null,"hasDefaultValue":false,"enumValues":[]},)"
      R"({"name":"ts","jdbcType":2014,"typeName":"TIMESTAMP","typeExpression":"TIMESTAMP","charsetName":null,"length":3,"position":2,)"
      R"("optional":true,"autoIncremented":false,"generated":false,"comment":null,"hasDefaultValue":true,"enumValues":[]},)"
      R"({"name":"s","jdbcType":1,"typeName":"SET","typeExpression":"SET","charsetName":"utf8mb4","length":3,"position":3,"optional":true,)"
      R"("autoIncremented":false,"generated":false,"comment":null,"hasDefaultValue":true,"enumValues":["'x'","'y'"]}],"attributes":[]},"comment":null}]})";
  auto parsed = parse_history_record(rec);
  REQUIRE(parsed.ok());
  CHECK(write_history_record(*parsed) == rec);  // our writer reproduces Debezium's bytes
  Schemas s;
  REQUIRE(apply_history_record(*parsed, s).ok());
  auto t = s.find("d", "t");
  REQUIRE(t);
  CHECK(t->columns[0].kind == ColumnKind::kInt);
  CHECK(t->columns[0].is_unsigned);
  CHECK(t->columns[1].kind == ColumnKind::kTimestamp);
  CHECK(t->columns[1].fsp == 3);
  CHECK(t->columns[2].kind == ColumnKind::kSet);
  CHECK(t->columns[2].labels == std::vector<std::string>{"x", "y"});
  CHECK(parsed->position.size() == 5);
  CHECK(parsed->position[0].second.is_null());
}

TEST_CASE("Broken records are errors that say what is wrong", "[mysql][schema][history]") {
  Schemas s;
  struct Case {
    const char* json;
    const char* expect;
  } cases[] = {
      {"{", "invalid JSON"},
      {"[]", "not a JSON object"},
      {R"({"tableChanges":[{"type":"MERGE","id":"\"d\".\"t\""}]})", "unknown table change type MERGE"},
      {R"({"tableChanges":[{"type":"CREATE","id":"\"d\".\"t\""}]})", "without a table"},
      {R"({"tableChanges":[{"type":"CREATE","id":"\"d\".\"t\"","table":{"columns":[{"name":"c","jdbcType":4,"typeName":"FANCY"}]}}]})",
       "unknown column type 'FANCY'"},
      {R"({"databaseName":"d","ddl":"ALTER TABLE nope ADD COLUMN x INT"})", "unknown table"},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    auto r = apply_history_record(c.json, s);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error(), Catch::Contains(c.expect));
  }
  CHECK(s.table_count() == 0);
}

TEST_CASE("Which history records apply at a stored offset", "[mysql][schema][history]") {
  auto pos = [](std::string file, int64_t p, int64_t event = 0, int64_t row = 0, bool snapshot = false) {
    sluice::api::OffsetMap m = {{"file", Value::string(std::move(file))}, {"pos", Value::int64(p)}};
    if (event) m.emplace_back("event", Value::int64(event));
    if (row) m.emplace_back("row", Value::int32(int32_t(row)));
    if (snapshot) m.emplace_back("snapshot", Value::boolean(true));
    return m;
  };
  CHECK(history_position_at_or_before(pos("mysql-bin.000009", 900), pos("mysql-bin.000010", 4)));
  CHECK_FALSE(history_position_at_or_before(pos("mysql-bin.000010", 4), pos("mysql-bin.000009", 900)));
  CHECK(history_position_at_or_before(pos("b.000002", 100), pos("b.000002", 100)));
  CHECK(history_position_at_or_before(pos("b.000002", 100, 1), pos("b.000002", 100, 2)));
  CHECK_FALSE(history_position_at_or_before(pos("b.000002", 100, 3), pos("b.000002", 100, 2)));
  CHECK_FALSE(history_position_at_or_before(pos("b.000002", 100, 0, 5), pos("b.000002", 100, 0, 4)));
  CHECK_FALSE(history_position_at_or_before(pos("b.000002", 100), pos("b.000002", 100, 0, 0, true)));
  CHECK(history_position_at_or_before(pos("b.000002", 100, 0, 0, true), pos("b.000002", 100, 0, 0, true)));

  auto gtid = [](std::string g, bool snapshot = false) {
    sluice::api::OffsetMap m = {{"file", Value::string("b.1")}, {"pos", Value::int64(4)}, {"gtids", Value::string(std::move(g))}};
    if (snapshot) m.emplace_back("snapshot", Value::boolean(true));
    return m;
  };
  const std::string u1 = "3E11FA47-71CA-11E1-9E33-C80AA9429562", u2 = "aaaaaaaa-71ca-11e1-9e33-c80aa9429562";
  CHECK(history_position_at_or_before(gtid(u1 + ":1-5"), gtid(u1 + ":1-9," + u2 + ":1-3")));
  CHECK_FALSE(history_position_at_or_before(gtid(u1 + ":1-10"), gtid(u1 + ":1-9")));
  CHECK_FALSE(history_position_at_or_before(gtid(u2 + ":1"), gtid(u1 + ":1-9")));
  CHECK(history_position_at_or_before(gtid(u1 + ":1-3:5-7"), gtid(u1 + ":1-7")));
  CHECK(history_position_at_or_before(gtid(u2 + ":2"), gtid("AAAAAAAA-71CA-11E1-9E33-C80AA9429562:1-3")));
  CHECK(history_position_at_or_before(gtid("0-1-100"), gtid("0-1-120,1-2-5")));
  CHECK_FALSE(history_position_at_or_before(gtid("0-1-121"), gtid("0-1-120")));
  CHECK_FALSE(history_position_at_or_before(gtid("0-1-120"), gtid("0-1-120", true)));  // streamed after snapshot
  CHECK(history_position_at_or_before(pos("b.1", 4), gtid("0-1-1")));        // no GTIDs recorded: older
  CHECK_FALSE(history_position_at_or_before(gtid("0-1-1"), pos("b.9", 4)));  // GTIDs recorded, none wanted
}
