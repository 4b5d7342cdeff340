#include "plugins/postgres/connector/snapshot_reader.h"

#include <algorithm>
#include <chrono>

#include "plugins/postgres/connector/pg_client.h"

namespace sluice::postgres {

namespace {
constexpr auto kPollEvery = std::chrono::milliseconds(200);  // how often waits look at `stopping`
}

SnapshotReaders::SnapshotReaders(std::vector<SnapshotChunk> chunks, std::map<std::string, std::string> conn,
                                 std::string exported, int64_t fetch_size, const std::atomic<bool>& stopping)
    : chunks_(std::move(chunks)), conn_(std::move(conn)), exported_(std::move(exported)),
      fetch_size_(fetch_size), stopping_(stopping), buffers_(chunks_.size()) {}

SnapshotReaders::~SnapshotReaders() {
  {
    std::lock_guard lock(mu_);
    abort_ = true;
  }
  space_.notify_all();
  for (auto& t : threads_) t.join();
}

void SnapshotReaders::start(int threads) {
  int n = std::max(1, std::min<int>(threads, static_cast<int>(std::max<size_t>(chunks_.size(), 1))));
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { reader_main(); });
  std::unique_lock lock(mu_);
  while (imported_ < n && !halted()) ready_.wait_for(lock, kPollEvery);
  if (error_) throw PgError(*error_);
}

void SnapshotReaders::reader_main() {
  try {
    auto conn = PgConnection::open(conn_, false);
    conn->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    conn->exec("SET TRANSACTION SNAPSHOT " + conn->quote_literal(exported_));
    {
      std::lock_guard lock(mu_);
      ++imported_;
    }
    ready_.notify_all();
    while (true) {
      size_t index;
      {
        std::lock_guard lock(mu_);
        if (halted() || next_chunk_ >= chunks_.size()) break;
        index = next_chunk_++;
      }
      read_chunk(*conn, index);
    }
    conn->try_exec("COMMIT");
  } catch (const std::exception& e) {
    std::lock_guard lock(mu_);
    if (!error_) error_ = std::string("snapshot reader: ") + e.what();
  }
  ready_.notify_all();
  data_.notify_all();
}

void SnapshotReaders::read_chunk(PgConnection& conn, size_t index) {
  const SnapshotChunk& chunk = chunks_[index];
  const Table& table = *chunk.table;
  std::string cursor = "sluice_chunk_" + std::to_string(index);
  conn.exec("DECLARE " + cursor + " NO SCROLL CURSOR FOR " + chunk.select +
            (chunk.where.empty() ? "" : " WHERE " + chunk.where));
  std::string fetch = "FETCH FORWARD " + std::to_string(fetch_size_) + " FROM " + cursor;
  size_t width = 0;
  for (auto& c : table.columns) width = std::max(width, c.source_index + 1);
  std::vector<std::optional<std::string_view>> cells;
  while (true) {
    auto r = conn.exec(fetch);
    if (r.rows() == 0) break;
    cells.assign(std::max<size_t>(width, static_cast<size_t>(r.columns())), std::nullopt);
    for (int from = 0; from < r.rows(); from += static_cast<int>(kRowsPerBatch)) {
      int to = std::min(r.rows(), from + static_cast<int>(kRowsPerBatch));
      std::vector<api::Value> rows;
      rows.reserve(static_cast<size_t>(to - from));
      for (int i = from; i < to; ++i) {
        for (int c = 0; c < r.columns(); ++c)
          cells[static_cast<size_t>(c)] = r.is_null(i, c) ? std::nullopt : std::optional<std::string_view>(r.get(i, c));
        rows.push_back(table.row_from_text(cells));
      }
      std::unique_lock lock(mu_);
      while (buffers_[index].batches.size() >= kBatchesPerChunk && !halted()) space_.wait_for(lock, kPollEvery);
      if (halted()) return;
      buffers_[index].batches.push_back(std::move(rows));
      lock.unlock();
      data_.notify_all();
    }
  }
  conn.exec("CLOSE " + cursor);
  {
    std::lock_guard lock(mu_);
    buffers_[index].done = true;
  }
  data_.notify_all();
}

bool SnapshotReaders::next(size_t index, std::vector<api::Value>& rows) {
  std::unique_lock lock(mu_);
  Buffer& b = buffers_[index];
  while (b.batches.empty() && !b.done && !halted()) data_.wait_for(lock, kPollEvery);
  if (error_) throw PgError(*error_);
  if (b.batches.empty()) return false;  // done, or stopping
  rows = std::move(b.batches.front());
  b.batches.pop_front();
  lock.unlock();
  space_.notify_all();
  return true;
}

}  // namespace sluice::postgres
