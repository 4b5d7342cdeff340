#include "plugins/mysql/connector/streamer.h"

#include <chrono>
#include <cstdlib>
#include <cstring>

#include "plugins/mysql/binlog/constants.h"
#include "plugins/mysql/schema/table_check.h"
#include "plugins/mysql/schema/value_mapping.h"

namespace sluice::mysql::cdc {

using namespace sluice::api;
namespace ct = sluice::mysql::column_type;
using sluice::mysql::RowsKind;

namespace {

constexpr int kComBinlogDump = 0x12;
constexpr int kComBinlogDumpGtid = 0x1e;
constexpr uint16_t kThroughGtid = 0x04;
constexpr uint16_t kSendAnnotateRows = 2;
constexpr uint16_t kArtificial = 0x20;

void put_u16(std::string& s, uint32_t v) { s += char(v & 0xff); s += char((v >> 8) & 0xff); }
void put_u32(std::string& s, uint32_t v) { for (int i = 0; i < 4; ++i) s += char((v >> (8 * i)) & 0xff); }
void put_u64(std::string& s, uint64_t v) { for (int i = 0; i < 8; ++i) s += char((v >> (8 * i)) & 0xff); }

std::string uuid_text(const std::array<uint8_t, 16>& sid) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < sid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[sid[i] >> 4];
    out += hex[sid[i] & 0xf];
  }
  return out;
}

// Server heartbeats well under the read timeout, and often enough for heartbeat.interval.ms.
int64_t heartbeat_period_ns(const Options& o) {
  int64_t ns = int64_t(o.read_timeout_s) * 1000000000LL / 6;
  if (o.heartbeat_interval_ms > 0) ns = std::min<int64_t>(ns, std::max<int64_t>(100, o.heartbeat_interval_ms) * 1000000);
  return ns;
}

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

void Streamer::maybe_heartbeat() {
  if (o_.heartbeat_interval_ms <= 0) return;
  int64_t now = wall_ms();
  if (now - last_heartbeat_ms_ < o_.heartbeat_interval_ms) return;
  last_heartbeat_ms_ = now;
  if (!o_.heartbeat_action_query.empty()) meta_->execute(o_.heartbeat_action_query);
  emit(builder_.heartbeat(to_offset(resume_position()), now));
}

Streamer::Start Streamer::start_dump(DbClient& binlog, const BinlogPosition& from) const {
  Start s;
  s.from = from;
  s.mysql_gtids = o_.flavor != "mariadb" && mysql_gtid_mode_on(binlog);
  binlog.execute("SET @master_binlog_checksum=@@global.binlog_checksum, "
                 "@source_binlog_checksum=@@global.binlog_checksum, @mariadb_slave_capability=4, "
                 "@master_heartbeat_period=" + std::to_string(heartbeat_period_ns(o_)));
  auto checksum = binlog.scalar("SELECT @@global.binlog_checksum").value_or("NONE");
  s.checksum = checksum == "CRC32" ? sluice::mysql::ChecksumAlg::kCrc32 : sluice::mysql::ChecksumAlg::kOff;
  if (s.mysql_gtids && !from.gtids.empty()) {
    // MySQL auto-position: the server sends every transaction not in the set, from its first
    // binlog that has one; it names the file in its first ROTATE.
    std::string purged = binlog.scalar("SELECT @@global.gtid_purged").value_or("");
    std::string set = mysql_start_set(from.gtids, purged).encode();
    std::string payload;
    put_u16(payload, kThroughGtid | (o_.include_query ? kSendAnnotateRows : 0));
    put_u32(payload, o_.server_id);
    put_u32(payload, 0);  // no file name
    put_u64(payload, 4);
    put_u32(payload, static_cast<uint32_t>(set.size()));
    payload += set;
    binlog.send_command(kComBinlogDumpGtid, payload);
    return s;
  }
  bool by_gtid = o_.flavor == "mariadb" && !from.gtids.empty();
  if (by_gtid) {
    // MariaDB continues after the given GTIDs; the server names the file in its first ROTATE.
    std::string state;
    for (char c : from.gtids)
      if (isdigit(static_cast<unsigned char>(c)) || c == '-' || c == ',') state += c;
    binlog.execute("SET @slave_connect_state='" + state + "', @slave_gtid_strict_mode=0, "
                   "@slave_gtid_ignore_duplicates=0");
  }
  std::string payload;
  put_u32(payload, by_gtid ? 4u : static_cast<uint32_t>(from.pos));
  put_u16(payload, o_.include_query ? kSendAnnotateRows : 0);
  put_u32(payload, o_.server_id);
  if (!by_gtid) payload += from.file;
  binlog.send_command(kComBinlogDump, payload);
  return s;
}

