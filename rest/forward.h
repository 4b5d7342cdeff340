#pragma once
// Distributed mode's request forwarding (spec kafka-connect.md §0.2): a worker that is not the
// one to serve a request passes it on, with the `forward` query parameter counting the hops
// (none -> forward=true -> forward=false -> 409), copying only the Authorization header, and
// hands back the other worker's status and body unchanged. Also a small blocking HTTP client
// the herder uses to hand task configs to the leader.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "rest/http.h"
#include "runtime/common/error.h"
#include "runtime/herder/herder.h"

namespace sluice::rest {

struct HttpResult {
  int status = 0;
  std::string body;
  std::string content_type;
};

// One HTTP/1.1 request to an http:// URL ("http://host:port/path?query").
Result<HttpResult> http_request(const std::string& method, const std::string& url, const std::string& body,
                                const Headers& headers, std::chrono::milliseconds timeout);

// The request target with its forward parameter set to `value` (others kept in order).
std::string with_forward_param(const std::string& target, const std::string& value);

// Forwards `request` to `base_url` ("http://host:port/") by Connect's rules.
Response forward_request(const Request& request, const std::string& base_url);

// The body of Connect's internal POST /connectors/{n}/tasks: a JSON list of string maps.
Result<std::vector<herder::Config>> parse_task_config_list(const std::string& body);

}  // namespace sluice::rest
