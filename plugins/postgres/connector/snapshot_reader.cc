#include "plugins/postgres/connector/snapshot_reader.h"

#include <algorithm>
#include <chrono>

#include "plugins/postgres/connector/pg_client.h"

namespace sluice::postgres {

namespace {
constexpr auto kPollEvery = std::chrono::milliseconds(200);  // how often waits look at `stopping`
}

SnapshotReaders::SnapshotReaders(std::vector<SnapshotChunk> chunks, std::map<std::string, std::string> conn,
                                 std::string exported, const std::atomic<bool>& stopping)
    : chunks_(std::move(chunks)), conn_(std::move(conn)), exported_(std::move(exported)),
      stopping_(stopping), buffers_(chunks_.size()) {}

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

// COPY (SELECT ...) TO STDOUT: rows stream without a cursor's round trips or a result set per
// fetch, and their text is what the SELECT would return. They are handed over as they came.
void SnapshotReaders::read_chunk(PgConnection& conn, size_t index) {
  const SnapshotChunk& chunk = chunks_[index];
  std::string lines;
  size_t rows = 0;
  // Hands the batch over; false when stopping.
  auto hand_over = [&] {
    std::unique_lock lock(mu_);
    while (buffers_[index].batches.size() >= kBatchesPerChunk && !halted()) space_.wait_for(lock, kPollEvery);
    if (halted()) return false;
    buffers_[index].batches.push_back(std::move(lines));
    lock.unlock();
    data_.notify_all();
    lines = std::string();
    rows = 0;
    return true;
  };
  std::string sql = "COPY (" + chunk.select + (chunk.where.empty() ? "" : " WHERE " + chunk.where) + ") TO STDOUT";
  bool complete = conn.copy_out(sql, [&](std::string_view line) {
    lines.append(line);
    if (line.empty() || line.back() != '\n') lines.push_back('\n');
    return ++rows < kRowsPerBatch || hand_over();
  });
  if (!complete || (rows > 0 && !hand_over())) return;
  {
    std::lock_guard lock(mu_);
    buffers_[index].done = true;
  }
  data_.notify_all();
}

bool SnapshotReaders::next(size_t index, std::string& lines) {
  std::unique_lock lock(mu_);
  Buffer& b = buffers_[index];
  while (b.batches.empty() && !b.done && !halted()) data_.wait_for(lock, kPollEvery);
  if (error_) throw PgError(*error_);
  if (b.batches.empty()) return false;  // done, or stopping
  lines = std::move(b.batches.front());
  b.batches.pop_front();
  lock.unlock();
  space_.notify_all();
  return true;
}

}  // namespace sluice::postgres
