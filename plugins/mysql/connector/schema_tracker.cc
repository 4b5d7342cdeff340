#include "plugins/mysql/connector/schema_tracker.h"

#include <stdexcept>

#include "plugins/mysql/connector/capture.h"
#include "plugins/mysql/connector/db_client.h"
#include "plugins/mysql/schema/ddl_parser.h"

namespace sluice::mysql::cdc {

using namespace sluice::api;

DurableLogSpec history_spec(const Config& config) {
  DurableLogSpec spec;
  auto get = [&](const std::string& k) {
    auto it = config.find(k);
    return it == config.end() ? std::string() : it->second;
  };
  std::string cls = get("schema.history.internal");
  if (cls.find("FileSchemaHistory") != std::string::npos) {
    spec.file_path = get("schema.history.internal.file.filename");
    if (spec.file_path.empty())
      throw std::invalid_argument("schema.history.internal=" + cls +
                                  " needs schema.history.internal.file.filename");
    return spec;
  }
  spec.kafka_topic = get("schema.history.internal.kafka.topic");
  if (spec.kafka_topic.empty())
    throw std::invalid_argument("Missing required configuration \"schema.history.internal.kafka.topic\"");
  spec.kafka_settings["bootstrap.servers"] = get("schema.history.internal.kafka.bootstrap.servers");
  const std::string producer = "schema.history.internal.producer.", consumer = "schema.history.internal.consumer.";
  for (auto& [k, v] : config) {
    if (k.rfind(producer, 0) == 0) spec.kafka_settings["producer." + k.substr(producer.size())] = v;
    if (k.rfind(consumer, 0) == 0) spec.kafka_settings["consumer." + k.substr(consumer.size())] = v;
  }
  return spec;
}

bool SchemaTracker::recover(const OffsetMap& offset) {
  if (!history_) return false;
  size_t applied = 0;
  std::string failure;
  sluice::api::Status st = history_->read_all([&](std::string_view, std::string_view value) {
    auto rec = sluice::mysql::parse_history_record(value);
    if (!rec.ok()) {
      if (failure.empty()) failure = rec.error();
      return;
    }
    if (!(rec->source == partition_)) return;
    if (!sluice::mysql::history_position_at_or_before(rec->position, offset)) return;
    auto r = sluice::mysql::apply_history_record(*rec, catalog_);
    if (!r.ok() && failure.empty()) failure = r.error();
    ++applied;
  });
  if (!st.is_ok()) throw std::runtime_error("cannot read the schema history: " + st.message());
  if (!failure.empty()) log_line("WARN", "schema history: " + failure);
  log_line("INFO", "schema history: " + std::to_string(applied) + " records replayed, " +
                       std::to_string(catalog_.table_count()) + " tables known");
  return applied > 0;
}

void SchemaTracker::record(const Applied& a, const OffsetMap& position, int64_t ts_ms) {
  if (!history_) return;
  sluice::mysql::HistoryRecord rec;
  rec.source = partition_;
  rec.position = position;
  rec.ts_ms = ts_ms;
  if (!a.database.empty()) rec.database_name = a.database;
  rec.ddl = a.ddl;
  rec.table_changes = a.changes;
  sluice::api::Status st = history_->append("", sluice::mysql::write_history_record(rec));
  if (!st.is_ok()) throw std::runtime_error("cannot write the schema history: " + st.message());
}

void SchemaTracker::flush() {
  if (!history_) return;
  sluice::api::Status st = history_->flush();
  if (!st.is_ok()) throw std::runtime_error("cannot write the schema history: " + st.message());
}

std::vector<SchemaTracker::Applied> SchemaTracker::apply(const std::string& sql, const std::string& default_db,
                                                         const OffsetMap& position, int64_t ts_ms,
                                                         std::vector<std::string>& warnings) {
  std::vector<Applied> out;
  for (std::string_view stmt : sluice::mysql::split_statements(sql)) {
    sluice::mysql::Schemas before = catalog_;
    auto r = sluice::mysql::apply_ddl(stmt, default_db, catalog_);
    if (!r.ok()) {
      warnings.push_back(r.error());
      continue;
    }
    if (r->ignored) continue;
    Applied a;
    a.ddl = std::string(stmt);
    a.database = default_db;
    if (!r->changes.empty() && !r->changes[0].id.catalog.empty()) a.database = r->changes[0].id.catalog;
    a.changes = sluice::mysql::table_changes_for(*r, before, catalog_);
    record(a, position, ts_ms);
    out.push_back(std::move(a));
  }
  return out;
}

std::shared_ptr<const sluice::mysql::Table> SchemaTracker::load_from_server(DbClient& db, const std::string& database,
                                                                            const std::string& table,
                                                                            const OffsetMap& position, int64_t ts_ms,
                                                                            std::vector<Applied>* applied) {
  auto rows = db.query("SHOW CREATE TABLE " + quote_identifier(database) + "." + quote_identifier(table));
  if (rows.empty() || rows[0].size() < 2 || !rows[0][1]) return nullptr;
  if (!catalog_.database(database)) {
    std::vector<std::string> ignored;
    auto a = apply("CREATE DATABASE IF NOT EXISTS " + quote_identifier(database), database, position, ts_ms, ignored);
    if (applied) applied->insert(applied->end(), a.begin(), a.end());
  }
  std::vector<std::string> warnings;
  catalog_.remove({database, table});
  auto a = apply(*rows[0][1], database, position, ts_ms, warnings);
  if (applied) applied->insert(applied->end(), a.begin(), a.end());
  for (auto& w : warnings) log_line("WARN", "SHOW CREATE TABLE " + database + "." + table + ": " + w);
  return catalog_.find(database, table);
}

}  // namespace sluice::mysql::cdc
