#include "plugins/postgres/connector/engine.h"

#include <libpq-fe.h>

#include <thread>

#include "plugins/postgres/connector/catalog.h"
#include "plugins/postgres/connector/plog.h"

namespace sluice::postgres {

Engine::Engine(PgConfig config, std::optional<api::OffsetMap> stored)
    : ctx_(config.connector_name.empty() ? "postgres" : config.connector_name + "|postgres"),
      cfg_(std::move(config)), frames_(static_cast<size_t>(cfg_.max_queue_size)), filters_(cfg_),
      events_(cfg_.topic_prefix, cfg_.dbname, cfg_.heartbeat_topic_prefix) {
  if (stored && !stored->empty()) stored_ = position_from_offset(*stored);
}

Engine::~Engine() = default;

void Engine::set_committed_offset(const api::OffsetMap& offset) {
  if (!cfg_.flush_lsn_source) return;
  Position p = position_from_offset(offset);
  if (p.snapshot && !p.last_snapshot_record) return;  // nothing streamed yet
  Lsn lsn = p.lsn_commit ? *p.lsn_commit : p.lsn_proc ? *p.lsn_proc : 0;
  Lsn cur = committed_lsn_.load();
  while (lsn > cur && !committed_lsn_.compare_exchange_weak(cur, lsn)) {
  }
}

void Engine::run() {
  try {
    for (auto& w : cfg_.warnings) plog::warn(ctx_, w);
    int attempt = 0;
    while (true) {
      try {
        connect_meta();
        break;
      } catch (const PgError& e) {
        if (++attempt > cfg_.max_retries || stopping_.load()) throw;
        plog::warn(ctx_, e.what(), "; retrying in ", cfg_.retry_delay_ms, " ms (attempt ", attempt,
                   " of ", cfg_.max_retries, ")");
        for (int64_t waited = 0; waited < cfg_.retry_delay_ms && !stopping_.load(); waited += 100)
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    load_types(*meta_, catalog_);
    SlotInfo slot = read_slot();
    check_prerequisites(slot);
    ensure_publication();
    SnapshotPlan p = plan(slot);
    if (p.snapshot) {
      Lsn lsn = 0;
      std::string exported;
      if (p.export_slot) {
        if (slot.exists) {
          plog::info(ctx_, "dropping slot '", cfg_.slot_name,
                     "': the snapshot is (re)started and nothing was streamed from it yet");
          drop_slot();
        }
        exported = create_slot_exporting(lsn);
      }
      snapshot(exported, lsn);
      // With a slot that was streamed from, streaming restarts at its confirmed LSN: what
      // committed between that and the snapshot comes again (counted in stream.cc).
      if (!p.export_slot && have_position_ && position_.lsn) reemit_until_ = *position_.lsn;
    } else if (!slot.exists) {
      Lsn lsn = 0;
      create_slot_exporting(lsn);
      repl_.reset();  // the exported snapshot is not needed
    }
    if (stopping_.load()) return;
    if (!p.stream) {
      plog::info(ctx_, "snapshot.mode=initial_only: the snapshot is done; not streaming");
      while (!stopping_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      return;
    }
    stream();
  } catch (const std::exception& e) {
    if (stopping_.load()) return;
    plog::error(ctx_, e.what());
    {
      std::lock_guard lock(error_mu_);
      error_ = e.what();
    }
    frames_.wake();
  }
  if (stopping_.load() && cfg_.slot_drop_on_stop) {
    try {
      repl_.reset();
      std::lock_guard lock(meta_mu_);
      if (meta_) drop_slot();
    } catch (const std::exception& e) {
      plog::warn(ctx_, "slot.drop.on.stop: ", e.what());
    }
  }
}

void Engine::connect_meta() {
  meta_ = PgConnection::open(cfg_.conn, false);
  if (meta_->server_version() < 100000)
    throw PgError("PostgreSQL " + std::to_string(meta_->server_version()) +
                  " has no pgoutput; Sluice needs PostgreSQL 10 or newer");
}

Engine::SlotInfo Engine::read_slot() {
  auto r = meta_->exec("SELECT plugin, database, active FROM pg_replication_slots WHERE slot_name = " +
                       meta_->quote_literal(cfg_.slot_name));
  SlotInfo s;
  if (r.rows() == 0) return s;
  s.exists = true;
  s.plugin = r.get(0, 0);
  s.database = r.get(0, 1);
  s.active = r.get(0, 2) == "t";
  return s;
}

void Engine::check_prerequisites(const SlotInfo& slot) {
  auto wal = meta_->exec("SHOW wal_level");
  if (wal.get(0, 0) != "logical")
    throw PgError("the server's wal_level is '" + std::string(wal.get(0, 0)) +
                  "', logical decoding needs 'logical': run ALTER SYSTEM SET wal_level = logical; "
                  "and restart PostgreSQL");
  auto role = meta_->exec(
      "SELECT r.rolreplication, r.rolsuper, "
      "  EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = 'rds_replication' "
      "          AND pg_has_role(current_user, g.oid, 'member')), current_user "
      "FROM pg_roles r WHERE r.rolname = current_user");
  if (role.rows() == 1 && role.get(0, 0) != "t" && role.get(0, 1) != "t" && role.get(0, 2) != "t") {
    std::string user(role.get(0, 3));
    throw PgError("the user '" + user + "' lacks the REPLICATION attribute: run ALTER ROLE " +
                  meta_->quote_ident(user) + " REPLICATION; (on Amazon RDS: GRANT rds_replication TO " +
                  meta_->quote_ident(user) + ";)");
  }
  if (slot.exists) {
    if (slot.plugin != "pgoutput")
      throw PgError("the slot '" + cfg_.slot_name + "' uses the plugin '" + slot.plugin +
                    "', not pgoutput: drop it (SELECT pg_drop_replication_slot('" + cfg_.slot_name +
                    "');) or set slot.name to another slot");
    if (slot.database != cfg_.dbname)
      throw PgError("the slot '" + cfg_.slot_name + "' belongs to the database '" + slot.database +
                    "', not '" + cfg_.dbname + "': set slot.name to another slot");
  } else {
    auto h = meta_->exec(
        "SELECT current_setting('max_replication_slots')::int - (SELECT count(*) FROM pg_replication_slots), "
        "current_setting('max_wal_senders')::int - (SELECT count(*) FROM pg_stat_replication)");
    if (std::stoi(std::string(h.get(0, 0))) <= 0)
      throw PgError("all max_replication_slots are in use, so the slot '" + cfg_.slot_name +
                    "' cannot be created: raise max_replication_slots (ALTER SYSTEM SET "
                    "max_replication_slots = <n>; then restart) or drop an unused slot");
    if (std::stoi(std::string(h.get(0, 1))) <= 0)
      throw PgError("all max_wal_senders are in use: raise max_wal_senders (ALTER SYSTEM SET "
                    "max_wal_senders = <n>; then restart)");
  }
  for (auto& t : list_tables(*meta_, filters_)) {
    auto r = meta_->exec("SELECT has_table_privilege(" + std::to_string(t.oid) + "::oid, 'SELECT')");
    if (r.get(0, 0) != "t")
      throw PgError("the user has no SELECT privilege on " + t.schema + "." + t.name + ": run GRANT SELECT ON " +
                    meta_->quote_ident(t.schema) + "." + meta_->quote_ident(t.name) + " TO " +
                    meta_->quote_ident(cfg_.conn["user"]) + ";");
  }
}

void Engine::ensure_publication() {
  auto r = meta_->exec("SELECT puballtables FROM pg_publication WHERE pubname = " +
                       meta_->quote_literal(cfg_.publication_name));
  std::string pub = meta_->quote_ident(cfg_.publication_name);
  auto table_list = [&] {
    std::string list;
    for (auto& t : list_tables(*meta_, filters_)) {
      if (!list.empty()) list += ", ";
      list += meta_->quote_ident(t.schema) + "." + meta_->quote_ident(t.name);
    }
    if (list.empty())
      throw PgError("publication.autocreate.mode=filtered but no table matches the include/exclude "
                    "lists: check table.include.list");
    return list;
  };
  if (r.rows() == 1) {
    if (cfg_.autocreate != AutocreateMode::Filtered) return;  // used as it is
    if (r.get(0, 0) == "t")
      throw PgError("the publication '" + cfg_.publication_name +
                    "' is FOR ALL TABLES, which publication.autocreate.mode=filtered cannot narrow: "
                    "drop it or use publication.autocreate.mode=all_tables");
    std::string sql = "ALTER PUBLICATION " + pub + " SET TABLE " + table_list();
    if (auto err = meta_->try_exec(sql))
      throw PgError(std::string("cannot update the publication '") + cfg_.publication_name + "' (" +
                    err->what() + "): publication.autocreate.mode=filtered runs " + sql +
                    " on every start, which needs the publication's owner and the tables' owner");
    return;
  }
  switch (cfg_.autocreate) {
    case AutocreateMode::Disabled:
      throw PgError("the publication '" + cfg_.publication_name +
                    "' does not exist and publication.autocreate.mode=disabled: create it (CREATE "
                    "PUBLICATION " + pub + " FOR TABLE <tables>;) or change the mode");
    case AutocreateMode::AllTables:
      if (auto err = meta_->try_exec("CREATE PUBLICATION " + pub + " FOR ALL TABLES"))
        throw PgError(std::string("cannot create the publication '") + cfg_.publication_name +
                      "' FOR ALL TABLES (" + err->what() +
                      "): PostgreSQL 15 needs a superuser for that; create it as one, or use "
                      "publication.autocreate.mode=filtered");
      break;
    case AutocreateMode::Filtered: {
      std::string sql = "CREATE PUBLICATION " + pub + " FOR TABLE " + table_list();
      if (auto err = meta_->try_exec(sql)) {
        if (err->sqlstate() != "42501") throw PgError(std::string(err->what()) + " (SQL: " + sql + ")");
        throw PgError(std::string("cannot create the publication '") + cfg_.publication_name + "' (" +
                      err->what() + "): PostgreSQL lets only the owner of every table (or a "
                      "superuser) publish it. Run as the owner: " + sql +
                      "; or make the user own the tables (ALTER TABLE ... OWNER TO " +
                      meta_->quote_ident(cfg_.conn["user"]) + ";)");
      }
      break;
    }
  }
  plog::info(ctx_, "created publication '", cfg_.publication_name, "'");
}

Engine::SnapshotPlan Engine::plan(const SlotInfo& slot) {
  bool completed = stored_ && (!stored_->snapshot || stored_->last_snapshot_record);
  bool streamed = stored_ && !stored_->snapshot;
  SnapshotPlan p;
  switch (cfg_.snapshot_mode) {
    case SnapshotMode::Initial: p.snapshot = !completed; break;
    case SnapshotMode::InitialOnly: p.snapshot = !completed; p.stream = false; break;
    case SnapshotMode::Always: p.snapshot = true; break;
    case SnapshotMode::WhenNeeded: p.snapshot = !completed || !slot.exists; break;
    case SnapshotMode::NoData:
    case SnapshotMode::Never: p.snapshot = false; break;
  }
  if (completed && !slot.exists && !p.snapshot)
    throw PgError("the replication slot '" + cfg_.slot_name + "' does not exist, but offsets for '" +
                  cfg_.topic_prefix + "' say streaming reached LSN " +
                  lsn_to_string(stored_->lsn.value_or(0)) +
                  ": changes since then are lost. To recover, set snapshot.mode=when_needed (a new "
                  "slot and a new snapshot), or delete the connector and its offsets and register it "
                  "again");
  // A fresh or interrupted initial snapshot: nothing was streamed from the slot, so it is
  // (re)created and read through its exported snapshot (no gap, no duplicate). With a slot that
  // was streamed from, the snapshot reads the current data and streaming continues from the slot.
  p.export_slot = p.snapshot && (!streamed || !slot.exists);
  if (p.snapshot && !p.export_slot)
    plog::info(ctx_, "snapshot with the existing slot '", cfg_.slot_name,
               "': changes made during the snapshot may be emitted twice");
  return p;
}

void Engine::drop_slot() {
  for (int i = 0; i < 50; ++i) {
    auto err = meta_->try_exec("SELECT pg_drop_replication_slot(" + meta_->quote_literal(cfg_.slot_name) +
                               ") FROM pg_replication_slots WHERE slot_name = " +
                               meta_->quote_literal(cfg_.slot_name));
    if (!err) return;
    if (err->sqlstate() != "55006") throw *err;  // object_in_use: the walsender is exiting
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw PgError("the slot '" + cfg_.slot_name + "' stays active; it cannot be dropped");
}

}  // namespace sluice::postgres
