#include "plugins/mysql/connector/snapshot.h"

#include <chrono>
#include <cstdlib>

#include "plugins/mysql/connector/schema_change.h"
#include "plugins/mysql/schema/value_mapping.h"

namespace sluice::mysql::cdc {

using namespace sluice::api;
using Clock = std::chrono::steady_clock;

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string literal(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

std::vector<std::string> list_tables(DbClient& db, const std::string& database) {
  std::vector<std::string> out;
  for (auto& r : db.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA=" +
                          literal(database) + " AND TABLE_TYPE='BASE TABLE' ORDER BY TABLE_NAME"))
    if (r[0]) out.push_back(*r[0]);
  return out;
}

}  // namespace

BinlogPosition current_binlog_position(DbClient& db) {
  std::vector<Row> rows;
  try {
    rows = db.query("SHOW MASTER STATUS");
  } catch (const DbError& e) {
    if (e.code() != 1064) throw;  // MySQL 8.4+ dropped the old name
    rows = db.query("SHOW BINARY LOG STATUS");
  }
  if (rows.empty() || !rows[0][0])
    throw std::runtime_error("SHOW MASTER STATUS returned no binlog position: binary logging is off. "
                             "Start the server with log_bin (e.g. log-bin=mysql-bin in my.cnf).");
  BinlogPosition p;
  p.file = *rows[0][0];
  p.pos = std::strtoull(rows[0][1].value_or("4").c_str(), nullptr, 10);
  return p;
}

BinlogPosition Snapshotter::run(bool data) {
  DbClient lock, reader;
  lock.connect(o_);
  reader.connect(o_);
  reader.execute("SET SESSION time_zone='+00:00'");
  reader.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  lock.execute("SET SESSION lock_wait_timeout=10");

  std::vector<std::pair<std::string, std::string>> tables;
  for (auto& r : lock.query("SHOW DATABASES")) {
    if (!r[0] || !filters_.database(*r[0])) continue;
    for (auto& t : list_tables(lock, *r[0]))
      if (filters_.table(*r[0], t)) tables.emplace_back(*r[0], t);
  }
  try {
    lock.execute("FLUSH TABLES WITH READ LOCK");
  } catch (const DbError& e) {
    if (e.code() != 1227 && e.code() != 1045) throw;
    // No RELOAD (RDS, Aurora): lock the captured tables instead.
    log_line("WARN", "no RELOAD privilege for a global read lock (" + std::string(e.what()) +
                         "); locking the captured tables instead");
    if (!tables.empty()) {
      std::string sql = "LOCK TABLES ";
      for (size_t i = 0; i < tables.size(); ++i)
        sql += (i ? ", " : "") + quote_identifier(tables[i].first) + "." + quote_identifier(tables[i].second) + " READ";
      lock.execute(sql);
    }
  }
  if (data) reader.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  at_ = current_binlog_position(lock);
  if (o_.flavor == "mariadb") at_.gtids = lock.scalar("SELECT @@global.gtid_binlog_pos").value_or("");
  // MySQL with gtid_mode=ON: the executed set at the snapshot point, as Debezium stores it.
  else if (mysql_gtid_mode_on(lock))
    at_.gtids = lock.scalar("SELECT @@global.gtid_executed").value_or("");
  at_.ts_sec = now_ms() / 1000;
  at_.snapshot = true;
  std::vector<TableSchemasPtr> schemas;
  tracker_.catalog() = sluice::mysql::Schemas();
  std::vector<SchemaTracker::Applied> ddl;
  for (auto& [db, t] : tables) {
    if (auto table = tracker_.load_from_server(lock, db, t, to_offset(at_), at_.ts_sec * 1000, &ddl))
      if (auto s = cache_.of(table)) schemas.push_back(s);
  }
  tracker_.flush();
  lock.execute("UNLOCK TABLES");  // held only this long; the reader's transaction keeps the view
  if (o_.include_schema_changes) {
    // As Debezium: the snapshot's DDL on the <topic.prefix> topic, before the data.
    SchemaChangeBuilder changes(o_.topic_prefix, builder_.source_schema());
    for (size_t i = 0; i < ddl.size(); ++i) {
      const auto& a = ddl[i];
      // Without data (no_data) the last schema change completes the snapshot.
      BinlogPosition off = at_;
      off.snapshot = data || i + 1 < ddl.size();
      SourceFields f;
      f.ts_ms = at_.ts_sec * 1000;
      f.snapshot = "true";
      f.db = a.database;
      for (auto& ch : a.changes) f.table += (f.table.empty() ? "" : ",") + ch.id.table;
      f.file = at_.file;
      f.pos = at_.pos;
      if (!queue_.push(changes.build(a.database, a.ddl, a.changes, f.ts_ms, builder_.source(f), to_offset(off),
                                     builder_.partition())))
        throw std::runtime_error("stopping");
    }
  }
  log_line("INFO", "snapshot at " + at_.file + ":" + std::to_string(at_.pos) + ", " + std::to_string(schemas.size()) +
                       " tables" + (data ? "" : " (schema only)"));
  if (!data) {
    BinlogPosition done = at_;
    done.snapshot = false;
    return done;
  }
  auto started = Clock::now();
  for (size_t i = 0; i < schemas.size() && !stopping_.load(); ++i) read_table(reader, *schemas[i], at_, i == 0);
  if (stopping_.load()) throw std::runtime_error("stopping");
  flush_pending("last", true);
  reader.execute("COMMIT");
  double secs = std::chrono::duration<double>(Clock::now() - started).count();
  log_line("INFO", "snapshot done: " + std::to_string(rows_total_) + " rows from " + std::to_string(schemas.size()) +
                       " tables in " + std::to_string(secs) + " s");
  BinlogPosition done = at_;
  done.snapshot = false;
  return done;
}

