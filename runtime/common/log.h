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

// Per-context levels (REST /admin/loggers): a context "a.b" logs at the level set for "a.b",
// else for "a", else at the global level.
void set_context_level(std::string_view context, Level level);

inline bool enabled(Level l) { return l >= level(); }
bool enabled(Level l, std::string_view context);

namespace detail {
template <class... A>
std::string concat(const A&... a) {
  std::ostringstream os;
  (os << ... << a);
  return os.str();
}
}  // namespace detail

template <class... A> void trace(std::string_view ctx, const A&... a) { if (enabled(Level::Trace, ctx)) write(Level::Trace, ctx, detail::concat(a...)); }
template <class... A> void debug(std::string_view ctx, const A&... a) { if (enabled(Level::Debug, ctx)) write(Level::Debug, ctx, detail::concat(a...)); }
template <class... A> void info(std::string_view ctx, const A&... a) { if (enabled(Level::Info, ctx)) write(Level::Info, ctx, detail::concat(a...)); }
template <class... A> void warn(std::string_view ctx, const A&... a) { if (enabled(Level::Warn, ctx)) write(Level::Warn, ctx, detail::concat(a...)); }
template <class... A> void error(std::string_view ctx, const A&... a) { if (enabled(Level::Error, ctx)) write(Level::Error, ctx, detail::concat(a...)); }

}  // namespace sluice::log