GtidSet Streamer::mysql_start_set(const std::string& stored, const std::string& purged) {
  GtidSet start = GtidSet::parse(stored), gone = GtidSet::parse(purged);
  start.add_missing_uuids(gone);
  if (!start.contains(gone))
    throw StreamError("the server purged binlogs holding transactions the stored offset's GTID set (" + stored +
                      ") does not include (gtid_purged " + purged + "). Set snapshot.mode=when_needed to take "
                      "a new snapshot, or remove the connector's offsets, to continue");
  return start;
}

void Streamer::begin(DbClient& meta, const Start& st) {
  const BinlogPosition& from = st.from;
  meta_ = &meta;
  file_ = from.file;
  gtid_state_.clear();
  mysql_gtids_ = st.mysql_gtids;
  mysql_set_ = GtidSet();
  if (mysql_gtids_) {
    try {
      mysql_set_ = GtidSet::parse(from.gtids);
    } catch (const std::invalid_argument& e) {
      throw StreamError(std::string("the stored offset's \"gtids\": ") + e.what());
    }
  }
  if (o_.flavor == "mariadb") {
    size_t i = 0;
    while (i < from.gtids.size()) {
      size_t j = from.gtids.find(',', i);
      std::string g = from.gtids.substr(i, j == std::string::npos ? std::string::npos : j - i);
      if (!g.empty()) gtid_state_[static_cast<uint32_t>(std::strtoul(g.c_str(), nullptr, 10))] = g;
      if (j == std::string::npos) break;
      i = j + 1;
    }
  }
  in_tx_ = false;
  in_payload_ = false;
  armed_ = from.event > 0 || from.row > 0;
  skip_events_ = from.event;
  skip_rows_ = from.row;
  BinlogPosition start = from;
  start.snapshot = false;
  set_resume(start);
  parser_ = sluice::mysql::EventParser();
  parser_.assume_checksum(st.checksum);
}

void Streamer::handle_packet(std::string_view event, std::vector<SourceRecord>& out) {
  out_ = &out;
  auto* data = reinterpret_cast<const uint8_t*>(event.data());
  if (auto st = parser_.parse(data, event.size(), event_); !st.ok())
    throw StreamError("cannot decode the binlog event at " + file_ + ":" + std::to_string(next_pos_) + ": " +
                      st.message());
  handle(event_);
  if (!in_tx_) maybe_heartbeat();  // between transactions: the offset is a clean restart point
}

BinlogPosition Streamer::position(int64_t event, int64_t row) const {
  BinlogPosition p;
  p.file = file_;
  p.pos = tx_start_;
  p.event = event;
  p.row = row;
  p.server_id = server_id_;
  p.ts_sec = ts_sec_;
  if (use_gtids()) p.gtids = gtid_set();
  return p;
}

std::string Streamer::gtid_set() const {
  if (mysql_gtids_) return mysql_set_.to_string();
  std::string out;
  for (auto& [domain, g] : gtid_state_) out += (out.empty() ? "" : ",") + g;
  return out;
}

void Streamer::begin_tx(uint64_t start) {
  in_tx_ = true;
  tx_start_ = start;
  tx_events_ = 0;
  thread_.reset();
  query_.reset();
}

// As Debezium: the transaction's GTID for the MariaDB connector and for MySQL with gtid_mode
// ON, else where the transaction starts in the binlog.
std::string Streamer::tx_id() const {
  if (gtid_ && (o_.flavor == "mariadb" || mysql_gtids_)) return *gtid_;
  return "file=" + file_ + ",pos=" + std::to_string(tx_start_);
}

// The envelope's transaction block for the next event of `collection`; the BEGIN record first.
Value Streamer::tx_block(const std::string& collection) {
  if (!o_.provide_transaction_metadata || !in_tx_) return Value();
  if (!tx_begun_) {
    tx_begun_ = true;
    tx_total_ = 0;
    tx_collections_.clear();
    emit(builder_.transaction_event(true, tx_id(), ts_sec_ * 1000, {}, to_offset(resume_position())));
  }
  int64_t n = 0;
  for (auto& [c, count] : tx_collections_)
    if (c == collection) n = ++count;
  if (n == 0) tx_collections_.emplace_back(collection, n = 1);
  return builder_.transaction_block(tx_id(), ++tx_total_, n);
}

