// The DDL parser on the dialects and statements the golden corpus does not cover: MariaDB and
// MySQL 8 SHOW CREATE TABLE forms, MariaDB types, errors, ignored statements, identifier case.
#include <catch2/catch.hpp>

#include "plugins/mysql/schema/ddl_parser.h"
#include "plugins/mysql/schema/history_record.h"

using namespace sluice::mysql;

namespace {

Schemas with_db(std::string_view db = "shop") {
  Schemas s;
  auto r = apply_ddl("CREATE DATABASE `" + std::string(db) + "`", "", s);
  REQUIRE(r.ok());
  return s;
}

const Table& table(const Schemas& s, std::string_view db, std::string_view t) {
  auto p = s.find(db, t);
  REQUIRE(p != nullptr);
  return *p;
}

}  // namespace

TEST_CASE("MariaDB 10.11 SHOW CREATE TABLE output", "[mysql][schema][ddl]") {
  Schemas s = with_db();
  auto r = apply_ddl(R"(CREATE TABLE `m` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `u` uuid DEFAULT NULL,
  `ip4` inet4 DEFAULT NULL,
  `ip6` inet6 NOT NULL,
  `j` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`j`)),
  `t` timestamp(6) NOT NULL DEFAULT current_timestamp(6) ON UPDATE current_timestamp(6),
  `d` datetime DEFAULT '2024-01-01 00:00:00',
  `e` enum('x','y') DEFAULT 'x',
  `v` varchar(10) DEFAULT uuid(),
  `n` int(11) DEFAULT (1 + 1),
  `s` bigint(20) unsigned zerofill DEFAULT NULL,
  PRIMARY KEY (`id`) USING BTREE,
  KEY `k` (`n`) COMMENT 'idx',
  CONSTRAINT `c` CHECK (`n` > 0)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci PAGE_COMPRESSED='ON'
 PARTITION BY RANGE (`id`)
(PARTITION `p0` VALUES LESS THAN (10) ENGINE = InnoDB,
 PARTITION `p1` VALUES LESS THAN MAXVALUE ENGINE = InnoDB))",
                     "shop", s);
  REQUIRE(r.ok());
  REQUIRE(r->changes.size() == 1);
  CHECK(r->changes[0].kind == DdlChange::Kind::Create);
  const Table& t = table(s, "shop", "m");
  REQUIRE(t.columns.size() == 11);
  CHECK(t.primary_key_columns == std::vector<std::string>{"id"});
  CHECK(t.columns[1].kind == ColumnKind::kUuid);
  CHECK(t.columns[2].kind == ColumnKind::kInet4);
  CHECK(t.columns[3].kind == ColumnKind::kInet6);
  CHECK_FALSE(t.columns[3].optional);
  CHECK(t.columns[4].kind == ColumnKind::kLongText);
  CHECK(t.columns[5].fsp == 6);
  CHECK(t.columns[5].on_update_current_timestamp);
  CHECK(t.columns[5].default_value_expression == "1970-01-01 00:00:00");
  CHECK(t.columns[6].default_value_expression == "2024-01-01 00:00:00");
  CHECK(t.columns[7].labels == std::vector<std::string>{"x", "y"});
  CHECK(t.columns[7].enum_values == std::vector<std::string>{"'x'", "'y'"});
  CHECK(t.columns[8].has_default_value);
  CHECK_FALSE(t.columns[8].default_value_expression);
  CHECK(t.columns[9].default_is_expression);
  CHECK(t.columns[10].type_name == "BIGINT UNSIGNED ZEROFILL");
  CHECK(t.columns[10].is_unsigned);
  CHECK(t.default_charset == "utf8mb4");
}

TEST_CASE("Comments, versioned comments and quoting", "[mysql][schema][ddl]") {
  Schemas s = with_db("my db");
  auto r = apply_ddl(
      "/* leading */ CREATE TABLE `my db`.`ta``ble` ( -- a comment\n `col \"1\"` INT, # hash\n"
      " /*!80016 `v` INT, */ /*M!100100 `m` INT, */ `last` VARCHAR(3) COMMENT 'a ''quoted'' -- not a comment')",
      "", s);
  REQUIRE(r.ok());
  const Table& t = table(s, "my db", "ta`ble");
  REQUIRE(t.columns.size() == 4);
  CHECK(t.columns[0].name == "col \"1\"");
  CHECK(t.columns[1].name == "v");
  CHECK(t.columns[2].name == "m");
  CHECK(t.id.to_string() == "\"my db\".\"ta`ble\"");
}

