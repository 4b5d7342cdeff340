#pragma once
// Log lines from the plugin in the runtime's format ("<time> <LEVEL> [<context>] <message>" on
// stderr): plugins cannot use runtime/common/log.h.

#include <sstream>
#include <string>
#include <string_view>

namespace sluice::postgres::plog {

void write(const char* level, std::string_view context, std::string_view message);

template <class... A>
void info(std::string_view ctx, const A&... a) {
  std::ostringstream os;
  (os << ... << a);
  write("INFO", ctx, os.str());
}
template <class... A>
void warn(std::string_view ctx, const A&... a) {
  std::ostringstream os;
  (os << ... << a);
  write("WARN", ctx, os.str());
}
template <class... A>
void error(std::string_view ctx, const A&... a) {
  std::ostringstream os;
  (os << ... << a);
  write("ERROR", ctx, os.str());
}

}  // namespace sluice::postgres::plog
