#include "rest/rest_config.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "runtime/common/log.h"

namespace sluice::rest {
namespace {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    if (comma == std::string::npos) comma = value.size();
    std::string item = trim(std::string_view(value).substr(start, comma - start));
    if (!item.empty()) out.push_back(std::move(item));
    start = comma + 1;
  }
  return out;
}

bool parse_port(std::string_view s, uint16_t& out) {
  if (s.empty() || s.size() > 5) return false;
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > 65535) return false;
  out = static_cast<uint16_t>(v);
  return true;
}

Error config_error(const std::string& key, const std::string& value, const std::string& why) {
  return Error::fatal("Invalid value " + value + " for configuration " + key + ": " + why,
                      Stage::Config);
}

Result<std::vector<Listener>> parse_listeners(const std::string& key, const std::string& value,
                                              bool allow_empty) {
  std::vector<Listener> out;
  for (const auto& item : split_list(value)) {
    auto l = Listener::parse(item);
    if (!l) return config_error(key, value, l.error().message);
    out.push_back(std::move(*l));
  }
  if (out.empty() && !allow_empty)
    return config_error(key, value, "at least one listener is required");
  return out;
}

Result<bool> parse_bool(const std::map<std::string, std::string>& props, const std::string& key,
                        bool fallback) {
  auto it = props.find(key);
  if (it == props.end()) return fallback;
  std::string v = lower(trim(it->second));
  if (v == "true") return true;
  if (v == "false") return false;
  return config_error(key, it->second, "Expected value to be either true or false");
}

std::string machine_hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

}  // namespace

Result<Listener> Listener::parse(const std::string& text) {
  Listener l;
  l.text = text;
  size_t sep = text.find("://");
  if (sep == std::string::npos || sep == 0)
    return Error::fatal("Could not parse listener '" + text +
                        "': expected protocol://host:port, e.g. http://:8083");
  l.scheme = lower(text.substr(0, sep));
  if (l.scheme == "https")
    return Error::fatal("https listeners are not supported yet (listener '" + text + "')");
  if (l.scheme != "http")
    return Error::fatal("Listener protocol must be either \"http\" or \"https\", but is " +
                        l.scheme + " in listener '" + text + "'");
  std::string_view rest = std::string_view(text).substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  std::string_view host, port;
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':')
      return Error::fatal("Could not parse listener '" + text + "': bad IPv6 address");
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
  } else {
    size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos)
      return Error::fatal("Could not parse listener '" + text + "': no port");
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  for (char c : host) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
              c == '%' || c == ':';
    if (!ok) return Error::fatal("Could not parse listener '" + text + "': bad host");
  }
  if (!parse_port(port, l.port))
    return Error::fatal("Could not parse listener '" + text + "': bad port");
  l.host = std::string(host);
  return l;
}

Result<RestConfig> RestConfig::from_worker(const std::map<std::string, std::string>& props) {
  RestConfig c;
  auto get = [&](const std::string& key) -> const std::string* {
    auto it = props.find(key);
    return it == props.end() ? nullptr : &it->second;
  };

  if (const std::string* v = get("listeners")) {
    auto ls = parse_listeners("listeners", *v, false);
    if (!ls) return ls.error();
    c.listeners = std::move(*ls);
  } else if (get("rest.port") || get("rest.host.name")) {
    // Connect's deprecated pre-listeners settings.
    std::string host = get("rest.host.name") ? trim(*get("rest.host.name")) : "";
    std::string port = get("rest.port") ? trim(*get("rest.port")) : "8083";
    auto l = Listener::parse("http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
                             ":" + port);
    if (!l) return config_error("rest.port", port, l.error().message);
    c.listeners.push_back(std::move(*l));
  } else {
    c.listeners.push_back(*Listener::parse("http://:8083"));
  }

  if (const std::string* v = get("admin.listeners")) {
    auto ls = parse_listeners("admin.listeners", *v, true);
    if (!ls) return ls.error();
    c.admin_listeners = std::move(*ls);
  }

  if (const std::string* v = get("rest.advertised.host.name")) c.advertised_host = trim(*v);
  if (const std::string* v = get("rest.advertised.port")) {
    std::string p = trim(*v);
    if (!p.empty()) {
      uint16_t port = 0;
      if (!parse_port(p, port)) return config_error("rest.advertised.port", *v, "Not a port number");
      c.advertised_port = port;
    }
  }
  if (const std::string* v = get("rest.advertised.listener")) {
    std::string s = lower(trim(*v));
    if (s == "https")
      return config_error("rest.advertised.listener", *v, "https listeners are not supported yet");
    if (!s.empty() && s != "http")
      return config_error("rest.advertised.listener", *v, "String must be one of: http, https");
    c.advertised_listener = s;
  }

  if (const std::string* v = get("access.control.allow.origin")) c.cors_allow_origin = trim(*v);
  if (const std::string* v = get("access.control.allow.methods")) c.cors_allow_methods = trim(*v);

  auto tracking = parse_bool(props, "topic.tracking.enable", true);
  if (!tracking) return tracking.error();
  c.topic_tracking_enable = *tracking;
  auto reset = parse_bool(props, "topic.tracking.allow.reset", true);
  if (!reset) return reset.error();
  c.topic_tracking_allow_reset = *reset;

  if (const std::string* v = get("response.http.headers.config"); v && !trim(*v).empty())
    log::warn("rest", "response.http.headers.config is not supported yet; ignoring it");
  return c;
}

std::size_t advertised_listener_index(const RestConfig& config) {
  if (!config.advertised_listener.empty()) {
    for (size_t i = 0; i < config.listeners.size(); ++i)
      if (config.listeners[i].scheme == config.advertised_listener) return i;
  }
  return 0;
}

std::string advertised_url_for(const RestConfig& config, const Listener& listener,
                               uint16_t bound_port) {
  std::string host = config.advertised_host;
  if (host.empty()) host = listener.host;
  if (host.empty()) host = machine_hostname();
  if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
  uint16_t port = config.advertised_port ? *config.advertised_port : bound_port;
  std::string scheme = config.advertised_listener.empty() ? listener.scheme : config.advertised_listener;
  return scheme + "://" + host + ":" + std::to_string(port) + "/";
}

std::string worker_id_of(const std::string& advertised_url) {
  std::string_view s = advertised_url;
  size_t sep = s.find("://");
  if (sep != std::string_view::npos) s.remove_prefix(sep + 3);
  size_t slash = s.find('/');
  if (slash != std::string_view::npos) s = s.substr(0, slash);
  return std::string(s);
}

}  // namespace sluice::rest
