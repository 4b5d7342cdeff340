// The initial (or always/when_needed) snapshot: the coordinator's REPEATABLE READ transaction
// and every reader (snapshot_reader.h, snapshot.max.threads of them) import the slot's exported
// snapshot when the slot was created in this run (else the coordinator's own, exported), so the
// hand-over to streaming at the slot's consistent point loses and doubles nothing. Big tables
// are cut into ctid chunks read in parallel; records go out in table order and row order with
// Debezium's markers. Rows come through COPY, a bounded number of converted batches at a time,
// so memory stays bounded.

#include <algorithm>
#include <chrono>

#include "plugins/postgres/connector/catalog.h"
#include "plugins/postgres/connector/engine.h"
#include "plugins/postgres/connector/plog.h"
#include "plugins/postgres/connector/snapshot_reader.h"

namespace sluice::postgres {

using Clock = std::chrono::steady_clock;

std::string Engine::create_slot_exporting(Lsn& consistent_point) {
  repl_ = PgConnection::open(cfg_.conn, true);
  auto r = repl_->exec("CREATE_REPLICATION_SLOT " + repl_->quote_ident(cfg_.slot_name) +
                       " LOGICAL pgoutput EXPORT_SNAPSHOT");
  auto lsn = parse_lsn(r.get(0, 1));
  if (!lsn) throw PgError("CREATE_REPLICATION_SLOT returned an unreadable LSN '" + std::string(r.get(0, 1)) + "'");
  consistent_point = *lsn;
  plog::info(ctx_, "created replication slot '", cfg_.slot_name, "' at ", lsn_to_string(*lsn));
  return std::string(r.get(0, 2));
}

namespace {

constexpr int64_t kMinChunkPages = 16;     // smaller tables are read whole
constexpr int64_t kMaxChunkPages = 4096;   // 32 MB of heap per chunk at most
constexpr int64_t kChunksPerThread = 4;    // so that threads finishing early find work

// Cuts a table into ctid page ranges (TID range scans, PostgreSQL 14+). Only plain tables have
// a meaningful ctid order; the last range is open so rows on pages past the measured size
// (none are visible in the snapshot, but the size is read outside it) are not missed.
std::vector<std::string> ctid_ranges(char relkind, int64_t pages, int threads) {
  if (relkind != 'r' || threads <= 1 || pages < 2 * kMinChunkPages) return {""};
  int64_t per = std::clamp<int64_t>((pages + threads * kChunksPerThread - 1) / (threads * kChunksPerThread),
                                    kMinChunkPages, kMaxChunkPages);
  std::vector<std::string> out;
  for (int64_t from = 0; from < pages; from += per) {
    std::string lo = "ctid >= '(" + std::to_string(from) + ",0)'::tid";
    std::string hi = "ctid < '(" + std::to_string(from + per) + ",0)'::tid";
    if (from == 0) out.push_back(hi);
    else if (from + per >= pages) out.push_back(lo);
    else out.push_back(lo + " AND " + hi);
  }
  if (out.size() == 1) out[0].clear();
  return out;
}

}  // namespace

void Engine::snapshot(const std::string& exported_slot_snapshot, Lsn snapshot_lsn) {
  auto conn = PgConnection::open(cfg_.conn, false);
  conn->exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
  std::string exported = exported_slot_snapshot;
  if (!exported.empty()) conn->exec("SET TRANSACTION SNAPSHOT " + conn->quote_literal(exported));
  auto info = conn->exec(
      "SELECT txid_current(), (extract(epoch FROM CURRENT_TIMESTAMP) * 1000000)::int8, "
      "pg_current_wal_lsn()");
  int64_t txid = std::stoll(std::string(info.get(0, 0)));
  int64_t ts_us = std::stoll(std::string(info.get(0, 1)));
  if (exported.empty()) {
    // No slot snapshot (an existing slot): the readers share this transaction's snapshot.
    snapshot_lsn = parse_lsn(info.get(0, 2)).value_or(0);
    exported = std::string(conn->exec("SELECT pg_export_snapshot()").get(0, 0));
  }
  auto tables = list_tables(*conn, filters_);
  int threads = static_cast<int>(std::max<int64_t>(1, cfg_.snapshot_max_threads));
  plog::info(ctx_, "snapshot of ", tables.size(), " tables at LSN ", lsn_to_string(snapshot_lsn),
             exported_slot_snapshot.empty() ? "" : " (exported snapshot " + exported_slot_snapshot + ")",
             " with ", threads, " reader thread", threads == 1 ? "" : "s");

  // Tables and their chunks, planned before any reader starts.
  std::vector<std::unique_ptr<Table>> built;
  std::vector<SnapshotChunk> chunks;
  std::vector<int64_t> estimates;
  for (auto& ref : tables) {
    std::vector<std::string> skipped;
    auto cols = table_columns(*conn, ref.oid);
    auto t = std::make_unique<Table>(Table::build(ref.oid, ref.schema, ref.name, cols, cfg_.topic_prefix,
                                                  filters_, catalog_, cfg_.mapping, skipped));
    for (auto& s : skipped) plog::warn(ctx_, "column left out: ", s);
    t->envelope_schema = events_.envelope_schema(*t);
    std::string select;
    for (auto& c : cols) select += (select.empty() ? "" : ", ") + conn->quote_ident(c.info.name);
    if (select.empty()) select = "NULL";
    select = "SELECT " + select + " FROM " + conn->quote_ident(ref.schema) + "." + conn->quote_ident(ref.name);
    auto size = conn->exec("SELECT relkind, pg_relation_size(oid) / current_setting('block_size')::int8, "
                           "reltuples::int8 FROM pg_class WHERE oid = " + std::to_string(ref.oid));
    estimates.push_back(std::stoll(std::string(size.get(0, 2))));
    auto ranges = ctid_ranges(size.get(0, 0).empty() ? 'r' : size.get(0, 0)[0],
                              std::stoll(std::string(size.get(0, 1))), threads);
    for (size_t i = 0; i < ranges.size(); ++i)
      chunks.push_back(SnapshotChunk{t.get(), select, ranges[i], i == 0, i + 1 == ranges.size()});
    built.push_back(std::move(t));
  }
  SnapshotReaders readers(std::move(chunks), cfg_.conn, exported, stopping_);
  readers.start(threads);
  if (stopping_.load()) return;

  Position pos;
  pos.lsn = snapshot_lsn;
  pos.tx_id = txid;
  pos.ts_usec = ts_us;
  pos.snapshot = true;

  // One row is held back so its marker (last_in_data_collection, last) is known when it goes.
  struct Held {
    const Table* table = nullptr;
    api::Value row;
    std::string marker;
  };
  std::optional<Held> held;
  std::vector<api::SourceRecord> batch;
  auto emit = [&](Held& h, bool last) {
    SourceInfo s;
    s.ts_us = ts_us;
    s.snapshot = last ? std::string("last") : h.marker;
    s.sequence = sequence_text(std::nullopt, snapshot_lsn);
    s.schema = h.table->schema;
    s.table = h.table->name;
    s.tx_id = txid;
    s.lsn = snapshot_lsn;
    Position p = pos;
    p.last_snapshot_record = last;
    batch.push_back(events_.change(*h.table, 'r', api::Value(), std::move(h.row), s, p));
    if (batch.size() >= static_cast<size_t>(cfg_.max_batch_size)) flush(batch);
  };

  auto started = Clock::now();
  auto last_log = started;
  int64_t total_rows = 0, table_rows = 0;
  size_t tables_done = 0, table_index = 0;
  bool first_in_table = true;
  std::vector<api::Value> rows;
  const auto& plan = readers.chunks();
  for (size_t ci = 0; ci < plan.size(); ++ci) {
    const SnapshotChunk& chunk = plan[ci];
    if (chunk.first_of_table) {
      first_in_table = true;
      table_rows = 0;
    }
    while (readers.next(ci, rows)) {
      for (auto& row : rows) {
        if (held) emit(*held, false);
        // "first" only for the first row of the first table, as Debezium
        held = Held{chunk.table, std::move(row),
                    table_index == 0 && first_in_table ? "first"
                    : first_in_table                    ? "first_in_data_collection"
                                                        : "true"};
        first_in_table = false;
      }
      table_rows += static_cast<int64_t>(rows.size());
      total_rows += static_cast<int64_t>(rows.size());
      if (stopping_.load() || !flush(batch)) return;  // rows wait no longer than one fetch
      if (Clock::now() - last_log >= std::chrono::seconds(5)) {
        last_log = Clock::now();
        double secs = std::chrono::duration<double>(last_log - started).count();
        int64_t est = estimates[table_index];
        plog::info(ctx_, "snapshot: ", tables_done, " of ", tables.size(), " tables done; ",
                   chunk.table->schema, ".", chunk.table->name, " ", table_rows, " of about ",
                   est < 0 ? std::string("?") : std::to_string(est), " rows; ", total_rows, " rows in ",
                   static_cast<int64_t>(secs), " s (", static_cast<int64_t>(total_rows / (secs > 0 ? secs : 1)),
                   " rows/s)");
      }
    }
    if (stopping_.load()) return;
    if (chunk.last_of_table) {
      if (held && held->table == chunk.table && !first_in_table && held->marker == "true")
        held->marker = "last_in_data_collection";
      ++tables_done;
      ++table_index;
    }
  }
  if (held) emit(*held, true);
  conn->exec("COMMIT");
  if (!flush(batch)) return;
  double secs = std::chrono::duration<double>(Clock::now() - started).count();
  plog::info(ctx_, "snapshot done: ", tables.size(), " tables, ", total_rows, " rows in ",
             static_cast<int64_t>(secs * 1000), " ms (", static_cast<int64_t>(total_rows / (secs > 0 ? secs : 1)),
             " rows/s, ", threads, " reader thread", threads == 1 ? "" : "s", ")");
  position_ = pos;
  position_.snapshot = false;
  have_position_ = true;
  resume_ = Position{};
  if (exported_slot_snapshot.empty() && stored_ && !stored_->snapshot) resume_ = *stored_;
  tables_.clear();  // rebuilt from Relation messages
}

}  // namespace sluice::postgres
