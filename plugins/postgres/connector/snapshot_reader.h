#pragma once
// The snapshot's parallel readers (snapshot.max.threads): every reader opens its own
// connection, starts a REPEATABLE READ transaction and imports the same exported snapshot, so
// all of them see exactly the data the slot's consistent point (or the coordinator's own
// snapshot) saw. Tables are cut into chunks by ctid page ranges; readers take chunks in plan
// order and read each with COPY (SELECT ...) TO STDOUT, keeping the rows as COPY sent them (the
// task's thread converts them: see Engine::decode); the coordinator consumes chunks strictly in plan order,
// so the records keep the table order and the row order of a one-reader snapshot (and its
// markers). Memory is bounded: each chunk being read buffers at most kBatchesPerChunk batches of
// kRowsPerBatch rows (plus the row libpq is handing over), and at most
// snapshot.max.threads chunks are being read.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "plugins/api/data.h"
#include "plugins/postgres/connector/table.h"

namespace sluice::postgres {

// One piece of a table: `where` restricts the SELECT (empty: the whole table).
struct SnapshotChunk {
  const Table* table = nullptr;
  std::string select;  // SELECT <columns> FROM <table>
  std::string where;
  bool first_of_table = false, last_of_table = false;
};

class SnapshotReaders {
 public:
  // Rows wait in batches of at most kRowsPerBatch COPY text lines (each ending in a newline),
  // at most kBatchesPerChunk of them per chunk.
  static constexpr size_t kRowsPerBatch = 1024;
  static constexpr size_t kBatchesPerChunk = 4;

  SnapshotReaders(std::vector<SnapshotChunk> chunks, std::map<std::string, std::string> conn,
                  std::string exported_snapshot, const std::atomic<bool>& stopping);
  ~SnapshotReaders();  // stops and joins the readers
  // Starts `threads` readers; returns once every one of them imported the snapshot (so the
  // exporting transaction may end after that), or throws the first reader's error.
  void start(int threads);
  // The next batch of rows of chunk `index` (in plan order): COPY text lines, each ending in a
  // newline. False when the chunk is complete (or stopping); throws a reader's error.
  bool next(size_t index, std::string& lines);
  const std::vector<SnapshotChunk>& chunks() const { return chunks_; }

 private:
  struct Buffer {
    std::deque<std::string> batches;
    bool done = false;
  };
  void reader_main();
  void read_chunk(class PgConnection& conn, size_t index);
  bool halted() const { return abort_ || stopping_.load() || error_.has_value(); }

  std::vector<SnapshotChunk> chunks_;
  std::map<std::string, std::string> conn_;
  std::string exported_;
  const std::atomic<bool>& stopping_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable data_, space_, ready_;
  std::vector<Buffer> buffers_;
  size_t next_chunk_ = 0;
  int imported_ = 0;
  bool abort_ = false;
  std::optional<std::string> error_;
};

}  // namespace sluice::postgres
