#pragma once
// The connector's one task: checks the server, then on its own reader thread snapshots (the
// snapshot's records go to the change queue that poll() drains) and/or streams the binlog:
// the reader thread reads the dump connection and hands the raw event packets to a FrameQueue;
// poll() decodes them into records (Streamer), so records are built, converted and freed on
// one thread (plugins/api/frame_queue.h says why).

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "plugins/api/connector.h"
#include "plugins/api/frame_queue.h"
#include "plugins/mysql/connector/capture.h"
#include "plugins/mysql/connector/snapshot.h"
#include "plugins/mysql/connector/streamer.h"

namespace sluice::mysql::cdc {

inline constexpr const char* kConnectorVersion = "2.7.3.Final";
inline constexpr const char* kFlavorKey = "sluice.mysql.flavor";

class MySqlSourceTask : public sluice::api::SourceTask {
 public:
  ~MySqlSourceTask() override;
  std::string version() const override { return kConnectorVersion; }
  void start(const sluice::api::Config& config) override;
  void poll(std::vector<sluice::api::SourceRecord>& out) override;
  void stop() override;

 private:
  void run();
  // Reader thread.
  void stream_forever(BinlogPosition from);
  // Copies event packets to frames_ until stopped (false) or the end of a non-blocking dump.
  bool read_dump(DbClient& binlog);
  bool publish_frames();
  // poll()'s thread: decodes frames into records.
  void decode(std::vector<sluice::api::SourceRecord>& out, size_t max, std::chrono::milliseconds wait);
  // The snapshot's row frames into records (poll()'s thread).
  void decode_snapshot(std::vector<sluice::api::SourceRecord>& out, size_t max, std::chrono::milliseconds wait);
  void decode_frame(const sluice::api::FrameQueue::Frame& f, std::vector<sluice::api::SourceRecord>& out);
  // What to do first: the stored offset, or none.
  std::optional<BinlogPosition> stored_offset();
  std::string explain(const DbError& e, const BinlogPosition& at) const;

  Options o_;
  std::unique_ptr<Filters> filters_;
  std::unique_ptr<RecordBuilder> builder_;
  std::unique_ptr<SchemaTracker> tracker_;
  std::unique_ptr<SchemaCache> cache_;
  std::unique_ptr<ChangeQueue> queue_;  // the snapshot's records, and the reader's failure
  // Streaming: what the reader thread hands to poll(), as FrameQueue tags.
  enum FrameTag : uint8_t {
    kEvent,    // a binlog event packet (without its 0x00 byte)
    kStart,    // a dump begins (start_ says from where); its events follow
    kRestart,  // the dump connection ended (position: the error code); a barrier
  };
  std::unique_ptr<sluice::api::FrameQueue> frames_;
  std::unique_ptr<sluice::api::FrameQueue> snap_rows_;  // the snapshot's rows (Snapshotter)
  std::unique_ptr<Snapshotter> snap_;                    // run(): the reader thread; build(): poll()'s
  std::unique_ptr<Streamer> streamer_;  // decoder state: poll()'s thread (resume_position: any)
  std::atomic<bool> streaming_{false};  // the snapshot is over; records come from decode()
  std::mutex start_m_;
  std::optional<Streamer::Start> start_;  // the reader's latest dump, for kStart
  // poll()'s thread only.
  std::unique_ptr<DbClient> meta_;       // schemas, heartbeat.action.query
  bool snapshot_drained_ = false;        // streaming: every snapshot row frame is decoded
  bool discarding_ = false;              // until the next kRestart (a reconnect it asked for)
  std::optional<std::string> failure_;   // poll() fails from now on
  // poll() lost its meta connection: the reader reconnects the dump from resume_position().
  std::atomic<bool> restart_requested_{false};
  std::optional<BinlogPosition> offset_;
  std::atomic<bool> stopping_{false};
  std::mutex client_m_;
  DbClient* binlog_ = nullptr;  // while streaming, for stop() to interrupt
  std::thread thread_;
};

// Checks binary logging, the row format and image, and that the binlog position is readable;
// throws std::runtime_error naming the setting or privilege and the SQL that fixes it.
void check_prerequisites(DbClient& db, const Options& o);

}  // namespace sluice::mysql::cdc
