#pragma once
// The connector's one task: checks the server, then on its own thread snapshots and/or
// streams the binlog into the change queue that poll() drains.

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "plugins/api/connector.h"
#include "plugins/mysql/connector/capture.h"
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
  void stream_forever(BinlogPosition from);
  // What to do first: the stored offset, or none.
  std::optional<BinlogPosition> stored_offset();
  std::string explain(const DbError& e, const BinlogPosition& at) const;

  Options o_;
  std::unique_ptr<Filters> filters_;
  std::unique_ptr<RecordBuilder> builder_;
  std::unique_ptr<SchemaTracker> tracker_;
  std::unique_ptr<SchemaCache> cache_;
  std::unique_ptr<ChangeQueue> queue_;
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
