#include "rest/router.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <thread>

#include "rest/entities.h"
#include "rest/forward.h"
#include "rest/rest_config.h"
#include "runtime/common/log.h"

namespace sluice::rest {
namespace {

constexpr const char* kCtx = "rest";
constexpr const char* kNotFound = "HTTP 404 Not Found";
constexpr const char* kMethodNotAllowed = "HTTP 405 Method Not Allowed";
constexpr const char* kUnsupportedMediaType = "HTTP 415 Unsupported Media Type";

// ---- the request target ----

struct Target {
  bool ok = true;
  std::vector<std::string> segments;  // decoded
  std::vector<std::pair<std::string, std::string>> query;

  const std::string* param(std::string_view name) const {
    for (auto& [k, v] : query)
      if (k == name) return &v;
    return nullptr;
  }
  bool has_param(std::string_view name) const { return param(name) != nullptr; }
  std::vector<std::string> params(std::string_view name) const {
    std::vector<std::string> out;
    for (auto& [k, v] : query)
      if (k == name) out.push_back(v);
    return out;
  }
  // JAX-RS Boolean parameters: Boolean.valueOf, so anything but "true" (any case) is false.
  bool flag(std::string_view name, bool fallback) const {
    const std::string* v = param(name);
    if (!v) return fallback;
    std::string s = *v;
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s == "true";
  }
};

Target parse_target(std::string_view t) {
  Target out;
  if (size_t hash = t.find('#'); hash != std::string_view::npos) t = t.substr(0, hash);
  // absolute-form (proxies): http://host:port/path
  if (t.size() > 7 && (t.substr(0, 7) == "http://" || t.substr(0, 8) == "https://")) {
    size_t slash = t.find('/', t.find("://") + 3);
    t = slash == std::string_view::npos ? std::string_view("/") : t.substr(slash);
  }
  std::string_view path = t, query;
  if (size_t q = t.find('?'); q != std::string_view::npos) {
    path = t.substr(0, q);
    query = t.substr(q + 1);
  }
  if (path.empty() || path.front() != '/') {
    out.ok = false;
    return out;
  }
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);  // "/connectors/" == "/connectors"
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    if (seg.empty()) out.ok = false;  // "a//b"
    out.segments.push_back(url_decode(seg, false));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
    if (path.empty()) out.ok = false;
  }
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    if (!item.empty()) {
      size_t eq = item.find('=');
      std::string k = url_decode(item.substr(0, eq), true);
      std::string v = eq == std::string_view::npos ? "" : url_decode(item.substr(eq + 1), true);
      out.query.emplace_back(std::move(k), std::move(v));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

// ---- routes ----

enum class Route {
  None, Root, Health, Connectors, Connector, Config, Status, Restart, Pause, Resume, Stop, Tasks,
  TasksConfig, TaskStatus, TaskRestart, Offsets, Topics, TopicsReset, Plugins, PluginConfig,
  Validate, Loggers, Logger
};

struct Match {
  Route route = Route::None;
  std::vector<const char*> methods;
  bool admin = false;
  bool consumes_json = true;  // the JAX-RS resource declares @Consumes(application/json)
  std::string name;           // connector, plugin or logger
  int task = 0;
};

// Integer.valueOf as JAX-RS converts a path parameter; a failure is a 404.
bool parse_task_id(const std::string& s, int& out) {
  std::string_view v = s;
  if (!v.empty() && v.front() == '+') v.remove_prefix(1);
  if (v.empty() || v.front() == '+') return false;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() && p == v.data() + v.size();
}

Match match(const Target& t) {
  Match m;
  const auto& s = t.segments;
  auto set = [&](Route r, std::vector<const char*> methods) {
    m.route = r;
    m.methods = std::move(methods);
  };
  if (s.empty()) {
    set(Route::Root, {"GET"});
    m.consumes_json = false;
  } else if (s[0] == "health" && s.size() == 1) {
    set(Route::Health, {"GET"});
    m.consumes_json = false;
  } else if (s[0] == "connectors") {
    if (s.size() == 1) {
      set(Route::Connectors, {"GET", "POST"});
      return m;
    }
    m.name = s[1];
    if (s.size() == 2) {
      set(Route::Connector, {"GET", "DELETE"});
    } else if (s.size() == 3) {
      const std::string& sub = s[2];
      if (sub == "config") set(Route::Config, {"GET", "PUT", "PATCH"});
      else if (sub == "status") set(Route::Status, {"GET"});
      else if (sub == "restart") set(Route::Restart, {"POST"});
      else if (sub == "pause") set(Route::Pause, {"PUT"});
      else if (sub == "resume") set(Route::Resume, {"PUT"});
      else if (sub == "stop") set(Route::Stop, {"PUT"});
      else if (sub == "tasks") set(Route::Tasks, {"GET", "POST"});  // POST: internal, distributed mode
      else if (sub == "tasks-config") set(Route::TasksConfig, {"GET"});
      else if (sub == "offsets") set(Route::Offsets, {"GET", "PATCH", "DELETE"});
      else if (sub == "topics") set(Route::Topics, {"GET"});
    } else if (s.size() == 4) {
      if (s[2] == "topics" && s[3] == "reset") set(Route::TopicsReset, {"PUT"});
    } else if (s.size() == 5 && s[2] == "tasks" && parse_task_id(s[3], m.task)) {
      if (s[4] == "status") set(Route::TaskStatus, {"GET"});
      else if (s[4] == "restart") set(Route::TaskRestart, {"POST"});
    }
  } else if (s[0] == "connector-plugins") {
    if (s.size() == 1) {
      set(Route::Plugins, {"GET"});
    } else if (s.size() == 3 && s[2] == "config") {
      m.name = s[1];
      set(Route::PluginConfig, {"GET"});
    } else if (s.size() == 4 && s[2] == "config" && s[3] == "validate") {
      m.name = s[1];
      set(Route::Validate, {"PUT"});
    }
  } else if (s[0] == "admin" && s.size() >= 2 && s[1] == "loggers") {
    m.admin = true;
    if (s.size() == 2) {
      set(Route::Loggers, {"GET"});
    } else if (s.size() == 3) {
      m.name = s[2];
      set(Route::Logger, {"GET", "PUT"});
    }
  }
  return m;
}

// ---- helpers ----

constexpr const char* kForwardHeader = "X-Sluice-Forward-To";

Response from_error(const Error& e) {
  if (e.status == herder::kForwardStatus) {  // distributed mode: another worker serves this
    Response r = Response::empty(herder::kForwardStatus);
    r.headers.emplace_back(kForwardHeader, e.message);
    return r;
  }
  int status = (e.status >= 400 && e.status <= 599) ? e.status : 500;
  return Response::error(status, e.message);
}

// Java's String.trim: strips every char <= ' ' at both ends.
std::string java_trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
  while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
  return s.substr(b, e - b);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_json_media_type(const std::string& content_type) {
  std::string t = content_type.substr(0, content_type.find(';'));
  size_t b = 0, e = t.size();
  while (b < e && std::isspace(static_cast<unsigned char>(t[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(t[e - 1]))) --e;
  t = lower(t.substr(b, e - b));
  return t == "application/json" || t == "*/*" || t == "application/*";
}

std::string join(const std::vector<const char*>& items, const char* sep) {
  std::string out;
  for (auto* i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

// Connect's check that the body's "name" matches the name in the URL; fills it in when absent.
std::optional<Response> check_and_put_name(const std::string& name, ConfigBody& config) {
  auto it = config.values.find("name");
  if (it != config.values.end()) {
    if (it->second != name)
      return Response::error(400, "Connector name configuration (" + it->second +
                                      ") doesn't match connector name in the URL (" + name + ")");
    return std::nullopt;
  }
  config.values["name"] = name;
  config.null_keys.erase(std::remove(config.null_keys.begin(), config.null_keys.end(), "name"),
                         config.null_keys.end());
  return std::nullopt;
}

std::optional<Response> check_connector_type(const ConfigBody& config) {
  if (config.values.count("connector.class")) return std::nullopt;
  return Response::error(400, "Connector config " + java_map_string(config.values, config.null_keys) +
                                  " contains no connector type");
}

constexpr const char* kNullValue = "Null value can not be supplied as the configuration value.";

// What Connect's validation reports for null values: each is one error of the config.
std::optional<Response> check_null_values(const ConfigBody& config) {
  if (config.null_keys.empty()) return std::nullopt;
  std::string msg = "Connector configuration is invalid and contains the following " +
                    std::to_string(config.null_keys.size()) + " error(s):";
  for (size_t i = 0; i < config.null_keys.size(); ++i) msg += std::string("\n") + kNullValue;
  msg += "\nYou can also find the above list of errors at the endpoint "
         "`/connector-plugins/{connectorType}/config/validate`";
  return Response::error(400, msg);
}

constexpr const char* kBadRequestException = "org.apache.kafka.connect.runtime.rest.errors.BadRequestException";

// The Java exception class Connect's herders throw for an error of this status.
std::string java_exception_name(int status) {
  switch (status) {
    case 400: return kBadRequestException;
    case 404: return "org.apache.kafka.connect.errors.NotFoundException";
    case 409: return "org.apache.kafka.connect.errors.AlreadyExistsException";
  }
  return "org.apache.kafka.connect.errors.ConnectException";
}

// ConnectorPluginsResource: "FooConnector" and "Foo" name the same plugin type.
std::string normalized_plugin_name(const std::string& name) {
  static const std::string kSuffix = "Connector";
  if (name.size() > kSuffix.size() && name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0)
    return name.substr(0, name.size() - kSuffix.size());
  return name;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool origin_matches(const std::string& pattern, const std::string& origin) {
  if (pattern == "*") return true;
  size_t star = pattern.find('*');
  if (star == std::string::npos) return pattern == origin;
  std::string prefix = pattern.substr(0, star), suffix = pattern.substr(star + 1);
  return origin.size() >= prefix.size() + suffix.size() && origin.compare(0, prefix.size(), prefix) == 0 &&
         ends_with(origin, suffix);
}

herder::ConnectorState sorted(herder::ConnectorState s) {
  std::stable_sort(s.tasks.begin(), s.tasks.end(),
                   [](const herder::TaskState& a, const herder::TaskState& b) { return a.id < b.id; });
  return s;
}

}  // namespace

RouterOptions RouterOptions::from(const RestConfig& c) {
  RouterOptions o;
  o.topic_tracking_enable = c.topic_tracking_enable;
  o.topic_tracking_allow_reset = c.topic_tracking_allow_reset;
  o.cors_allow_origin = c.cors_allow_origin;
  o.cors_allow_methods = c.cors_allow_methods;
  o.health_timeout = c.health_timeout;
  o.apply_log_levels = c.apply_log_levels;
  return o;
}

Router::Router(herder::Herder& herder, RouterOptions options)
    : herder_(herder), options_(std::move(options)),
      loggers_(std::make_unique<Loggers>(options_.apply_log_levels)) {}

Router::~Router() = default;

void Router::set_advertised_url(std::string url) {
  std::lock_guard lock(mu_);
  options_.advertised_url = std::move(url);
}

std::string Router::advertised_url() const {
  std::lock_guard lock(mu_);
  return options_.advertised_url;
}

Response Router::handle(const Request& request) {
  Response r;
  try {
    r = dispatch(request);
    if (r.status == herder::kForwardStatus)
      if (const std::string* to = r.header(kForwardHeader)) r = forward_request(request, *to);
  } catch (const std::exception& e) {
    log::error(kCtx, "Uncaught exception in REST call to ", request.method, " ", request.target, ": ",
               e.what());
    r = Response::error(500, e.what());
  } catch (...) {
    r = Response::error(500, "Internal server error");
  }
  add_cors(request, r);
  return r;
}

void Router::add_cors(const Request& request, Response& response) const {
  if (options_.cors_allow_origin.empty()) return;
  const std::string* origin = request.header("Origin");
  if (!origin) return;
  bool allowed = false;
  std::string_view list = options_.cors_allow_origin;
  while (!allowed) {
    size_t comma = list.find(',');
    std::string item(list.substr(0, comma));
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    allowed = !item.empty() && origin_matches(item, *origin);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  if (!allowed) return;
  response.set_header("Access-Control-Allow-Origin", *origin);
  response.set_header("Access-Control-Allow-Credentials", "true");
  if (request.method == "OPTIONS" && request.header("Access-Control-Request-Method")) {
    response.set_header("Access-Control-Allow-Methods", options_.cors_allow_methods.empty()
                                                            ? "GET,POST,HEAD"
                                                            : options_.cors_allow_methods);
    response.set_header("Access-Control-Allow-Headers", "X-Requested-With,Content-Type,Accept,Origin");
    response.set_header("Access-Control-Max-Age", "1800");
  }
}

Response Router::dispatch(const Request& req) {
  Target t = parse_target(req.target);
  Match m = t.ok ? match(t) : Match{};
  if (m.route != Route::None) {
    if (m.admin && req.role == ListenerRole::Api) m.route = Route::None;
    if (!m.admin && req.role == ListenerRole::Admin) m.route = Route::None;
  }
  if (m.route == Route::None) return Response::error(404, kNotFound);

  std::string method = req.method;
  if (method == "HEAD") method = "GET";  // the server drops the body
  if (method == "OPTIONS") {
    std::vector<const char*> allow = m.methods;
    if (std::find(allow.begin(), allow.end(), std::string_view("GET")) != allow.end())
      allow.push_back("HEAD");
    allow.push_back("OPTIONS");
    Response r = Response::empty(200);
    r.headers.emplace_back("Allow", join(allow, ","));
    return r;
  }
  if (std::none_of(m.methods.begin(), m.methods.end(), [&](const char* x) { return method == x; })) {
    Response r = Response::error(405, kMethodNotAllowed);
    r.headers.emplace_back("Allow", join(m.methods, ","));
    return r;
  }
  if (m.consumes_json && (method == "POST" || method == "PUT" || method == "PATCH")) {
    const std::string* ct = req.header("Content-Type");
    if (ct && !is_json_media_type(*ct)) return Response::error(415, kUnsupportedMediaType);
  }

  herder::Herder& h = herder_;
  const std::string& name = m.name;
  auto location = [&](const std::string& n) { return advertised_url() + "connectors/" + url_encode_segment(n); };
  auto no_content_or_error = [](const Status& st, int status) {
    return st ? Response::empty(status) : from_error(st.error());
  };

  switch (m.route) {
    case Route::None:
      break;
    case Route::Root:
      return Response::json(200, render_server_info(h.server_info()));

    case Route::Health: {
      struct State {
        std::mutex mu;
        std::condition_variable cv;
        std::optional<bool> ready;
      };
      auto state = std::make_shared<State>();
      std::thread([state, &h] {
        bool ready = false;
        try {
          ready = h.ready();
        } catch (...) {
        }
        std::lock_guard lock(state->mu);
        state->ready = ready;
        state->cv.notify_all();
      }).detach();
      std::unique_lock lock(state->mu);
      if (!state->cv.wait_for(lock, options_.health_timeout, [&] { return state->ready.has_value(); }))
        return Response::json(500, render_health("unhealthy",
                                                 "Worker was unable to handle this request and may be "
                                                 "unable to handle other requests."));
      if (!*state->ready)
        return Response::json(503, render_health("starting", "Worker is still starting up."));
      return Response::json(200, render_health("healthy",
                                               "Worker has completed startup and is ready to handle "
                                               "requests."));
    }

    case Route::Connectors: {
      if (method == "GET") {
        if (!t.has_param("expand")) return Response::json(200, render_strings(h.connectors()));
        std::vector<std::string> expand = t.params("expand");
        bool want_status = std::count(expand.begin(), expand.end(), "status") > 0;
        bool want_info = std::count(expand.begin(), expand.end(), "info") > 0;
        for (auto& e : expand)
          if (e != "status" && e != "info") log::info(kCtx, "Ignoring unknown expansion type ", e);
        std::vector<Expansion> out;
        for (const auto& c : h.connectors()) {
          Expansion e{c, std::nullopt, std::nullopt};
          bool gone = false;
          if (want_status) {
            auto st = h.connector_status(c);
            if (!st && st.error().status == 404) gone = true;
            else if (!st) return from_error(st.error());
            else e.status_json = render_connector_state(sorted(*st));
          }
          if (want_info && !gone) {
            auto info = h.connector_info(c);
            if (!info && info.error().status == 404) gone = true;
            else if (!info) return from_error(info.error());
            else e.info_json = render_connector_info(*info);
          }
          if (!gone) out.push_back(std::move(e));  // removed while we looked: left out
        }
        return Response::json(200, render_expanded(out));
      }
      // POST: create
      auto body = parse_create_request(req.body);
      if (!body) return from_error(body.error());
      std::string n = java_trim(body->name.value_or(""));
      // Connect fails on the null config with a NullPointerException: a 500.
      if (!body->config) return Response::error(500, "Connector config is missing from the request");
      ConfigBody& config = *body->config;
      if (auto bad = check_and_put_name(n, config)) return *bad;
      if (auto bad = check_connector_type(config)) return *bad;
      if (auto bad = check_null_values(config)) return *bad;
      auto r = h.put_connector_config(n, config.values, false,
                                      body->initial_state.value_or(herder::InitialState::Running));
      if (!r) return from_error(r.error());
      Response resp = Response::json(201, render_connector_info(r->info));
      resp.headers.emplace_back("Location", location(n));
      return resp;
    }

    case Route::Connector: {
      if (method == "GET") {
        auto r = h.connector_info(name);
        return r ? Response::json(200, render_connector_info(*r)) : from_error(r.error());
      }
      return no_content_or_error(h.delete_connector(name), 204);
    }

    case Route::Config: {
      if (method == "GET") {
        auto r = h.connector_config(name);
        return r ? Response::json(200, render_config(*r)) : from_error(r.error());
      }
      auto body = parse_config(req.body);
      if (!body) return from_error(body.error());
      if (method == "PATCH") {
        std::map<std::string, std::optional<std::string>> patch(body->values.begin(), body->values.end());
        for (auto& k : body->null_keys) patch[k] = std::nullopt;
        auto r = h.patch_connector_config(name, patch);
        return r ? Response::json(200, render_connector_info(*r)) : from_error(r.error());
      }
      if (auto bad = check_and_put_name(name, *body)) return *bad;
      if (auto bad = check_connector_type(*body)) return *bad;
      if (auto bad = check_null_values(*body)) return *bad;
      auto r = h.put_connector_config(name, body->values, true);
      if (!r) return from_error(r.error());
      Response resp = Response::json(r->created ? 201 : 200, render_connector_info(r->info));
      if (r->created) resp.headers.emplace_back("Location", location(name));
      return resp;
    }

    case Route::Status: {
      auto r = h.connector_status(name);
      return r ? Response::json(200, render_connector_state(sorted(*r))) : from_error(r.error());
    }

    case Route::TaskStatus: {
      auto r = h.task_status(name, m.task);
      return r ? Response::json(200, render_task_state(*r)) : from_error(r.error());
    }

    case Route::Tasks:
    case Route::TasksConfig: {
      if (method == "POST") {
        auto configs = parse_task_config_list(req.body);
        if (!configs) return from_error(configs.error());
        herder::InternalRequest internal{req.body, std::nullopt, std::nullopt};
        if (auto* v = req.header("X-Connect-Authorization")) internal.signature = *v;
        if (auto* v = req.header("X-Connect-Request-Signature-Algorithm")) internal.algorithm = *v;
        return no_content_or_error(h.put_task_configs(name, *configs, internal), 204);
      }
      auto r = h.task_configs(name);
      if (!r) return from_error(r.error());
      return Response::json(200, m.route == Route::Tasks ? render_task_infos(*r) : render_tasks_config(*r));
    }

    case Route::Restart: {
      bool include_tasks = t.flag("includeTasks", false);
      bool only_failed = t.flag("onlyFailed", false);
      auto r = h.restart_connector(name, include_tasks, only_failed);
      if (!r) return from_error(r.error());
      if (!*r) return Response::empty(204);
      return Response::json(202, render_connector_state(**r));
    }

    case Route::TaskRestart:
      return no_content_or_error(h.restart_task(name, m.task), 204);
    case Route::Pause:
      return no_content_or_error(h.pause_connector(name), 202);
    case Route::Resume:
      return no_content_or_error(h.resume_connector(name), 202);
    case Route::Stop:
      return no_content_or_error(h.stop_connector(name), 204);

    case Route::Offsets: {
      if (method == "GET") {
        auto r = h.connector_offsets(name);
        return r ? Response::json(200, render_offsets(*r)) : from_error(r.error());
      }
      if (method == "DELETE") {
        auto r = h.reset_connector_offsets(name);
        return r ? Response::json(200, render_message(*r)) : from_error(r.error());
      }
      auto offsets = parse_offsets(req.body);
      if (!offsets) return from_error(offsets.error());
      if (offsets->empty())
        return Response::error(400, "Partitions / offsets need to be provided for an alter offsets request");
      auto r = h.alter_connector_offsets(name, *offsets);
      return r ? Response::json(200, render_message(*r)) : from_error(r.error());
    }

    case Route::Topics: {
      if (!options_.topic_tracking_enable) return Response::error(403, "Topic tracking is disabled.");
      auto r = h.connector_topics(name);
      return r ? Response::json(200, render_topics(name, *r)) : from_error(r.error());
    }

    case Route::TopicsReset: {
      if (!options_.topic_tracking_enable) return Response::error(403, "Topic tracking is disabled.");
      if (!options_.topic_tracking_allow_reset)
        return Response::error(403, "Topic tracking reset is disabled.");
      return no_content_or_error(h.reset_connector_topics(name), 202);
    }

    case Route::Plugins:
      return Response::json(200, render_plugins(h.plugins(t.flag("connectorsOnly", true))));

    case Route::PluginConfig: {
      auto r = h.plugin_config(name);
      return r ? Response::json(200, render_config_keys(*r)) : from_error(r.error());
    }

    case Route::Validate: {
      auto body = parse_config(req.body);
      if (!body) return from_error(body.error());
      auto cls = body->values.find("connector.class");
      if (cls != body->values.end() &&
          !ends_with(normalized_plugin_name(cls->second), normalized_plugin_name(name)))
        return Response::error(400, "Included connector type " + cls->second +
                                        " does not match request type " + name);
      // Connect validates on its herder's executor and rethrows what failed wrapped in an
      // ExecutionException: a 500 whose message is the Java exception's toString().
      if (check_connector_type(*body))
        return Response::error(500, std::string(kBadRequestException) + ": Connector config " +
                                        java_map_string(body->values, body->null_keys) +
                                        " contains no connector type");
      auto r = h.validate_connector_config(name, body->values);
      if (!r)
        return Response::error(500, java_exception_name(r.error().status) + ": " + r.error().message);
      api::ConfigInfos infos = std::move(*r);
      for (auto& key : body->null_keys) {
        auto it = std::find_if(infos.configs.begin(), infos.configs.end(),
                               [&](const api::ConfigInfo& c) { return c.value.name == key; });
        if (it == infos.configs.end()) {
          api::ConfigInfo info;  // definition left empty: rendered as null
          info.value.name = key;
          infos.configs.push_back(std::move(info));
          it = infos.configs.end() - 1;
        }
        it->value.errors.push_back(kNullValue);
        ++infos.error_count;
      }
      return Response::json(200, render_config_infos(infos));
    }

    case Route::Loggers:
      return Response::json(200, render_loggers(loggers_->all()));

    case Route::Logger: {
      if (method == "GET") {
        auto l = loggers_->get(name);
        if (!l) return Response::error(404, "Logger " + name + " not found.");
        return Response::json(200, render_logger(*l));
      }
      auto level = parse_log_level(req.body);
      if (!level) return from_error(level.error());
      if (!*level) return Response::error(400, "Desired 'level' parameter was not specified in request.");
      auto normalized = Loggers::normalize_level(**level);
      if (!normalized) return Response::error(404, "invalid log level '" + **level + "'.");
      const std::string* scope = t.param("scope");
      std::string sc = scope ? lower(*scope) : "worker";
      if (sc != "worker" && sc != "cluster")
        log::warn(kCtx, "Received invalid scope '", *scope,
                  "' in request to adjust logging level; will use default of worker");
      log::info(kCtx, "Setting level of namespace ", name, " and children to ", *normalized);
      auto changed = loggers_->set(name, *normalized);
      // cluster scope: Connect writes a record every worker applies; here it applies to this
      // worker only (standalone semantics) until the Herder interface grows a method for it.
      if (sc == "cluster") return Response::empty(204);
      return Response::json(200, render_strings(changed));
    }
  }
  return Response::error(404, kNotFound);
}

}  // namespace sluice::rest
