#pragma once
// A small logger: one line per event on stderr, "<time> <LEVEL> [<context>] <message>".
// Thread-safe; the level comes from SLUICE_LOG_LEVEL or set_level().

#include <sstream>
#include <string>
#include <string_view>

namespace sluice::log {

enum class Level { Trace, Debug, Info, Warn, Error, Off };

void set_level(Level level);
Level level();
bool parse_level(std::string_view name, Level& out);
void write(Level level, std::string_view context, std::string_view message);

inline bool enabled(Level l) { return l >= level(); }

namespace detail {
template <class... A>
std::string concat(const A&... a) {
  std::ostringstream os;
  (os << ... << a);
  return os.str();
}
}  // namespace detail

template <class... A> void trace(std::string_view ctx, const A&... a) { if (enabled(Level::Trace)) write(Level::Trace, ctx, detail::concat(a...)); }
template <class... A> void debug(std::string_view ctx, const A&... a) { if (enabled(Level::Debug)) write(Level::Debug, ctx, detail::concat(a...)); }
template <class... A> void info(std::string_view ctx, const A&... a) { if (enabled(Level::Info)) write(Level::Info, ctx, detail::concat(a...)); }
template <class... A> void warn(std::string_view ctx, const A&... a) { if (enabled(Level::Warn)) write(Level::Warn, ctx, detail::concat(a...)); }
template <class... A> void error(std::string_view ctx, const A&... a) { if (enabled(Level::Error)) write(Level::Error, ctx, detail::concat(a...)); }

}  // namespace sluice::log
