// The router without sockets: listener roles, CORS, OPTIONS/HEAD, 405/415, loggers, health.

#include <catch2/catch.hpp>

#include "rest/router.h"
#include "runtime/common/log.h"
#include "tests/unit/rest/fake_herder.h"

using namespace sluice;
using namespace sluice::rest;
using sluice::rest::test::FakeHerder;

namespace {

RouterOptions quiet() {
  RouterOptions o;
  o.apply_log_levels = false;
  o.advertised_url = "http://w1:8083/";
  return o;
}

Request req(std::string method, std::string target, std::string body = "", Headers headers = {}) {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

}  // namespace

TEST_CASE("router: unknown paths are JAX-RS 404s", "[rest][router]") {
  FakeHerder h;
  Router router(h, quiet());
  for (const char* t : {"/nope", "/connectors/a/b/c/d/e/f", "/connectors/a/tasks/x/status", "/connectors/a/tasks/1/nope",
                        "/connectors//status", "relative", "/admin", "/admin/loggers/a/b", "/connector-plugins/p",
                        "/connectors/a/fence", "/health/x"}) {
    auto r = router.handle(req("GET", t));
    INFO(t);
    CHECK(r.status == 404);
    CHECK(r.body == R"({"error_code":404,"message":"HTTP 404 Not Found"})");
    REQUIRE(r.header("Content-Type"));
    CHECK(*r.header("Content-Type") == "application/json");
  }
}

TEST_CASE("router: a wrong method is a 405 with Allow", "[rest][router]") {
  FakeHerder h;
  Router router(h, quiet());
  auto r = router.handle(req("DELETE", "/connectors"));
  CHECK(r.status == 405);
  CHECK(r.body == R"({"error_code":405,"message":"HTTP 405 Method Not Allowed"})");
  REQUIRE(r.header("Allow"));
  CHECK(*r.header("Allow") == "GET,POST");
  CHECK(router.handle(req("POST", "/connectors/a/pause")).status == 405);
  CHECK(router.handle(req("BREW", "/")).status == 405);
  CHECK(router.handle(req("PUT", "/admin/loggers")).status == 405);
}

TEST_CASE("router: HEAD and OPTIONS", "[rest][router]") {
  FakeHerder h;
  Router router(h, quiet());
  auto head = router.handle(req("HEAD", "/"));
  CHECK(head.status == 200);  // the server drops the body
  auto options = router.handle(req("OPTIONS", "/connectors/a/config"));
  CHECK(options.status == 200);
  REQUIRE(options.header("Allow"));
  CHECK(*options.header("Allow") == "GET,PUT,PATCH,HEAD,OPTIONS");
  CHECK(router.handle(req("OPTIONS", "/nope")).status == 404);
}

TEST_CASE("router: bodies must be JSON when a Content-Type says otherwise", "[rest][router]") {
  FakeHerder h;
  Router router(h, quiet());
  auto r = router.handle(req("POST", "/connectors", R"({"name":"a"})", {{"Content-Type", "text/plain"}}));
  CHECK(r.status == 415);
  CHECK(r.body == R"({"error_code":415,"message":"HTTP 415 Unsupported Media Type"})");
  CHECK(router.handle(req("PUT", "/connectors/a/pause", "", {{"Content-Type", "application/x-www-form-urlencoded"}}))
            .status == 415);
  // JSON with parameters, or no Content-Type at all, is fine
  CHECK(router.handle(req("PUT", "/connectors/a/config", R"({"connector.class":"FileSource"})",
                          {{"content-type", "Application/JSON; charset=UTF-8"}}))
            .status == 201);
  CHECK(router.handle(req("PUT", "/connectors/b/config", R"({"connector.class":"FileSource"})")).status == 201);
  // GETs are not checked
  CHECK(router.handle(req("GET", "/connectors", "", {{"Content-Type", "text/plain"}})).status == 200);
}

TEST_CASE("router: admin endpoints follow the listener role", "[rest][router]") {
  FakeHerder h;
  Router router(h, quiet());
  auto both = req("GET", "/admin/loggers");
  CHECK(router.handle(both).status == 200);
  auto api = both;
  api.role = ListenerRole::Api;
  CHECK(router.handle(api).status == 404);
  auto admin = both;
  admin.role = ListenerRole::Admin;
  CHECK(router.handle(admin).status == 200);
  auto connectors_on_admin = req("GET", "/connectors");
  connectors_on_admin.role = ListenerRole::Admin;
  CHECK(router.handle(connectors_on_admin).status == 404);
}

TEST_CASE("router: CORS headers when access.control.allow.origin is set", "[rest][router]") {
  FakeHerder h;
  SECTION("unset: none") {
    Router router(h, quiet());
    auto r = router.handle(req("GET", "/", "", {{"Origin", "http://ui.example.com"}}));
    CHECK_FALSE(r.header("Access-Control-Allow-Origin"));
  }
  SECTION("a list with a wildcard pattern") {
    auto o = quiet();
    o.cors_allow_origin = "http://a.example.com, http://*.ui.example.com";
    o.cors_allow_methods = "GET,POST,PUT,DELETE";
    Router router(h, o);
    auto r = router.handle(req("GET", "/", "", {{"Origin", "http://x.ui.example.com"}}));
    REQUIRE(r.header("Access-Control-Allow-Origin"));
    CHECK(*r.header("Access-Control-Allow-Origin") == "http://x.ui.example.com");
    CHECK(*r.header("Access-Control-Allow-Credentials") == "true");
    CHECK_FALSE(router.handle(req("GET", "/", "", {{"Origin", "http://evil.com"}})).header("Access-Control-Allow-Origin"));
    CHECK_FALSE(router.handle(req("GET", "/")).header("Access-Control-Allow-Origin"));

    auto pre = router.handle(req("OPTIONS", "/connectors", "",
                                 {{"Origin", "http://a.example.com"}, {"Access-Control-Request-Method", "POST"}}));
    CHECK(pre.status == 200);
    CHECK(*pre.header("Access-Control-Allow-Methods") == "GET,POST,PUT,DELETE");
    CHECK(pre.header("Access-Control-Allow-Headers"));
    CHECK(pre.header("Access-Control-Max-Age"));
    // errors carry them too
    auto err = router.handle(req("GET", "/nope", "", {{"Origin", "http://a.example.com"}}));
    CHECK(err.status == 404);
    CHECK(err.header("Access-Control-Allow-Origin"));
  }
  SECTION("star, default methods") {
    auto o = quiet();
    o.cors_allow_origin = "*";
    Router router(h, o);
    auto pre = router.handle(req("OPTIONS", "/", "", {{"Origin", "http://z"}, {"Access-Control-Request-Method", "GET"}}));
    CHECK(*pre.header("Access-Control-Allow-Origin") == "http://z");
    CHECK(*pre.header("Access-Control-Allow-Methods") == "GET,POST,HEAD");
  }
}

TEST_CASE("router: the health check times out on a hung herder", "[rest][router]") {
  FakeHerder h;
  auto o = quiet();
  o.health_timeout = std::chrono::milliseconds(200);
  Router router(h, o);
  CHECK(router.handle(req("GET", "/health")).body ==
        R"({"status":"healthy","message":"Worker has completed startup and is ready to handle requests."})");
  h.is_ready = false;
  auto starting = router.handle(req("GET", "/health"));
  CHECK(starting.status == 503);
  CHECK(starting.body == R"({"status":"starting","message":"Worker is still starting up."})");
  h.hang_ready = true;
  auto t0 = std::chrono::steady_clock::now();
  auto hung = router.handle(req("GET", "/health"));
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
  CHECK(hung.status == 500);
  CHECK(hung.body ==
        R"({"status":"unhealthy","message":"Worker was unable to handle this request and may be unable to handle other requests."})");
  h.release_ready();
}

TEST_CASE("router: loggers table", "[rest][router]") {
  FakeHerder h;
  Router router(h, quiet());
  auto put = [&](const std::string& name, const std::string& body, const std::string& query = "") {
    return router.handle(req("PUT", "/admin/loggers/" + name + query, body));
  };
  auto all = router.handle(req("GET", "/admin/loggers"));
  CHECK(all.status == 200);
  CHECK_THAT(all.body, Catch::StartsWith(R"({"root":{"level":")"));
  CHECK_THAT(all.body, Catch::EndsWith(R"(","last_modified":null}})"));

  auto bad = put("org.example", R"({"level":"LOUD"})");
  CHECK(bad.status == 404);
  CHECK(bad.body == R"({"error_code":404,"message":"invalid log level 'LOUD'."})");
  auto missing = put("org.example", R"({"lvl":"debug"})");
  CHECK(missing.status == 400);
  CHECK(missing.body == R"({"error_code":400,"message":"Desired 'level' parameter was not specified in request."})");
  CHECK(put("org.example", "{").status == 500);  // Jackson's parse error: a 500 in Connect

  auto set = put("org.example.a", R"({"level":"debug"})");
  CHECK(set.status == 200);
  CHECK(set.body == R"(["org.example.a"])");
  put("org.example.b", R"({"level":"warn"})");
  auto parent = put("org.example", R"({"level":"Fatal"})");
  CHECK(parent.body == R"(["org.example","org.example.a","org.example.b"])");
  auto one = router.handle(req("GET", "/admin/loggers/org.example.b"));
  CHECK(one.status == 200);
  CHECK_THAT(one.body, Catch::StartsWith(R"({"level":"FATAL","last_modified":1)"));
  auto unknown = router.handle(req("GET", "/admin/loggers/org.other"));
  CHECK(unknown.status == 404);
  CHECK(unknown.body == R"({"error_code":404,"message":"Logger org.other not found."})");

  auto cluster = put("org.cluster", R"({"level":"ALL"})", "?scope=cluster");
  CHECK(cluster.status == 204);
  CHECK(cluster.body.empty());
  CHECK_THAT(router.handle(req("GET", "/admin/loggers/org.cluster")).body, Catch::StartsWith(R"({"level":"ALL",)"));
  CHECK(put("org.odd", R"({"level":"info"})", "?scope=galaxy").status == 200);  // unknown scope: worker

  auto root = put("ROOT", R"({"level":"error"})");
  CHECK(root.body == R"(["org.cluster","org.example","org.example.a","org.example.b","org.odd","root"])");
  auto listed = router.handle(req("GET", "/admin/loggers")).body;
  CHECK_THAT(listed, Catch::Contains(R"("org.example.a":{"level":"ERROR","last_modified":)"));
  CHECK_THAT(listed, Catch::Contains(R"("root":{"level":"ERROR","last_modified":)"));
  CHECK_THAT(router.handle(req("GET", "/admin/loggers/root")).body, Catch::StartsWith(R"({"level":"ERROR")"));
}

TEST_CASE("router: logger levels reach runtime/common/log", "[rest][router]") {
  auto saved = log::level();
  FakeHerder h;
  auto o = quiet();
  o.apply_log_levels = true;
  Router router(h, o);
  router.handle(req("PUT", "/admin/loggers/resttest.router", R"({"level":"TRACE"})"));
  CHECK(log::enabled(log::Level::Trace, "resttest.router.x"));
  router.handle(req("PUT", "/admin/loggers/resttest.router", R"({"level":"OFF"})"));
  CHECK_FALSE(log::enabled(log::Level::Error, "resttest.router"));
  router.handle(req("PUT", "/admin/loggers/root", R"({"level":"FATAL"})"));
  CHECK(log::level() == log::Level::Error);
  CHECK_THAT(router.handle(req("GET", "/admin/loggers/root")).body, Catch::StartsWith(R"({"level":"FATAL")"));
  log::set_level(log::Level::Warn);  // changed elsewhere: shown as it is
  CHECK_THAT(router.handle(req("GET", "/admin/loggers/root")).body, Catch::StartsWith(R"({"level":"WARN")"));
  log::set_context_level("resttest.router", log::Level::Info);
  log::set_level(saved);
}

TEST_CASE("router: exceptions from the herder become 500s", "[rest][router]") {
  struct Throwing : FakeHerder {
    std::vector<std::string> connectors() override { throw std::runtime_error("store unavailable"); }
  } h;
  Router router(h, quiet());
  auto r = router.handle(req("GET", "/connectors"));
  CHECK(r.status == 500);
  CHECK(r.body == R"({"error_code":500,"message":"store unavailable"})");
}

TEST_CASE("router: herder error statuses map onto HTTP", "[rest][router]") {
  struct Failing : FakeHerder {
    Status pause_connector(const std::string&) override { return Error::fatal("disk full"); }
    Status resume_connector(const std::string&) override { return Error::with_status(409, "rebalancing"); }
    Status stop_connector(const std::string&) override { return Error::with_status(42, "odd"); }
  } h;
  Router router(h, quiet());
  CHECK(router.handle(req("PUT", "/connectors/a/pause")).body == R"({"error_code":500,"message":"disk full"})");
  CHECK(router.handle(req("PUT", "/connectors/a/resume")).body == R"({"error_code":409,"message":"rebalancing"})");
  CHECK(router.handle(req("PUT", "/connectors/a/stop")).status == 500);
}

TEST_CASE("router: trailing slashes and absolute targets", "[rest][router]") {
  FakeHerder h;
  Router router(h, quiet());
  CHECK(router.handle(req("GET", "/connectors/")).body == "[]");
  CHECK(router.handle(req("GET", "http://localhost:8083/connectors?x=1")).body == "[]");
  CHECK(router.handle(req("GET", "/connector-plugins/?connectorsOnly=true#frag")).status == 200);
}
