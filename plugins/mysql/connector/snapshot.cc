#include "plugins/mysql/connector/snapshot.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <thread>

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

// Base tables of `database` with InnoDB's row estimate (-1 where there is none).
std::vector<std::pair<std::string, int64_t>> list_tables(DbClient& db, const std::string& database) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (auto& r : db.query("SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA=" +
                          literal(database) + " AND TABLE_TYPE='BASE TABLE' ORDER BY TABLE_NAME"))
    if (!r.empty() && r[0]) out.emplace_back(*r[0], r.size() > 1 && r[1] ? std::strtoll(r[1]->c_str(), nullptr, 10) : -1);
  return out;
}

using Int = __int128;

bool parse_int(const std::optional<std::string>& s, Int& out) {
  if (!s || s->empty()) return false;
  size_t i = 0;
  bool negative = (*s)[0] == '-';
  if (negative) i = 1;
  if (i >= s->size()) return false;
  Int v = 0;
  for (; i < s->size(); ++i) {
    char c = (*s)[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = negative ? -v : v;
  return true;
}

std::string int_text(Int v) {
  if (v < 0) return "-" + int_text(-v);
  std::string s;
  do {
    s.insert(s.begin(), char('0' + int(v % 10)));
    v /= 10;
  } while (v);
  return s;
}

bool integer_kind(sluice::mysql::ColumnKind k) {
  using K = sluice::mysql::ColumnKind;
  return k == K::kTinyInt || k == K::kSmallInt || k == K::kMediumInt || k == K::kInt || k == K::kBigInt ||
         k == K::kBoolean;
}

}  // namespace

BinlogPosition current_binlog_position(DbClient& db) {
  std::vector<sluice::mysql::cdc::Row> rows;
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
  DbClient lock;
  lock.connect(o_);
  lock.execute("SET SESSION lock_wait_timeout=10");
  // The readers connect before the lock is taken: it is held only for their START TRANSACTION.
  std::vector<std::unique_ptr<DbClient>> readers;
  for (int i = 0; data && i < o_.snapshot_max_threads; ++i) {
    auto r = std::make_unique<DbClient>();
    r->connect(o_);
    r->execute("SET SESSION time_zone='+00:00'");
    // A reader blocked on a full queue must not be cut off by the server mid-result.
    r->execute("SET SESSION net_write_timeout=86400, net_read_timeout=86400");
    r->execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    readers.push_back(std::move(r));
  }

  std::vector<std::pair<std::string, std::string>> tables;
  std::map<std::pair<std::string, std::string>, int64_t> estimates;
  for (auto& r : lock.query("SHOW DATABASES")) {
    if (!r[0] || !filters_.database(*r[0])) continue;
    for (auto& [t, rows] : list_tables(lock, *r[0]))
      if (filters_.table(*r[0], t)) {
        tables.emplace_back(*r[0], t);
        estimates[{*r[0], t}] = rows;
      }
  }
  auto locked_at = Clock::now();
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
  // As mydumper: every reader's view starts while nothing can change, so all see the same point.
  for (auto& r : readers) r->execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
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
  lock.execute("UNLOCK TABLES");  // held only this long; the readers' transactions keep the view
  double lock_ms = std::chrono::duration<double, std::milli>(Clock::now() - locked_at).count();
  lock.close();
  // The history was read under the lock; writing it out (a Kafka round trip) need not be.
  tracker_.flush();
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
                       " tables" + (data ? ", " + std::to_string(readers.size()) + " readers" : " (schema only)") +
                       "; lock held " + std::to_string(int64_t(lock_ms)) + " ms");
  BinlogPosition done = at_;
  done.snapshot = false;
  if (!data) return done;

  offset_ = to_offset(at_);
  for (auto& s : schemas) {
    auto t = std::make_unique<TableWork>();
    t->ts = s;
    t->index = tables_.size();
    auto e = estimates.find({s->table->id.catalog, s->table->id.table});
    if (e != estimates.end()) t->estimate = e->second;
    tables_.push_back(std::move(t));
  }
  auto started = Clock::now();
  plan(*readers[0], readers.size() > 1);

  std::atomic<size_t> finished{0};
  std::vector<std::thread> threads;
  for (auto& r : readers) {
    DbClient* reader = r.get();
    threads.emplace_back([this, reader, &finished] {
      try {
        reader_loop(*reader);
      } catch (const std::exception& e) {
        std::lock_guard g(work_m_);
        if (failure_.empty()) failure_ = e.what();
        abort_ = true;
      }
      ++finished;
    });
  }
  auto last_log = Clock::now();
  while (finished.load() < threads.size()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (Clock::now() - last_log > std::chrono::seconds(5)) {
      double secs = std::chrono::duration<double>(Clock::now() - started).count();
      int64_t rows = rows_total_.load(), estimate = 0;
      for (auto& t : tables_) estimate += std::max<int64_t>(0, std::max(t->estimate, t->rows.load()));
      log_line("INFO", "snapshot: " + std::to_string(tables_done_.load()) + " of " + std::to_string(tables_.size()) +
                           " tables done, " + std::to_string(rows) + " of ~" + std::to_string(estimate) +
                           " rows, " + std::to_string(int64_t(rows / secs)) + " rows/s");
      last_log = Clock::now();
    }
  }
  for (auto& t : threads) t.join();
  if (stopping_.load()) throw std::runtime_error("stopping");
  if (!failure_.empty()) throw std::runtime_error(failure_);
  {
    std::lock_guard g(emit_m_);
    if (final_row_) {
      Row last = std::move(*final_row_);
      final_row_.reset();
      emit_locked(*final_table_, std::move(last), Mark::kLast);
    }
    if (rows_.open_frames() && !rows_.publish(stopping_, nullptr)) throw std::runtime_error("stopping");
  }
  for (auto& r : readers) r->execute("COMMIT");
  double secs = std::chrono::duration<double>(Clock::now() - started).count();
  log_line("INFO", "snapshot done: " + std::to_string(rows_total_.load()) + " rows from " +
                       std::to_string(schemas.size()) + " tables in " + std::to_string(secs) + " s (" +
                       std::to_string(int64_t(rows_total_.load() / std::max(secs, 1e-3))) + " rows/s, " +
                       std::to_string(readers.size()) + " readers)");
  return done;
}

