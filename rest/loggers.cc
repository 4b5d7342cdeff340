#include "rest/loggers.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "runtime/common/log.h"

namespace sluice::rest {
namespace {

struct LevelName {
  const char* name;
  log::Level runtime;
};

// log4j's levels and what each means for runtime/common/log.
constexpr LevelName kLevels[] = {
    {"OFF", log::Level::Off},     {"FATAL", log::Level::Error}, {"ERROR", log::Level::Error},
    {"WARN", log::Level::Warn},   {"INFO", log::Level::Info},   {"DEBUG", log::Level::Debug},
    {"TRACE", log::Level::Trace}, {"ALL", log::Level::Trace}};

log::Level runtime_level(const std::string& name) {
  for (auto& l : kLevels)
    if (name == l.name) return l.runtime;
  return log::Level::Info;
}

const char* level_name(log::Level l) {
  switch (l) {
    case log::Level::Trace: return "TRACE";
    case log::Level::Debug: return "DEBUG";
    case log::Level::Info: return "INFO";
    case log::Level::Warn: return "WARN";
    case log::Level::Error: return "ERROR";
    case log::Level::Off: return "OFF";
  }
  return "INFO";
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Loggers::Loggers(bool apply_to_runtime) : apply_(apply_to_runtime) {
  root_.level = level_name(log::level());
}

std::optional<std::string> Loggers::normalize_level(std::string_view name) {
  std::string upper(name);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (auto& l : kLevels)
    if (upper == l.name) return upper;
  return std::nullopt;
}

bool Loggers::is_root(std::string_view name) {
  static constexpr std::string_view kRoot = "root";
  if (name.size() != kRoot.size()) return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(name[i])) != kRoot[i]) return false;
  return true;
}

Loggers::LoggerLevel Loggers::root_locked() const {
  LoggerLevel r = root_;
  // Someone else (SLUICE_LOG_LEVEL handling, the app) may have changed the global level.
  if (apply_ && runtime_level(r.level) != log::level()) r.level = level_name(log::level());
  return r;
}

std::map<std::string, Loggers::LoggerLevel> Loggers::all() const {
  std::lock_guard lock(mu_);
  std::map<std::string, LoggerLevel> out = named_;
  out["root"] = root_locked();
  return out;
}

std::optional<Loggers::LoggerLevel> Loggers::get(const std::string& name) const {
  std::lock_guard lock(mu_);
  if (is_root(name)) return root_locked();
  auto it = named_.find(name);
  if (it == named_.end()) return std::nullopt;
  return it->second;
}

void Loggers::apply(const std::string& name, const std::string& level) const {
  if (!apply_) return;
  if (name == "root")
    log::set_level(runtime_level(level));
  else
    log::set_context_level(name, runtime_level(level));
}

std::vector<std::string> Loggers::set(const std::string& name, const std::string& level) {
  std::lock_guard lock(mu_);
  LoggerLevel value{level, now_ms()};
  std::vector<std::string> changed;
  if (is_root(name)) {
    for (auto& [n, l] : named_) {
      l = value;
      apply(n, level);
      changed.push_back(n);
    }
    root_ = value;
    apply("root", level);
    changed.push_back("root");
  } else {
    named_[name];  // a logger set for the first time
    for (auto& [n, l] : named_) {
      if (n.compare(0, name.size(), name) != 0) continue;  // log4j: names starting with it
      l = value;
      apply(n, level);
      changed.push_back(n);
    }
  }
  std::sort(changed.begin(), changed.end());
  return changed;
}

}  // namespace sluice::rest
