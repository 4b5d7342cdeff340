// The connector's settings and filters: Debezium names, defaults, the database.server.name
// alias, Java-style anchored case-insensitive filters, message.key.columns, column masks.

#include <catch2/catch.hpp>

#include "plugins/postgres/connector/config.h"
#include "plugins/postgres/connector/filters.h"
#include "runtime/plugin_host/host_services.h"

using namespace sluice;
using namespace sluice::postgres;

namespace {

// The connector compiles its patterns with the host's Java regex engine (plugins/api/regex.h):
// install it once, as the sluice binary does when it loads the plugin.
const bool kHostInstalled = (sluice::plugin_host::install_host_services(), true);

api::Config base() {
  return {{"name", "c"},
          {"connector.class", "io.debezium.connector.postgresql.PostgresConnector"},
          {"database.hostname", "db"},
          {"database.user", "u"},
          {"database.dbname", "d"},
          {"plugin.name", "pgoutput"},
          {"topic.prefix", "p"}};
}
int errors_for(const api::ConfigInfos& infos, const std::string& key) {
  for (auto& c : infos.configs)
    if (c.definition.name == key) return static_cast<int>(c.value.errors.size());
  return -1;
}
}  // namespace

TEST_CASE("defaults are Debezium 2.7's") {
  PgConfig p = parse_config(base());
  CHECK(p.topic_prefix == "p");
  CHECK(p.slot_name == "debezium");
  CHECK(p.publication_name == "dbz_publication");
  CHECK(p.autocreate == AutocreateMode::AllTables);
  CHECK(p.snapshot_mode == SnapshotMode::Initial);
  CHECK(p.skipped_ops == std::set<char>{'t'});
  CHECK(p.tombstones_on_delete);
  CHECK(p.max_batch_size == 2048);
  CHECK(p.max_queue_size == 8192);
  CHECK(p.conn.at("port") == "5432");
  CHECK(p.conn.at("sslmode") == "prefer");
  CHECK(p.warnings.empty());
}

TEST_CASE("database.server.name stands in for topic.prefix, with a warning") {
  api::Config c = base();
  c.erase("topic.prefix");
  c["database.server.name"] = "cdc-server";
  auto infos = validate_postgres_config("c", c);
  CHECK(infos.error_count == 0);
  bool warned = false;
  for (auto& ci : infos.configs)
    if (ci.definition.name == "database.server.name")
      warned = ci.definition.documentation.find("topic.prefix") != std::string::npos;
  CHECK(warned);
  PgConfig p = parse_config(c);
  CHECK(p.topic_prefix == "cdc-server");
  REQUIRE(p.warnings.size() == 1);
  CHECK(p.warnings[0].find("database.server.name") != std::string::npos);
}

TEST_CASE("validation names the key that is wrong") {
  api::Config c = base();
  c.erase("topic.prefix");
  CHECK(errors_for(validate_postgres_config("c", c), "topic.prefix") == 1);
  c = base();
  c["plugin.name"] = "decoderbufs";
  CHECK(errors_for(validate_postgres_config("c", c), "plugin.name") == 1);
  c = base();
  c["slot.name"] = "Bad-Slot";
  CHECK(errors_for(validate_postgres_config("c", c), "slot.name") == 1);
  c = base();
  c["skipped.operations"] = "c,x";
  CHECK(errors_for(validate_postgres_config("c", c), "skipped.operations") == 1);
  c = base();
  c["snapshot.mode"] = "schema_only_recovery";
  CHECK(errors_for(validate_postgres_config("c", c), "snapshot.mode") == 1);
  c = base();
  c["table.include.list"] = "public.(users";
  CHECK(errors_for(validate_postgres_config("c", c), "table.include.list") == 1);
  CHECK_THROWS_AS(parse_config(c), std::invalid_argument);
}

TEST_CASE("skipped.operations none and lists") {
  api::Config c = base();
  c["skipped.operations"] = "none";
  CHECK(parse_config(c).skipped_ops.empty());
  c["skipped.operations"] = "c, d";
  CHECK(parse_config(c).skipped_ops == std::set<char>{'c', 'd'});
}

TEST_CASE("table filters are anchored, case-insensitive, and skip system schemas") {
  api::Config c = base();
  c["table.include.list"] = "public.users,public.ord.*";
  Filters f(parse_config(c));
  CHECK(f.table("public", "users"));
  CHECK(f.table("PUBLIC", "Users"));
  CHECK(f.table("public", "orders"));
  CHECK_FALSE(f.table("public", "users2"));
  CHECK_FALSE(f.table("other", "users"));
  CHECK_FALSE(f.table("pg_catalog", "pg_class"));

  c = base();
  c["schema.exclude.list"] = "audit";
  c["table.exclude.list"] = "public\\.tmp_.*";
  Filters g(parse_config(c));
  CHECK(g.table("public", "users"));
  CHECK_FALSE(g.table("audit", "log"));
  CHECK_FALSE(g.table("public", "tmp_x"));
  CHECK_FALSE(g.table("information_schema", "tables"));
}

TEST_CASE("column filters, masks, message.key.columns and message prefixes") {
  api::Config c = base();
  c["column.exclude.list"] = "public.users.secret";
  c["column.mask.with.4.chars"] = "public.users.email";
  c["message.key.columns"] = "public.nopk:code,region;inventory\\..*:sku";
  c["message.prefix.exclude.list"] = "internal.*";
  Filters f(parse_config(c));
  CHECK_FALSE(f.column("public", "users", "secret"));
  CHECK(f.column("public", "users", "email"));
  CHECK(f.mask("public", "users", "email") == 4);
  CHECK(f.mask("public", "users", "name") == -1);
  CHECK(f.key_columns("public", "nopk") == std::vector<std::string>{"code", "region"});
  CHECK(f.key_columns("inventory", "items") == std::vector<std::string>{"sku"});
  CHECK(f.key_columns("public", "users").empty());
  CHECK(f.message_prefix("audit"));
  CHECK_FALSE(f.message_prefix("internal-x"));
}

TEST_CASE("filters take Java regex syntax (the host's engine); a bad one names the property") {
  REQUIRE(kHostInstalled);
  api::Config c = base();
  c["table.include.list"] = "public\\.\\p{Alpha}++,\\Qinv.a+b\\E,(?i)LOGS\\.\\P{Digit}*";
  c["message.key.columns"] = "public\\.\\p{Alpha}+:code";
  Filters f(parse_config(c));
  CHECK(f.table("public", "Users"));
  CHECK_FALSE(f.table("public", "users2"));
  CHECK(f.table("INV", "A+B"));
  CHECK_FALSE(f.table("inv", "aab"));
  CHECK(f.table("logs", "x"));
  CHECK_FALSE(f.table("logs", "x1"));
  CHECK(f.key_columns("public", "nopk") == std::vector<std::string>{"code"});
  CHECK(f.key_columns("public", "nopk2").empty());

  for (const char* key : {"table.include.list", "schema.exclude.list", "column.include.list"}) {
    c = base();
    c[key] = "ok,bad(";
    auto infos = validate_postgres_config("c", c);
    CHECK(errors_for(infos, key) == 1);
    CHECK_THROWS_WITH(parse_config(c), Catch::Contains(key) && Catch::Contains("missing closing parenthesis"));
  }
  c = base();
  c["message.key.columns"] = "public\\.[t:id";
  CHECK(errors_for(validate_postgres_config("c", c), "message.key.columns") == 1);
  CHECK_THROWS_WITH(parse_config(c), Catch::Contains("message.key.columns"));
}
