// The initial (or always/when_needed) snapshot: one REPEATABLE READ transaction that imports
// the slot's exported snapshot when the slot was created in this run, so the hand-over to
// streaming at the slot's consistent point loses and doubles nothing. Rows come through a
// cursor in text format, snapshot.fetch.size at a time, so memory stays bounded.

#include <chrono>

#include "plugins/postgres/connector/catalog.h"
#include "plugins/postgres/connector/engine.h"
#include "plugins/postgres/connector/plog.h"

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

void Engine::snapshot(const std::string& exported, Lsn snapshot_lsn) {
  auto conn = PgConnection::open(cfg_.conn, false);
  conn->exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
  if (!exported.empty()) conn->exec("SET TRANSACTION SNAPSHOT " + conn->quote_literal(exported));
  auto info = conn->exec(
      "SELECT txid_current(), (extract(epoch FROM CURRENT_TIMESTAMP) * 1000000)::int8, "
      "pg_current_wal_lsn()");
  int64_t txid = std::stoll(std::string(info.get(0, 0)));
  int64_t ts_us = std::stoll(std::string(info.get(0, 1)));
  if (exported.empty()) snapshot_lsn = parse_lsn(info.get(0, 2)).value_or(0);
  auto tables = list_tables(*conn, filters_);
  plog::info(ctx_, "snapshot of ", tables.size(), " tables at LSN ", lsn_to_string(snapshot_lsn),
             exported.empty() ? "" : " (exported snapshot " + exported + ")");

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
  std::vector<std::unique_ptr<Table>> built;
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
  int64_t total_rows = 0;
  size_t tables_done = 0;
  bool first_table = true;  // "first" only for the first row of the first table, as Debezium
  std::string fetch = "FETCH FORWARD " + std::to_string(cfg_.snapshot_fetch_size) + " FROM sluice_snapshot";
  for (auto& ref : tables) {
    if (stopping_.load()) return;
    std::vector<std::string> skipped;
    auto cols = table_columns(*conn, ref.oid);
    auto t = std::make_unique<Table>(Table::build(ref.oid, ref.schema, ref.name, cols, cfg_.topic_prefix,
                                                  filters_, catalog_, cfg_.mapping, skipped));
    for (auto& s : skipped) plog::warn(ctx_, "column left out: ", s);
    t->envelope_schema = events_.envelope_schema(*t);
    std::string select;
    for (auto& c : cols) select += (select.empty() ? "" : ", ") + conn->quote_ident(c.info.name);
    if (select.empty()) select = "NULL";
    auto estimate = conn->exec("SELECT reltuples::int8 FROM pg_class WHERE oid = " + std::to_string(ref.oid));
    conn->exec("DECLARE sluice_snapshot NO SCROLL CURSOR FOR SELECT " + select + " FROM " +
               conn->quote_ident(ref.schema) + "." + conn->quote_ident(ref.name));
    bool first_in_table = true;
    int64_t rows = 0;
    std::vector<std::optional<std::string_view>> cells(cols.size());
    while (true) {
      auto r = conn->exec(fetch);
      if (r.rows() == 0) break;
      for (int i = 0; i < r.rows(); ++i) {
        for (size_t c = 0; c < cols.size(); ++c) {
          int ci = static_cast<int>(c);
          cells[c] = r.is_null(i, ci) ? std::nullopt : std::optional<std::string_view>(r.get(i, ci));
        }
        if (held) emit(*held, false);
        held = Held{t.get(), t->row_from_text(cells),
                    first_table && first_in_table ? "first"
                    : first_in_table              ? "first_in_data_collection"
                                                  : "true"};
        first_in_table = false;
        ++rows;
      }
      total_rows += r.rows();
      if (stopping_.load() || !flush(batch)) return;  // rows wait no longer than one fetch
      if (Clock::now() - last_log >= std::chrono::seconds(5)) {
        last_log = Clock::now();
        double secs = std::chrono::duration<double>(last_log - started).count();
        plog::info(ctx_, "snapshot: ", tables_done, " of ", tables.size(), " tables done; ",
                   ref.schema, ".", ref.name, " ", rows, " of about ",
                   estimate.get(0, 0).substr(0, 1) == "-" ? std::string_view("?") : estimate.get(0, 0),
                   " rows; ", total_rows, " rows in ", static_cast<int64_t>(secs), " s (",
                   static_cast<int64_t>(total_rows / (secs > 0 ? secs : 1)), " rows/s)");
      }
    }
    conn->exec("CLOSE sluice_snapshot");
    if (held && held->table == t.get() && !first_in_table && held->marker == "true")
      held->marker = "last_in_data_collection";
    ++tables_done;
    first_table = false;
    built.push_back(std::move(t));
    // The held row may belong to this table: keep the table alive until it is emitted.
  }
  if (held) emit(*held, true);
  conn->exec("COMMIT");
  if (!flush(batch)) return;
  double secs = std::chrono::duration<double>(Clock::now() - started).count();
  plog::info(ctx_, "snapshot done: ", tables.size(), " tables, ", total_rows, " rows in ",
             static_cast<int64_t>(secs * 1000), " ms");
  position_ = pos;
  position_.snapshot = false;
  have_position_ = true;
  resume_ = Position{};
  if (exported.empty() && stored_ && !stored_->snapshot) resume_ = *stored_;
  for (auto& t : built) tables_[t->oid] = std::nullopt;  // rebuilt from Relation messages
  tables_.clear();
}

}  // namespace sluice::postgres
