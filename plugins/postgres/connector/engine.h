#pragma once
// The task's replication thread: connects, checks the server's prerequisites, ensures the
// publication and the slot, snapshots when the snapshot mode says so, then streams: it reads
// the replication connection and answers the server. Snapshot rows (as COPY sent them) and
// pgoutput messages go to the FrameQueue, in that order; poll() turns them into records
// (decode()), so records are built, converted and freed on the task's thread. A fatal error is
// kept for poll() to raise (error()).
// The LSN it confirms to the server is only what commit() found durably stored
// (set_committed_offset).

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "plugins/api/frame_queue.h"
#include "plugins/api/record.h"
#include "plugins/postgres/connector/config.h"
#include "plugins/postgres/connector/events.h"
#include "plugins/postgres/connector/filters.h"
#include "plugins/postgres/connector/pg_client.h"

namespace sluice::postgres {

class Engine {
 public:
  Engine(PgConfig config, std::optional<api::OffsetMap> stored);
  ~Engine();
  // Runs until stop() or a fatal error (kept for error()); never throws.
  void run();
  // The replication thread's fatal error, once it had one.
  std::optional<std::string> error() const {
    std::lock_guard lock(error_mu_);
    return error_;
  }
  void stop() {
    stopping_.store(true);
    frames_.wake();
  }
  // The task's thread: decodes waiting frames into records, up to about `max`, waiting up to
  // `wait` for the first.
  void decode(std::vector<api::SourceRecord>& out, size_t max, std::chrono::milliseconds wait);
  // commit(): the offset the runtime stored durably; its lsn_commit may be confirmed.
  void set_committed_offset(const api::OffsetMap& offset);

 private:
  struct SlotInfo {
    bool exists = false;
    std::string plugin, database;
    bool active = false;
  };
  struct SnapshotPlan {
    bool snapshot = false;
    bool export_slot = false;  // (re)create the slot and read inside its exported snapshot
    bool stream = true;
  };
  struct TxState {
    uint32_t xid = 0;
    int64_t commit_time_us = 0;
    bool skip = false;               // already emitted before a restart
    std::optional<Lsn> skip_until;   // events up to this LSN were emitted
    // provide.transaction.metadata: events counted so far (skipped ones too, so the orders
    // continue after a restart mid-transaction), per schema.table in first-seen order.
    int64_t total = 0;
    std::vector<std::pair<std::string, int64_t>> collections;
    bool reemitted = false;  // committed before a snapshot with the existing slot read the data
  };

  // setup.cc
  void connect_meta();
  void check_prerequisites(const SlotInfo& slot);
  void ensure_publication();
  SlotInfo read_slot();
  SnapshotPlan plan(const SlotInfo& slot);
  void drop_slot();
  // snapshot.cc
  std::string create_slot_exporting(Lsn& consistent_point);
  void snapshot(const std::string& exported, Lsn snapshot_lsn);
  // stream.cc: the replication thread's side
  void stream();
  void stream_once();
  void read_frame(std::string_view frame);
  void send_status(bool reply_requested);
  bool publish_frames();
  // decode.cc: the task thread's side
  void handle_message(Lsn lsn, std::string_view payload, std::vector<api::SourceRecord>& out);
  void on_relation(const struct RelationMsg& r);
  void heartbeat(std::vector<api::SourceRecord>& out);
  void restart_decoder();
  void snapshot_row(const api::FrameQueue::Frame& f, std::vector<api::SourceRecord>& out);
  [[noreturn]] void fail_stream_error(const PgError& e);
  const Table* table_for(uint32_t oid);
  SourceInfo source_for(const Table* t, Lsn lsn) const;
  Position position_for(Lsn lsn, const char* type) const;
  // The envelope's transaction block for the next event of `t` (null when disabled).
  api::Value tx_block(const Table& t);
  std::string tx_id() const { return std::to_string(tx_.xid); }
  // A snapshot with an existing slot: the changes streamed after it that it already read.
  void count_reemitted(const std::vector<api::SourceRecord>& out, size_t from);
  void report_reemitted();

  std::string ctx_;
  PgConfig cfg_;
  std::optional<Position> stored_;
  mutable std::mutex error_mu_;
  std::optional<std::string> error_;
  // What the replication thread hands to decode(), as FrameQueue tags.
  enum Frame : uint8_t {
    kXLogData,   // a pgoutput message at its LSN
    kKeepalive,  // the server's WAL end
    kHeartbeat,  // heartbeat.interval.ms elapsed on an idle stream
    kRestart,    // the stream reconnects: decode() resets (a barrier)
    kSnapshotRow,  // a snapshot row as COPY text at its table's index, + its marker below
  };
  enum SnapshotMarker : uint8_t { kFirst, kFirstInTable, kTrue, kLastInTable, kLast };
  // What decode() needs for the snapshot's rows; set before the readers start.
  struct SnapshotRows {
    std::vector<std::unique_ptr<Table>> tables;
    SourceInfo source;  // without marker, schema and table
    Position pos;
  };
  SnapshotRows snap_;
  std::vector<std::optional<std::string_view>> cells_;  // decode()'s reused buffers
  std::string scratch_;
  api::FrameQueue frames_;
  Filters filters_;
  EventFactory events_;
  TypeCatalog catalog_;
  std::unique_ptr<PgConnection> meta_, repl_;
  // While streaming, meta_ and everything below it up to tx_ belong to the decoder (the task's
  // thread); decode() holds meta_mu_, and the replication thread takes it for meta_ too.
  std::mutex meta_mu_;
  std::map<uint32_t, std::optional<Table>> tables_;  // nullopt: not captured
  std::atomic<bool> stopping_{false};
  std::atomic<Lsn> committed_lsn_{0};
  Lsn sent_flush_lsn_ = 0;  // replication thread
  Lsn received_lsn_ = 0;
  bool received_any_ = false;
  Position position_;  // after the last emitted event
  bool have_position_ = false;
  Position resume_;    // what was emitted before this connection (skip filter)
  TxState tx_;
  std::optional<Lsn> reemit_until_;  // the LSN of a snapshot taken with an existing slot
  int64_t reemitted_ = 0;
  std::chrono::steady_clock::time_point last_status_, last_heartbeat_;
};

}  // namespace sluice::postgres
