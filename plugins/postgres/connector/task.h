#pragma once
// The SourceTask: a replication thread (Engine) hands snapshot rows and replication frames over,
// which poll() decodes into records; commit() reads the offset the runtime stored and lets the
// engine confirm its LSN.

#include <memory>
#include <thread>

#include "plugins/api/connector.h"
#include "plugins/postgres/connector/engine.h"

namespace sluice::postgres {

inline constexpr const char* kPluginVersion = "0.1.0";

class PostgresSourceTask : public api::SourceTask {
 public:
  ~PostgresSourceTask() override;
  std::string version() const override { return kPluginVersion; }
  void start(const api::Config& config) override;
  void poll(std::vector<api::SourceRecord>& out) override;
  void commit() override;
  void stop() override;

 private:
  PgConfig cfg_;
  std::shared_ptr<const api::OffsetMap> partition_;
  std::unique_ptr<Engine> engine_;
  std::thread thread_;
};

}  // namespace sluice::postgres
