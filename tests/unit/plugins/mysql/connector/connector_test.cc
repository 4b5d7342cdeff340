// The MySQL connector's pure parts: options, filters, offsets, record building, the queue and
// the schema-history settings. (The server-facing parts run in
// tests/integration/mysql_connector_test.py against a real MariaDB.)

#include <catch2/catch.hpp>
#include <thread>

#include "plugins/mysql/connector/capture.h"
#include "plugins/mysql/connector/change_queue.h"
#include "plugins/mysql/connector/options.h"
#include "plugins/mysql/connector/records.h"
#include "plugins/mysql/connector/schema_tracker.h"
#include "plugins/mysql/schema/ddl_parser.h"
#include "runtime/plugin_host/host_services.h"

using namespace sluice::mysql::cdc;
using sluice::api::Config;
using sluice::api::OffsetMap;
using sluice::api::Value;

namespace {

// The connector compiles its patterns with the host's Java regex engine (plugins/api/regex.h):
// install it once, as the sluice binary does when it loads the plugin.
const bool kHostInstalled = (sluice::plugin_host::install_host_services(), true);


Config base() {
  return {{"name", "c"}, {"topic.prefix", "srv"}, {"database.server.id", "42"}, {"database.hostname", "h"}};
}

std::shared_ptr<const sluice::mysql::Table> table(const std::string& ddl) {
  sluice::mysql::Schemas s;
  auto r = sluice::mysql::apply_ddl("CREATE DATABASE db", "", s);
  REQUIRE(r.ok());
  auto t = sluice::mysql::apply_ddl(ddl, "db", s);
  REQUIRE(t.ok());
  return s.find(t->changes.at(0).id);
}

}  // namespace

TEST_CASE("options: required keys, aliases and deprecated names") {
  std::vector<std::string> warnings;
  Options o = parse_options(base(), "mysql", warnings);
  CHECK(o.topic_prefix == "srv");
  CHECK(o.server_id == 42);
  CHECK(o.skipped_operations == "t");
  CHECK(o.snapshot_mode == SnapshotMode::kInitial);
  CHECK(warnings.empty());

  Config c = base();
  c.erase("topic.prefix");
  c["database.server.name"] = "old";
  c["snapshot.mode"] = "schema_only";
  c["skipped.operations"] = "none";
  o = parse_options(c, "mariadb", warnings);
  CHECK(o.topic_prefix == "old");
  CHECK(o.flavor == "mariadb");
  CHECK(o.snapshot_mode == SnapshotMode::kNoData);
  CHECK(o.skipped_operations.empty());
  CHECK(warnings.size() == 2);

  c = base();
  c.erase("database.server.id");
  CHECK_THROWS_WITH(parse_options(c, "mysql", warnings),
                    Catch::Matchers::Contains("database.server.id"));
  c = base();
  c["snapshot.mode"] = "sometimes";
  CHECK_THROWS_WITH(parse_options(c, "mysql", warnings), Catch::Matchers::Contains("when_needed"));
  c = base();
  c["topic.prefix"] = "a b";
  CHECK_THROWS(parse_options(c, "mysql", warnings));
}

TEST_CASE("filters: anchored, case-insensitive, built-in databases never") {
  std::vector<std::string> warnings;
  Config c = base();
  c["table.include.list"] = "shop\\.orders,inv\\..*";
  Options o = parse_options(c, "mysql", warnings);
  Filters f(o);
  CHECK(f.table("shop", "orders"));
  CHECK(f.table("SHOP", "Orders"));
  CHECK_FALSE(f.table("shop", "orders2"));
  CHECK(f.table("inv", "x"));
  CHECK_FALSE(f.table("mysql", "user"));
  c = base();
  c["database.exclude.list"] = "tmp.*";
  Options o2 = parse_options(c, "mysql", warnings);
  Filters g(o2);
  CHECK(g.database("shop"));
  CHECK_FALSE(g.database("tmp1"));
  CHECK_FALSE(g.database("information_schema"));
}

TEST_CASE("filters: Java regex syntax (the host's engine), bad patterns name the key") {
  REQUIRE(kHostInstalled);
  std::vector<std::string> warnings;
  Config c = base();
  // Java-only: \p{..} classes, possessive quantifiers, \Q..\E quoting, inline (?i).
  c["table.include.list"] = "shop\\.\\p{Alpha}++,\\Qinv.a+b\\E,(?i)LOGS\\.\\P{Digit}*";
  Filters f(parse_options(c, "mysql", warnings));
  CHECK(f.table("shop", "Orders"));
  CHECK_FALSE(f.table("shop", "orders2"));
  CHECK(f.table("INV", "A+B"));
  CHECK_FALSE(f.table("inv", "aab"));
  CHECK(f.table("logs", "x"));
  CHECK_FALSE(f.table("logs", "x1"));
  c = base();
  c["database.exclude.list"] = "tmp(";
  CHECK_THROWS_WITH(Filters(parse_options(c, "mysql", warnings)),
                    Catch::Contains("database.exclude.list") && Catch::Contains("missing closing parenthesis"));
}

