// Every endpoint over real HTTP on loopback against the FakeHerder, and the server's own
// behaviour: keep-alive, limits, timeouts, concurrency, graceful stop.

#include <catch2/catch.hpp>

#include <atomic>
#include <functional>
#include <thread>

#include "rest/router.h"
#include "rest/server.h"
#include "tests/unit/rest/fake_herder.h"
#include "tests/unit/rest/http_client.h"

using namespace sluice;
using namespace sluice::rest;
using namespace sluice::rest::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kNotFound = R"({"error_code":404,"message":"HTTP 404 Not Found"})";

using Props = std::map<std::string, std::string>;

struct Server {
  FakeHerder herder;  // outlives the server
  std::unique_ptr<RestServer> server;
  uint16_t port = 0;

  explicit Server(std::map<std::string, std::string> props = {},
                  const std::function<void(RestConfig&)>& tweak = {}) {
    props.emplace("listeners", "http://127.0.0.1:0");
    auto config = RestConfig::from_worker(props);
    REQUIRE(config);
    config->apply_log_levels = false;
    if (tweak) tweak(*config);
    auto s = RestServer::start(*config, herder);
    if (!s) FAIL(s.error().message);
    server = std::move(*s);
    port = server->ports().at(0);
  }

  HttpResponse operator()(const std::string& method, const std::string& target, const std::string& body = "",
                          const std::map<std::string, std::string>& headers = {}) {
    return http(port, method, target, body, headers);
  }

  void add_running(const std::string& name, int tasks = 2) {
    FakeHerder::Connector c;
    c.tasks = tasks;
    herder.add(name, c);
  }
};

std::string base(const Server& s) { return "http://127.0.0.1:" + std::to_string(s.port) + "/"; }

}  // namespace

TEST_CASE("server: ports, advertised URL and worker id", "[rest][server]") {
  Server s;
  CHECK(s.port != 0);
  CHECK(s.server->advertised_url() == base(s));
  CHECK(s.server->worker_id() == "127.0.0.1:" + std::to_string(s.port));
  CHECK(s.server->admin_ports().empty());

  Server adv(Props{{"rest.advertised.host.name", "connect-7"}, {"rest.advertised.port", "18083"}});
  CHECK(adv.server->advertised_url() == "http://connect-7:18083/");
  CHECK(adv.server->worker_id() == "connect-7:18083");
}

TEST_CASE("server: a port in use is a clear error", "[rest][server]") {
  Server first;
  auto config = RestConfig::from_worker({{"listeners", "http://127.0.0.1:" + std::to_string(first.port)}});
  REQUIRE(config);
  FakeHerder h;
  auto second = RestServer::start(*config, h);
  REQUIRE_FALSE(second);
  CHECK_THAT(second.error().message, Catch::Contains("Unable to bind REST listener"));
}

TEST_CASE("server: several listeners", "[rest][server]") {
  Server s(Props{{"listeners", "http://127.0.0.1:0,http://localhost:0"}});
  auto ports = s.server->ports();
  REQUIRE(ports.size() == 2);
  CHECK(http(ports[0], "GET", "/connectors").status == 200);
  CHECK(http(ports[1], "GET", "/connectors").status == 200);
}

TEST_CASE("GET / and GET /health", "[rest][server]") {
  Server s;
  auto root = s("GET", "/");
  CHECK(root.status == 200);
  CHECK(root.header("content-type") == "application/json");
  CHECK(root.body == R"({"version":"3.7.0","commit":"2ae524ed625438c5","kafka_cluster_id":"I4ZmrWqfT2e-upky_4fdPA"})");
  auto health = s("GET", "/health");
  CHECK(health.status == 200);
  CHECK(health.body == R"({"status":"healthy","message":"Worker has completed startup and is ready to handle requests."})");
  s.herder.is_ready = false;
  auto starting = s("GET", "/health");
  CHECK(starting.status == 503);
  CHECK(starting.body == R"({"status":"starting","message":"Worker is still starting up."})");
}

TEST_CASE("POST /connectors creates: 201, Location, trimmed name, coerced values", "[rest][server]") {
  Server s;
  auto r = s("POST", "/connectors",
             R"({"name":"  inventory ","config":{"connector.class":"org.example.FileSourceConnector","tasks.max":2,"flag":true,"ratio":1.50}})");
  CHECK(r.status == 201);
  CHECK(r.header("location") == base(s) + "connectors/inventory");
  CHECK(r.header("content-type") == "application/json");
  CHECK(r.body ==
        R"({"name":"inventory","config":{"connector.class":"org.example.FileSourceConnector","flag":"true","name":"inventory","ratio":"1.50","tasks.max":"2"},"tasks":[{"connector":"inventory","task":0},{"connector":"inventory","task":1}],"type":"source"})");
  CHECK(s.herder.last_initial_state() == herder::InitialState::Running);
  CHECK(s.herder.has("inventory"));

  SECTION("an existing name is a 409") {
    auto again = s("POST", "/connectors", R"({"name":"inventory","config":{"connector.class":"FileSource"}})");
    CHECK(again.status == 409);
    CHECK(again.body == R"({"error_code":409,"message":"Connector inventory already exists"})");
  }
  SECTION("initial_state") {
    auto paused = s("POST", "/connectors",
                    R"({"name":"p","config":{"connector.class":"FileSource"},"initial_state":"PAUSED"})");
    CHECK(paused.status == 201);
    CHECK(s.herder.last_initial_state() == herder::InitialState::Paused);
    CHECK(s.herder.get("p").state == "PAUSED");
    auto stopped = s("POST", "/connectors",
                     R"({"name":"q","config":{"connector.class":"FileSource"},"initial_state":"stopped"})");
    CHECK(stopped.status == 201);
    CHECK(s.herder.get("q").state == "STOPPED");
    CHECK_THAT(stopped.body, Catch::Contains(R"("tasks":[])"));
    auto bad = s("POST", "/connectors", R"({"name":"r","config":{"connector.class":"FileSource"},"initial_state":"ASLEEP"})");
    CHECK(bad.status == 500);  // Jackson cannot read the enum: a 500 in Connect
    CHECK_FALSE(s.herder.has("r"));
  }
  SECTION("a name needing encoding in Location") {
    auto odd = s("POST", "/connectors", R"({"name":"my db/1 \u20ac","config":{"connector.class":"FileSource"}})");
    CHECK(odd.status == 201);
    CHECK(odd.header("location") == base(s) + "connectors/my%20db%2F1%20%E2%82%AC");
  }
}

