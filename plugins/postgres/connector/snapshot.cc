// The initial (or always/when_needed) snapshot: the coordinator's REPEATABLE READ transaction
// and every reader (snapshot_reader.h, snapshot.max.threads of them) import the slot's exported
// snapshot when the slot was created in this run (else the coordinator's own, exported), so the
// hand-over to streaming at the slot's consistent point loses and doubles nothing. Big tables
// are cut into ctid chunks read in parallel; records go out in table order and row order with
// Debezium's markers. Rows come through COPY and go to poll() as frames (bounded), where the
// records are built, so memory stays bounded and records live on one thread.

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
  snap_ = SnapshotRows{};
  auto& built = snap_.tables;
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
  snap_.pos = pos;
  snap_.source.ts_us = ts_us;
  snap_.source.sequence = sequence_text(std::nullopt, snapshot_lsn);
  snap_.source.tx_id = txid;
  snap_.source.lsn = snapshot_lsn;

  // Rows go to poll() as they came from COPY, as frames tagged with their marker and positioned
  // at their table; decode() builds the records on the task's thread. One row is held back so
  // its marker (last_in_data_collection, last) is known when it goes.
  std::string held;
  size_t held_table = 0;
  int held_marker = -1;  // no row held
  auto send_held = [&](bool last) {
    frames_.add(static_cast<uint8_t>(kSnapshotRow + (last ? kLast : held_marker)), held_table, held);
  };

  auto started = Clock::now();
  auto last_log = started;
  int64_t total_rows = 0, table_rows = 0;
  size_t tables_done = 0, table_index = 0;
  bool first_in_table = true;
  std::string lines;
  const auto& plan = readers.chunks();
  for (size_t ci = 0; ci < plan.size(); ++ci) {
    const SnapshotChunk& chunk = plan[ci];
    if (built[table_index].get() != chunk.table) throw std::logic_error("snapshot plan out of table order");
    if (chunk.first_of_table) {
      first_in_table = true;
      table_rows = 0;
    }
    while (readers.next(ci, lines)) {
      int64_t n = 0;
      for (size_t from = 0, nl; from < lines.size(); from = nl + 1, ++n) {
        nl = lines.find('\n', from);
        if (held_marker >= 0) send_held(false);
        held.assign(lines, from, nl - from);
        held_table = table_index;
        // "first" only for the first row of the first table, as Debezium
        held_marker = table_index == 0 && first_in_table ? kFirst : first_in_table ? kFirstInTable : kTrue;
        first_in_table = false;
      }
      table_rows += n;
      total_rows += n;
      if (stopping_.load() || !publish_frames()) return;  // rows wait no longer than one batch
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
      if (held_marker == kTrue && held_table == table_index && !first_in_table) held_marker = kLastInTable;
      ++tables_done;
      ++table_index;
    }
  }
  if (held_marker >= 0) send_held(true);
  conn->exec("COMMIT");
  if (!publish_frames()) return;
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