void Snapshotter::plan(DbClient& reader, bool chunking) {
  for (size_t i = 0; i < tables_.size(); ++i) {
    TableWork& t = *tables_[i];
    const auto& table = *t.ts->table;
    std::vector<std::string> ranges;
    int col = table.primary_key_columns.size() == 1 ? table.column_index(table.primary_key_columns[0]) : -1;
    if (chunking && col >= 0 && integer_kind(table.columns[col].kind) && t.estimate > o_.snapshot_chunk_rows) {
      // The bounds are read in the snapshot: exactly the rows the readers will see.
      std::string pk = quote_identifier(table.columns[col].name);
      auto rows = reader.query("SELECT MIN(" + pk + "), MAX(" + pk + ") FROM " + quote_identifier(table.id.catalog) +
                               "." + quote_identifier(table.id.table));
      Int lo = 0, hi = 0;
      if (!rows.empty() && parse_int(rows[0][0], lo) && parse_int(rows[0][1], hi) && hi > lo) {
        Int n = (t.estimate + o_.snapshot_chunk_rows - 1) / o_.snapshot_chunk_rows;
        Int span = hi - lo + 1;
        if (n > span) n = span;
        if (n > 4096) n = 4096;
        Int step = (span + n - 1) / n;
        std::vector<Int> bounds;
        for (Int b = lo + step; b <= hi; b += step) bounds.push_back(b);
        for (size_t k = 0; k <= bounds.size(); ++k) {
          std::string w;
          if (k > 0) w = pk + " >= " + int_text(bounds[k - 1]);
          if (k < bounds.size()) w += (w.empty() ? "" : " AND ") + pk + " < " + int_text(bounds[k]);
          ranges.push_back(w);
        }
        log_line("INFO", "snapshot of " + table.id.dotted() + ": ~" + std::to_string(t.estimate) + " rows in " +
                             std::to_string(ranges.size()) + " primary-key chunks");
      }
    }
    if (ranges.empty()) ranges.emplace_back();
    t.chunks_left = static_cast<int>(ranges.size());
    for (auto& w : ranges) work_.push_back(Chunk{i, std::move(w)});
  }
}