void Streamer::end_tx(uint64_t next) {
  if (tx_begun_) {
    BinlogPosition after = position(0, 0);
    after.pos = next;
    emit(builder_.transaction_event(false, tx_id(), ts_sec_ * 1000, tx_collections_, to_offset(after)));
    tx_begun_ = false;
  }
  in_tx_ = false;
  standalone_ = false;
  armed_ = false;
  if (o_.flavor == "mariadb" && gtid_) gtid_state_[gtid_domain_] = *gtid_;
  if (mysql_gtids_ && !mysql_gtid_uuid_.empty()) mysql_set_.add(mysql_gtid_uuid_, mysql_gtid_gno_);
  mysql_gtid_uuid_.clear();
  BinlogPosition p;
  p.file = file_;
  p.pos = next;
  p.server_id = server_id_;
  p.ts_sec = ts_sec_;
  if (use_gtids()) p.gtids = gtid_set();
  set_resume(p);
}

void Streamer::handle(const sluice::mysql::Event& ev) {
  const auto& h = ev.header;
  // Events inside a TRANSACTION_PAYLOAD keep the payload event's position.
  bool artificial = !in_payload_ && ((h.flags & kArtificial) || h.log_pos == 0);
  if (!artificial && !in_payload_) {
    next_pos_ = h.log_pos;
    event_start_ = h.log_pos - h.event_size;
    if (h.timestamp) ts_sec_ = h.timestamp;
    server_id_ = h.server_id;
  }
  using namespace sluice::mysql;
  if (auto* r = std::get_if<RotateEvent>(&ev.data)) {
    file_ = std::string(r->next_file);
    if (!in_tx_) {
      BinlogPosition p = resume_position();
      p.file = file_;
      p.pos = r->position;
      p.event = p.row = 0;
      set_resume(p);
    }
    return;
  }
  if (artificial) return;
  if (auto* pg = std::get_if<PreviousGtidsEvent>(&ev.data)) {
    // Streaming by file/pos without a stored set: the file's predecessors' GTIDs seed it.
    std::string text;
    if (mysql_gtids_ && mysql_set_.empty() && pg->to_string(text).ok()) {
      try {
        mysql_set_ = GtidSet::parse(text);
      } catch (const std::invalid_argument& e) {
        log_line("WARN", std::string("PREVIOUS_GTIDS not used: ") + e.what());
      }
    }
    return;
  }
  if (std::holds_alternative<FormatDescriptionEvent>(ev.data) || std::holds_alternative<HeartbeatEvent>(ev.data) ||
      std::holds_alternative<MariaGtidListEvent>(ev.data) || std::holds_alternative<BinlogCheckpointEvent>(ev.data))
    return;
  if (auto* tp = std::get_if<TransactionPayloadEvent>(&ev.data)) {
    handle_payload(*tp);
    return;
  }
  if (auto* g = std::get_if<MariaGtidEvent>(&ev.data)) {
    begin_tx(event_start_);
    standalone_ = g->standalone();
    gtid_ = g->to_string();
    gtid_domain_ = g->domain_id;
    return;
  }
  if (auto* g = std::get_if<GtidEvent>(&ev.data)) {
    begin_tx(event_start_);
    standalone_ = true;  // a DDL without BEGIN is a transaction of its own; BEGIN clears this
    gtid_.reset();
    mysql_gtid_uuid_.clear();
    if (mysql_gtids_ && !g->anonymous) {
      if (g->tagged) throw StreamError("tagged GTIDs (MySQL 8.4+) are not supported yet: at " + file_ + ":" +
                                       std::to_string(event_start_));
      mysql_gtid_uuid_ = uuid_text(g->sid);
      mysql_gtid_gno_ = g->gno;
      gtid_ = mysql_gtid_uuid_ + ":" + std::to_string(g->gno);
    }
    return;
  }
  if (auto* q = std::get_if<QueryEvent>(&ev.data)) {
    std::string_view sql = q->query;
    if (sql == "BEGIN") {
      if (!in_tx_) begin_tx(event_start_); else ++tx_events_;
      standalone_ = false;
      thread_ = q->thread_id;
      return;
    }
    if (sql == "COMMIT" || sql == "ROLLBACK") { end_tx(next_pos_); return; }
    handle_ddl(*q);
    if (!in_tx_ || standalone_) end_tx(next_pos_); else ++tx_events_;
    return;
  }
  if (std::holds_alternative<XidEvent>(ev.data)) { end_tx(next_pos_); return; }
  if (auto* rq = std::get_if<RowsQueryEvent>(&ev.data)) {
    if (o_.include_query) query_ = std::string(rq->query);
    if (in_tx_) ++tx_events_;
    return;
  }
  if (auto* rows = std::get_if<RowsEvent>(&ev.data)) {
    handle_rows(ev, *rows);
    if (in_tx_) ++tx_events_;
    return;
  }
  if (in_tx_) ++tx_events_;  // TABLE_MAP and the rest
}

