// RestConfig from worker properties: listeners, admin listeners, advertised URL.

#include <catch2/catch.hpp>

#include <unistd.h>

#include "rest/rest_config.h"
#include "runtime/common/log.h"

using namespace sluice;
using namespace sluice::rest;

TEST_CASE("listener strings parse as Connect writes them", "[rest][config]") {
  auto a = Listener::parse("http://:8083");
  REQUIRE(a);
  CHECK(a->scheme == "http");
  CHECK(a->host.empty());
  CHECK(a->port == 8083);

  auto b = Listener::parse("HTTP://127.0.0.1:0");
  REQUIRE(b);
  CHECK(b->scheme == "http");
  CHECK(b->host == "127.0.0.1");
  CHECK(b->port == 0);

  auto c = Listener::parse("http://[::1]:9000");
  REQUIRE(c);
  CHECK(c->host == "::1");
  CHECK(c->port == 9000);

  auto d = Listener::parse("http://my-host.example.com:8083/");
  REQUIRE(d);
  CHECK(d->host == "my-host.example.com");

  auto https = Listener::parse("https://:8443");
  REQUIRE_FALSE(https);
  CHECK_THAT(https.error().message, Catch::Contains("https listeners are not supported yet"));

  CHECK_FALSE(Listener::parse("ftp://:21"));
  CHECK_FALSE(Listener::parse("localhost:8083"));
  CHECK_FALSE(Listener::parse("http://host"));
  CHECK_FALSE(Listener::parse("http://host:"));
  CHECK_FALSE(Listener::parse("http://host:70000"));
  CHECK_FALSE(Listener::parse("http://host:-1"));
  CHECK_FALSE(Listener::parse("http://ho st:80"));
  CHECK_FALSE(Listener::parse("http://[::1:80"));
}

TEST_CASE("RestConfig defaults", "[rest][config]") {
  auto c = RestConfig::from_worker({});
  REQUIRE(c);
  REQUIRE(c->listeners.size() == 1);
  CHECK(c->listeners[0].host.empty());
  CHECK(c->listeners[0].port == 8083);
  CHECK_FALSE(c->admin_listeners.has_value());
  CHECK(c->advertised_host.empty());
  CHECK_FALSE(c->advertised_port.has_value());
  CHECK(c->cors_allow_origin.empty());
  CHECK(c->topic_tracking_enable);
  CHECK(c->topic_tracking_allow_reset);
  CHECK(c->max_body_bytes == 1024 * 1024);
  CHECK(c->read_timeout == std::chrono::seconds(30));
}

TEST_CASE("RestConfig reads Connect's worker properties", "[rest][config]") {
  auto c = RestConfig::from_worker({{"listeners", "http://127.0.0.1:0, http://:8084"},
                                    {"admin.listeners", "http://127.0.0.1:0"},
                                    {"rest.advertised.host.name", "worker-1.example.com"},
                                    {"rest.advertised.port", "18083"},
                                    {"rest.advertised.listener", "HTTP"},
                                    {"access.control.allow.origin", "*"},
                                    {"access.control.allow.methods", "GET,PUT"},
                                    {"topic.tracking.enable", "false"},
                                    {"topic.tracking.allow.reset", "FALSE"},
                                    {"response.http.headers.config", "add X-Frame-Options: DENY"}});
  REQUIRE(c);
  REQUIRE(c->listeners.size() == 2);
  CHECK(c->listeners[0].host == "127.0.0.1");
  CHECK(c->listeners[1].port == 8084);
  REQUIRE(c->admin_listeners.has_value());
  CHECK(c->admin_listeners->size() == 1);
  CHECK(c->advertised_host == "worker-1.example.com");
  CHECK(c->advertised_port == 18083);
  CHECK(c->advertised_listener == "http");
  CHECK(c->cors_allow_origin == "*");
  CHECK(c->cors_allow_methods == "GET,PUT");
  CHECK_FALSE(c->topic_tracking_enable);
  CHECK_FALSE(c->topic_tracking_allow_reset);
}

TEST_CASE("admin.listeners: unset, empty or its own", "[rest][config]") {
  auto empty = RestConfig::from_worker({{"admin.listeners", ""}});
  REQUIRE(empty);
  REQUIRE(empty->admin_listeners.has_value());
  CHECK(empty->admin_listeners->empty());

  auto blank = RestConfig::from_worker({{"admin.listeners", " , "}});
  REQUIRE(blank);
  CHECK(blank->admin_listeners->empty());

  CHECK_FALSE(RestConfig::from_worker({{"admin.listeners", "https://:9999"}}));
}