void Snapshotter::reader_loop(DbClient& reader) {
  while (!abort_.load() && !stopping_.load()) {
    Chunk c;
    {
      std::lock_guard g(work_m_);
      if (work_.empty()) return;
      c = std::move(work_.front());
      work_.pop_front();
    }
    read_chunk(reader, c);
  }
}

void Snapshotter::start_table(TableWork& t) {
  t.started = true;
  const auto& id = t.ts->table->id;
  SourceFields f;
  f.ts_ms = now_ms();
  f.db = id.catalog;
  f.table = id.table;
  f.file = at_.file;
  f.pos = at_.pos;
  // Shared by all the table's records: one source struct per marker.
  f.snapshot = "first";
  t.src_first = builder_.source(f);
  f.snapshot = "first_in_data_collection";
  t.src_first_in = builder_.source(f);
  f.snapshot = "true";
  t.src_true = builder_.source(f);
  f.snapshot = "last_in_data_collection";
  t.src_last_in = builder_.source(f);
  f.snapshot = "last";
  t.src_last = builder_.source(f);
}

void Snapshotter::emit_locked(TableWork& t, const Row& row, Mark mark) {
  if (final_row_) {
    // Another record follows the last completed table's last row: that one is not the
    // snapshot's last. (With one reader this queues it as soon as the next table's first row
    // is read, as before.)
    Row last = std::move(*final_row_);
    final_row_.reset();
    emit_locked(*final_table_, std::move(last), Mark::kTableLast);
  }
  Marker marker = kTrue;
  if (mark == Mark::kLast) marker = kLastOfAll;
  else if (queued_total_ == 0) marker = kFirst;
  else if (mark == Mark::kTableLast) marker = kLastIn;
  else if (t.queued == 0) marker = kFirstIn;
  rows_.add(marker, t.index, row.cells);
  // Blocks (one lock and wake-up each) of a few hundred rows; at most max.queue.size rows wait.
  if ((rows_.open_frames() >= 256 || rows_.open_bytes() >= (256u << 10)) && !rows_.publish(stopping_, nullptr))
    throw std::runtime_error("stopping");
  ++queued_total_;
  ++t.queued;
}

SourceRecord Snapshotter::build(const FrameQueue::Frame& f) {
  if (f.position >= tables_.size()) throw std::runtime_error("snapshot: a row frame of no table");
  TableWork& t = *tables_[f.position];
  const TableSchemas& ts = *t.ts;
  const auto& table = *ts.table;
  const auto& columns = table.columns;
  full_.resize(columns.size());
  const char* p = f.bytes.data();
  const char* end = p + f.bytes.size();
  for (size_t i = 0; i < columns.size() && p + 4 <= end; ++i) {
    uint32_t n;
    std::memcpy(&n, p, 4);
    p += 4;
    const auto& m = ts.mappings[i];
    if (n == 0xffffffffu) {
      if (m.schema) full_[i] = sluice::mysql::null_value(m);
      continue;
    }
    std::string_view cell(p, std::min<size_t>(n, size_t(end - p)));
    p += cell.size();
    if (!m.schema) continue;
    auto v = sluice::mysql::from_text(cell, m);
    if (!v.ok()) {
      if (o_.event_failure_mode == "fail")
        throw std::runtime_error("snapshot of " + table.id.dotted() + ": cannot convert column " + columns[i].name +
                                 ": " + v.error());
      full_[i] = sluice::mysql::null_value(m);
      continue;
    }
    full_[i] = std::move(*v);
  }
  Value key = builder_.key(ts, full_);  // copies the key cells; the value takes the rest by move
  std::vector<Value> v;
  v.reserve(ts.value_columns.size());
  for (size_t i : ts.value_columns) v.push_back(std::move(full_[i]));
  Value after = builder_.row(ts, std::move(v));
  const Value* source = &t.src_true;
  switch (f.tag) {
    case kFirst: source = &t.src_first; break;
    case kFirstIn: source = &t.src_first_in; break;
    case kLastIn: source = &t.src_last_in; break;
    case kLastOfAll: source = &t.src_last; break;
    default: break;
  }
  OffsetMap offset;
  if (f.tag == kLastOfAll) {
    BinlogPosition done = at_;
    done.snapshot = false;
    offset = to_offset(done);
  } else {
    offset = offset_;
  }
  return builder_.change(ts, 'r', std::move(key), Value(), std::move(after), *source, std::move(offset));
}

