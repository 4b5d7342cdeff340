// Streaming, the replication thread's side: START_REPLICATION on the slot with pgoutput
// protocol 1 (messages on), CopyData read asynchronously with a poll() timeout so keepalives
// and stop() are handled promptly, frames handed to the decoder (decode.cc) in blocks,
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
  if (!have_position_ && stored_) {
    position_ = *stored_;
    position_.snapshot = false;
    position_.last_snapshot_record = false;
    have_position_ = true;
    resume_ = *stored_;
    if (stored_->snapshot) resume_ = Position{};  // stream from the slot's consistent point
  }
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
      // The decoder handles what was received, then resets and reconnects its catalog
      // connection; streaming resumes after the last event it emitted.
      frames_.add(kRestart, 0);
      if (!frames_.publish(stopping_, nullptr) || !frames_.wait_barrier(stopping_)) return;
      for (int64_t w = 0; w < delay && !stopping_.load(); w += 100)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

void Engine::stream_once() {
  if (!repl_) repl_ = PgConnection::open(cfg_.conn, true);
  Lsn start = resume_.lsn_commit.value_or(0);
  std::string cmd = "START_REPLICATION SLOT " + repl_->quote_ident(cfg_.slot_name) + " LOGICAL " +
                    lsn_to_string(start) + " (\"proto_version\" '1', \"publication_names\" " +
                    repl_->quote_literal(repl_->quote_ident(cfg_.publication_name)) +
                    (repl_->server_version() >= 140000 ? ", \"messages\" 'true'" : "") + ")";
  repl_->exec(cmd);
  plog::info(ctx_, "streaming from slot '", cfg_.slot_name, "' at ", lsn_to_string(start));
  PGconn* c = repl_->raw();
  last_status_ = last_heartbeat_ = Clock::now();
  Clock::time_point block_started{};  // when the open block got its first frame
  const size_t max_frames = static_cast<size_t>(cfg_.max_batch_size);
  while (!stopping_.load()) {
    char* buf = nullptr;
    int n = PQgetCopyData(c, &buf, 1);
    if (n > 0) {
      bool was_empty = frames_.open_frames() == 0;
      try {
        read_frame(std::string_view(buf, static_cast<size_t>(n)));
      } catch (...) {
        PQfreemem(buf);
        throw;
      }
      PQfreemem(buf);
      if (was_empty) block_started = Clock::now();
      if ((frames_.open_frames() >= max_frames || frames_.open_bytes() >= (1u << 20)) && !publish_frames())
        return;
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
    // Nothing buffered. A partial block waits up to 2 ms for more (fewer, fuller hand-overs
    // and thread wake-ups under load), 20 ms at most in all; then answer the server and wait
    // for the socket.
    if (frames_.open_frames()) {
      pollfd more{PQsocket(c), POLLIN, 0};
      if (Clock::now() - block_started < std::chrono::milliseconds(20) && ::poll(&more, 1, 2) > 0) {
        if (PQconsumeInput(c) == 0) throw PgError("replication connection lost: " + repl_->error_message());
        continue;
      }
    }
    if (cfg_.heartbeat_interval_ms > 0 &&
        Clock::now() - last_heartbeat_ >= std::chrono::milliseconds(cfg_.heartbeat_interval_ms)) {
      last_heartbeat_ = Clock::now();
      frames_.add(kHeartbeat, 0);
    }
    if (!publish_frames()) return;
    auto status_every = std::chrono::milliseconds(cfg_.status_update_interval_ms);
    if (Clock::now() - last_status_ >= status_every || committed_lsn_.load() > sent_flush_lsn_)
      send_status(false);
    pollfd pfd{PQsocket(c), POLLIN, 0};
    ::poll(&pfd, 1, 100);
    if (PQconsumeInput(c) == 0) throw PgError("replication connection lost: " + repl_->error_message());
  }
}

// Keepalives are answered here; XLogData goes to the decoder as it came.
void Engine::read_frame(std::string_view frame) {
  auto parsed = parse_copy_data(frame);
  if (!parsed) throw PgError("unreadable replication frame: " + parsed.message());
  if (auto* k = std::get_if<PrimaryKeepalive>(&parsed.value())) {
    received_lsn_ = std::max(received_lsn_, k->wal_end);
    if (k->reply_requested) send_status(false);
    frames_.add(kKeepalive, k->wal_end);
    return;
  }
  auto& x = std::get<XLogData>(parsed.value());
  received_any_ = true;
  received_lsn_ = std::max(received_lsn_, x.wal_start);
  frames_.add(kXLogData, x.wal_start, x.payload);
}

// While the decoder is behind, the connection keeps answering the server.
bool Engine::publish_frames() {
  return frames_.publish(stopping_, [this] {
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

}  // namespace sluice::postgres