TEST_CASE("Statements that change no schema are ignored", "[mysql][schema][ddl]") {
  Schemas s = with_db();
  REQUIRE(apply_ddl("CREATE TABLE t (id INT PRIMARY KEY, v INT)", "shop", s).ok());
  auto version = s.version();
  for (const char* sql : {"BEGIN", "COMMIT", "INSERT INTO t VALUES (1, 2)", "GRANT SELECT ON *.* TO 'u'@'%'",
                          "CREATE INDEX iv ON t (v)", "CREATE VIEW vv AS SELECT 1", "FLUSH PRIVILEGES",
                          "SAVEPOINT a", "CREATE TEMPORARY TABLE tmp (a INT)", "DROP TEMPORARY TABLE IF EXISTS tmp",
                          "XA START 'x'", "ANALYZE TABLE t", "CREATE DEFINER=`root`@`localhost` PROCEDURE p() BEGIN SELECT 1; END",
                          "# only a comment", ""}) {
    INFO(sql);
    auto r = apply_ddl(sql, "shop", s);
    REQUIRE(r.ok());
    CHECK(r->ignored);
    CHECK(r->changes.empty());
  }
  CHECK(s.version() == version);
}

TEST_CASE("Errors name the statement and position and change nothing", "[mysql][schema][ddl]") {
  Schemas s = with_db();
  REQUIRE(apply_ddl("CREATE TABLE t (id INT PRIMARY KEY)", "shop", s).ok());
  auto before = table_json(table(s, "shop", "t"));
  struct Case {
    const char* sql;
    const char* expect;
  } cases[] = {
      {"ALTER TABLE t ADD COLUMN x FROBNICATE", "unknown column type FROBNICATE"},
      {"ALTER TABLE nope ADD COLUMN x INT", "unknown table"},
      {"ALTER TABLE t ADD COLUMN x INT, ADD COLUMN id INT", "exists"},
      {"ALTER TABLE t DROP COLUMN zz", "unknown column zz"},
      {"CREATE TABLE c AS SELECT * FROM t", "SHOW CREATE TABLE"},
      {"CREATE TABLE x (a INT", "expected"},
      {"CREATE TABLE x (a INT) COMMENT 'open", "unterminated string"},
      {"RENAME TABLE nope TO t2", "unknown table"},
      {"CREATE TABLE x LIKE nope", "unknown table"},
      {"CREATE TABLE y (a INT); ALTER TABLE t ADD COLUMN q BLAH", "BLAH"},
  };
  for (const auto& c : cases) {
    INFO(c.sql);
    auto r = apply_ddl(c.sql, "shop", s);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error(), Catch::Contains(c.expect));
    CHECK_THAT(r.error(), Catch::Contains("statement:"));
  }
  CHECK(table_json(table(s, "shop", "t")) == before);
  CHECK(s.find("shop", "y") == nullptr);  // the failing text's first statement was not kept
  auto r = apply_ddl("ALTER TABLE t ADD COLUMN x FROBNICATE", "shop", s);
  CHECK_THAT(r.error(), Catch::Contains("offset 27"));
}

TEST_CASE("RENAME, DROP, TRUNCATE and database statements report their changes", "[mysql][schema][ddl]") {
  Schemas s = with_db();
  REQUIRE(apply_ddl("CREATE TABLE a (x INT); CREATE TABLE b (y INT)", "shop", s).ok());
  auto r = apply_ddl("RENAME TABLE a TO a2, shop.b TO other.b2", "shop", s);
  REQUIRE(r.ok());
  REQUIRE(r->changes.size() == 2);
  CHECK(r->changes[0].kind == DdlChange::Kind::Rename);
  CHECK(r->changes[0].old_id == TableId{"shop", "a"});
  CHECK(r->changes[1].id == TableId{"other", "b2"});
  CHECK(s.find("shop", "a") == nullptr);
  CHECK(s.find("other", "b2") != nullptr);

  r = apply_ddl("TRUNCATE a2", "shop", s);
  REQUIRE(r.ok());
  CHECK(r->changes.at(0).kind == DdlChange::Kind::Truncate);

  r = apply_ddl("DROP TABLE IF EXISTS a2, missing", "shop", s);
  REQUIRE(r.ok());
  CHECK(r->changes.size() == 2);
  CHECK(s.find("shop", "a2") == nullptr);

  REQUIRE(apply_ddl("CREATE SCHEMA IF NOT EXISTS other DEFAULT CHARACTER SET latin1", "", s).ok());
  CHECK(s.database("other")->default_charset == "latin1");
  r = apply_ddl("DROP DATABASE other", "", s);
  REQUIRE(r.ok());
  CHECK(r->changes.back().kind == DdlChange::Kind::DropDatabase);
  CHECK(r->changes.front().kind == DdlChange::Kind::Drop);  // its table b2
  CHECK(s.find("other", "b2") == nullptr);
}

TEST_CASE("lower_case_table_names makes table names case-insensitive", "[mysql][schema][ddl]") {
  Schemas s;
  s.set_lower_case_table_names(1);
  REQUIRE(apply_ddl("CREATE DATABASE Shop", "", s).ok());
  REQUIRE(apply_ddl("CREATE TABLE Orders (ID INT PRIMARY KEY)", "Shop", s).ok());
  CHECK(s.find("SHOP", "ORDERS") != nullptr);
  CHECK(table(s, "shop", "orders").id == TableId{"shop", "orders"});
  REQUIRE(apply_ddl("ALTER TABLE shop.ORDERS ADD COLUMN Name VARCHAR(3)", "", s).ok());
  CHECK(table(s, "shop", "orders").column("name") != nullptr);  // columns: always case-insensitive

  Schemas cs;
  REQUIRE(apply_ddl("CREATE TABLE db.T (a INT)", "", cs).ok());
  CHECK(cs.find("db", "t") == nullptr);
  CHECK(cs.find("db", "T") != nullptr);
}

