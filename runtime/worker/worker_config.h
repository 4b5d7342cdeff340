#pragma once
// The worker settings the runtime reads, under Connect's names. Everything else in the
// worker properties stays available in `raw` (converter sub-configs, client settings, ...).

#include <cstdint>
#include <map>
#include <string>

#include "runtime/common/error.h"

namespace sluice::worker {

using Props = std::map<std::string, std::string>;

struct WorkerConfig {
  Props raw;  // with config-provider references resolved
  std::string bootstrap_servers = "localhost:9092";
  std::string key_converter;
  std::string value_converter;
  std::string header_converter = "org.apache.kafka.connect.storage.SimpleHeaderConverter";
  int64_t offset_flush_interval_ms = 60000;
  int64_t offset_flush_timeout_ms = 5000;
  int64_t task_shutdown_graceful_timeout_ms = 5000;
  int64_t request_timeout_ms = 40000;
  std::string plugin_path;
  std::string offset_storage_file;  // standalone
  // Sluice's opt-in restart of FAILED tasks (Connect never restarts a failed task):
  //   sluice.task.auto.restart.enable            false
  //   sluice.task.auto.restart.backoff.initial.ms  1000: the wait before the first restart,
  //                                                doubled before each further one ...
  //   sluice.task.auto.restart.backoff.max.ms      300000: ... up to this
  //   sluice.task.auto.restart.max.attempts        10: restarts in a row before giving up
  //                                                (-1: never give up); a task that then runs
  //                                                for backoff.max.ms starts counting afresh
  bool task_auto_restart = false;
  int64_t task_auto_restart_backoff_initial_ms = 1000;
  int64_t task_auto_restart_backoff_max_ms = 300000;
  int64_t task_auto_restart_max_attempts = 10;

  static Result<WorkerConfig> parse(Props raw, bool standalone);
};

// The props under `prefix`, with the prefix removed ("key.converter." -> {"schemas.enable":...}).
Props with_prefix(const Props& p, const std::string& prefix);

}  // namespace sluice::worker
