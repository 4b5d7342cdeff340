#pragma once
// Plain request/response values between the HTTP server (Beast) and the router, so routing
// and the resources are testable and fuzzable without sockets or Beast.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::rest {

// Which endpoints a listener serves: Both when admin.listeners is unset, Api on the normal
// listeners when it is set (empty or not), Admin on the admin listeners.
enum class ListenerRole { Both, Api, Admin };

using Headers = std::vector<std::pair<std::string, std::string>>;

// The value of the first header with this name (case-insensitive), or nullptr.
const std::string* find_header(const Headers& headers, std::string_view name);

struct Request {
  std::string method;  // "GET", "POST", ... as received
  std::string target;  // origin-form: "/connectors/a%20b/status?x=y"
  Headers headers;
  std::string body;
  ListenerRole role = ListenerRole::Both;

  const std::string* header(std::string_view name) const { return find_header(headers, name); }
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  const std::string* header(std::string_view name) const { return find_header(headers, name); }
  void set_header(std::string name, std::string value);

  // A JSON body with Content-Type application/json.
  static Response json(int status, std::string body);
  // Connect's error body {"error_code":status,"message":...}.
  static Response error(int status, std::string_view message);
  // No body, no Content-Type (202, 204).
  static Response empty(int status);
};

// Percent-decoding of one path segment ('+' stays '+') or of a query component ('+' is a
// space). Malformed escapes are kept as they are, as lenient servers do.
std::string url_decode(std::string_view s, bool plus_is_space);
// Percent-encoding of a path segment: everything but unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string url_encode_segment(std::string_view s);

}  // namespace sluice::rest