TEST_CASE("ALTER TABLE specs apply in order", "[mysql][schema][ddl]") {
  Schemas s = with_db();
  REQUIRE(apply_ddl("CREATE TABLE t (a INT NOT NULL, b INT, c INT, PRIMARY KEY (a))", "shop", s).ok());
  auto r = apply_ddl(
      "ALTER ONLINE TABLE t ADD COLUMN IF NOT EXISTS d INT AFTER a, DROP COLUMN IF EXISTS zz, "
      "CHANGE COLUMN b b2 BIGINT NOT NULL FIRST, RENAME COLUMN c TO c2, ADD UNIQUE KEY u (d), "
      "ALGORITHM=INSTANT, LOCK=DEFAULT, ENGINE=InnoDB, DROP PRIMARY KEY, ADD PRIMARY KEY (b2, a), FORCE",
      "shop", s);
  REQUIRE(r.ok());
  const Table& t = table(s, "shop", "t");
  std::vector<std::string> names;
  for (const auto& c : t.columns) names.push_back(c.name);
  CHECK(names == std::vector<std::string>{"b2", "a", "d", "c2"});
  CHECK(t.primary_key_columns == std::vector<std::string>{"b2", "a"});
  for (size_t i = 0; i < t.columns.size(); ++i) CHECK(t.columns[i].position == int(i + 1));

  REQUIRE(apply_ddl("ALTER TABLE t RENAME TO t3", "shop", s).ok());
  CHECK(s.find("shop", "t") == nullptr);
  REQUIRE(s.find("shop", "t3") != nullptr);
}

TEST_CASE("split_statements respects quotes and comments", "[mysql][schema][ddl]") {
  auto parts = split_statements("CREATE TABLE a (x VARCHAR(3) DEFAULT ';'); /* ; */ DROP TABLE b; -- ;\n");
  REQUIRE(parts.size() == 3);
  CHECK(parts[0] == "CREATE TABLE a (x VARCHAR(3) DEFAULT ';')");
  CHECK(parts[1] == "/* ; */ DROP TABLE b");
}

TEST_CASE("SET character_set_server sets the default of new databases", "[mysql][schema][ddl]") {
  Schemas s;
  REQUIRE(apply_ddl("SET character_set_server=latin1, collation_server=latin1_swedish_ci", "", s).ok());
  REQUIRE(apply_ddl("CREATE DATABASE d", "", s).ok());
  REQUIRE(apply_ddl("CREATE TABLE t (v VARCHAR(2))", "d", s).ok());
  CHECK(table(s, "d", "t").default_charset == "latin1");
  CHECK(table(s, "d", "t").columns[0].charset_name == "latin1");
}

TEST_CASE("IF NOT EXISTS on an existing table changes nothing", "[mysql][schema][ddl]") {
  Schemas s = with_db();
  REQUIRE(apply_ddl("CREATE TABLE t (a INT)", "shop", s).ok());
  auto r = apply_ddl("CREATE TABLE IF NOT EXISTS t (b BIGINT, c INT)", "shop", s);
  REQUIRE(r.ok());
  CHECK(r->ignored);
  REQUIRE(r->changes.size() == 1);
  CHECK(r->changes[0].kind == DdlChange::Kind::None);
  CHECK(table(s, "shop", "t").columns.size() == 1);
  // Without IF NOT EXISTS (SHOW CREATE TABLE read again), the table is replaced.
  r = apply_ddl("CREATE TABLE t (b BIGINT, c INT)", "shop", s);
  REQUIRE(r.ok());
  CHECK(table(s, "shop", "t").columns.size() == 2);
}

TEST_CASE("A failing text rolls back every statement before it", "[mysql][schema][ddl]") {
  Schemas s = with_db();
  REQUIRE(apply_ddl("CREATE TABLE t (a INT); CREATE DATABASE other; CREATE TABLE other.o (b INT)", "shop", s).ok());
  auto before = s.version();
  std::string t_json = table_json(table(s, "shop", "t"));
  auto r = apply_ddl(
      "SET character_set_server=latin1; DROP DATABASE other; ALTER TABLE t ADD COLUMN c INT; RENAME TABLE t TO t2; "
      "CREATE TABLE n (x INT); ALTER TABLE t2 ADD COLUMN bad NOPE",
      "shop", s);
  REQUIRE_FALSE(r.ok());
  CHECK(s.version() == before);
  CHECK(s.server_charset() == "utf8mb4");
  CHECK(s.database("other") != nullptr);
  CHECK(s.find("other", "o") != nullptr);
  CHECK(s.find("shop", "t2") == nullptr);
  CHECK(s.find("shop", "n") == nullptr);
  CHECK(table_json(table(s, "shop", "t")) == t_json);
}
