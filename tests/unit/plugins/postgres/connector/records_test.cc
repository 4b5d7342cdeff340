// Debezium's PostgreSQL records and offsets as Sluice builds them: the offset map (and reading
// Debezium's own), the sequence text, the source block, envelope, tombstone and heartbeat, a
// table's key/value schemas, and the bounded queue between the replication thread and poll().

#include <catch2/catch.hpp>


#include "plugins/postgres/connector/events.h"
#include "plugins/postgres/connector/filters.h"
#include "plugins/postgres/connector/table.h"

using namespace sluice;
using namespace sluice::postgres;

namespace {
std::vector<std::string> keys(const api::OffsetMap& m) {
  std::vector<std::string> out;
  for (auto& [k, v] : m) out.push_back(k);
  return out;
}
std::vector<std::string> field_names(const api::SchemaPtr& s) {
  std::vector<std::string> out;
  for (auto& f : s->fields()) out.push_back(f.name);
  return out;
}
PgConfig config(std::map<std::string, std::string> extra = {}) {
  api::Config c = {{"database.hostname", "h"}, {"database.user", "u"}, {"database.dbname", "d"},
                   {"plugin.name", "pgoutput"}, {"topic.prefix", "p"}};
  for (auto& [k, v] : extra) c[k] = v;
  return parse_config(c);
}
}  // namespace

TEST_CASE("streaming offsets carry Debezium's keys and read back") {
  Position p;
  p.lsn = 200;
  p.lsn_proc = 200;
  p.lsn_commit = 150;
  p.tx_id = 7;
  p.ts_usec = 1718000000123456;
  p.message_type = "INSERT";
  auto m = offset_map(p);
  CHECK(keys(m) == std::vector<std::string>{"lsn_proc", "messageType", "lsn_commit", "lsn", "txId", "ts_usec"});
  Position back = position_from_offset(m);
  CHECK(back.lsn == p.lsn);
  CHECK(back.lsn_commit == p.lsn_commit);
  CHECK(back.tx_id == p.tx_id);
  CHECK(back.message_type == p.message_type);
  CHECK_FALSE(back.snapshot);
}

TEST_CASE("snapshot offsets mark the snapshot and its last record") {
  Position p;
  p.lsn = 100;
  p.tx_id = 5;
  p.ts_usec = 1;
  p.snapshot = true;
  auto m = offset_map(p);
  CHECK(keys(m) == std::vector<std::string>{"last_snapshot_record", "lsn", "txId", "ts_usec", "snapshot"});
  CHECK_FALSE(position_from_offset(m).last_snapshot_record);
  p.last_snapshot_record = true;
  CHECK(position_from_offset(offset_map(p)).last_snapshot_record);
}

TEST_CASE("a Debezium-written offset is understood") {
  // What Debezium 2.7 stores while streaming (integers read back as 64-bit).
  api::OffsetMap m = {{"transaction_id", api::Value()},
                      {"lsn_proc", api::Value::int64(26624584)},
                      {"messageType", api::Value::string("INSERT")},
                      {"lsn_commit", api::Value::int64(26624352)},
                      {"lsn", api::Value::int64(26624584)},
                      {"txId", api::Value::int64(741)},
                      {"ts_usec", api::Value::int64(1718000000123456)}};
  Position p = position_from_offset(m);
  CHECK(p.lsn_commit == Lsn(26624352));
  CHECK(p.lsn == Lsn(26624584));
  CHECK(p.tx_id == 741);
  CHECK(p.message_type == std::string("INSERT"));
}

TEST_CASE("sequence text") {
  CHECK(sequence_text(std::nullopt, 26572744) == R"([null,"26572744"])");
  CHECK(sequence_text(Lsn(24023928), 24023976) == R"(["24023928","24023976"])");
}