void Streamer::handle_ddl(const sluice::mysql::QueryEvent& q) {
  BinlogPosition at = position(0, 0);
  at.pos = event_start_;
  std::vector<std::string> warnings;
  auto applied = tracker_.apply(std::string(q.query), std::string(q.database), to_offset(at), ts_sec_ * 1000, warnings);
  for (auto& w : warnings)
    log_line("WARN", "DDL at " + file_ + ":" + std::to_string(event_start_) + " not understood (" + w +
                         "); tables it touches are checked against each TABLE_MAP");
  if (applied.empty()) return;
  // Durable before any later event or offset, as Debezium's synchronous history writes: else a
  // crash could leave a committed offset past a DDL that the history lacks.
  tracker_.flush();
  cache_.clear();
  BinlogPosition after = in_tx_ && !standalone_ ? position(tx_events_ + 1, 0) : position(0, 0);
  if (!(in_tx_ && !standalone_)) after.pos = next_pos_;
  for (auto& a : applied) {
    log_line("INFO", "DDL at " + file_ + ":" + std::to_string(event_start_) + ": " + a.ddl.substr(0, 200));
    if (!o_.include_schema_changes || (!a.database.empty() && !filters_.database(a.database))) continue;
    SourceFields f;
    f.ts_ms = ts_sec_ * 1000;
    f.db = a.database;
    for (auto& ch : a.changes) f.table += (f.table.empty() ? "" : ",") + ch.id.table;
    f.server_id = server_id_;
    if (use_gtids()) f.gtid = gtid_;
    f.file = file_;
    f.pos = event_start_;
    f.thread = q.thread_id;
    emit(schema_changes_.build(a.database, a.ddl, a.changes, ts_sec_ * 1000, builder_.source(f), to_offset(after),
                               builder_.partition()));
  }
}

void Streamer::handle_payload(const sluice::mysql::TransactionPayloadEvent& tp) {
  std::vector<uint8_t> events;
  if (auto st = parser_.decompress_payload(tp, events); !st.ok())
    throw StreamError("cannot decompress the TRANSACTION_PAYLOAD at " + file_ + ":" + std::to_string(event_start_) +
                      ": " + st.message());
  sluice::mysql::Event inner;
  size_t off = 0;
  while (off + 19 <= events.size()) {
    uint32_t size = uint32_t(events[off + 9]) | uint32_t(events[off + 10]) << 8 | uint32_t(events[off + 11]) << 16 |
                    uint32_t(events[off + 12]) << 24;
    if (size < 19 || off + size > events.size()) break;
    if (auto st = parser_.parse_embedded(events.data() + off, size, inner); !st.ok())
      throw StreamError("cannot decode an event inside the TRANSACTION_PAYLOAD at " + file_ + ":" +
                        std::to_string(event_start_) + ": " + st.message());
    in_payload_ = true;
    try {
      handle(inner);
    } catch (...) {
      in_payload_ = false;
      throw;
    }
    in_payload_ = false;
    off += size;
  }
  if (off != events.size())
    throw StreamError("the TRANSACTION_PAYLOAD at " + file_ + ":" + std::to_string(event_start_) +
                      " ends inside an event (" + std::to_string(events.size() - off) + " bytes left)");
}

void Streamer::emit(SourceRecord&& r) { out_->push_back(std::move(r)); }

