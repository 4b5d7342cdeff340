#include "runtime/common/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>
#include <shared_mutex>

namespace sluice::log {
namespace {

Level initial_level() {
  Level l = Level::Info;
  if (const char* env = std::getenv("SLUICE_LOG_LEVEL")) parse_level(env, l);
  return l;
}

std::atomic<Level>& current() {
  static std::atomic<Level> lvl{initial_level()};
  return lvl;
}

const char* name(Level l) {
  switch (l) {
    case Level::Trace: return "TRACE";
    case Level::Debug: return "DEBUG";
    case Level::Info: return "INFO";
    case Level::Warn: return "WARN";
    case Level::Error: return "ERROR";
    case Level::Off: return "OFF";
  }
  return "?";
}

struct ContextLevels {
  std::atomic<bool> any{false};
  std::shared_mutex mu;
  std::map<std::string, Level, std::less<>> levels;
};

ContextLevels& context_levels() {
  static ContextLevels c;
  return c;
}

}  // namespace

void set_context_level(std::string_view ctx, Level l) {
  auto& c = context_levels();
  std::unique_lock lock(c.mu);
  c.levels.insert_or_assign(std::string(ctx), l);
  c.any.store(true);
}

bool enabled(Level l, std::string_view ctx) {
  auto& c = context_levels();
  if (!c.any.load(std::memory_order_relaxed)) return enabled(l);
  std::shared_lock lock(c.mu);
  for (std::string_view name = ctx;;) {  // "a.b.c", then "a.b", then "a"
    if (auto it = c.levels.find(name); it != c.levels.end()) return l >= it->second;
    size_t dot = name.rfind('.');
    if (dot == std::string_view::npos) break;
    name = name.substr(0, dot);
  }
  return enabled(l);
}

void set_level(Level l) { current().store(l); }
Level level() { return current().load(std::memory_order_relaxed); }

bool parse_level(std::string_view n, Level& out) {
  static constexpr std::pair<std::string_view, Level> kNames[] = {
      {"trace", Level::Trace}, {"debug", Level::Debug}, {"info", Level::Info},
      {"warn", Level::Warn},   {"error", Level::Error}, {"off", Level::Off}};
  for (auto& [k, v] : kNames) {
    if (n.size() != k.size()) continue;
    bool same = true;
    for (size_t i = 0; i < n.size(); ++i) same = same && (std::tolower(n[i]) == k[i]);
    if (same) { out = v; return true; }
  }
  return false;
}

void write(Level l, std::string_view ctx, std::string_view msg) {
  static std::mutex mu;
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char ts[32];
  std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  std::lock_guard lock(mu);
  std::fprintf(stderr, "%s.%03dZ %-5s [%.*s] %.*s\n", ts, ms, name(l), static_cast<int>(ctx.size()),
               ctx.data(), static_cast<int>(msg.size()), msg.data());
}

}  // namespace sluice::log
