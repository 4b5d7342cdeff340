#pragma once
// Binlog streaming: COM_BINLOG_DUMP from a position, every event through the decoder, row
// changes to Debezium records. Restart positions follow Debezium: `pos` is the current
// transaction's first event, `event`/`row` what of it was already emitted, so a resume
// (restart, reconnect) skips exactly that.
//
// Two threads: the task's reader thread only sends the dump (start_dump) and copies the
// event packets to a FrameQueue (source_task.cc); poll()'s thread decodes them here (begin,
// handle_packet): decoder, schema tracking, schema history, the meta connection and the
// records all live on poll()'s thread, so records are allocated and freed on one thread
// (plugins/api/frame_queue.h says why). resume_position() may be read from any thread.

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/mysql/binlog/events.h"
#include "plugins/mysql/binlog/rows.h"
#include "plugins/mysql/connector/capture.h"
#include "plugins/mysql/connector/gtid_set.h"
#include "plugins/mysql/connector/schema_change.h"

namespace sluice::mysql::cdc {

// A binlog failure with what the user should do about it.
class StreamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Streamer {
 public:
  Streamer(const Options& o, const Filters& f, const RecordBuilder& b, SchemaTracker& tracker, SchemaCache& cache)
      : o_(o), filters_(f), builder_(b), tracker_(tracker), cache_(cache),
        schema_changes_(o.topic_prefix, b.source_schema()) {}

  // What the decoder needs to know about a dump the reader started.
  struct Start {
    BinlogPosition from;
    bool mysql_gtids = false;
    sluice::mysql::ChecksumAlg checksum = sluice::mysql::ChecksumAlg::kOff;
  };
  // Reader thread: asks the server for the binlog from `from` on `binlog` (throws DbError /
  // StreamError). Touches no decoder state.
  Start start_dump(DbClient& binlog, const BinlogPosition& from) const;

  // poll()'s thread: a new dump begins (its packets follow); `meta` is the connection for
  // schemas and heartbeat.action.query, used on this thread only.
  void begin(DbClient& meta, const Start& start);
  // poll()'s thread: one binlog event (a dump packet without its 0x00 byte) decoded and
  // handled; its records are appended to `out`. Throws StreamError, or DbError from `meta`.
  void handle_packet(std::string_view event, std::vector<sluice::api::SourceRecord>& out);
  // The GTID set a MySQL dump starts from: the stored one plus, as Debezium does, the server's
  // purged GTIDs of server uuids the stored set does not know. Throws StreamError when the
  // server purged transactions of the stored set's uuids that the set does not hold.
  static GtidSet mysql_start_set(const std::string& stored, const std::string& purged);
  // Where a new connection would continue without loss or duplicates.
  BinlogPosition resume_position() const {
    std::lock_guard lock(m_);
    return resume_;
  }

 private:
  void handle(const sluice::mysql::Event& ev);
  void begin_tx(uint64_t start);
  void end_tx(uint64_t next);
  void handle_ddl(const sluice::mysql::QueryEvent& q);
  void handle_rows(const sluice::mysql::Event& ev, const sluice::mysql::RowsEvent& rows);
  void emit(sluice::api::SourceRecord&& r);
  void maybe_heartbeat();
  void set_resume(const BinlogPosition& p) {
    std::lock_guard lock(m_);
    resume_ = p;
  }
  BinlogPosition position(int64_t event, int64_t row) const;

  const Options& o_;
  const Filters& filters_;
  const RecordBuilder& builder_;
  SchemaTracker& tracker_;
  SchemaCache& cache_;
  SchemaChangeBuilder schema_changes_;
  DbClient* meta_ = nullptr;
  std::vector<sluice::api::SourceRecord>* out_ = nullptr;  // during handle_packet

  sluice::mysql::EventParser parser_;
  sluice::mysql::Event event_;
  sluice::mysql::RowIterator rows_;
  std::string file_;
  uint64_t event_start_ = 0, next_pos_ = 0;
  uint32_t server_id_ = 0;
  int64_t ts_sec_ = 0;
  bool in_tx_ = false, standalone_ = false;
  uint64_t tx_start_ = 0;
  int64_t tx_events_ = 0;
  std::optional<int64_t> thread_;
  std::optional<std::string> gtid_, query_;
  // MariaDB GTID positioning (the MariaDbConnector class): the last committed GTID per domain.
  std::map<uint32_t, std::string> gtid_state_;
  uint32_t gtid_domain_ = 0;
  // MySQL GTID positioning (gtid_mode=ON on the server): the executed set, as Debezium stores it.
  bool mysql_gtids_ = false;
  GtidSet mysql_set_;
  std::string mysql_gtid_uuid_;
  int64_t mysql_gtid_gno_ = 0;
  bool use_gtids() const { return o_.flavor == "mariadb" || mysql_gtids_; }
  // TRANSACTION_PAYLOAD: inner events are handled at the payload's position.
  void handle_payload(const sluice::mysql::TransactionPayloadEvent& tp);
  bool in_payload_ = false;
  std::string gtid_set() const;
  // Resume skipping, for the first transaction after (re)connecting.
  bool armed_ = false;
  // provide.transaction.metadata
  bool tx_begun_ = false;
  int64_t tx_total_ = 0;
  std::vector<std::pair<std::string, int64_t>> tx_collections_;
  sluice::api::Value tx_block(const std::string& collection);
  std::string tx_id() const;
  int64_t last_heartbeat_ms_ = 0;
  int64_t skip_events_ = 0, skip_rows_ = 0;

  mutable std::mutex m_;
  BinlogPosition resume_;
};

}  // namespace sluice::mysql::cdc
