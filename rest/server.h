#pragma once
// Connect's REST API over HTTP/1.1 (Boost.Beast): listeners from the worker properties,
// keep-alive, request size and time limits, handlers on their own thread pool (herder calls
// may block for seconds), graceful stop.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rest/http.h"
#include "rest/rest_config.h"
#include "runtime/common/error.h"
#include "runtime/herder/herder.h"

namespace sluice::rest {

class Router;

class RestServer {
 public:
  // Binds every listener (port 0: an ephemeral port) and starts serving. The herder must
  // outlive the server.
  static Result<std::unique_ptr<RestServer>> start(const RestConfig& config, herder::Herder& herder);
  ~RestServer();  // stop()

  // Stops accepting, lets in-flight requests finish within config.shutdown_timeout (their
  // responses say Connection: close), then closes every connection. Idempotent.
  void stop();

  // "http://host:port/" as Connect advertises it (group metadata, Location headers).
  std::string advertised_url() const;
  // "host:port" of the advertised URL.
  std::string worker_id() const;
  // The bound ports of `listeners`, in order.
  std::vector<uint16_t> ports() const;
  // The bound ports of `admin.listeners` (empty when unset or empty).
  std::vector<uint16_t> admin_ports() const;

  Router& router();

  struct Impl;

 private:
  explicit RestServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parses one complete raw HTTP/1.x request with the server's parser and limits (for the fuzz
// target and tests). Errors carry the status the server would answer with (400, 413, 431).
Result<Request> parse_http_request(std::string_view raw, const RestConfig& config);

}  // namespace sluice::rest
