#pragma once
// The REST server's settings, read from the worker properties with Connect's names
// (listeners, admin.listeners, rest.advertised.*, access.control.*, topic.tracking.*), plus
// a few knobs Connect does not expose (timeouts, pool sizes) that tests shorten.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/common/error.h"

namespace sluice::rest {

// One `scheme://host:port` entry of `listeners` / `admin.listeners`.
struct Listener {
  std::string scheme;  // "http" (https is refused for now)
  std::string host;    // empty: all interfaces (0.0.0.0)
  uint16_t port = 0;   // 0: an ephemeral port
  std::string text;    // as written, for messages

  // Parses "http://host:port", "http://:8083", "http://[::1]:0".
  static Result<Listener> parse(const std::string& text);
};

struct RestConfig {
  std::vector<Listener> listeners;  // at least one
  // nullopt: the /admin endpoints are served on `listeners`; empty: /admin is disabled (404);
  // otherwise /admin is served on these listeners only (and nowhere else).
  std::optional<std::vector<Listener>> admin_listeners;

  std::string advertised_host;            // rest.advertised.host.name
  std::optional<uint16_t> advertised_port;  // rest.advertised.port
  std::string advertised_listener;        // rest.advertised.listener: "http" or "https"

  std::string cors_allow_origin;   // access.control.allow.origin (empty: no CORS headers)
  std::string cors_allow_methods;  // access.control.allow.methods (empty: GET,POST,HEAD)

  bool topic_tracking_enable = true;       // topic.tracking.enable
  bool topic_tracking_allow_reset = true;  // topic.tracking.allow.reset

  // Not Connect settings.
  std::size_t max_body_bytes = 1 << 20;             // larger bodies get 413
  std::size_t max_header_bytes = 16 * 1024;         // larger request heads get 431
  std::chrono::milliseconds read_timeout{30'000};   // head + body of one request; then 408
  std::chrono::milliseconds idle_timeout{30'000};   // keep-alive connection with no request
  std::chrono::milliseconds write_timeout{30'000};  // a client that does not read its answer
  std::chrono::milliseconds shutdown_timeout{30'000};  // stop(): in-flight requests finish within it
  std::chrono::milliseconds health_timeout{10'000};    // GET /health: 500 when the herder hangs
  int io_threads = 2;       // Asio threads: accept, read, write
  int handler_threads = 8;  // threads that run handlers (herder calls may block)
  bool apply_log_levels = true;  // PUT /admin/loggers changes runtime/common/log levels

  // From worker properties. Unknown keys are ignored; `response.http.headers.config` is
  // logged as not supported.
  static Result<RestConfig> from_worker(const std::map<std::string, std::string>& props);
};

// The advertised URL ("http://host:port/") for a listener bound at `bound_port`, following
// Connect: advertised host, else the listener host, else the machine's hostname; advertised
// port, else the bound port.
std::string advertised_url_for(const RestConfig& config, const Listener& listener,
                               uint16_t bound_port);
// "host:port" of an advertised URL (Connect's worker_id).
std::string worker_id_of(const std::string& advertised_url);
// The listener the advertised URL comes from: the first of `listeners` whose scheme is
// rest.advertised.listener when that is set, else the first.
std::size_t advertised_listener_index(const RestConfig& config);

}  // namespace sluice::rest