void Snapshotter::flush_pending(const char* marker, bool last) {
  if (!pending_) return;
  Pending p = std::move(*pending_);
  pending_.reset();
  if (p.first_overall && !last) marker = "first";
  else if (p.first_in_table && !last && std::string(marker) == "true") marker = "first_in_data_collection";
  SourceFields f;
  f.ts_ms = p.ts_ms;
  f.snapshot = marker;
  f.db = p.ts->table->id.catalog;
  f.table = p.ts->table->id.table;
  f.file = at_.file;
  f.pos = at_.pos;
  BinlogPosition off = at_;
  off.snapshot = !last;
  SourceRecord r = builder_.change(*p.ts, 'r', p.key, Value(), p.after, builder_.source(f), to_offset(off));
  if (!queue_.push(std::move(r))) throw std::runtime_error("stopping");
}

void Snapshotter::read_table(DbClient& reader, const TableSchemas& ts, const BinlogPosition& at, bool) {
  const auto& table = *ts.table;
  const auto& columns = table.columns;
  std::string estimate = "?";
  if (auto e = reader.scalar("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA=" +
                             literal(table.id.catalog) + " AND TABLE_NAME=" + literal(table.id.table)))
    estimate = *e;
  std::string sql = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + quote_identifier(columns[i].name);
  sql += " FROM " + quote_identifier(table.id.catalog) + "." + quote_identifier(table.id.table);
  int64_t table_ts = now_ms();
  reader.stream_start(sql);
  std::vector<const char*> cells;
  std::vector<unsigned long> lengths;
  std::vector<Value> full;
  int64_t rows = 0;
  auto started = Clock::now(), last_log = started;
  while (reader.stream_next(cells, lengths)) {
    if (stopping_.load()) break;
    full.assign(columns.size(), Value());
    for (size_t i = 0; i < columns.size() && i < cells.size(); ++i) {
      const auto& m = ts.mappings[i];
      if (!m.schema) continue;
      if (!cells[i]) { full[i] = sluice::mysql::null_value(m); continue; }
      auto v = sluice::mysql::from_text(std::string_view(cells[i], lengths[i]), m);
      if (!v.ok()) {
        if (o_.event_failure_mode == "fail")
          throw std::runtime_error("snapshot of " + table.id.dotted() + ": cannot convert column " + columns[i].name +
                                   ": " + v.error());
        full[i] = sluice::mysql::null_value(m);
        continue;
      }
      full[i] = std::move(*v);
    }
    std::vector<Value> v;
    v.reserve(ts.value_columns.size());
    for (size_t i : ts.value_columns) v.push_back(full[i]);
    flush_pending(pending_ && pending_->ts != &ts ? "last_in_data_collection" : "true", false);
    Pending p;
    p.ts = &ts;
    p.key = builder_.key(ts, full);
    p.after = builder_.row(ts, std::move(v));
    p.ts_ms = table_ts;
    p.first_overall = rows_total_ == 0;
    p.first_in_table = rows == 0;
    pending_ = std::move(p);
    ++rows;
    ++rows_total_;
    auto now = Clock::now();
    if (now - last_log > std::chrono::seconds(5)) {
      double secs = std::chrono::duration<double>(now - started).count();
      log_line("INFO", "snapshot of " + table.id.dotted() + ": " + std::to_string(rows) + " of ~" + estimate +
                           " rows, " + std::to_string(int64_t(rows / secs)) + " rows/s");
      last_log = now;
    }
  }
  reader.stream_end();
  (void)at;
  // The table's last row stays pending: the next table's first row marks it
  // last_in_data_collection, the end of the snapshot marks it last.
}

}  // namespace sluice::mysql::cdc
