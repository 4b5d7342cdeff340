// Streaming, the task thread's side: poll() decodes the frames the replication thread handed
// over (stream.cc) into change events, so every record is built, converted, sent and freed on
// one thread (plugins/api/frame_queue.h says why).

#include "plugins/postgres/connector/catalog.h"
#include "plugins/postgres/connector/copy_text.h"
#include "plugins/postgres/connector/engine.h"
#include "plugins/postgres/connector/plog.h"

namespace sluice::postgres {

void Engine::decode(std::vector<api::SourceRecord>& out, size_t max, std::chrono::milliseconds wait) {
  std::lock_guard lock(meta_mu_);
  api::FrameQueue::Frame item;
  while (out.size() < max && frames_.next(item, wait)) {
    wait = std::chrono::milliseconds(0);
    switch (item.tag) {
      case kXLogData: {
        size_t from = out.size();
        try {
          handle_message(item.position, item.bytes, out);
        } catch (const PgError& e) {
          // Relation and Type messages query the catalog: when the catalog connection was
          // lost, reconnect and try the message once more (it failed before changing any
          // state). Any other error stands.
          if (out.size() != from || (meta_ && meta_->connected())) throw;
          plog::warn(ctx_, e.what(), "; reconnecting the catalog connection");
          connect_meta();
          handle_message(item.position, item.bytes, out);
        }
        if (tx_.reemitted) count_reemitted(out, from);
        break;
      }
      case kKeepalive:
        if (reemit_until_ && !tx_.xid && item.position >= *reemit_until_) report_reemitted();
        break;
      case kHeartbeat:
        heartbeat(out);
        break;
      case kRestart:
        restart_decoder();
        frames_.barrier_passed();
        break;
      default:
        snapshot_row(item, out);
    }
  }
}

void Engine::snapshot_row(const api::FrameQueue::Frame& f, std::vector<api::SourceRecord>& out) {
  static const char* const kMarkers[] = {"first", "first_in_data_collection", "true", "last_in_data_collection",
                                         "last"};
  const Table& t = *snap_.tables.at(f.position);
  split_copy_row(f.bytes, cells_, scratch_);
  for (auto& c : t.columns)
    if (c.source_index >= cells_.size())
      throw PgError("COPY of " + t.schema + "." + t.name + " gave a row of " + std::to_string(cells_.size()) +
                    " fields, fewer than its columns");
  auto marker = static_cast<SnapshotMarker>(f.tag - kSnapshotRow);
  SourceInfo s = snap_.source;
  s.snapshot = std::string(kMarkers[marker]);
  s.schema = t.schema;
  s.table = t.name;
  Position p = snap_.pos;
  p.last_snapshot_record = marker == kLast;
  out.push_back(events_.change(t, 'r', api::Value(), t.row_from_text(cells_), s, p));
}

void Engine::heartbeat(std::vector<api::SourceRecord>& out) {
  if (!cfg_.heartbeat_action_query.empty() && meta_) {
    if (auto err = meta_->try_exec(cfg_.heartbeat_action_query))
      plog::warn(ctx_, "heartbeat.action.query failed: ", err->what());
  }
  if (have_position_ && !tx_.xid) out.push_back(events_.heartbeat(position_));
}

// The replication connection was lost: what was received is decoded; streaming resumes
// after the last event emitted, with relations sent anew.
void Engine::restart_decoder() {
  tables_.clear();
  tx_ = TxState{};
  if (have_position_) resume_ = position_;
  try {
    connect_meta();
  } catch (const PgError& e) {
    plog::warn(ctx_, "catalog connection: ", e.what());
  }
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
      if (cfg_.tombstones_on_delete) {
        auto tombstone = events_.tombstone(del);
        out.push_back(std::move(del));
        out.push_back(std::move(tombstone));
      } else {
        out.push_back(std::move(del));
      }
      auto cre = events_.change(*t, 'c', api::Value(), after, s, position_, tx_block(*t));
      cre.headers.push_back({"__debezium.oldkey", t->key_schema, old_key});
      out.push_back(std::move(cre));
      return;
    }
    out.push_back(events_.change(*t, 'u', std::move(before), std::move(after), std::move(s), position_,
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
    if (cfg_.tombstones_on_delete && t->key_schema) {
      auto tombstone = events_.tombstone(rec);
      out.push_back(std::move(rec));
      out.push_back(std::move(tombstone));
    } else {
      out.push_back(std::move(rec));
    }
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
