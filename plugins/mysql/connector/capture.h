#pragma once
// What the snapshot and the binlog reader share: options, filters, the record builder, the
// queue, the per-table schema cache and a log.

#include <functional>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "plugins/mysql/connector/change_queue.h"
#include "plugins/mysql/connector/db_client.h"
#include "plugins/mysql/connector/options.h"
#include "plugins/mysql/connector/records.h"

namespace sluice::mysql::cdc {

// database/table include and exclude lists: Java regexes matched against the whole name,
// case-insensitively (here with std::regex's ECMAScript dialect, which agrees on the usual
// patterns).
class Filters {
 public:
  explicit Filters(const Options& o);
  bool database(const std::string& db) const;
  bool table(const std::string& db, const std::string& table) const;

 private:
  static std::vector<std::regex> compile(const std::vector<std::string>& patterns, const char* key);
  std::vector<std::regex> db_in_, db_out_, table_in_, table_out_;
};

void log_line(const std::string& level, const std::string& message);

class SchemaCache {
 public:
  SchemaCache(const Options& o, const Filters& f, const RecordBuilder& b) : o_(o), filters_(f), builder_(b) {}
  // The table's schemas, loaded from information_schema on first use; nullptr when the table
  // is not captured or does not exist.
  TableSchemasPtr get(DbClient& db, const std::string& database, const std::string& table);
  void put(TableInfoPtr info);
  void invalidate() { cache_.clear(); }
  void invalidate(const std::string& database, const std::string& table) {
    cache_.erase(database + "." + table);
  }

 private:
  const Options& o_;
  const Filters& filters_;
  const RecordBuilder& builder_;
  std::map<std::string, TableSchemasPtr> cache_;  // null entries: not captured
};

}  // namespace sluice::mysql::cdc
