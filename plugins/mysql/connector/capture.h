#pragma once
// What the snapshot and the binlog reader share: options, filters, the record builder, the
// queue, the per-table schema cache and a log.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "plugins/api/regex.h"
#include "plugins/mysql/connector/change_queue.h"
#include "plugins/mysql/connector/db_client.h"
#include "plugins/mysql/connector/options.h"
#include "plugins/mysql/connector/records.h"
#include "plugins/mysql/connector/schema_tracker.h"

namespace sluice::mysql::cdc {

// database/table include and exclude lists: Java regexes (the host's engine, plugins/api/regex.h)
// matched against the whole name, case-insensitively, as Debezium's Pattern.CASE_INSENSITIVE.
class Filters {
 public:
  // Throws std::invalid_argument naming the key and the engine's message for a bad pattern.
  explicit Filters(const Options& o);
  bool database(const std::string& db) const;
  bool table(const std::string& db, const std::string& table) const;

 private:
  using Patterns = std::vector<sluice::api::JavaPatternPtr>;
  static Patterns compile(const std::vector<std::string>& patterns, const char* key);
  Patterns db_in_, db_out_, table_in_, table_out_;
};

void log_line(const std::string& level, const std::string& message);

// Connect schemas per table version of the tracked catalog.
class SchemaCache {
 public:
  SchemaCache(const Filters& f, const RecordBuilder& b, SchemaTracker& t) : filters_(f), builder_(b), tracker_(t) {}
  // The table's schemas as the catalog knows it; a captured table the catalog lacks is read
  // from the server (SHOW CREATE TABLE). nullptr when not captured or not there.
  TableSchemasPtr get(DbClient& db, const std::string& database, const std::string& table,
                      const sluice::api::OffsetMap& position, int64_t ts_ms);
  TableSchemasPtr of(std::shared_ptr<const sluice::mysql::Table> table);
  void clear() { cache_.clear(); }

 private:
  const Filters& filters_;
  const RecordBuilder& builder_;
  SchemaTracker& tracker_;
  std::map<const sluice::mysql::Table*, TableSchemasPtr> cache_;
};

}  // namespace sluice::mysql::cdc