void Streamer::handle_rows(const sluice::mysql::Event& ev, const sluice::mysql::RowsEvent& rows) {
  if (!rows.table) return;  // the dummy end-of-statement event
  std::string db(rows.table->database), table(rows.table->table);
  if (!filters_.table(db, table)) return;
  TableSchemasPtr ts = cache_.get(*meta_, db, table, to_offset(position(tx_events_, 0)), ts_sec_ * 1000);
  if (!ts) return;
  if (auto st = sluice::mysql::check_table_map(*rows.table, *ts->table); !st.ok())
    throw StreamError("schema mismatch at " + file_ + ":" + std::to_string(event_start_) + ": " + st.message() +
                      ". The tracked schema of " + db + "." + table + " (from the schema history and the "
                      "binlog's DDL) does not fit this row event, so no data is emitted for it. A DDL the "
                      "parser did not understand is the usual cause; re-snapshot with snapshot.mode=recovery "
                      "(no DDL since the stored offset) or when_needed after removing the offsets.");
  if (auto st = rows_.reset(rows, &ts->binlog_schema); !st.ok())
    throw StreamError("cannot decode rows of " + db + "." + table + " at " + file_ + ":" +
                      std::to_string(event_start_) + ": " + st.message());
  char op = rows.kind == RowsKind::kInsert ? 'c' : rows.kind == RowsKind::kUpdate ? 'u' : 'd';
  bool skip_op = o_.skipped_operations.find(op) != std::string::npos;
  int64_t skip_rows = 0;
  if (armed_ && tx_events_ < skip_events_) skip_rows = INT64_MAX;
  else if (armed_ && tx_events_ == skip_events_) skip_rows = skip_rows_;

  const auto& columns = ts->table->columns;
  auto image = [&](const std::vector<sluice::mysql::CellView>& cells, std::vector<Value>& full) {
    full.assign(columns.size(), Value());
    for (size_t i = 0; i < columns.size() && i < cells.size(); ++i) {
      const auto& m = ts->mappings[i];
      if (!m.schema) continue;
      if (!cells[i].present() || cells[i].is_null()) { full[i] = sluice::mysql::null_value(m); continue; }
      auto v = sluice::mysql::from_cell(cells[i], m);
      if (!v.ok()) {
        if (o_.event_failure_mode == "fail")
          throw StreamError("cannot convert " + db + "." + table + "." + columns[i].name + " at " + file_ + ":" +
                            std::to_string(event_start_) + ": " + v.error());
        full[i] = sluice::mysql::null_value(m);
        continue;
      }
      full[i] = std::move(*v);
    }
  };
  auto project = [&](const std::vector<Value>& full) {
    std::vector<Value> v;
    v.reserve(ts->value_columns.size());
    for (size_t i : ts->value_columns) v.push_back(full[i]);
    return builder_.row(*ts, std::move(v));
  };

  std::vector<SourceRecord> pending;
  int64_t pending_row = -1;
  auto flush = [&](bool last) {
    if (pending.empty()) return;
    BinlogPosition p = last ? position(tx_events_ + 1, 0) : position(tx_events_, pending_row + 1);
    OffsetMap off = to_offset(p);
    for (auto& r : pending) {
      r.source_offset = off;
      emit(std::move(r));
    }
    pending.clear();
    set_resume(p);
  };

  std::vector<Value> before_full, after_full;
  int64_t index = -1;
  while (rows_.next()) {
    ++index;
    if (index < skip_rows || skip_op) continue;
    flush(false);
    pending_row = index;
    SourceFields f;
    f.ts_ms = int64_t(ev.header.timestamp) * 1000;
    f.db = db;
    f.table = table;
    f.server_id = ev.header.server_id;
    if (use_gtids()) f.gtid = gtid_;
    f.file = file_;
    f.pos = event_start_;
    f.row = static_cast<int32_t>(index);
    f.thread = thread_;
    if (o_.include_query) f.query = query_;
    Value source = builder_.source(f);
    Value before, after, key, old_key;
    if (rows_.has_before()) { image(rows_.before(), before_full); before = project(before_full); }
    if (rows_.has_after()) { image(rows_.after(), after_full); after = project(after_full); }
    key = builder_.key(*ts, rows_.has_after() ? after_full : before_full);
    if (op == 'u' && ts->key) old_key = builder_.key(*ts, before_full);
    if (op == 'u' && ts->key && !(old_key == key)) {
      // Primary key change: delete (+ tombstone) under the old key, create under the new one.
      SourceRecord del = builder_.change(*ts, 'd', old_key, before, Value(), source, {}, tx_block(db + "." + table));
      del.headers.push_back({"__debezium.newkey", ts->key, key});
      SourceRecord tomb = builder_.tombstone(del);
      SourceRecord cre = builder_.change(*ts, 'c', key, Value(), after, source, {}, tx_block(db + "." + table));
      cre.headers.push_back({"__debezium.oldkey", ts->key, old_key});
      pending.push_back(std::move(del));
      if (o_.tombstones_on_delete) pending.push_back(std::move(tomb));
      pending.push_back(std::move(cre));
      continue;
    }
    SourceRecord r = builder_.change(*ts, op, key, before, after, source, {}, tx_block(db + "." + table));
    if (op == 'd' && o_.tombstones_on_delete && ts->key) {
      SourceRecord tomb = builder_.tombstone(r);
      pending.push_back(std::move(r));
      pending.push_back(std::move(tomb));
    } else {
      pending.push_back(std::move(r));
    }
  }
  if (!rows_.status().ok())
    throw StreamError("corrupt rows of " + db + "." + table + " at " + file_ + ":" + std::to_string(event_start_) +
                      ": " + rows_.status().message());
  flush(true);
}

}  // namespace sluice::mysql::cdc
