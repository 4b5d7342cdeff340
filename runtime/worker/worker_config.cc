#include "runtime/worker/worker_config.h"

#include "plugins/api/config_def.h"

namespace sluice::worker {

Props with_prefix(const Props& p, const std::string& prefix) {
  Props out;
  for (auto it = p.lower_bound(prefix); it != p.end() && it->first.starts_with(prefix); ++it)
    out.emplace(it->first.substr(prefix.size()), it->second);
  return out;
}

Result<WorkerConfig> WorkerConfig::parse(Props raw, bool standalone) {
  WorkerConfig c;
  auto required = [&](const char* key, std::string& out) -> Status {
    auto it = raw.find(key);
    if (it == raw.end() || it->second.empty())
      return Error::fatal(std::string("Missing required configuration \"") + key +
                          "\" which has no default value; add it to the worker properties",
                          Stage::Config);
    out = it->second;
    return {};
  };
  if (auto st = required("key.converter", c.key_converter); !st) return st.error();
  if (auto st = required("value.converter", c.value_converter); !st) return st.error();
  if (standalone)
    if (auto st = required("offset.storage.file.filename", c.offset_storage_file); !st) return st.error();
  try {
    using namespace api::config_value;
    c.bootstrap_servers = get_string(raw, "bootstrap.servers", c.bootstrap_servers);
    c.header_converter = get_string(raw, "header.converter", c.header_converter);
    c.offset_flush_interval_ms = get_long(raw, "offset.flush.interval.ms", c.offset_flush_interval_ms);
    c.offset_flush_timeout_ms = get_long(raw, "offset.flush.timeout.ms", c.offset_flush_timeout_ms);
    c.task_shutdown_graceful_timeout_ms =
        get_long(raw, "task.shutdown.graceful.timeout.ms", c.task_shutdown_graceful_timeout_ms);
    c.request_timeout_ms = get_long(raw, "request.timeout.ms", c.request_timeout_ms);
    c.plugin_path = get_string(raw, "plugin.path", "");
    c.task_auto_restart = get_bool(raw, "sluice.task.auto.restart.enable", c.task_auto_restart);
    c.task_auto_restart_backoff_initial_ms =
        get_long(raw, "sluice.task.auto.restart.backoff.initial.ms", c.task_auto_restart_backoff_initial_ms);
    c.task_auto_restart_backoff_max_ms =
        get_long(raw, "sluice.task.auto.restart.backoff.max.ms", c.task_auto_restart_backoff_max_ms);
    c.task_auto_restart_max_attempts =
        get_long(raw, "sluice.task.auto.restart.max.attempts", c.task_auto_restart_max_attempts);
  } catch (const std::exception& e) {
    return Error::fatal(e.what(), Stage::Config);
  }
  if (c.offset_flush_interval_ms <= 0)
    return Error::fatal("offset.flush.interval.ms must be positive", Stage::Config);
  if (c.task_auto_restart_backoff_initial_ms < 0 ||
      c.task_auto_restart_backoff_max_ms < c.task_auto_restart_backoff_initial_ms)
    return Error::fatal("sluice.task.auto.restart.backoff.initial.ms must be >= 0 and no more than "
                        "sluice.task.auto.restart.backoff.max.ms", Stage::Config);
  if (c.task_auto_restart_max_attempts < -1)
    return Error::fatal("sluice.task.auto.restart.max.attempts must be -1 (no limit) or more", Stage::Config);
  c.raw = std::move(raw);
  return c;
}

}  // namespace sluice::worker