TEST_CASE("offsets: Debezium's keys, zero fields left out, read back") {
  BinlogPosition p;
  p.file = "mysql-bin.000003";
  p.pos = 1000;
  p.event = 2;
  p.row = 1;
  p.server_id = 223344;
  p.ts_sec = 1718000000;
  OffsetMap m = to_offset(p);
  std::vector<std::string> keys;
  for (auto& [k, v] : m) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"ts_sec", "file", "pos", "event", "row", "server_id"});
  auto back = from_offset(m);
  REQUIRE(back);
  CHECK(back->file == p.file);
  CHECK(back->pos == 1000);
  CHECK(back->event == 2);
  CHECK(back->row == 1);
  CHECK(back->server_id == 223344);
  CHECK_FALSE(back->snapshot);

  BinlogPosition s;
  s.file = "f";
  s.snapshot = true;
  OffsetMap sm = to_offset(s);
  CHECK(sm.size() == 4);  // ts_sec, file, pos, snapshot
  CHECK(from_offset(sm)->snapshot);
  // Debezium 1.x's completed-snapshot flag wins over snapshot=true.
  sm.emplace_back("snapshot_completed", Value::boolean(true));
  CHECK_FALSE(from_offset(sm)->snapshot);
  CHECK_FALSE(from_offset(OffsetMap{{"lsn", Value::int64(5)}}));
}

TEST_CASE("records: names, key, envelope and source block in Debezium's layout") {
  std::vector<std::string> warnings;
  Options o = parse_options(base(), "mysql", warnings);
  RecordBuilder b(o);
  auto t = table("CREATE TABLE `my table` (id INT NOT NULL, k2 VARCHAR(5) NOT NULL, v DECIMAL(5,2), "
                 "PRIMARY KEY (k2, id))");
  auto ts = b.schemas(t, warnings);
  CHECK(ts->topic == "srv.db.my_table");
  CHECK(ts->key->name() == "srv.db.my_table.Key");
  REQUIRE(ts->key->fields().size() == 2);
  CHECK(ts->key->fields()[0].name == "k2");  // key order, not column order
  CHECK(ts->value->name() == "srv.db.my_table.Value");
  CHECK(ts->value->optional());
  CHECK(ts->envelope->name() == "srv.db.my_table.Envelope");
  CHECK(ts->envelope->version() == 2);
  std::vector<std::string> fields;
  for (auto& f : ts->envelope->fields()) fields.push_back(f.name);
  CHECK(fields == std::vector<std::string>{"before", "after", "source", "transaction", "op", "ts_ms", "ts_us", "ts_ns"});
  CHECK(b.source_schema()->name() == "io.debezium.connector.mysql.Source");

  std::vector<Value> full{Value::int32(7), Value::string("ab"), Value()};
  Value key = b.key(*ts, full);
  CHECK(key.as_struct().get(size_t{0}) == Value::string("ab"));
  SourceFields sf;
  sf.ts_ms = 1718000000000;
  sf.db = "db";
  sf.table = "my table";
  sf.file = "binlog.000001";
  sf.pos = 1234;
  Value src = b.source(sf);
  CHECK(src.as_struct().get("snapshot")->is_null());  // streaming: unset, the converter prints "false"
  CHECK(*src.as_struct().get("ts_us") == Value::int64(1718000000000000));
  CHECK(*src.as_struct().get("connector") == Value::string("mysql"));
  auto rec = b.change(*ts, 'c', key, Value(), b.row(*ts, full), src, {});
  CHECK(rec.topic == "srv.db.my_table");
  CHECK(*rec.source_partition == OffsetMap{{"server", Value::string("srv")}});
  CHECK(*rec.value.as_struct().get("op") == Value::string("c"));
  auto tomb = b.tombstone(rec);
  CHECK(tomb.value.is_null());
  CHECK(tomb.value_schema == nullptr);
  CHECK(tomb.key == rec.key);

  Options m = parse_options(base(), "mariadb", warnings);
  RecordBuilder mb(m);
  CHECK(mb.source_schema()->name() == "io.debezium.connector.mariadb.Source");
  auto nokey = mb.schemas(table("CREATE TABLE t2 (a INT)"), warnings);
  CHECK(nokey->key == nullptr);
}

TEST_CASE("queue: bounded, batches, failure after the records before it") {
  ChangeQueue q(2);
  sluice::api::SourceRecord r;
  REQUIRE(q.push(sluice::api::SourceRecord(r)));
  REQUIRE(q.push(sluice::api::SourceRecord(r)));
  std::thread producer([&] { q.push(sluice::api::SourceRecord(r)); });  // blocks until drained
  std::vector<sluice::api::SourceRecord> out;
  CHECK_FALSE(q.drain(out, 1, std::chrono::milliseconds(10)));
  CHECK(out.size() == 1);
  producer.join();
  q.fail("boom");
  out.clear();
  auto failure = q.drain(out, 10, std::chrono::milliseconds(10));
  CHECK(out.size() == 2);
  REQUIRE(failure);
  CHECK(*failure == "boom");
  q.close();
  CHECK_FALSE(q.push(sluice::api::SourceRecord(r)));
}

TEST_CASE("schema history settings: Kafka topic with client settings, or a file") {
  Config c{{"schema.history.internal.kafka.topic", "h"},
           {"schema.history.internal.kafka.bootstrap.servers", "b:9092"},
           {"schema.history.internal.producer.acks", "all"},
           {"schema.history.internal.consumer.fetch.min.bytes", "1"}};
  auto spec = history_spec(c);
  CHECK(spec.kafka_topic == "h");
  CHECK(spec.kafka_settings.at("bootstrap.servers") == "b:9092");
  CHECK(spec.kafka_settings.at("producer.acks") == "all");
  CHECK(spec.kafka_settings.at("consumer.fetch.min.bytes") == "1");
  Config f{{"schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory"},
           {"schema.history.internal.file.filename", "/tmp/h.dat"}};
  CHECK(history_spec(f).file_path == "/tmp/h.dat");
  CHECK_THROWS_WITH(history_spec(Config{}), Catch::Matchers::Contains("schema.history.internal.kafka.topic"));
}
