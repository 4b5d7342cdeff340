#include "plugins/mysql/connector/capture.h"

#include "plugins/mysql/connector/column_rules.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace sluice::mysql::cdc {

Filters::Filters(const Options& o)
    : db_in_(compile(o.database_include, "database.include.list")),
      db_out_(compile(o.database_exclude, "database.exclude.list")),
      table_in_(compile(o.table_include, "table.include.list")),
      table_out_(compile(o.table_exclude, "table.exclude.list")) {}

Filters::Patterns Filters::compile(const std::vector<std::string>& patterns, const char* key) {
  return compile_java_regexes(patterns, key);
}

namespace {
bool any(const std::vector<sluice::api::JavaPatternPtr>& rs, const std::string& s) { return any_matches(rs, s); }
}  // namespace

bool Filters::database(const std::string& db) const {
  if (db == "mysql" || db == "performance_schema" || db == "sys" || db == "information_schema") return false;
  if (!db_in_.empty()) return any(db_in_, db);
  return !any(db_out_, db);
}

bool Filters::table(const std::string& db, const std::string& table) const {
  if (!database(db)) return false;
  std::string full = db + "." + table;
  if (!table_in_.empty()) return any(table_in_, full);
  return !any(table_out_, full);
}

void log_line(const std::string& level, const std::string& message) {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char ts[32];
  std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::fprintf(stderr, "%s %s [mysql-connector] %s\n", ts, level.c_str(), message.c_str());
}

TableSchemasPtr SchemaCache::of(std::shared_ptr<const sluice::mysql::Table> table) {
  if (!table) return nullptr;
  if (auto it = cache_.find(table.get()); it != cache_.end()) return it->second;
  std::vector<std::string> warnings;
  auto s = builder_.schemas(table, warnings);
  for (auto& w : warnings) log_line("WARN", w);
  cache_[table.get()] = s;
  return s;
}

TableSchemasPtr SchemaCache::get(DbClient& db, const std::string& database, const std::string& table,
                                 const sluice::api::OffsetMap& position, int64_t ts_ms) {
  if (!filters_.table(database, table)) return nullptr;
  auto t = tracker_.find(database, table);
  if (!t) {
    log_line("INFO", "table " + database + "." + table + " is not in the schema history: reading SHOW CREATE TABLE");
    t = tracker_.load_from_server(db, database, table, position, ts_ms);
    tracker_.flush();  // durable before the table's events (see Streamer::handle_ddl)
  }
  return of(t);
}

}  // namespace sluice::mysql::cdc
