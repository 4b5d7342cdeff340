#pragma once
// The initial snapshot (spec/debezium.md §6.2). A global read lock (or LOCK TABLES ... READ
// where RELOAD is missing) is held only while the binlog position is read, the captured schemas
// are loaded and every reader connection (snapshot.max.threads of them) runs START TRANSACTION
// WITH CONSISTENT SNAPSHOT, as mydumper does: all readers see the point of the binlog position.
// Then the lock goes and the readers share the work: whole tables, and tables estimated larger
// than sluice.snapshot.chunk.rows with a one-column integer primary key in primary-key ranges.
// Each reader streams rows (mysql_use_result) into op `r` records; the change queue is bounded
// and readers block when it is full, so memory is bounded whatever the table sizes.
//
// Markers (Debezium's `snapshot` source field) as with one reader, decided when a record is queued:
// "first" for the first record overall, "first_in_data_collection" for a table's first,
// "last_in_data_collection" for a table's last, "last" for the very last, "true" otherwise. A
// table's last record is known once all its chunks are read, so each reader holds back its chunk's
// last row and the table holds back the latest of those; a completed table's last row is queued
// with the next record of any other table, or as the snapshot's last. Progress (tables done, rows
// scanned of estimated, rate) goes to the log every few seconds.
//
// Records are not built on the reader threads: glibc's allocator is slow when one thread frees
// what another allocated, and the worker frees records on poll()'s thread. A reader copies each
// row's cells (lengths and bytes) into a FrameQueue (plugins/api/frame_queue.h), in queue order
// under the emit lock, the frame's tag its marker and its position its table; poll()'s thread
// converts the cells to values and builds the record (build()). The frame queue is bounded (at
// most max.queue.size rows wait), so memory stays bounded whatever the table sizes.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "plugins/api/frame_queue.h"
#include "plugins/mysql/connector/capture.h"

namespace sluice::mysql::cdc {

class Snapshotter {
 public:
  Snapshotter(const Options& o, const Filters& f, const RecordBuilder& b, SchemaTracker& tracker, SchemaCache& cache,
              ChangeQueue& q, sluice::api::FrameQueue& rows, const std::atomic<bool>& stopping)
      : o_(o), filters_(f), builder_(b), tracker_(tracker), cache_(cache), queue_(q), rows_(rows),
        stopping_(stopping) {}

  // Returns the binlog position the snapshot is consistent with (streaming continues there).
  // `data` false: schemas and position only (snapshot.mode=no_data).
  // Schema change records go to the ChangeQueue, all before the first row frame; rows to the
  // FrameQueue, every one published before run() returns.
  BinlogPosition run(bool data);

  // poll()'s thread: the record of one row frame.
  sluice::api::SourceRecord build(const sluice::api::FrameQueue::Frame& f);

 private:
  struct Row {
    std::string cells;  // per column: 4-byte length (0xffffffff: NULL), then the bytes
  };
  // Frame tags: the record's `snapshot` marker.
  enum Marker : uint8_t { kFirst, kFirstIn, kTrue, kLastIn, kLastOfAll };
  struct TableWork {
    TableSchemasPtr ts;
    size_t index = 0;  // in tables_: the row frames' position
    int64_t estimate = -1;
    int chunks_left = 0;
    std::atomic<int64_t> rows{0};
    // Guarded by emit_m_:
    bool started = false;
    int64_t queued = 0;
    std::optional<Row> held;  // the latest chunk's last row, not yet queued
    sluice::api::Value src_first, src_first_in, src_true, src_last_in, src_last;
  };
  struct Chunk {
    size_t table = 0;
    std::string where;  // empty: the whole table
  };
  enum class Mark { kRow, kTableLast, kLast };

  void plan(DbClient& reader, bool chunking);
  void reader_loop(DbClient& reader);
  void read_chunk(DbClient& reader, const Chunk& c);
  // Queues the chunk's rows but the last, which it returns.
  std::optional<Row> read_rows(DbClient& reader, TableWork& t);
  void start_table(TableWork& t);
  // Under emit_m_: queues `row` of `t` with the marker its position gives.
  void emit_locked(TableWork& t, const Row& row, Mark mark);
  void log_progress(bool final);

  const Options& o_;
  const Filters& filters_;
  const RecordBuilder& builder_;
  SchemaTracker& tracker_;
  SchemaCache& cache_;
  ChangeQueue& queue_;
  sluice::api::FrameQueue& rows_;  // written under emit_m_
  const std::atomic<bool>& stopping_;
  std::vector<sluice::api::Value> full_;  // build()'s

  BinlogPosition at_;
  sluice::api::OffsetMap offset_;  // every record's but the last: snapshot=true
  std::vector<std::unique_ptr<TableWork>> tables_;

  std::mutex work_m_;
  std::deque<Chunk> work_;
  std::atomic<bool> abort_{false};
  std::string failure_;  // the first reader failure (under work_m_)

  std::mutex emit_m_;
  int64_t queued_total_ = 0;
  TableWork* final_table_ = nullptr;  // the last table completed; its held row is queued last
  std::optional<Row> final_row_;
  std::atomic<int64_t> rows_total_{0};
  std::atomic<int> tables_done_{0};
};

// SHOW MASTER STATUS (SHOW BINARY LOG STATUS on MySQL 8.4+): file and position.
BinlogPosition current_binlog_position(DbClient& db);

}  // namespace sluice::mysql::cdc
