#include "plugins/postgres/connector/plog.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace sluice::postgres::plog {

void write(const char* level, std::string_view ctx, std::string_view msg) {
  auto now = std::chrono::system_clock::now();
  auto t = std::chrono::system_clock::to_time_t(now);
  int ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char ts[32];
  std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  std::fprintf(stderr, "%s.%03dZ %-5s [%.*s] %.*s\n", ts, ms, level, static_cast<int>(ctx.size()),
               ctx.data(), static_cast<int>(msg.size()), msg.data());
}

}  // namespace sluice::postgres::plog
