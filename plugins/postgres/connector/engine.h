#pragma once
// The task's replication thread: connects, checks the server's prerequisites, ensures the
// publication and the slot, snapshots when the snapshot mode says so, then streams pgoutput
// changes, handing records to the RecordQueue. The LSN it confirms to the server is only
// what commit() found durably stored (set_committed_offset).

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plugins/api/record.h"
#include "plugins/postgres/connector/config.h"
#include "plugins/postgres/connector/events.h"
#include "plugins/postgres/connector/filters.h"
#include "plugins/postgres/connector/pg_client.h"
#include "plugins/postgres/connector/record_queue.h"

namespace sluice::postgres {

class Engine {
 public:
  Engine(PgConfig config, std::optional<api::OffsetMap> stored, RecordQueue& queue);
  ~Engine();
  // Runs until stop() or a fatal error (which goes to the queue); never throws.
  void run();
  void stop() { stopping_.store(true); }
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
  // stream.cc
  void stream();
  void stream_once();
  void handle_frame(std::string_view frame, std::vector<api::SourceRecord>& out);
  void handle_message(Lsn lsn, std::string_view payload, std::vector<api::SourceRecord>& out);
  void on_relation(const struct RelationMsg& r);
  void send_status(bool reply_requested);
  void maybe_heartbeat(std::vector<api::SourceRecord>& out);
  bool flush(std::vector<api::SourceRecord>& batch);
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
  RecordQueue& queue_;
  Filters filters_;
  EventFactory events_;
  TypeCatalog catalog_;
  std::unique_ptr<PgConnection> meta_, repl_;
  std::map<uint32_t, std::optional<Table>> tables_;  // nullopt: not captured
  std::atomic<bool> stopping_{false};
  std::atomic<Lsn> committed_lsn_{0};
  Lsn sent_flush_lsn_ = 0;
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
