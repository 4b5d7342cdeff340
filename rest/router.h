#pragma once
// Connect's REST resources over the Herder interface: Request in, Response out. Thread-safe;
// the server calls handle() from several threads at once.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "rest/http.h"
#include "rest/loggers.h"
#include "runtime/herder/herder.h"

namespace sluice::rest {

struct RestConfig;

struct RouterOptions {
  std::string advertised_url = "http://localhost:8083/";  // base of Location headers
  bool topic_tracking_enable = true;
  bool topic_tracking_allow_reset = true;
  std::string cors_allow_origin;   // empty: no CORS
  std::string cors_allow_methods;  // empty: GET,POST,HEAD (Jetty's default)
  std::chrono::milliseconds health_timeout{10'000};
  bool apply_log_levels = true;  // false: /admin/loggers only keeps its own table

  static RouterOptions from(const RestConfig& config);
};

class Router {
 public:
  Router(herder::Herder& herder, RouterOptions options);
  ~Router();

  // Never throws: an exception from a resource becomes a 500 with its message.
  Response handle(const Request& request);

  void set_advertised_url(std::string url);
  std::string advertised_url() const;
  Loggers& loggers() { return *loggers_; }

 private:
  Response dispatch(const Request& request);
  void add_cors(const Request& request, Response& response) const;

  herder::Herder& herder_;
  RouterOptions options_;
  mutable std::mutex mu_;  // advertised_url
  std::unique_ptr<Loggers> loggers_;
};

}  // namespace sluice::rest
