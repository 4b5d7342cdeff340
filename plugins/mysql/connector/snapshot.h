#pragma once
// The initial snapshot (spec/debezium.md §6.2): a global read lock (or LOCK TABLES ... READ
// where RELOAD is missing) held only while the binlog position is read, the captured schemas
// are loaded and the reader's START TRANSACTION WITH CONSISTENT SNAPSHOT runs; then each table
// is read row by row (mysql_use_result: memory bounded) into op `r` records with Debezium's
// snapshot markers. Progress goes to the log every few seconds.

#include <atomic>

#include "plugins/mysql/connector/capture.h"

namespace sluice::mysql::cdc {

class Snapshotter {
 public:
  Snapshotter(const Options& o, const Filters& f, const RecordBuilder& b, SchemaTracker& tracker, SchemaCache& cache,
              ChangeQueue& q, const std::atomic<bool>& stopping)
      : o_(o), filters_(f), builder_(b), tracker_(tracker), cache_(cache), queue_(q), stopping_(stopping) {}

  // Returns the binlog position the snapshot is consistent with (streaming continues there).
  // `data` false: schemas and position only (snapshot.mode=no_data).
  BinlogPosition run(bool data);

 private:
  void read_table(DbClient& reader, const TableSchemas& ts, const BinlogPosition& at, bool first_table);
  void flush_pending(const char* marker, bool last);

  const Options& o_;
  const Filters& filters_;
  const RecordBuilder& builder_;
  SchemaTracker& tracker_;
  SchemaCache& cache_;
  ChangeQueue& queue_;
  const std::atomic<bool>& stopping_;

  struct Pending {
    const TableSchemas* ts = nullptr;
    sluice::api::Value key, after;
    int64_t ts_ms = 0;
    bool first_overall = false, first_in_table = false;
  };
  std::optional<Pending> pending_;
  BinlogPosition at_;
  int64_t rows_total_ = 0;
};

// SHOW MASTER STATUS (SHOW BINARY LOG STATUS on MySQL 8.4+): file and position.
BinlogPosition current_binlog_position(DbClient& db);

}  // namespace sluice::mysql::cdc