TEST_CASE("POST /connectors: the 400s", "[rest][server]") {
  Server s;
  // Connect fails on a missing config with a NullPointerException: a 500.
  auto no_config = s("POST", "/connectors", R"({"name":"a"})");
  CHECK(no_config.status == 500);
  CHECK(no_config.header("content-type") == "application/json");
  CHECK_THAT(no_config.body, Catch::StartsWith(R"({"error_code":500,"message":")"));

  auto mismatch = s("POST", "/connectors", R"({"name":"a","config":{"name":"b","connector.class":"FileSource"}})");
  CHECK(mismatch.status == 400);
  CHECK(mismatch.body ==
        R"j({"error_code":400,"message":"Connector name configuration (b) doesn't match connector name in the URL (a)"})j");

  auto no_class = s("POST", "/connectors", R"({"name":"a","config":{"tasks.max":"1"}})");
  CHECK(no_class.status == 400);
  CHECK(no_class.body == R"({"error_code":400,"message":"Connector config {name=a, tasks.max=1} contains no connector type"})");

  auto nulls = s("POST", "/connectors", R"({"name":"a","config":{"connector.class":"FileSource","x":null,"y":null}})");
  CHECK(nulls.status == 400);
  CHECK(nulls.body ==
        R"({"error_code":400,"message":"Connector configuration is invalid and contains the following 2 error(s):\nNull value can not be supplied as the configuration value.\nNull value can not be supplied as the configuration value.\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`"})");

  auto unparsable = s("POST", "/connectors", R"({"name":"a",)");
  CHECK(unparsable.status == 500);  // Jackson's parse errors are 500s in Connect
  CHECK_THAT(unparsable.body, Catch::Contains("Unparsable JSON body"));
  CHECK_THAT(unparsable.body, Catch::Contains("at offset"));

  auto unknown_class = s("POST", "/connectors", R"({"name":"a","config":{"connector.class":"com.nope.Missing"}})");
  CHECK(unknown_class.status == 500);
  CHECK_THAT(unknown_class.body, Catch::Contains("Failed to find any class that implements Connector"));

  auto empty_name = s("POST", "/connectors", R"({"config":{"connector.class":"FileSource"}})");
  CHECK(empty_name.status == 400);
  CHECK_THAT(empty_name.body, Catch::Contains("Connector configuration is invalid"));

  auto form = s("POST", "/connectors", "name=a", {{"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(form.status == 415);
  CHECK(s.herder.connectors().empty());
}

TEST_CASE("GET /connectors with and without expand", "[rest][server]") {
  Server s;
  CHECK(s("GET", "/connectors").body == "[]");
  s.add_running("a", 2);
  s.add_running("b", 1);
  CHECK(s("GET", "/connectors").body == R"(["a","b"])");

  auto status = s("GET", "/connectors?expand=status");
  CHECK(status.status == 200);
  CHECK(status.body ==
        R"({"a":{"status":{"name":"a","connector":{"state":"RUNNING","worker_id":"127.0.0.1:8083"},"tasks":[{"id":0,"state":"RUNNING","worker_id":"127.0.0.1:8083"},{"id":1,"state":"RUNNING","worker_id":"127.0.0.1:8083"}],"type":"source"}},)"
        R"("b":{"status":{"name":"b","connector":{"state":"RUNNING","worker_id":"127.0.0.1:8083"},"tasks":[{"id":0,"state":"RUNNING","worker_id":"127.0.0.1:8083"}],"type":"source"}}})");

  auto both = s("GET", "/connectors?expand=info&expand=status");
  CHECK_THAT(both.body, Catch::StartsWith(R"({"a":{"status":{"name":"a",)"));
  CHECK_THAT(both.body, Catch::Contains(R"(,"info":{"name":"a","config":{"connector.class":"org.example.FileSourceConnector","name":"a"},"tasks":[{"connector":"a","task":0},{"connector":"a","task":1}],"type":"source"}})"));

  CHECK(s("GET", "/connectors?expand=nothing").body == R"({"a":{},"b":{}})");

  // a connector without status (just created) is left out
  FakeHerder::Connector fresh;
  fresh.has_status = false;
  s.herder.add("c", fresh);
  auto without = s("GET", "/connectors?expand=status");
  CHECK(without.body.find(R"("c":)") == std::string::npos);
  CHECK_THAT(s("GET", "/connectors?expand=info").body, Catch::Contains(R"("c":{"info":)"));
}

TEST_CASE("GET and DELETE /connectors/{n}", "[rest][server]") {
  Server s;
  s.add_running("a", 1);
  auto info = s("GET", "/connectors/a");
  CHECK(info.status == 200);
  CHECK(info.body ==
        R"({"name":"a","config":{"connector.class":"org.example.FileSourceConnector","name":"a"},"tasks":[{"connector":"a","task":0}],"type":"source"})");
  auto missing = s("GET", "/connectors/zz");
  CHECK(missing.status == 404);
  CHECK(missing.body == R"({"error_code":404,"message":"Connector zz not found"})");

  auto del = s("DELETE", "/connectors/a");
  CHECK(del.status == 204);
  CHECK(del.body.empty());
  CHECK_FALSE(del.has_header("content-type"));
  CHECK_FALSE(s.herder.has("a"));
  CHECK(s("DELETE", "/connectors/a").status == 404);
}

TEST_CASE("connector config: GET, PUT (201/200), PATCH", "[rest][server]") {
  Server s;
  auto created = s("PUT", "/connectors/c1/config", R"({"connector.class":"FileSource","tasks.max":"1"})");
  CHECK(created.status == 201);
  CHECK(created.header("location") == base(s) + "connectors/c1");
  CHECK(created.body ==
        R"({"name":"c1","config":{"connector.class":"FileSource","name":"c1","tasks.max":"1"},"tasks":[{"connector":"c1","task":0}],"type":"source"})");

  auto updated = s("PUT", "/connectors/c1/config", R"({"connector.class":"FileSource","tasks.max":3,"name":"c1"})");
  CHECK(updated.status == 200);
  CHECK_FALSE(updated.has_header("location"));
  CHECK_THAT(updated.body, Catch::Contains(R"("tasks.max":"3")"));

  CHECK(s("GET", "/connectors/c1/config").body == R"({"connector.class":"FileSource","name":"c1","tasks.max":"3"})");
  CHECK(s("GET", "/connectors/nope/config").status == 404);

  auto mismatch = s("PUT", "/connectors/c1/config", R"({"connector.class":"FileSource","name":"other"})");
  CHECK(mismatch.status == 400);
  CHECK(mismatch.body ==
        R"j({"error_code":400,"message":"Connector name configuration (other) doesn't match connector name in the URL (c1)"})j");
  auto no_class = s("PUT", "/connectors/c2/config", R"({"tasks.max":"1"})");
  CHECK(no_class.status == 400);
  CHECK(no_class.body == R"({"error_code":400,"message":"Connector config {name=c2, tasks.max=1} contains no connector type"})");
  auto null_value = s("PUT", "/connectors/c1/config", R"({"connector.class":"FileSource","x":null})");
  CHECK(null_value.status == 400);
  CHECK_THAT(null_value.body, Catch::Contains("following 1 error(s):\\nNull value can not be supplied"));
  auto not_object = s("PUT", "/connectors/c1/config", R"(["a"])");
  CHECK(not_object.status == 500);
  auto garbage = s("PUT", "/connectors/c1/config", "not json");
  CHECK(garbage.status == 500);
  CHECK_THAT(garbage.body, Catch::Contains("Unparsable JSON body: Invalid value. (at offset 1)"));

  auto patched = s("PATCH", "/connectors/c1/config", R"({"tasks.max":null,"file":"/tmp/x"})");
  CHECK(patched.status == 200);
  CHECK(patched.body ==
        R"({"name":"c1","config":{"connector.class":"FileSource","file":"/tmp/x","name":"c1"},"tasks":[{"connector":"c1","task":0}],"type":"source"})");
  auto patch = s.herder.last_patch();
  CHECK(patch.at("tasks.max") == std::nullopt);
  CHECK(patch.at("file") == std::optional<std::string>("/tmp/x"));
  auto patch_missing = s("PATCH", "/connectors/nope/config", R"({"a":"b"})");
  CHECK(patch_missing.status == 404);
}

TEST_CASE("status, task status, tasks, tasks-config", "[rest][server]") {
  Server s;
  FakeHerder::Connector c;
  c.tasks = 3;
  c.failed_tasks = {1};
  s.herder.add("a", c);

  auto status = s("GET", "/connectors/a/status");
  CHECK(status.status == 200);
  CHECK(status.body ==
        R"({"name":"a","connector":{"state":"RUNNING","worker_id":"127.0.0.1:8083"},"tasks":[)"
        R"({"id":0,"state":"RUNNING","worker_id":"127.0.0.1:8083"},)"
        R"({"id":1,"state":"FAILED","worker_id":"127.0.0.1:8083","trace":"org.apache.kafka.connect.errors.ConnectException: boom\n\tat Task.poll"},)"
        R"({"id":2,"state":"RUNNING","worker_id":"127.0.0.1:8083"}],"type":"source"})");
  auto missing = s("GET", "/connectors/x/status");
  CHECK(missing.status == 404);
  CHECK(missing.body == R"({"error_code":404,"message":"No status found for connector x"})");

  CHECK(s("GET", "/connectors/a/tasks/2/status").body == R"({"id":2,"state":"RUNNING","worker_id":"127.0.0.1:8083"})");
  auto t9 = s("GET", "/connectors/a/tasks/9/status");
  CHECK(t9.status == 404);
  CHECK(t9.body == R"({"error_code":404,"message":"No status found for task a-9"})");
  CHECK(s("GET", "/connectors/a/tasks/one/status").body == kNotFound);

  CHECK(s("GET", "/connectors/a/tasks").body ==
        R"([{"id":{"connector":"a","task":0},"config":{"connector.class":"org.example.FileSourceConnector","name":"a","task.index":"0"}},)"
        R"({"id":{"connector":"a","task":1},"config":{"connector.class":"org.example.FileSourceConnector","name":"a","task.index":"1"}},)"
        R"({"id":{"connector":"a","task":2},"config":{"connector.class":"org.example.FileSourceConnector","name":"a","task.index":"2"}}])");
  CHECK(s("GET", "/connectors/a/tasks-config").body ==
        R"({"a-0":{"connector.class":"org.example.FileSourceConnector","name":"a","task.index":"0"},)"
        R"("a-1":{"connector.class":"org.example.FileSourceConnector","name":"a","task.index":"1"},)"
        R"("a-2":{"connector.class":"org.example.FileSourceConnector","name":"a","task.index":"2"}})");
  CHECK(s("GET", "/connectors/x/tasks").status == 404);
  CHECK(s("GET", "/connectors/x/tasks-config").status == 404);
}

TEST_CASE("restarts", "[rest][server]") {
  Server s;
  FakeHerder::Connector c;
  c.tasks = 2;
  c.failed_tasks = {0};
  s.herder.add("a", c);

  auto plain = s("POST", "/connectors/a/restart");
  CHECK(plain.status == 204);
  CHECK(plain.body.empty());
  CHECK(s.herder.last_restart() == "a");

  auto explicit_false = s("POST", "/connectors/a/restart?includeTasks=false&onlyFailed=false");
  CHECK(explicit_false.status == 204);

  auto with_tasks = s("POST", "/connectors/a/restart?includeTasks=true");
  CHECK(with_tasks.status == 202);
  CHECK(s.herder.last_restart() == "a includeTasks");
  CHECK(with_tasks.body ==
        R"({"name":"a","connector":{"state":"RESTARTING","worker_id":"127.0.0.1:8083"},"tasks":[)"
        R"({"id":1,"state":"RESTARTING","worker_id":"127.0.0.1:8083"},)"
        R"({"id":0,"state":"RESTARTING","worker_id":"127.0.0.1:8083","trace":"org.apache.kafka.connect.errors.ConnectException: boom\n\tat Task.poll"}],"type":"source"})");

  auto only_failed = s("POST", "/connectors/a/restart?includeTasks=TRUE&onlyFailed=true");
  CHECK(only_failed.status == 202);
  CHECK(s.herder.last_restart() == "a includeTasks onlyFailed");
  CHECK_THAT(only_failed.body, Catch::Contains(R"({"state":"RUNNING","worker_id")"));
  CHECK_THAT(only_failed.body, Catch::Contains(R"({"id":1,"state":"RUNNING")"));

  auto missing = s("POST", "/connectors/zz/restart");
  CHECK(missing.status == 404);
  CHECK(missing.body == R"({"error_code":404,"message":"Unknown connector: zz"})");

  auto task = s("POST", "/connectors/a/tasks/1/restart");
  CHECK(task.status == 204);
  CHECK(s.herder.last_restart() == "a-1");
  auto bad_task = s("POST", "/connectors/a/tasks/7/restart");
  CHECK(bad_task.status == 404);
  CHECK(bad_task.body == R"({"error_code":404,"message":"Unknown task: a-7"})");
  CHECK(s("POST", "/connectors/zz/tasks/0/restart").body == R"({"error_code":404,"message":"Unknown connector: zz"})");
}

TEST_CASE("pause, resume, stop", "[rest][server]") {
  Server s;
  s.add_running("a");
  auto pause = s("PUT", "/connectors/a/pause");
  CHECK(pause.status == 202);
  CHECK(pause.body.empty());
  CHECK(s.herder.get("a").state == "PAUSED");
  auto resume = s("PUT", "/connectors/a/resume");
  CHECK(resume.status == 202);
  CHECK(s.herder.get("a").state == "RUNNING");
  auto stop = s("PUT", "/connectors/a/stop");
  CHECK(stop.status == 204);
  CHECK(s.herder.get("a").state == "STOPPED");
  for (const char* op : {"pause", "resume", "stop"}) {
    auto r = s("PUT", std::string("/connectors/zz/") + op);
    CHECK(r.status == 404);
    CHECK(r.body == R"({"error_code":404,"message":"Unknown connector zz"})");
  }
  CHECK(s("GET", "/connectors/a/pause").status == 405);
}

TEST_CASE("offsets: GET, PATCH, DELETE", "[rest][server]") {
  Server s;
  FakeHerder::Connector c;
  c.offsets = {{R"({"server":"dbserver1"})", std::string(R"({"file":"mysql-bin.000003","pos":154})")}};
  s.herder.add("a", c);
  auto get = s("GET", "/connectors/a/offsets");
  CHECK(get.status == 200);
  CHECK(get.body == R"({"offsets":[{"partition":{"server":"dbserver1"},"offset":{"file":"mysql-bin.000003","pos":154}}]})");
  CHECK(s("GET", "/connectors/zz/offsets").status == 404);

  const std::string patch = R"({"offsets":[{"partition":{"server":"dbserver1"},"offset":{"file":"mysql-bin.000004","pos":4}}]})";
  auto running = s("PATCH", "/connectors/a/offsets", patch);
  CHECK(running.status == 400);
  CHECK_THAT(running.body, Catch::Contains("Connectors must be in the STOPPED state before their offsets can be modified"));
  // As Connect: the state is checked before what the entries hold.
  auto running_no_partition = s("PATCH", "/connectors/a/offsets", R"({"offsets":[{"offset":{}}]})");
  CHECK_THAT(running_no_partition.body, Catch::Contains("must be in the STOPPED state"));

  s("PUT", "/connectors/a/stop");
  auto altered = s("PATCH", "/connectors/a/offsets", patch);
  CHECK(altered.status == 200);
  CHECK_THAT(altered.body, Catch::StartsWith(R"({"message":"The Connect framework-managed offsets for this connector have been altered successfully.)"));
  REQUIRE(s.herder.last_altered().size() == 1);
  CHECK(s.herder.last_altered()[0].offset_json == std::string(R"({"file":"mysql-bin.000004","pos":4})"));
  CHECK(s("GET", "/connectors/a/offsets").body ==
        R"({"offsets":[{"partition":{"server":"dbserver1"},"offset":{"file":"mysql-bin.000004","pos":4}}]})");

  auto empty = s("PATCH", "/connectors/a/offsets", R"({"offsets":[]})");
  CHECK(empty.status == 400);
  CHECK(empty.body == R"({"error_code":400,"message":"Partitions / offsets need to be provided for an alter offsets request"})");
  CHECK(s("PATCH", "/connectors/a/offsets", R"({})").status == 400);
  CHECK(s("PATCH", "/connectors/a/offsets", R"({"offsets":[{"offset":{}}]})").body ==
        R"({"error_code":400,"message":"Partition objects cannot be null"})");

  auto removed = s("PATCH", "/connectors/a/offsets", R"({"offsets":[{"partition":{"server":"dbserver1"},"offset":null}]})");
  CHECK(removed.status == 200);
  CHECK_FALSE(s.herder.last_altered()[0].offset_json);

  auto reset = s("DELETE", "/connectors/a/offsets");
  CHECK(reset.status == 200);
  CHECK_THAT(reset.body, Catch::Contains("have been reset successfully"));
  CHECK(s("DELETE", "/connectors/zz/offsets").status == 404);
}

TEST_CASE("topics and topic reset", "[rest][server]") {
  SECTION("tracking on") {
    Server s;
    FakeHerder::Connector c;
    c.topics = {"t1", "t2"};
    s.herder.add("a", c);
    CHECK(s("GET", "/connectors/a/topics").body == R"({"a":{"topics":["t1","t2"]}})");
    CHECK(s("GET", "/connectors/unknown/topics").body == R"({"unknown":{"topics":[]}})");
    auto reset = s("PUT", "/connectors/a/topics/reset");
    CHECK(reset.status == 202);
    CHECK(reset.body.empty());
    CHECK(s("GET", "/connectors/a/topics").body == R"({"a":{"topics":[]}})");
  }
  SECTION("tracking off") {
    Server s(Props{{"topic.tracking.enable", "false"}});
    auto r = s("GET", "/connectors/a/topics");
    CHECK(r.status == 403);
    CHECK(r.body == R"({"error_code":403,"message":"Topic tracking is disabled."})");
    CHECK(s("PUT", "/connectors/a/topics/reset").status == 403);
  }
  SECTION("reset off") {
    Server s(Props{{"topic.tracking.allow.reset", "false"}});
    CHECK(s("GET", "/connectors/a/topics").status == 200);
    auto r = s("PUT", "/connectors/a/topics/reset");
    CHECK(r.status == 403);
    CHECK(r.body == R"({"error_code":403,"message":"Topic tracking reset is disabled."})");
  }
}

TEST_CASE("connector plugins", "[rest][server]") {
  Server s;
  CHECK(s("GET", "/connector-plugins").body ==
        R"([{"class":"org.example.FileSourceConnector","type":"source","version":"1.0"},{"class":"org.example.FileSinkConnector","type":"sink"}])");
  CHECK(s("GET", "/connector-plugins?connectorsOnly=true").body == s("GET", "/connector-plugins").body);
  auto all = s("GET", "/connector-plugins?connectorsOnly=false");
  CHECK_THAT(all.body, Catch::Contains(R"({"class":"org.apache.kafka.connect.json.JsonConverter","type":"converter","version":"3.7.0"})"));
  CHECK_THAT(all.body, Catch::Contains(R"("type":"transformation")"));

  auto config = s("GET", "/connector-plugins/FileSource/config");
  CHECK(config.status == 200);
  CHECK(config.body ==
        R"([{"name":"file","type":"STRING","required":true,"default_value":null,"importance":"HIGH","documentation":"Source filename.","group":"File","width":"LONG","display_name":"File","dependents":[],"order":1},)"
        R"({"name":"password","type":"PASSWORD","required":false,"default_value":"[hidden]","importance":"MEDIUM","documentation":"A secret.","group":null,"width":"NONE","display_name":"password","dependents":[],"order":-1},)"
        R"({"name":"tasks.max","type":"INT","required":false,"default_value":"1","importance":"HIGH","documentation":"Maximum number of tasks to use for this connector.","group":null,"width":"NONE","display_name":"tasks.max","dependents":[],"order":-1}])");
  auto unknown = s("GET", "/connector-plugins/com.nope.X/config");
  CHECK(unknown.status == 404);
  CHECK(unknown.body == R"({"error_code":404,"message":"Unknown plugin com.nope.X."})");
}

TEST_CASE("PUT /connector-plugins/{type}/config/validate", "[rest][server]") {
  Server s;
  auto r = s("PUT", "/connector-plugins/FileSourceConnector/config/validate",
             R"({"connector.class":"org.example.FileSourceConnector","tasks.max":0,"password":"s3cret","extra":null})");
  CHECK(r.status == 200);
  CHECK(r.body.find("s3cret") == std::string::npos);
  CHECK(r.body ==
        R"({"name":"org.example.FileSourceConnector","error_count":3,"groups":["File"],"configs":[)"
        R"({"definition":{"name":"file","type":"STRING","required":true,"default_value":null,"importance":"HIGH","documentation":"Source filename.","group":"File","width":"LONG","display_name":"File","dependents":[],"order":1},"value":{"name":"file","value":null,"recommended_values":[],"errors":["Missing required configuration \"file\" which has no default value."],"visible":true}},)"
        R"({"definition":{"name":"password","type":"PASSWORD","required":false,"default_value":"[hidden]","importance":"MEDIUM","documentation":"A secret.","group":null,"width":"NONE","display_name":"password","dependents":[],"order":-1},"value":{"name":"password","value":"[hidden]","recommended_values":[],"errors":[],"visible":true}},)"
        R"({"definition":{"name":"tasks.max","type":"INT","required":false,"default_value":"1","importance":"HIGH","documentation":"Maximum number of tasks to use for this connector.","group":null,"width":"NONE","display_name":"tasks.max","dependents":[],"order":-1},"value":{"name":"tasks.max","value":"0","recommended_values":[],"errors":["Invalid value 0 for configuration tasks.max: Value must be at least 1"],"visible":true}},)"
        R"({"definition":null,"value":{"name":"extra","value":null,"recommended_values":[],"errors":["Null value can not be supplied as the configuration value."],"visible":true}}]})");
  CHECK(s.herder.last_validated().at("tasks.max") == "0");

  auto short_type = s("PUT", "/connector-plugins/FileSource/config/validate",
                      R"({"connector.class":"org.example.FileSourceConnector","file":"/x"})");
  CHECK(short_type.status == 200);
  CHECK_THAT(short_type.body, Catch::StartsWith(R"({"name":"org.example.FileSourceConnector","error_count":0,)"));

  auto mismatch = s("PUT", "/connector-plugins/FileSink/config/validate", R"({"connector.class":"org.example.FileSourceConnector"})");
  CHECK(mismatch.status == 400);
  CHECK(mismatch.body ==
        R"({"error_code":400,"message":"Included connector type org.example.FileSourceConnector does not match request type FileSink"})");
  auto none = s("PUT", "/connector-plugins/FileSource/config/validate", R"({"file":"/x"})");
  // Connect validates on an executor and answers 500 with the wrapped exception's toString().
  CHECK(none.status == 500);
  CHECK(none.body == R"({"error_code":500,"message":"org.apache.kafka.connect.runtime.rest.errors.BadRequestException: Connector config {file=/x} contains no connector type"})");
  CHECK(s("PUT", "/connector-plugins/FileSource/config/validate", "{").status == 500);
  CHECK(s("GET", "/connector-plugins/FileSource/config/validate").status == 405);
}

TEST_CASE("admin loggers over HTTP", "[rest][server]") {
  Server s;
  auto all = s("GET", "/admin/loggers");
  CHECK(all.status == 200);
  CHECK_THAT(all.body, Catch::StartsWith(R"({"root":{"level":")"));
  auto put = s("PUT", "/admin/loggers/org.apache.kafka.connect", R"({"level":"DEBUG"})");
  CHECK(put.status == 200);
  CHECK(put.body == R"(["org.apache.kafka.connect"])");
  CHECK_THAT(s("GET", "/admin/loggers/org.apache.kafka.connect").body, Catch::StartsWith(R"({"level":"DEBUG","last_modified":)"));
  auto bad = s("PUT", "/admin/loggers/x", R"({"level":"VERBOSE"})");
  CHECK(bad.status == 404);
  CHECK(bad.body == R"({"error_code":404,"message":"invalid log level 'VERBOSE'."})");
  CHECK(s("GET", "/admin/loggers/never.set").status == 404);
}

TEST_CASE("admin.listeners: unset, empty, separate", "[rest][server]") {
  SECTION("unset: on the normal listeners") {
    Server s;
    CHECK(s("GET", "/admin/loggers").status == 200);
  }
  SECTION("empty: disabled") {
    Server s(Props{{"admin.listeners", ""}});
    CHECK(s.server->admin_ports().empty());
    auto r = s("GET", "/admin/loggers");
    CHECK(r.status == 404);
    CHECK(r.body == kNotFound);
    CHECK(s("GET", "/connectors").status == 200);
  }
  SECTION("separate") {
    Server s(Props{{"admin.listeners", "http://127.0.0.1:0"}});
    REQUIRE(s.server->admin_ports().size() == 1);
    uint16_t admin = s.server->admin_ports()[0];
    CHECK(admin != s.port);
    CHECK(s("GET", "/admin/loggers").status == 404);
    CHECK(http(admin, "GET", "/admin/loggers").status == 200);
    CHECK(http(admin, "PUT", "/admin/loggers/a.b", R"({"level":"warn"})").body == R"(["a.b"])");
    CHECK(http(admin, "GET", "/connectors").status == 404);
    CHECK(s("GET", "/connectors").status == 200);
  }
}

TEST_CASE("unknown paths, wrong methods, HEAD, OPTIONS over HTTP", "[rest][server]") {
  Server s;
  auto nf = s("GET", "/no/such/path");
  CHECK(nf.status == 404);
  CHECK(nf.header("content-type") == "application/json");
  CHECK(nf.body == kNotFound);
  auto wrong = s("PATCH", "/connectors/a/status");
  CHECK(wrong.status == 405);
  CHECK(wrong.header("content-type") == "application/json");
  CHECK(wrong.header("allow") == "GET");
  CHECK(wrong.body == R"({"error_code":405,"message":"HTTP 405 Method Not Allowed"})");

  HttpConnection c(s.port);
  auto head = c.request("HEAD", "/");
  CHECK(head.status == 200);
  CHECK(head.header("content-length") == std::to_string(s("GET", "/").body.size()));
  CHECK(head.body.empty());
  auto after = c.request("GET", "/connectors");  // the connection is still in sync
  CHECK(after.body == "[]");

  auto options = s("OPTIONS", "/connectors");
  CHECK(options.status == 200);
  CHECK(options.header("allow") == "GET,POST,HEAD,OPTIONS");
}

TEST_CASE("URL-encoded connector names", "[rest][server]") {
  Server s;
  for (std::string name : {"my connector", "a/b", "caf\xC3\xA9 \xE2\x82\xAC", "100%", "q?x=1&y", "plus+sign"}) {
    INFO(name);
    std::string enc = url_encode_segment(name);
    auto created = s("PUT", "/connectors/" + enc + "/config", R"({"connector.class":"FileSource"})");
    CHECK(created.status == 201);
    CHECK(created.header("location") == base(s) + "connectors/" + enc);
    CHECK(s.herder.has(name));
    auto info = s("GET", "/connectors/" + enc);
    CHECK(info.status == 200);
    CHECK(info.body.find("\"name\":\"" + name + "\"") != std::string::npos);
    CHECK(s("GET", "/connectors/" + enc + "/status").status == 200);
    CHECK(s("DELETE", "/connectors/" + enc).status == 204);
  }
  // lower-case escapes and a literal '+' in the path
  s.add_running("a b", 1);
  CHECK(s("GET", "/connectors/a%20b/status").status == 200);
  CHECK(s("GET", "/connectors/a+b/status").status == 404);
}

TEST_CASE("CORS over HTTP", "[rest][server]") {
  Server s(Props{{"access.control.allow.origin", "http://ui.example.com"}, {"access.control.allow.methods", "GET,PUT"}});
  auto r = s("GET", "/connectors", "", {{"Origin", "http://ui.example.com"}});
  CHECK(r.header("access-control-allow-origin") == "http://ui.example.com");
  auto pre = s("OPTIONS", "/connectors", "", {{"Origin", "http://ui.example.com"}, {"Access-Control-Request-Method", "PUT"}});
  CHECK(pre.status == 200);
  CHECK(pre.header("access-control-allow-methods") == "GET,PUT");
  CHECK_FALSE(s("GET", "/connectors", "", {{"Origin", "http://other"}}).has_header("access-control-allow-origin"));
}

TEST_CASE("keep-alive: several requests on one connection, and pipelining", "[rest][server]") {
  Server s;
  s.add_running("a", 1);
  HttpConnection c(s.port);
  for (int i = 0; i < 5; ++i) {
    auto r = c.request("GET", "/connectors/a/status");
    CHECK(r.status == 200);
    CHECK(r.header("connection") != "close");
  }
  CHECK(c.request("PUT", "/connectors/a/pause").status == 202);
  CHECK(c.request("GET", "/nope").status == 404);  // errors keep the connection
  CHECK(c.request("POST", "/connectors", "{bad").status == 500);
  CHECK(c.request("GET", "/connectors").body == R"(["a"])");

  // two requests in one write; answers in order
  REQUIRE(c.send_raw(HttpConnection::build("GET", "/connectors", "") + HttpConnection::build("GET", "/", "")));
  auto first = c.read_response(5s);
  auto second = c.read_response(5s);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->body == R"(["a"])");
  CHECK_THAT(second->body, Catch::StartsWith(R"({"version":)"));

  // HTTP/1.0 without keep-alive: answered, then closed
  HttpConnection old(s.port);
  REQUIRE(old.send_raw("GET /connectors HTTP/1.0\r\n\r\n"));
  auto r = old.read_response(5s);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(old.wait_closed(5s));

  // Connection: close is honoured
  HttpConnection closing(s.port);
  auto last = closing.request("GET", "/", "", {{"Connection", "close"}});
  CHECK(last.header("connection") == "close");
  CHECK(closing.wait_closed(5s));
}

TEST_CASE("bodies over 1 MiB get 413", "[rest][server]") {
  Server s;
  const std::string big(2 * 1024 * 1024, 'x');
  SECTION("with Content-Length") {
    HttpConnection c(s.port);
    c.send_raw(HttpConnection::build("POST", "/connectors", "{\"name\":\"" + big + "\"}"));
    auto r = c.read_response(10s);
    REQUIRE(r);
    CHECK(r->status == 413);
    CHECK(r->header("content-type") == "application/json");
    CHECK(r->body == R"({"error_code":413,"message":"Request entity too large: the limit is 1048576 bytes"})");
    CHECK(c.wait_closed(5s));
  }
  SECTION("chunked") {
    HttpConnection c(s.port);
    std::string req = "PUT /connectors/a/config HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n";
    for (size_t off = 0; off < big.size(); off += 65536) req += "10000\r\n" + big.substr(off, 65536) + "\r\n";
    req += "0\r\n\r\n";
    c.send_raw(req);
    auto r = c.read_response(10s);
    REQUIRE(r);
    CHECK(r->status == 413);
  }
  SECTION("Expect: 100-continue is refused before the body") {
    HttpConnection c(s.port);
    c.send_raw("POST /connectors HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
               "Content-Length: " + std::to_string(big.size()) + "\r\n\r\n");
    auto r = c.read_response(5s);
    REQUIRE(r);
    CHECK(r->status == 413);
  }
  SECTION("just under the limit is fine") {
    std::string body = R"({"name":"a","config":{"connector.class":"FileSource","blob":")" + std::string(1000000, 'y') + "\"}}";
    auto r = s("POST", "/connectors", body);
    CHECK(r.status == 201);
  }
}

TEST_CASE("Expect: 100-continue gets a 100 before the body", "[rest][server]") {
  Server s;
  HttpConnection c(s.port);
  std::string body = R"({"connector.class":"FileSource"})";
  REQUIRE(c.send_raw("PUT /connectors/e/config HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Expect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
  auto cont = c.read_response(5s);
  REQUIRE(cont);
  CHECK(cont->status == 100);
  REQUIRE(c.send_raw(body));
  auto r = c.read_response(5s);
  REQUIRE(r);
  CHECK(r->status == 201);
}

TEST_CASE("malformed requests get 400 and a closed connection", "[rest][server]") {
  Server s;
  HttpConnection c(s.port);
  REQUIRE(c.send_raw("GARBAGE\r\n\r\n"));
  auto r = c.read_response(5s);
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(r->header("content-type") == "application/json");
  CHECK_THAT(r->body, Catch::StartsWith(R"({"error_code":400,"message":"Bad request: )"));
  CHECK(c.wait_closed(5s));

  HttpConnection huge(s.port);
  REQUIRE(huge.send_raw("GET / HTTP/1.1\r\nX-Big: " + std::string(64 * 1024, 'h') + "\r\n\r\n"));
  auto h = huge.read_response(5s);
  REQUIRE(h);
  CHECK(h->status == 431);
}

TEST_CASE("slow clients get 408; idle keep-alive connections are closed", "[rest][server]") {
  Server s(Props{}, [](RestConfig& c) {
    c.read_timeout = 300ms;
    c.idle_timeout = 300ms;
  });
  SECTION("half a request head") {
    HttpConnection c(s.port);
    REQUIRE(c.send_raw("GET /connectors HTTP/1.1\r\nHost: x\r\n"));
    auto t0 = std::chrono::steady_clock::now();
    auto r = c.read_response(5s);
    REQUIRE(r);
    CHECK(r->status == 408);
    CHECK(r->header("content-type") == "application/json");
    CHECK(r->body == R"({"error_code":408,"message":"Timed out reading the request"})");
    CHECK(std::chrono::steady_clock::now() - t0 < 3s);
    CHECK(c.wait_closed(5s));
  }
  SECTION("half a body") {
    HttpConnection c(s.port);
    REQUIRE(c.send_raw("POST /connectors HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"na"));
    auto r = c.read_response(5s);
    REQUIRE(r);
    CHECK(r->status == 408);
    CHECK(c.wait_closed(5s));
  }
  SECTION("a trickle does not extend the deadline") {
    HttpConnection c(s.port);
    REQUIRE(c.send_raw("G"));
    std::string rest = "ET / HTTP/1.1\r\nHost: x\r\n";
    bool got_408 = false;
    for (char ch : rest) {
      std::this_thread::sleep_for(50ms);
      if (!c.send_raw(std::string(1, ch))) break;
    }
    auto r = c.read_response(5s);
    got_408 = r && r->status == 408;
    CHECK(got_408);
  }
  SECTION("idle, no request at all: closed without an answer") {
    HttpConnection c(s.port);
    auto t0 = std::chrono::steady_clock::now();
    CHECK(c.wait_closed(5s));
    CHECK(std::chrono::steady_clock::now() - t0 < 3s);
  }
  SECTION("idle after a request") {
    HttpConnection c(s.port);
    CHECK(c.request("GET", "/").status == 200);
    CHECK(c.wait_closed(5s));
  }
}

TEST_CASE("concurrent clients: 50 threads x 20 requests", "[rest][server]") {
  Server s;
  s.add_running("shared", 2);
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 50; ++t) {
    threads.emplace_back([&, t] {
      try {
        std::unique_ptr<HttpConnection> keep;
        if (t % 2 == 0) keep = std::make_unique<HttpConnection>(s.port);
        for (int i = 0; i < 20; ++i) {
          HttpResponse r;
          std::string name = "c" + std::to_string(t) + "-" + std::to_string(i);
          switch (i % 4) {
            case 0:
              r = keep ? keep->request("PUT", "/connectors/" + name + "/config", R"({"connector.class":"FileSource"})")
                       : s("PUT", "/connectors/" + name + "/config", R"({"connector.class":"FileSource"})");
              (r.status == 201 ? ok : bad)++;
              break;
            case 1:
              r = keep ? keep->request("GET", "/connectors/shared/status") : s("GET", "/connectors/shared/status");
              (r.status == 200 && r.body.find("\"name\":\"shared\"") != std::string::npos ? ok : bad)++;
              break;
            case 2:
              r = keep ? keep->request("GET", "/connectors") : s("GET", "/connectors");
              (r.status == 200 ? ok : bad)++;
              break;
            default:
              r = keep ? keep->request("GET", "/nope") : s("GET", "/nope");
              (r.status == 404 ? ok : bad)++;
          }
        }
      } catch (const std::exception&) {
        ++bad;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(bad == 0);
  CHECK(ok == 1000);
  CHECK(s.herder.connectors().size() == 1 + 50 * 5);
}

TEST_CASE("a slow herder call does not block other requests", "[rest][server]") {
  Server s;
  s.herder.server_info_delay_ms = 2000;
  std::atomic<int> slow_status{0};
  std::thread slow([&] { slow_status = s("GET", "/").status; });
  while (s.herder.server_info_calls.load() == 0) std::this_thread::sleep_for(1ms);
  for (int i = 0; i < 5; ++i) CHECK(s("GET", "/connectors").status == 200);
  CHECK(slow_status == 0);  // all answered while the slow one still runs
  slow.join();
  CHECK(slow_status == 200);
}

TEST_CASE("graceful stop: the in-flight request is answered, then nothing is accepted", "[rest][server]") {
  Server s(Props{}, [](RestConfig& c) { c.shutdown_timeout = 5s; });
  uint16_t port = s.port;
  s.herder.server_info_delay_ms = 500;
  HttpConnection idle(port);  // an idle keep-alive connection is closed at once
  CHECK(idle.request("GET", "/connectors").status == 200);

  std::optional<HttpResponse> answer;
  std::thread client([&] {
    HttpConnection c(port);
    if (c.send_raw(HttpConnection::build("GET", "/", ""))) answer = c.read_response(10s);
  });
  while (s.herder.server_info_calls.load() == 0) std::this_thread::sleep_for(1ms);
  auto t0 = std::chrono::steady_clock::now();
  s.server->stop();
  auto took = std::chrono::steady_clock::now() - t0;
  client.join();
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(answer->header("connection") == "close");
  CHECK(took < 4s);
  CHECK(idle.wait_closed(1s));
  CHECK_THROWS(HttpConnection(port));
  s.server->stop();  // idempotent
}

TEST_CASE("stop gives up on a hung request after the deadline", "[rest][server]") {
  Server s(Props{}, [](RestConfig& c) { c.shutdown_timeout = 200ms; });
  s.herder.server_info_delay_ms = 1000;
  std::thread client([&] {
    try {
      HttpConnection c(s.port);
      c.send_raw(HttpConnection::build("GET", "/", ""));
      c.read_response(5s);
    } catch (...) {
    }
  });
  while (s.herder.server_info_calls.load() == 0) std::this_thread::sleep_for(1ms);
  auto t0 = std::chrono::steady_clock::now();
  s.server->stop();  // closes the connection at 200 ms, then waits for the handler thread
  CHECK(std::chrono::steady_clock::now() - t0 < 3s);
  client.join();
}

TEST_CASE("parse_http_request uses the server's parser and limits", "[rest][server]") {
  RestConfig config = *RestConfig::from_worker({});
  auto r = parse_http_request("PUT /connectors/a%20b/config?x=1 HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                              "Content-Length: 2\r\n\r\n{}",
                              config);
  REQUIRE(r);
  CHECK(r->method == "PUT");
  CHECK(r->target == "/connectors/a%20b/config?x=1");
  CHECK(r->body == "{}");
  REQUIRE(r->header("content-type"));
  auto chunked = parse_http_request("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", config);
  REQUIRE(chunked);
  CHECK(chunked->body == "abc");
  auto bad = parse_http_request("NOT HTTP", config);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().status == 400);
  config.max_body_bytes = 10;
  auto big = parse_http_request("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n01234567890", config);
  REQUIRE_FALSE(big);
  CHECK(big.error().status == 413);
  auto truncated = parse_http_request("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", config);
  REQUIRE_FALSE(truncated);
  CHECK(truncated.error().status == 400);
}