void Snapshotter::read_chunk(DbClient& reader, const Chunk& c) {
  TableWork& t = *tables_[c.table];
  const TableSchemas& ts = *t.ts;
  const auto& table = *ts.table;
  const auto& columns = table.columns;
  {
    std::lock_guard g(emit_m_);
    if (!t.started) start_table(t);
  }
  std::string sql = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + quote_identifier(columns[i].name);
  sql += " FROM " + quote_identifier(table.id.catalog) + "." + quote_identifier(table.id.table);
  if (!c.where.empty()) sql += " WHERE " + c.where;
  reader.stream_start(sql);
  std::optional<Row> last;
  try {
    last = read_rows(reader, t);
  } catch (...) {
    reader.interrupt();  // closing would otherwise read the rest of the result first
    throw;
  }
  reader.stream_end();
  std::lock_guard g(emit_m_);
  if (last) {
    if (t.held) emit_locked(t, std::move(*t.held), Mark::kRow);
    t.held = std::move(last);
  }
  if (--t.chunks_left == 0) {
    ++tables_done_;
    if (t.held) {
      // The table's last row: queued once another record follows, or last of all.
      if (final_row_) {
        Row last = std::move(*final_row_);
        final_row_.reset();
        emit_locked(*final_table_, std::move(last), Mark::kTableLast);
      }
      final_table_ = &t;
      final_row_ = std::move(t.held);
      t.held.reset();
    }
  }
}

std::optional<Snapshotter::Row> Snapshotter::read_rows(DbClient& reader, TableWork& t) {
  // Only the cells are copied here: poll()'s thread converts them (build()).
  const size_t ncols = t.ts->table->columns.size();
  std::vector<const char*> cells;
  std::vector<unsigned long> lengths;
  Row prev, cur;  // prev: the chunk's latest row, queued when the next one comes
  bool have_prev = false;
  int64_t counted = 0;
  bool aborted = false;
  while (reader.stream_next(cells, lengths)) {
    if (stopping_.load(std::memory_order_relaxed) || abort_.load(std::memory_order_relaxed)) {
      aborted = true;
      break;
    }
    std::string& b = cur.cells;
    b.clear();
    for (size_t i = 0; i < ncols; ++i) {
      uint32_t n = i < cells.size() && cells[i] ? static_cast<uint32_t>(lengths[i]) : 0xffffffffu;
      char len[4];
      std::memcpy(len, &n, 4);
      b.append(len, 4);
      if (n != 0xffffffffu) b.append(cells[i], n);
    }
    if (have_prev) {
      std::lock_guard g(emit_m_);
      emit_locked(t, prev, Mark::kRow);
    }
    std::swap(prev, cur);  // the buffers are reused: no allocation per row
    have_prev = true;
    if (++counted == 256) {
      t.rows += counted;
      rows_total_ += counted;
      counted = 0;
    }
  }
  t.rows += counted;
  rows_total_ += counted;
  if (aborted) throw std::runtime_error("stopping");
  if (!have_prev) return std::nullopt;
  return prev;  // the chunk's last row, held back
}

}  // namespace sluice::mysql::cdc
