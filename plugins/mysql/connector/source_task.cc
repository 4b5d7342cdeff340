#include "plugins/mysql/connector/source_task.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "plugins/mysql/connector/snapshot.h"

namespace sluice::mysql::cdc {

using namespace sluice::api;
using sluice::api::FrameQueue;

namespace {

bool retriable(unsigned code) {
  // Lost connection, server gone, cannot connect, server shutting down.
  return code == 2013 || code == 2006 || code == 2002 || code == 2003 || code == 2055 || code == 1053 ||
         code == 1927;
}

std::string variable(const std::vector<Row>& rows, const std::string& name) {
  for (auto& r : rows)
    if (r.size() >= 2 && r[0] && *r[0] == name) return r[1].value_or("");
  return "";
}

}  // namespace

void check_prerequisites(DbClient& db, const Options& o) {
  auto vars = db.query("SHOW GLOBAL VARIABLES WHERE Variable_name IN "
                       "('log_bin','binlog_format','binlog_row_image','binlog_row_value_options')");
  if (variable(vars, "log_bin") != "ON")
    throw std::runtime_error("binary logging is off on " + o.host + ":" + std::to_string(o.port) +
                             ": start the server with log_bin (log-bin=mysql-bin in my.cnf), "
                             "binlog_format=ROW and binlog_row_image=FULL");
  std::string fmt = variable(vars, "binlog_format");
  if (fmt != "ROW")
    throw std::runtime_error("binlog_format is " + fmt + ", the connector needs ROW: run "
                             "SET GLOBAL binlog_format=ROW and set binlog_format=ROW in my.cnf");
  std::string image = variable(vars, "binlog_row_image");
  if (image != "FULL")
    throw std::runtime_error("binlog_row_image is " + image + ", the connector needs FULL: run "
                             "SET GLOBAL binlog_row_image=FULL and set binlog_row_image=FULL in my.cnf");
  if (variable(vars, "binlog_row_value_options").find("PARTIAL_JSON") != std::string::npos)
    throw std::runtime_error("binlog_row_value_options=PARTIAL_JSON writes JSON diffs the connector cannot "
                             "read: run SET GLOBAL binlog_row_value_options=''");
  try {
    current_binlog_position(db);
  } catch (const DbError& e) {
    if (e.code() == 1227 || e.code() == 1045)
      throw std::runtime_error("user " + o.user + " cannot read the binlog position (" + e.what() +
                               "): GRANT REPLICATION CLIENT ON *.* TO '" + o.user +
                               "' (MariaDB 10.5+: GRANT BINLOG MONITOR ON *.* TO '" + o.user + "')");
    throw;
  }
}

MySqlSourceTask::~MySqlSourceTask() {
  stop();
  // Joined here, not in stop(): the worker may call stop() from two threads at once.
  if (thread_.joinable()) thread_.join();
}

void MySqlSourceTask::start(const Config& config) {
  std::vector<std::string> warnings;
  auto it = config.find(kFlavorKey);
  o_ = parse_options(config, it == config.end() ? "mysql" : it->second, warnings);
  for (auto& w : warnings) log_line("WARN", w);
  filters_ = std::make_unique<Filters>(o_);
  builder_ = std::make_unique<RecordBuilder>(o_);
  tracker_ = std::make_unique<SchemaTracker>(*builder_->partition());
  cache_ = std::make_unique<SchemaCache>(*filters_, *builder_, *tracker_);
  queue_ = std::make_unique<ChangeQueue>(static_cast<size_t>(o_.max_queue_size));
  // Frames are binlog events, most holding many rows (up to binlog_row_event_max_size, 8 KB by
  // default): an eighth of max.queue.size of them keeps the memory near the record queue's.
  frames_ = std::make_unique<FrameQueue>(std::max<size_t>(64, static_cast<size_t>(o_.max_queue_size) / 8));
  streamer_ = std::make_unique<Streamer>(o_, *filters_, *builder_, *tracker_, *cache_);
  // The snapshot's rows: one frame each, at most max.queue.size waiting.
  snap_rows_ = std::make_unique<FrameQueue>(std::max<size_t>(256, static_cast<size_t>(o_.max_queue_size)));
  snap_ = std::make_unique<Snapshotter>(o_, *filters_, *builder_, *tracker_, *cache_, *queue_, *snap_rows_, stopping_);
  meta_ = std::make_unique<DbClient>();
  offset_ = stored_offset();
  if (context_) {
    std::unique_ptr<DurableLog> history;
    sluice::api::Status st = context_->open_durable_log(history_spec(config), history);
    if (!st.is_ok()) throw std::runtime_error("cannot open the schema history: " + st.message());
    tracker_->set_history(std::move(history));
  }
  if (offset_ && !offset_->snapshot) {
    bool recovered = o_.snapshot_mode != SnapshotMode::kRecovery && tracker_->recover(to_offset(*offset_));
    if (!recovered)
      log_line("WARN", std::string(o_.snapshot_mode == SnapshotMode::kRecovery ? "snapshot.mode=recovery"
                                                                               : "the schema history is empty") +
                           ": table schemas are read from the server (SHOW CREATE TABLE) as tables are met; "
                           "this is right only if no DDL ran since the stored offset");
  }
  {
    DbClient db;
    db.connect(o_);
    check_prerequisites(db, o_);
    // MySQL GTID positioning: the stored set decides (the server picks the file), as in Debezium.
    bool by_gtid = offset_ && !offset_->snapshot && !offset_->gtids.empty() && o_.flavor != "mariadb" &&
                   mysql_gtid_mode_on(db);
    if (by_gtid) {
      try {
        Streamer::mysql_start_set(offset_->gtids, db.scalar("SELECT @@global.gtid_purged").value_or(""));
      } catch (const StreamError& e) {
        if (o_.snapshot_mode != SnapshotMode::kWhenNeeded) throw std::runtime_error(e.what());
        log_line("WARN", std::string(e.what()) + "; re-snapshotting (when_needed)");
        offset_.reset();
      }
    } else if (offset_ && !offset_->snapshot) {
      bool present = false;
      for (auto& r : db.query("SHOW BINARY LOGS"))
        if (r[0] && *r[0] == offset_->file) present = true;
      if (!present) {
        if (o_.snapshot_mode == SnapshotMode::kWhenNeeded) {
          log_line("WARN", "binlog " + offset_->file + " of the stored offset is gone; re-snapshotting (when_needed)");
          offset_.reset();
        } else {
          throw std::runtime_error(
              "the stored offset's binlog position " + offset_->file + ":" + std::to_string(offset_->pos) +
              " is no longer on the server (the binlog was purged). Set snapshot.mode=when_needed to take a "
              "new snapshot, or remove the connector's offsets, to continue");
        }
      }
    }
  }
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

std::optional<BinlogPosition> MySqlSourceTask::stored_offset() {
  if (!context_) return std::nullopt;
  auto off = context_->offset_storage_reader().offset(*builder_->partition());
  if (!off) return std::nullopt;
  auto p = from_offset(*off);
  if (!p) throw std::runtime_error("the stored offset of server " + o_.topic_prefix + " has no binlog \"file\"");
  return p;
}

void MySqlSourceTask::run() {
  try {
    bool snapshot_needed = !offset_ || offset_->snapshot || o_.snapshot_mode == SnapshotMode::kAlways;
    BinlogPosition from;
    if (snapshot_needed) {
      bool data = o_.snapshot_mode == SnapshotMode::kInitial || o_.snapshot_mode == SnapshotMode::kInitialOnly ||
                  o_.snapshot_mode == SnapshotMode::kWhenNeeded || o_.snapshot_mode == SnapshotMode::kAlways;
      if (o_.snapshot_mode == SnapshotMode::kNever && !offset_) {
        DbClient db;
        db.connect(o_);
        auto logs = db.query("SHOW BINARY LOGS");
        if (logs.empty() || !logs[0][0]) throw std::runtime_error("the server lists no binary logs");
        from.file = *logs[0][0];
        from.pos = 4;
      } else {
        from = snap_->run(data);
      }
      if (o_.snapshot_mode == SnapshotMode::kInitialOnly) {
        log_line("INFO", "snapshot.mode=initial_only: snapshot complete, not streaming");
        return;
      }
    } else {
      from = *offset_;
    }
    stream_forever(from);
  } catch (const std::exception& e) {
    if (!stopping_.load()) {
      log_line("ERROR", e.what());
      // The events read before the failure are handled first.
      publish_frames();
      queue_->fail(e.what());
      frames_->wake();
      snap_rows_->wake();
    }
  }
}

void MySqlSourceTask::stream_forever(BinlogPosition from) {
  // Every snapshot record is in the queue: poll() drains it, then decodes frames.
  streaming_.store(true);
  int attempt = 0;
  while (!stopping_.load()) {
    DbClient binlog;
    // stop() and poll() may interrupt this connection only while it exists.
    struct Published {
      MySqlSourceTask* t;
      ~Published() {
        std::lock_guard lock(t->client_m_);
        t->binlog_ = nullptr;
      }
    } published{this};
    auto started = std::chrono::steady_clock::now();
    try {
      binlog.connect(o_, o_.read_timeout_s);
      {
        std::lock_guard lock(client_m_);
        binlog_ = &binlog;
      }
      if (stopping_.load()) break;
      // poll() asked for a reconnect while there was no connection to interrupt.
      if (restart_requested_.load()) throw DbError(2013, "reconnecting for the decoder's connection");
      log_line("INFO", "streaming from " + from.file + ":" + std::to_string(from.pos) +
                           (!from.gtids.empty() ? " by GTIDs " + from.gtids : "") +
                           (from.event || from.row ? " (skipping " + std::to_string(from.event) + " events, " +
                                                         std::to_string(from.row) + " rows)" : ""));
      Streamer::Start st = streamer_->start_dump(binlog, from);
      {
        std::lock_guard lock(start_m_);
        start_ = st;
      }
      frames_->add(kStart, 0);
      if (!read_dump(binlog)) break;
      // The end of a non-blocking dump: continue from where poll() is.
      frames_->add(kRestart, 0);
      if (!publish_frames() || !frames_->wait_barrier(stopping_)) break;
      restart_requested_.store(false);
      BinlogPosition at = streamer_->resume_position();
      if (!at.file.empty()) from = at;
    } catch (const DbError& e) {
      if (stopping_.load()) break;
      // poll() handles every event read before the failure, then resume_position() is where
      // the next connection continues.
      frames_->add(kRestart, e.code());
      if (!publish_frames() || !frames_->wait_barrier(stopping_)) break;
      bool requested = restart_requested_.exchange(false);
      BinlogPosition at = streamer_->resume_position();
      if (at.file.empty()) at = from;
      if (std::chrono::steady_clock::now() - started > std::chrono::minutes(1)) attempt = 0;  // it had recovered
      if ((!requested && !retriable(e.code())) || ++attempt > 30) throw std::runtime_error(explain(e, at));
      int wait_ms = std::min(10000, 250 << std::min(attempt, 6));
      log_line("WARN", std::string(requested ? "the decoder's connection was lost (" : "binlog connection lost (") +
                           e.what() + "); reconnecting in " + std::to_string(wait_ms) + " ms from " + at.file + ":" +
                           std::to_string(at.pos));
      for (int i = 0; i < wait_ms / 50 && !stopping_.load(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      from = at;
      continue;
    }
    attempt = 0;
  }
}

namespace {

// Events after which the server may pause: the open block is handed over then. Within a
// transaction (GTID, TABLE_MAP, rows, the rows' query) the next events follow at once.
bool ends_a_burst(uint8_t type) {
  namespace et = sluice::mysql::event_type;
  switch (type) {
    case et::kTableMap:
    case et::kWriteRowsV0: case et::kUpdateRowsV0: case et::kDeleteRowsV0:
    case et::kWriteRowsV1: case et::kUpdateRowsV1: case et::kDeleteRowsV1:
    case et::kWriteRowsV2: case et::kUpdateRowsV2: case et::kDeleteRowsV2:
    case et::kPartialUpdateRows:
    case et::kRowsQuery:
    case et::kGtid: case et::kAnonymousGtid: case et::kGtidTagged:
    case et::kMariaAnnotateRows:
    case et::kMariaGtid:
    case et::kMariaWriteRowsCompressedV1: case et::kMariaUpdateRowsCompressedV1:
    case et::kMariaDeleteRowsCompressedV1:
    case et::kMariaWriteRowsCompressed: case et::kMariaUpdateRowsCompressed: case et::kMariaDeleteRowsCompressed:
      return false;
    default:
      return true;
  }
}

constexpr size_t kBlockFrames = 512;
constexpr size_t kBlockBytes = 1 << 20;

}  // namespace

bool MySqlSourceTask::read_dump(DbClient& binlog) {
  while (!stopping_.load()) {
    std::string_view pkt = binlog.read_packet();
    if (pkt.empty()) continue;
    auto first = static_cast<uint8_t>(pkt[0]);
    if (first == 0xFE && pkt.size() < 9) return publish_frames();  // end of the binlog (non-blocking dumps only)
    if (first != 0x00) throw StreamError("unexpected binlog packet type " + std::to_string(first));
    frames_->add(kEvent, 0, pkt.substr(1));
    // The common header's type byte (offset 4 of the event).
    uint8_t type = pkt.size() > 5 ? static_cast<uint8_t>(pkt[5]) : 0;
    if ((ends_a_burst(type) || frames_->open_frames() >= kBlockFrames || frames_->open_bytes() >= kBlockBytes) &&
        !publish_frames())
      return false;
  }
  return false;
}

void MySqlSourceTask::decode_snapshot(std::vector<SourceRecord>& out, size_t max, std::chrono::milliseconds wait) {
  FrameQueue::Frame f;
  while (out.size() < max && !failure_ && !stopping_.load()) {
    if (!snap_rows_->next(f, wait)) return;
    wait = std::chrono::milliseconds(0);
    try {
      out.push_back(snap_->build(f));
    } catch (const std::exception& e) {
      failure_ = e.what();
      log_line("ERROR", *failure_);
    }
  }
}

bool MySqlSourceTask::publish_frames() { return frames_ && frames_->publish(stopping_, nullptr); }

void MySqlSourceTask::decode(std::vector<SourceRecord>& out, size_t max, std::chrono::milliseconds wait) {
  const size_t before = out.size();
  auto deadline = std::chrono::steady_clock::now() + wait;
  FrameQueue::Frame f;
  while (out.size() < max && !failure_) {
    // Waits in slices, so that stop() is answered promptly.
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (out.size() != before || stopping_.load()) left = std::chrono::milliseconds(0);
    if (!frames_->next(f, std::clamp(left, std::chrono::milliseconds(0), std::chrono::milliseconds(50)))) {
      if (left <= std::chrono::milliseconds(50)) break;
      continue;
    }
    try {
      decode_frame(f, out);
    } catch (const DbError& e) {
      if (stopping_.load()) break;
      if (!retriable(e.code())) {
        failure_ = explain(e, streamer_->resume_position());
      } else {
        // The meta connection was lost: the dump reconnects from the last emitted event, as
        // when the dump connection is lost; the frames up to then are dropped.
        log_line("WARN", std::string("schema connection lost (") + e.what() +
                             "); the binlog stream reconnects from the last emitted event");
        discarding_ = true;
        restart_requested_.store(true);
        meta_->close();
        std::lock_guard lock(client_m_);
        if (binlog_) binlog_->interrupt();
      }
    } catch (const std::exception& e) {
      failure_ = e.what();
    }
    if (failure_) {
      log_line("ERROR", *failure_);
      break;
    }
  }
}

void MySqlSourceTask::decode_frame(const FrameQueue::Frame& f, std::vector<SourceRecord>& out) {
  switch (f.tag) {
    case kStart: {
      Streamer::Start st;
      {
        std::lock_guard lock(start_m_);
        st = *start_;
      }
      if (discarding_) return;
      if (!meta_->connected()) meta_->connect(o_);
      streamer_->begin(*meta_, st);
      return;
    }
    case kEvent:
      if (!discarding_) streamer_->handle_packet(f.bytes, out);
      return;
    case kRestart:
      // Everything read before the loss is handled: the reader reconnects from here.
      discarding_ = false;
      if (meta_->connected() && f.position != 2013) meta_->close();  // reconnected with the next dump
      frames_->barrier_passed();
      return;
  }
}

std::string MySqlSourceTask::explain(const DbError& e, const BinlogPosition& at) const {
  std::string msg = e.what();
  std::string where = at.file + ":" + std::to_string(at.pos);
  if (e.code() == 4052 || msg.find("same server") != std::string::npos ||
      msg.find("same server_uuid/server_id") != std::string::npos)
    return "another replica uses server id " + std::to_string(o_.server_id) + " (" + msg +
           "): set database.server.id to a value unique among the server's replicas";
  if (e.code() == 1236 && (msg.find("first log file") != std::string::npos || msg.find("purged") != std::string::npos))
    return "the binlog position " + where + " is no longer on the server (purged) (" + msg +
           "). Set snapshot.mode=when_needed to take a new snapshot, or remove the connector's offsets, to continue";
  if (e.code() == 1227 || e.code() == 1045)
    return "user " + o_.user + " may not read the binlog (" + msg + "): GRANT REPLICATION SLAVE ON *.* TO '" +
           o_.user + "'";
  return "binlog streaming failed at " + where + ": " + msg;
}

void MySqlSourceTask::poll(std::vector<SourceRecord>& out) {
  if (failure_) throw std::runtime_error(*failure_);
  if (!queue_) return;
  const auto max = static_cast<size_t>(o_.max_batch_size);
  const auto wait = std::chrono::milliseconds(std::min(o_.poll_interval_ms, 1000));
  const size_t before = out.size();
  if (!streaming_.load()) {
    // The snapshot: its schema changes (queue_), then its rows (snap_rows_).
    auto deadline = std::chrono::steady_clock::now() + wait;
    std::optional<std::string> failure;
    do {
      failure = queue_->drain(out, max, std::chrono::milliseconds(0));
      if (out.size() != before) return;
      decode_snapshot(out, max, failure || stopping_.load() ? std::chrono::milliseconds(0)
                                                            : std::chrono::milliseconds(50));
      if (out.size() != before) return;  // a build failure comes with the next poll
      if (failure_) throw std::runtime_error(*failure_);
      if (failure) throw std::runtime_error(*failure);
    } while (!streaming_.load() && !stopping_.load() && std::chrono::steady_clock::now() < deadline);
    if (!streaming_.load()) return;
  }
  // The snapshot's last records first; a reader failure once every frame before it is decoded.
  auto failure = queue_->drain(out, max, std::chrono::milliseconds(0));
  if (out.size() != before) return;
  if (!snapshot_drained_) {
    // Every row frame was published before streaming began: none come after these.
    decode_snapshot(out, max, std::chrono::milliseconds(0));
    if (out.size() != before) return;
    if (failure_) throw std::runtime_error(*failure_);
    snapshot_drained_ = true;
  }
  decode(out, max, failure ? std::chrono::milliseconds(0) : wait);
  if (out.size() != before) return;  // a decoder failure comes with the next poll
  if (failure_) throw std::runtime_error(*failure_);
  if (failure) throw std::runtime_error(*failure);
}

void MySqlSourceTask::stop() {
  stopping_ = true;
  if (queue_) queue_->close();
  if (frames_) frames_->wake();
  if (snap_rows_) snap_rows_->wake();
  {
    std::lock_guard lock(client_m_);
    if (binlog_) binlog_->interrupt();
  }
}

}  // namespace sluice::mysql::cdc
