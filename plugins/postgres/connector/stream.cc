// Streaming: START_REPLICATION on the slot with pgoutput protocol 1 (messages on), CopyData
// read asynchronously with a poll() timeout so keepalives and stop() are handled promptly,
// standby status updates confirming only what commit() found stored, reconnects with backoff.

#include <libpq-fe.h>
#include <poll.h>

#include <thread>

#include "plugins/postgres/connector/catalog.h"
#include "plugins/postgres/connector/engine.h"
#include "plugins/postgres/connector/plog.h"

namespace sluice::postgres {

using Clock = std::chrono::steady_clock;

namespace {
bool is_fatal_stream_error(const PgError& e) {
  const std::string& st = e.sqlstate();
  return st == "42704" /* undefined_object: no slot */ || st == "58P01" /* WAL removed */ ||
         st == "55000" /* object_not_in_prerequisite_state, e.g. slot invalidated */;
}
}  // namespace

void Engine::fail_stream_error(const PgError& e) {
  std::string msg = e.what();
  if (e.sqlstate() == "42704" || msg.find("does not exist") != std::string::npos)
    throw PgError("the replication slot '" + cfg_.slot_name + "' no longer exists (" + msg +
                  "); changes since the last committed offset are lost. To recover, set "
                  "snapshot.mode=when_needed and restart the connector (a new slot and a new "
                  "snapshot), or delete the connector and its offsets and register it again");
  if (msg.find("has already been removed") != std::string::npos || e.sqlstate() == "58P01" ||
      msg.find("invalidated") != std::string::npos)
    throw PgError("the WAL that the slot '" + cfg_.slot_name + "' needs was removed (" + msg +
                  "); changes are lost. To recover, drop the slot (SELECT pg_drop_replication_slot('" +
                  cfg_.slot_name + "');), set snapshot.mode=when_needed and restart the connector; "
                  "consider max_slot_wal_keep_size and heartbeat.action.query");
  throw e;
}

void Engine::stream() {
  int attempt = 0;
  while (!stopping_.load()) {
    auto started = Clock::now();
    try {
      stream_once();
      return;
    } catch (const PgError& e) {
      if (stopping_.load()) return;
      if (Clock::now() - started > std::chrono::minutes(1)) attempt = 0;  // it had recovered
      if (is_fatal_stream_error(e) || e.sqlstate() == "42704") fail_stream_error(e);
      if (std::string(e.what()).find("does not exist") != std::string::npos) fail_stream_error(e);
      if (++attempt > cfg_.max_retries) throw;
      int64_t delay = std::min<int64_t>(cfg_.retry_delay_ms, 500LL << std::min(attempt, 6));
      plog::warn(ctx_, "replication stream lost: ", e.what(), "; reconnecting in ", delay, " ms (attempt ",
                 attempt, " of ", cfg_.max_retries, ")");
      repl_.reset();
      for (int64_t w = 0; w < delay && !stopping_.load(); w += 100)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      try {
        connect_meta();
      } catch (const PgError&) {
      }
      if (have_position_) resume_ = position_;
    }
  }
}

void Engine::stream_once() {
  if (!repl_) repl_ = PgConnection::open(cfg_.conn, true);
  tables_.clear();
  tx_ = TxState{};
  if (!have_position_ && stored_) {
    position_ = *stored_;
    position_.snapshot = false;
    position_.last_snapshot_record = false;
    have_position_ = true;
    resume_ = *stored_;
    if (stored_->snapshot) resume_ = Position{};  // stream from the slot's consistent point
  }
  Lsn start = resume_.lsn_commit.value_or(0);
  std::string cmd = "START_REPLICATION SLOT " + repl_->quote_ident(cfg_.slot_name) + " LOGICAL " +
                    lsn_to_string(start) + " (\"proto_version\" '1', \"publication_names\" " +
                    repl_->quote_literal(repl_->quote_ident(cfg_.publication_name)) +
                    (repl_->server_version() >= 140000 ? ", \"messages\" 'true'" : "") + ")";
  repl_->exec(cmd);
  plog::info(ctx_, "streaming from slot '", cfg_.slot_name, "' at ", lsn_to_string(start));
  PGconn* c = repl_->raw();
  last_status_ = last_heartbeat_ = Clock::now();
  std::vector<api::SourceRecord> batch;
  Clock::time_point batch_started{};  // when the batch got its first record
  while (!stopping_.load()) {
    char* buf = nullptr;
    int n = PQgetCopyData(c, &buf, 1);
    if (n > 0) {
      std::string_view frame(buf, static_cast<size_t>(n));
      bool was_empty = batch.empty();
      try {
        handle_frame(frame, batch);
      } catch (...) {
        PQfreemem(buf);
        throw;
      }
      PQfreemem(buf);
      if (was_empty && !batch.empty()) batch_started = Clock::now();
      if (batch.size() >= static_cast<size_t>(cfg_.max_batch_size) && !flush(batch)) return;
      continue;
    }
    if (n == -1 || n == -2) {
      PgResult r(PQgetResult(c));
      std::string msg = r.raw() ? PQresultErrorMessage(r.raw()) : "";
      const char* st = r.raw() ? PQresultErrorField(r.raw(), PG_DIAG_SQLSTATE) : nullptr;
      if (msg.empty()) msg = repl_->error_message();
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      throw PgError("replication stream ended: " + (msg.empty() ? std::string("connection closed") : msg),
                    st ? st : "");
    }
    // Nothing buffered. A partial batch waits up to 2 ms for more (fewer, fuller hand-overs
    // and thread wake-ups under load), 20 ms at most in all; then answer the server and wait
    // for the socket.
    if (!batch.empty()) {
      pollfd more{PQsocket(c), POLLIN, 0};
      if (Clock::now() - batch_started < std::chrono::milliseconds(20) && ::poll(&more, 1, 2) > 0) {
        if (PQconsumeInput(c) == 0) throw PgError("replication connection lost: " + repl_->error_message());
        continue;
      }
      if (!flush(batch)) return;
    }
    maybe_heartbeat(batch);
    if (!batch.empty() && !flush(batch)) return;
    auto status_every = std::chrono::milliseconds(cfg_.status_update_interval_ms);
    if (Clock::now() - last_status_ >= status_every || committed_lsn_.load() > sent_flush_lsn_)
      send_status(false);
    pollfd pfd{PQsocket(c), POLLIN, 0};
    ::poll(&pfd, 1, 100);
    if (PQconsumeInput(c) == 0) throw PgError("replication connection lost: " + repl_->error_message());
  }
}

bool Engine::flush(std::vector<api::SourceRecord>& batch) {
  if (batch.empty()) return true;
  return queue_.push(batch, stopping_, [this] {
    if (repl_ && Clock::now() - last_status_ >= std::chrono::seconds(1)) {
      try {
        PQconsumeInput(repl_->raw());  // keep reading the socket's keepalives off the wire
        send_status(false);
      } catch (const std::exception&) {
      }
    }
  });
}

void Engine::send_status(bool reply_requested) {
  if (!repl_) return;
  Lsn flushed = committed_lsn_.load();
  if (!received_any_) flushed = sent_flush_lsn_;  // guard: nothing stale right after a restart
  std::string frame = build_standby_status_update(std::max(received_lsn_, flushed), flushed, flushed,
                                                  now_us(), reply_requested);
  PGconn* c = repl_->raw();
  if (PQputCopyData(c, frame.data(), static_cast<int>(frame.size())) != 1 || PQflush(c) != 0)
    throw PgError("cannot send a standby status update: " + repl_->error_message());
  if (flushed > sent_flush_lsn_)
    sent_flush_lsn_ = flushed;
  last_status_ = Clock::now();
}

void Engine::maybe_heartbeat(std::vector<api::SourceRecord>& out) {
  if (cfg_.heartbeat_interval_ms <= 0) return;
  if (Clock::now() - last_heartbeat_ < std::chrono::milliseconds(cfg_.heartbeat_interval_ms)) return;
  last_heartbeat_ = Clock::now();
  if (!cfg_.heartbeat_action_query.empty() && meta_) {
    if (auto err = meta_->try_exec(cfg_.heartbeat_action_query))
      plog::warn(ctx_, "heartbeat.action.query failed: ", err->what());
  }
  if (have_position_ && !tx_.xid) out.push_back(events_.heartbeat(position_));
}

void Engine::handle_frame(std::string_view frame, std::vector<api::SourceRecord>& out) {
  auto parsed = parse_copy_data(frame);
  if (!parsed) throw PgError("unreadable replication frame: " + parsed.message());
  if (auto* k = std::get_if<PrimaryKeepalive>(&parsed.value())) {
    received_lsn_ = std::max(received_lsn_, k->wal_end);
    if (reemit_until_ && !tx_.xid && k->wal_end >= *reemit_until_) report_reemitted();
    if (k->reply_requested) send_status(false);
    return;
  }
  auto& x = std::get<XLogData>(parsed.value());
  received_any_ = true;
  received_lsn_ = std::max(received_lsn_, x.wal_start);
  size_t from = out.size();
  handle_message(x.wal_start, x.payload, out);
  if (tx_.reemitted) count_reemitted(out, from);
}

void Engine::count_reemitted(const std::vector<api::SourceRecord>& out, size_t from) {
  std::string tx_topic = cfg_.topic_prefix + ".transaction";
  for (size_t i = from; i < out.size(); ++i)
    if (!out[i].value.is_null() && out[i].topic != tx_topic) ++reemitted_;
}

void Engine::report_reemitted() {
  plog::info(ctx_, "the snapshot with the existing slot '", cfg_.slot_name, "' read the data at LSN ",
             lsn_to_string(*reemit_until_), "; ", reemitted_,
             " change events committed before that were streamed again after it (duplicates of "
             "what the snapshot emitted; nothing is lost)");
  reemit_until_.reset();
}

const Table* Engine::table_for(uint32_t oid) {
  auto it = tables_.find(oid);
  if (it == tables_.end())
    throw PgError("pgoutput sent a change for relation " + std::to_string(oid) +
                  " before its Relation message");
  return it->second ? &*it->second : nullptr;
}

void Engine::on_relation(const RelationMsg& r) {
  if (!filters_.table(r.nspname, r.relname)) {
    tables_[r.oid] = std::nullopt;
    return;
  }
  auto catalog_cols = table_columns(*meta_, r.oid);
  std::vector<CatalogColumn> cols;
  for (auto& rc : r.columns) {
    CatalogColumn c;
    c.info.name = rc.name;
    c.info.type_oid = rc.type_oid;
    c.info.type_modifier = rc.type_modifier;
    for (auto& cc : catalog_cols)
      if (cc.info.name == rc.name) {
        c.info.optional = cc.info.optional;
        c.info.default_text = cc.info.default_text;
        c.primary_key = cc.primary_key;
      }
    if (!catalog_.find(rc.type_oid)) load_types(*meta_, catalog_);
    cols.push_back(std::move(c));
  }
  std::vector<std::string> skipped;
  Table t = Table::build(r.oid, r.nspname, r.relname, cols, cfg_.topic_prefix, filters_, catalog_,
                         cfg_.mapping, skipped);
  for (auto& s : skipped) plog::warn(ctx_, "column left out: ", s);
  t.replica_identity = r.replica_identity;
  t.envelope_schema = events_.envelope_schema(t);
  tables_[r.oid] = std::move(t);
}

SourceInfo Engine::source_for(const Table* t, Lsn lsn) const {
  SourceInfo s;
  s.ts_us = tx_.commit_time_us;
  s.sequence = sequence_text(position_.lsn_commit, lsn);
  if (t) {
    s.schema = t->schema;
    s.table = t->name;
  }
  s.tx_id = tx_.xid;
  s.lsn = lsn;
  return s;
}

Position Engine::position_for(Lsn lsn, const char* type) const {
  Position p;
  p.lsn = lsn;
  p.lsn_proc = lsn;
  p.lsn_commit = position_.lsn_commit;
  p.tx_id = tx_.xid;
  p.ts_usec = tx_.commit_time_us;
  p.message_type = type;
  return p;
}

api::Value Engine::tx_block(const Table& t) {
  if (!cfg_.provide_transaction_metadata || !tx_.xid) return api::Value();
  std::string collection = t.schema + "." + t.name;
  int64_t n = 0;
  for (auto& [c, count] : tx_.collections)
    if (c == collection) n = ++count;
  if (n == 0) tx_.collections.emplace_back(collection, n = 1);
  return events_.transaction_block(tx_id(), ++tx_.total, n);
}

void Engine::handle_message(Lsn lsn, std::string_view payload, std::vector<api::SourceRecord>& out) {
  auto parsed = parse_pgoutput(payload);
  if (!parsed) throw PgError("unreadable pgoutput message: " + parsed.message());
  auto& m = parsed.value();
  const std::string& ph = cfg_.unavailable_placeholder;
  // Events of a transaction that was (partly) emitted before a restart are skipped.
  auto skipped = [&] {
    return tx_.skip || (tx_.skip_until && lsn <= *tx_.skip_until);
  };
  auto advance = [&](const char* type) {
    if (!skipped()) {
      position_ = position_for(lsn, type);
      have_position_ = true;
    }
  };
  if (auto* b = std::get_if<BeginMsg>(&m)) {
    tx_ = TxState{};
    tx_.xid = b->xid;
    tx_.commit_time_us = b->commit_time_us;
    if (reemit_until_) {
      if (b->final_lsn < *reemit_until_) tx_.reemitted = true;
      else report_reemitted();
    }
    // final_lsn is where the commit record starts; lsn_commit where a processed one ended.
    if (resume_.lsn_commit && b->final_lsn < *resume_.lsn_commit) tx_.skip = true;
    if (resume_.tx_id && static_cast<uint32_t>(*resume_.tx_id) == b->xid && resume_.lsn &&
        resume_.message_type != std::optional<std::string>("COMMIT"))
      tx_.skip_until = resume_.lsn;
    // As Debezium 2.7: BEGIN goes out at the Begin message (even if no event of the
    // transaction is captured), unless a restart finds part of the transaction emitted. Its
    // offset is the position before the transaction, so a restart that stored only it
    // streams the whole transaction again.
    if (cfg_.provide_transaction_metadata && !tx_.skip && !tx_.skip_until) {
      Position p = position_;
      if (!have_position_) {
        p = Position{};
        p.lsn = p.lsn_proc = lsn;
        p.message_type = "BEGIN";
      }
      out.push_back(events_.transaction_event(true, tx_id(), b->commit_time_us / 1000, {}, p));
    }
    return;
  }
  if (auto* cm = std::get_if<CommitMsg>(&m)) {
    // As Debezium: lsn_commit is the stream position of the COMMIT message, which the server
    // sets to the end of the commit record (end_lsn). It is also what gets confirmed.
    (void)cm;
    if (!tx_.skip) {
      position_ = position_for(lsn, "COMMIT");
      position_.lsn_commit = lsn;
      have_position_ = true;
      if (cfg_.provide_transaction_metadata)
        out.push_back(events_.transaction_event(false, tx_id(), tx_.commit_time_us / 1000,
                                                tx_.collections, position_));
    }
    tx_ = TxState{};
    return;
  }
  if (auto* r = std::get_if<RelationMsg>(&m)) return on_relation(*r);
  if (std::get_if<TypeMsg>(&m)) {
    load_types(*meta_, catalog_);
    return;
  }
  if (std::get_if<OriginMsg>(&m)) return;
  if (auto* ins = std::get_if<InsertMsg>(&m)) {
    const Table* t = table_for(ins->relation_oid);
    bool skip = skipped();
    advance("INSERT");
    if (!t || cfg_.skipped_ops.count('c')) return;
    api::Value tb = tx_block(*t);
    if (skip) return;
    out.push_back(events_.change(*t, 'c', api::Value(), t->row_from_tuple(ins->new_tuple, ph),
                                 source_for(t, lsn), position_, std::move(tb)));
    return;
  }
  if (auto* up = std::get_if<UpdateMsg>(&m)) {
    const Table* t = table_for(up->relation_oid);
    bool skip = skipped();
    advance("UPDATE");
    if (!t || cfg_.skipped_ops.count('u')) return;
    if (skip) {
      // Count what was emitted before the restart: two events for a primary-key change.
      tx_block(*t);
      if (cfg_.provide_transaction_metadata && up->old_kind && t->key_schema &&
          !(t->key_of(t->row_from_tuple(up->old_tuple, ph)) ==
            t->key_of(t->row_from_tuple(up->new_tuple, ph))))
        tx_block(*t);
      return;
    }
    api::Value before = up->old_kind ? t->row_from_tuple(up->old_tuple, ph) : api::Value();
    api::Value after = t->row_from_tuple(up->new_tuple, ph, up->old_kind == 'O' ? &before : nullptr);
    SourceInfo s = source_for(t, lsn);
    api::Value old_key = t->key_of(before), new_key = t->key_of(after);
    if (!before.is_null() && t->key_schema && !(old_key == new_key)) {
      // A primary-key change: delete (+ tombstone) of the old key, create of the new one.
      auto del = events_.change(*t, 'd', before, api::Value(), s, position_, tx_block(*t));
      del.headers.push_back({"__debezium.newkey", t->key_schema, new_key});
      bool tomb = cfg_.tombstones_on_delete;
      auto tombstone = events_.tombstone(del);
      out.push_back(std::move(del));
      if (tomb) out.push_back(std::move(tombstone));
      auto cre = events_.change(*t, 'c', api::Value(), after, s, position_, tx_block(*t));
      cre.headers.push_back({"__debezium.oldkey", t->key_schema, old_key});
      out.push_back(std::move(cre));
      return;
    }
    out.push_back(events_.change(*t, 'u', std::move(before), std::move(after), s, position_,
                                 tx_block(*t)));
    return;
  }
  if (auto* del = std::get_if<DeleteMsg>(&m)) {
    const Table* t = table_for(del->relation_oid);
    bool skip = skipped();
    advance("DELETE");
    if (!t || cfg_.skipped_ops.count('d')) return;
    api::Value tb = tx_block(*t);
    if (skip) return;
    auto rec = events_.change(*t, 'd', t->row_from_tuple(del->old_tuple, ph), api::Value(),
                              source_for(t, lsn), position_, std::move(tb));
    bool tomb = cfg_.tombstones_on_delete && t->key_schema;
    auto tombstone = events_.tombstone(rec);
    out.push_back(std::move(rec));
    if (tomb) out.push_back(std::move(tombstone));
    return;
  }
  if (auto* tr = std::get_if<TruncateMsg>(&m)) {
    bool skip = skipped();
    advance("TRUNCATE");
    if (cfg_.skipped_ops.count('t')) return;
    for (uint32_t oid : tr->relation_oids) {
      const Table* t = table_for(oid);
      if (!t) continue;
      api::Value tb = tx_block(*t);
      if (!skip) out.push_back(events_.truncate(*t, source_for(t, lsn), position_, std::move(tb)));
    }
    return;
  }
  if (auto* lm = std::get_if<LogicalMessageMsg>(&m)) {
    bool skip = lm->transactional && skipped();
    if (lm->transactional) advance("MESSAGE");
    if (skip || !filters_.message_prefix(lm->prefix)) return;
    SourceInfo s = source_for(nullptr, lsn);
    Position p = position_;
    if (!lm->transactional) {
      s.tx_id.reset();
      s.ts_us = now_us();
    }
    if (!have_position_) return;  // nothing to attach an offset to yet
    out.push_back(events_.message(lm->prefix, binary_value(lm->content, cfg_.mapping.binary),
                                  binary_schema(cfg_.mapping.binary, true), s, p));
    return;
  }
}

}  // namespace sluice::postgres
