#pragma once
// The table behind /admin/loggers: Connect (log4j) level names per logger, with the time each
// was last set. The root logger is the global level of runtime/common/log; a named logger is
// a per-context level there (a context "a.b" follows "a.b", else "a", else the root).

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::rest {

class Loggers {
 public:
  struct LoggerLevel {
    std::string level;                    // OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE, ALL
    std::optional<int64_t> last_modified;  // ms since the epoch; nullopt: never set
  };

  // apply_to_runtime=false keeps the table only (fuzzing, tests).
  explicit Loggers(bool apply_to_runtime);

  // The upper-case log4j name for a level name in any case, or nullopt when it is none.
  static std::optional<std::string> normalize_level(std::string_view name);
  static bool is_root(std::string_view name);

  // "root" and every logger whose level was set, sorted by name.
  std::map<std::string, LoggerLevel> all() const;
  // nullopt when the logger is neither root nor set.
  std::optional<LoggerLevel> get(const std::string& name) const;
  // Sets the level (a normalized name) of the logger and of every known logger whose name
  // starts with it (root: all of them). Returns the names changed, sorted.
  std::vector<std::string> set(const std::string& name, const std::string& level);

 private:
  LoggerLevel root_locked() const;
  void apply(const std::string& name, const std::string& level) const;

  bool apply_;
  mutable std::mutex mu_;
  LoggerLevel root_;
  std::map<std::string, LoggerLevel> named_;
};

}  // namespace sluice::rest