TEST_CASE("RestConfig rejects bad values with a message naming the key", "[rest][config]") {
  auto https = RestConfig::from_worker({{"listeners", "http://:8083,https://:8443"}});
  REQUIRE_FALSE(https);
  CHECK_THAT(https.error().message, Catch::Contains("listeners"));
  CHECK_THAT(https.error().message, Catch::Contains("https listeners are not supported yet"));

  auto none = RestConfig::from_worker({{"listeners", ""}});
  REQUIRE_FALSE(none);
  CHECK_THAT(none.error().message, Catch::Contains("at least one listener"));

  CHECK_FALSE(RestConfig::from_worker({{"rest.advertised.port", "http"}}));
  CHECK_FALSE(RestConfig::from_worker({{"rest.advertised.listener", "https"}}));
  CHECK_FALSE(RestConfig::from_worker({{"rest.advertised.listener", "gopher"}}));
  CHECK_FALSE(RestConfig::from_worker({{"topic.tracking.enable", "yes"}}));
}

TEST_CASE("the deprecated rest.host.name / rest.port still work without listeners", "[rest][config]") {
  auto c = RestConfig::from_worker({{"rest.host.name", "127.0.0.1"}, {"rest.port", "9090"}});
  REQUIRE(c);
  REQUIRE(c->listeners.size() == 1);
  CHECK(c->listeners[0].host == "127.0.0.1");
  CHECK(c->listeners[0].port == 9090);
  // listeners wins when both are there
  auto d = RestConfig::from_worker({{"listeners", "http://:1"}, {"rest.port", "9090"}});
  REQUIRE(d);
  CHECK(d->listeners[0].port == 1);
}

TEST_CASE("advertised URL: advertised host, else listener host, else hostname", "[rest][config]") {
  RestConfig c = *RestConfig::from_worker({{"listeners", "http://127.0.0.1:0"}});
  CHECK(advertised_url_for(c, c.listeners[0], 40000) == "http://127.0.0.1:40000/");
  CHECK(worker_id_of("http://127.0.0.1:40000/") == "127.0.0.1:40000");

  c.advertised_host = "connect-1";
  CHECK(advertised_url_for(c, c.listeners[0], 40000) == "http://connect-1:40000/");
  c.advertised_port = 8083;
  CHECK(advertised_url_for(c, c.listeners[0], 40000) == "http://connect-1:8083/");

  RestConfig any = *RestConfig::from_worker({{"listeners", "http://:0"}});
  char host[256] = {};
  REQUIRE(gethostname(host, sizeof host - 1) == 0);
  CHECK(advertised_url_for(any, any.listeners[0], 1234) == "http://" + std::string(host) + ":1234/");

  RestConfig v6 = *RestConfig::from_worker({{"listeners", "http://[::1]:0"}});
  CHECK(advertised_url_for(v6, v6.listeners[0], 5) == "http://[::1]:5/");
  CHECK(worker_id_of("http://[::1]:5/") == "[::1]:5");
}

TEST_CASE("the advertised listener picks the first listener with its scheme", "[rest][config]") {
  RestConfig c = *RestConfig::from_worker({{"listeners", "http://a:1,http://b:2"}, {"rest.advertised.listener", "http"}});
  CHECK(advertised_listener_index(c) == 0);
}

TEST_CASE("per-context log levels follow the longest dotted prefix", "[rest][log]") {
  auto saved = log::level();
  log::set_level(log::Level::Info);
  CHECK_FALSE(log::enabled(log::Level::Debug, "resttest.a.b"));
  log::set_context_level("resttest.a", log::Level::Debug);
  CHECK(log::enabled(log::Level::Debug, "resttest.a"));
  CHECK(log::enabled(log::Level::Debug, "resttest.a.b"));
  CHECK_FALSE(log::enabled(log::Level::Trace, "resttest.a.b"));
  CHECK_FALSE(log::enabled(log::Level::Debug, "resttest.ab"));
  CHECK_FALSE(log::enabled(log::Level::Debug, "resttest"));
  log::set_context_level("resttest.a.b", log::Level::Off);
  CHECK_FALSE(log::enabled(log::Level::Error, "resttest.a.b"));
  CHECK(log::enabled(log::Level::Info, "other"));
  log::set_context_level("resttest.a", log::Level::Info);
  log::set_context_level("resttest.a.b", log::Level::Info);
  log::set_level(saved);
}