TEST_CASE("envelope, source block, tombstone, truncate and heartbeat records") {
  PgConfig cfg = config();
  Filters filters(cfg);
  TypeCatalog catalog;
  std::vector<CatalogColumn> cols(2);
  cols[0].info = {"id", oid::kInt4, -1, false, std::nullopt};
  cols[0].primary_key = true;
  cols[1].info = {"name", oid::kText, -1, true, std::nullopt};
  std::vector<std::string> skipped;
  Table t = Table::build(42, "public", "users", cols, "p", filters, catalog, cfg.mapping, skipped);
  EventFactory ev("p", "d", "__debezium-heartbeat");
  t.envelope_schema = ev.envelope_schema(t);
  CHECK(skipped.empty());
  CHECK(t.topic == "p.public.users");
  CHECK(t.key_schema->name() == "p.public.users.Key");
  CHECK(field_names(t.key_schema) == std::vector<std::string>{"id"});
  CHECK(t.row_schema->name() == "p.public.users.Value");
  CHECK(t.row_schema->optional());
  CHECK(t.envelope_schema->name() == "p.public.users.Envelope");
  CHECK(t.envelope_schema->version() == 2);
  CHECK(field_names(t.envelope_schema) ==
        std::vector<std::string>{"before", "after", "source", "transaction", "op", "ts_ms", "ts_us", "ts_ns"});
  CHECK(field_names(ev.source_schema()) ==
        std::vector<std::string>{"version", "connector", "name", "ts_ms", "snapshot", "db", "sequence",
                                 "ts_us", "ts_ns", "schema", "table", "txId", "lsn", "xmin"});

  api::Value row = t.row_from_text({std::string_view("1"), std::nullopt});
  SourceInfo s;
  s.ts_us = 1718000000123456;
  s.schema = "public";
  s.table = "users";
  s.tx_id = 9;
  s.lsn = 300;
  s.sequence = sequence_text(Lsn(250), 300);
  Position pos;
  pos.lsn = 300;
  auto rec = ev.change(t, 'd', row, api::Value(), s, pos);
  CHECK(rec.topic == "p.public.users");
  CHECK(*rec.source_partition == api::OffsetMap{{"server", api::Value::string("p")}});
  CHECK(rec.key.as_struct().get(size_t{0}) == api::Value::int32(1));
  const api::Struct& env = rec.value.as_struct();
  CHECK(env.get("op")->as_string() == "d");
  CHECK(env.get("after")->is_null());
  const api::Struct& src = env.get("source")->as_struct();
  CHECK(src.get("version")->as_string() == kDebeziumVersion);
  CHECK(src.get("connector")->as_string() == "postgresql");
  CHECK(src.get("ts_ms")->as_int64() == 1718000000123);
  CHECK(src.get("ts_ns")->as_int64() == 1718000000123456000);
  CHECK(src.get("snapshot")->is_null());  // the schema default "false" shows in JSON
  CHECK(src.get("db")->as_string() == "d");
  CHECK(src.get("lsn")->as_int64() == 300);

  auto tomb = ev.tombstone(rec);
  CHECK(tomb.value.is_null());
  CHECK(tomb.value_schema == nullptr);
  CHECK(tomb.key == rec.key);

  auto tr = ev.truncate(t, s, pos);
  CHECK(tr.key.is_null());
  CHECK(tr.key_schema == nullptr);
  CHECK(tr.value.as_struct().get("op")->as_string() == "t");

  auto hb = ev.heartbeat(pos);
  CHECK(hb.topic == "__debezium-heartbeat.p");
  CHECK(hb.kafka_partition == 0);
  CHECK(hb.key_schema->name() == "io.debezium.connector.common.ServerNameKey");
  CHECK(hb.key.as_struct().get(size_t{0}).as_string() == "p");
  CHECK(hb.value_schema->name() == "io.debezium.connector.common.Heartbeat");
}

TEST_CASE("message.key.columns, column exclusion and masks shape the table") {
  PgConfig cfg = config({{"message.key.columns", "public.t:code"},
                         {"column.exclude.list", "public.t.secret"},
                         {"column.mask.with.3.chars", "public.t.code"}});
  Filters filters(cfg);
  TypeCatalog catalog;
  std::vector<CatalogColumn> cols(3);
  cols[0].info = {"code", oid::kText, -1, false, std::nullopt};
  cols[1].info = {"secret", oid::kText, -1, true, std::nullopt};
  cols[2].info = {"v", oid::kInt8, -1, true, std::nullopt};
  std::vector<std::string> skipped;
  Table t = Table::build(1, "public", "t", cols, "p", filters, catalog, cfg.mapping, skipped);
  CHECK(field_names(t.row_schema) == std::vector<std::string>{"code", "v"});
  CHECK(field_names(t.key_schema) == std::vector<std::string>{"code"});
  api::Value row = t.row_from_text({std::string_view("abcdef"), std::string_view("s"), std::string_view("5")});
  CHECK(row.as_struct().get("code")->as_string() == "***");
  CHECK(t.key_of(row).as_struct().get(size_t{0}).as_string() == "***");
}

TEST_CASE("a table without a key has no key schema; unmapped types are left out") {
  PgConfig cfg = config();
  Filters filters(cfg);
  TypeCatalog catalog;
  std::vector<CatalogColumn> cols(2);
  cols[0].info = {"v", oid::kInt4, -1, true, std::nullopt};
  cols[1].info = {"box", 603 /* box */, -1, true, std::nullopt};
  std::vector<std::string> skipped;
  Table t = Table::build(1, "public", "nokey", cols, "p", filters, catalog, cfg.mapping, skipped);
  CHECK(t.key_schema == nullptr);
  CHECK(field_names(t.row_schema) == std::vector<std::string>{"v"});
  CHECK(skipped.size() == 1);
}

TEST_CASE("transaction metadata: BEGIN/END records and the envelope's transaction block") {
  EventFactory ev("p", "d", "__debezium-heartbeat");
  Position pos;
  pos.lsn = 100;
  auto begin = ev.transaction_event(true, "746", 1234, {}, pos);
  CHECK(begin.topic == "p.transaction");
  CHECK(begin.key_schema->name() == "io.debezium.connector.common.TransactionMetadataKey");
  CHECK(begin.value_schema->name() == "io.debezium.connector.common.TransactionMetadataValue");
  CHECK(field_names(begin.value_schema) ==
        std::vector<std::string>{"status", "id", "event_count", "data_collections", "ts_ms"});
  CHECK(begin.key.as_struct().get("id")->as_string() == "746");
  const api::Struct& b = begin.value.as_struct();
  CHECK(b.get("status")->as_string() == "BEGIN");
  CHECK(b.get("event_count")->is_null());
  CHECK(b.get("data_collections")->is_null());
  CHECK(*b.get("ts_ms") == api::Value::int64(1234));
  CHECK(keys(begin.source_offset) == std::vector<std::string>{"lsn"});

  auto end = ev.transaction_event(false, "746", 1234, {{"public.a", 2}, {"public.b", 1}}, pos);
  const api::Struct& e = end.value.as_struct();
  CHECK(e.get("status")->as_string() == "END");
  CHECK(*e.get("event_count") == api::Value::int64(3));
  const auto& list = e.get("data_collections")->as_array();
  REQUIRE(list.size() == 2);
  CHECK(list[0].as_struct().get("data_collection")->as_string() == "public.a");
  CHECK(*list[1].as_struct().get("event_count") == api::Value::int64(1));

  auto block = ev.transaction_block("746", 3, 2);
  const api::Struct& tb = block.as_struct();
  CHECK(tb.schema()->name() == "event.block");
  CHECK(*tb.get("total_order") == api::Value::int64(3));
  CHECK(*tb.get("data_collection_order") == api::Value::int64(2));
}
