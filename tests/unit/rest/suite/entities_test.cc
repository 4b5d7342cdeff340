// Connect's JSON entities: exact compact renderings and the decoding of request bodies.

#include <catch2/catch.hpp>

#include "rest/entities.h"
#include "rest/http.h"

using namespace sluice;
using namespace sluice::rest;

TEST_CASE("error body", "[rest][entities]") {
  CHECK(render_error(404, "Connector x not found") == R"({"error_code":404,"message":"Connector x not found"})");
  CHECK(render_error(400, "a\nb \"q\"") == R"({"error_code":400,"message":"a\nb \"q\""})");
  auto r = Response::error(409, "Connector a already exists");
  CHECK(r.status == 409);
  REQUIRE(r.header("content-type"));
  CHECK(*r.header("content-type") == "application/json");
}

TEST_CASE("ServerInfo and health", "[rest][entities]") {
  CHECK(render_server_info({"3.7.0", "2ae524ed625438c5", "I4ZmrWqfT2e-upky_4fdPA"}) ==
        R"({"version":"3.7.0","commit":"2ae524ed625438c5","kafka_cluster_id":"I4ZmrWqfT2e-upky_4fdPA"})");
  CHECK(render_health("healthy", "ok") == R"({"status":"healthy","message":"ok"})");
}

TEST_CASE("ConnectorInfo", "[rest][entities]") {
  herder::ConnectorInfo info;
  info.name = "inventory";
  info.config = {{"connector.class", "io.debezium.connector.postgresql.PostgresConnector"},
                 {"tasks.max", "1"},
                 {"name", "inventory"}};
  info.tasks = {{"inventory", 0}};
  CHECK(render_connector_info(info) ==
        R"({"name":"inventory","config":{"connector.class":"io.debezium.connector.postgresql.PostgresConnector","name":"inventory","tasks.max":"1"},"tasks":[{"connector":"inventory","task":0}],"type":"source"})");
}

TEST_CASE("ConnectorStateInfo: trace only when set", "[rest][entities]") {
  herder::ConnectorState s;
  s.name = "inventory";
  s.state = "RUNNING";
  s.worker_id = "10.0.0.5:8083";
  herder::TaskState t;
  t.id = 0;
  t.state = "FAILED";
  t.worker_id = "10.0.0.6:8083";
  t.trace = "ConnectException: boom\n\tat x";
  s.tasks = {t};
  CHECK(render_connector_state(s) ==
        R"({"name":"inventory","connector":{"state":"RUNNING","worker_id":"10.0.0.5:8083"},"tasks":[{"id":0,"state":"FAILED","worker_id":"10.0.0.6:8083","trace":"ConnectException: boom\n\tat x"}],"type":"source"})");
  t.trace.clear();
  CHECK(render_task_state(t) == R"({"id":0,"state":"FAILED","worker_id":"10.0.0.6:8083"})");
  s.tasks.clear();
  s.state = "STOPPED";
  s.trace = "why";
  CHECK(render_connector_state(s) ==
        R"({"name":"inventory","connector":{"state":"STOPPED","worker_id":"10.0.0.5:8083","trace":"why"},"tasks":[],"type":"source"})");
}

TEST_CASE("tasks, tasks-config, topics, offsets, message, plugins", "[rest][entities]") {
  std::vector<herder::TaskConfig> tasks = {{{"n", 0}, {{"a", "1"}}}, {{"n", 1}, {{"a", "2"}}}};
  CHECK(render_task_infos(tasks) ==
        R"([{"id":{"connector":"n","task":0},"config":{"a":"1"}},{"id":{"connector":"n","task":1},"config":{"a":"2"}}])");
  CHECK(render_tasks_config(tasks) == R"({"n-0":{"a":"1"},"n-1":{"a":"2"}})");
  CHECK(render_topics("n", {"t1", "t2"}) == R"({"n":{"topics":["t1","t2"]}})");
  CHECK(render_topics("n", {}) == R"({"n":{"topics":[]}})");
  std::vector<herder::PartitionOffset> offsets = {
      {R"({ "server" : "dbserver1" })", std::string(R"({"file":"mysql-bin.000003","pos":154,"big":18446744073709551617})")},
      {R"({"server":"x"})", std::nullopt}};
  CHECK(render_offsets(offsets) ==
        R"({"offsets":[{"partition":{"server":"dbserver1"},"offset":{"file":"mysql-bin.000003","pos":154,"big":18446744073709551617}},{"partition":{"server":"x"},"offset":null}]})");
  CHECK(render_offsets({}) == R"({"offsets":[]})");
  CHECK(render_message("done") == R"({"message":"done"})");
  CHECK(render_plugins({{"a.B", "source", "2.7.0.Final"}, {"c.D", "sink", "undefined"}, {"e.F", "converter", ""}}) ==
        R"([{"class":"a.B","type":"source","version":"2.7.0.Final"},{"class":"c.D","type":"sink"},{"class":"e.F","type":"converter"}])");
}

TEST_CASE("ConfigKeyInfo and ConfigInfos", "[rest][entities]") {
  api::ConfigKey k;
  k.name = "tasks.max";
  k.type = api::ConfigType::Int;
  k.default_value = "1";
  k.importance = api::Importance::High;
  k.documentation = "Max tasks";
  k.group = "Common";
  k.order_in_group = 3;
  k.width = api::Width::Short;
  k.display_name = "Tasks max";
  CHECK(render_config_keys({k}) ==
        R"([{"name":"tasks.max","type":"INT","required":false,"default_value":"1","importance":"HIGH","documentation":"Max tasks","group":"Common","width":"SHORT","display_name":"Tasks max","dependents":[],"order":3}])");

  api::ConfigKey p;
  p.name = "database.password";
  p.type = api::ConfigType::Password;
  p.default_value = "changeme";
  api::ConfigKey req;
  req.name = "database.hostname";
  CHECK(render_config_keys({p, req}) ==
        R"([{"name":"database.password","type":"PASSWORD","required":false,"default_value":"[hidden]","importance":"MEDIUM","documentation":"","group":null,"width":"NONE","display_name":"database.password","dependents":[],"order":-1},)"
        R"({"name":"database.hostname","type":"STRING","required":true,"default_value":null,"importance":"MEDIUM","documentation":"","group":null,"width":"NONE","display_name":"database.hostname","dependents":[],"order":-1}])");

  api::ConfigKey optional;  // Java's null default: not required, default_value null
  optional.name = "table.include.list";
  optional.type = api::ConfigType::List;
  optional.null_default = true;
  CHECK(render_config_keys({optional}) ==
        R"([{"name":"table.include.list","type":"LIST","required":false,"default_value":null,"importance":"MEDIUM","documentation":"","group":null,"width":"NONE","display_name":"table.include.list","dependents":[],"order":-1}])");

  api::ConfigInfos infos;
  infos.name = "io.debezium.connector.postgresql.PostgresConnector";
  infos.error_count = 1;
  infos.groups = {"Common"};
  api::ConfigInfo ci;
  ci.definition = k;
  ci.value.name = "tasks.max";
  ci.value.value = "1";
  api::ConfigInfo secret;
  secret.definition = p;
  secret.value.name = "database.password";
  secret.value.value = "s3cret";
  api::ConfigInfo unknown;  // a key no definition knows: definition null
  unknown.value.name = "extra";
  unknown.value.errors = {"Null value can not be supplied as the configuration value."};
  infos.configs = {ci, secret, unknown};
  std::string out = render_config_infos(infos);
  CHECK(out.find("s3cret") == std::string::npos);
  CHECK(out ==
        R"({"name":"io.debezium.connector.postgresql.PostgresConnector","error_count":1,"groups":["Common"],"configs":[)"
        R"({"definition":{"name":"tasks.max","type":"INT","required":false,"default_value":"1","importance":"HIGH","documentation":"Max tasks","group":"Common","width":"SHORT","display_name":"Tasks max","dependents":[],"order":3},"value":{"name":"tasks.max","value":"1","recommended_values":[],"errors":[],"visible":true}},)"
        R"({"definition":{"name":"database.password","type":"PASSWORD","required":false,"default_value":"[hidden]","importance":"MEDIUM","documentation":"","group":null,"width":"NONE","display_name":"database.password","dependents":[],"order":-1},"value":{"name":"database.password","value":"[hidden]","recommended_values":[],"errors":[],"visible":true}},)"
        R"({"definition":null,"value":{"name":"extra","value":null,"recommended_values":[],"errors":["Null value can not be supplied as the configuration value."],"visible":true}}]})");
}

TEST_CASE("loggers", "[rest][entities]") {
  std::map<std::string, Loggers::LoggerLevel> all = {{"root", {"INFO", std::nullopt}},
                                                      {"org.apache.kafka.connect", {"DEBUG", 1700000000000}}};
  CHECK(render_loggers(all) ==
        R"({"org.apache.kafka.connect":{"level":"DEBUG","last_modified":1700000000000},"root":{"level":"INFO","last_modified":null}})");
  CHECK(render_logger({"WARN", std::nullopt}) == R"({"level":"WARN","last_modified":null})");
}

TEST_CASE("strings are valid UTF-8 JSON whatever the bytes", "[rest][entities]") {
  CHECK(render_strings({"caf\xC3\xA9", "\xFF" "a", std::string("n\0l", 3)}) ==
        "[\"caf\xC3\xA9\",\"\xEF\xBF\xBD" "a\",\"n\\u0000l\"]");
  CHECK(valid_utf8("\xE2\x82\xAC") == "\xE2\x82\xAC");
  CHECK(valid_utf8("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(valid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
}

TEST_CASE("java_map_string is Map.toString", "[rest][entities]") {
  CHECK(java_map_string({{"name", "a"}, {"tasks.max", "1"}}, {"x"}) == "{name=a, tasks.max=1, x=null}");
  CHECK(java_map_string({}, {}) == "{}");
}

TEST_CASE("config maps: numbers and booleans become strings, nulls are kept apart", "[rest][entities]") {
  auto c = parse_config(R"({"a":"x","tasks.max":1,"ratio":1.50,"big":123456789012345678901234,"flag":true,"off":false,"gone":null,"dup":"1","dup":"2"})");
  REQUIRE(c);
  CHECK(c->values.at("a") == "x");
  CHECK(c->values.at("tasks.max") == "1");
  CHECK(c->values.at("ratio") == "1.50");
  CHECK(c->values.at("big") == "123456789012345678901234");
  CHECK(c->values.at("flag") == "true");
  CHECK(c->values.at("off") == "false");
  CHECK(c->values.at("dup") == "2");
  CHECK(c->values.count("gone") == 0);
  CHECK(c->null_keys == std::vector<std::string>{"gone"});

  auto later = parse_config(R"({"k":null,"k":"v"})");
  REQUIRE(later);
  CHECK(later->null_keys.empty());
  CHECK(later->values.at("k") == "v");
}

// What Jackson cannot read is a 500 in Connect (no Connect exception; Kafka Connect 3.9.2
// checked side by side in tests/integration/rest_compat_test.py).
TEST_CASE("config maps: what is refused", "[rest][entities]") {
  auto bad = parse_config(R"({"a":"x",})");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().status == 500);
  CHECK_THAT(bad.error().message, Catch::StartsWith("Unparsable JSON body: "));
  CHECK_THAT(bad.error().message, Catch::Contains("(at offset 9)"));

  auto empty = parse_config("");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().status == 500);

  auto arr = parse_config("[1]");
  REQUIRE_FALSE(arr);
  CHECK(arr.error().status == 500);
  CHECK_THAT(arr.error().message, Catch::Contains("got an array"));

  auto nested = parse_config(R"({"a":{"b":1}})");
  REQUIRE_FALSE(nested);
  CHECK_THAT(nested.error().message, Catch::Contains("the value of 'a' must be a string, got an object"));

  CHECK_FALSE(parse_config("{\"a\":\"\xFF\"}"));  // invalid UTF-8
  CHECK_FALSE(parse_config(R"({"a":"b"} {})"));
  CHECK_FALSE(parse_config(std::string(5000, '[') + std::string(5000, ']')));
}

TEST_CASE("create request", "[rest][entities]") {
  auto r = parse_create_request(R"({"name":"x","config":{"a":"b"},"initial_state":"paused"})");
  REQUIRE(r);
  CHECK(r->name == "x");
  REQUIRE(r->config);
  CHECK(r->config->values.at("a") == "b");
  CHECK(r->initial_state == herder::InitialState::Paused);

  auto minimal = parse_create_request(R"({"name":7})");
  REQUIRE(minimal);
  CHECK(minimal->name == "7");
  CHECK_FALSE(minimal->config);
  CHECK_FALSE(minimal->initial_state);

  auto nulls = parse_create_request(R"({"name":null,"config":null,"initial_state":null})");
  REQUIRE(nulls);
  CHECK_FALSE(nulls->name);

  auto state = parse_create_request(R"({"name":"x","initial_state":"SLEEPING"})");
  REQUIRE_FALSE(state);
  CHECK(state.error().status == 500);
  CHECK_THAT(state.error().message, Catch::Contains("initial_state"));

  auto unknown = parse_create_request(R"({"name":"x","configs":{}})");
  REQUIRE_FALSE(unknown);
  CHECK_THAT(unknown.error().message, Catch::Contains("unrecognized field \"configs\""));

  CHECK_FALSE(parse_create_request(R"({"name":"x","config":[]})"));
  CHECK_FALSE(parse_create_request(R"({"name":{}})"));
  CHECK_FALSE(parse_create_request(R"("x")"));
}

TEST_CASE("offsets body", "[rest][entities]") {
  auto r = parse_offsets(R"({"offsets":[{"partition":{"server":"s1"},"offset":{"pos": 154, "f": 1.5}},{"partition":{"server":"s2"},"offset":null},{"partition":{"server":"s3"}}]})");
  REQUIRE(r);
  REQUIRE(r->size() == 3);
  CHECK((*r)[0].partition_json == R"({"server":"s1"})");
  CHECK((*r)[0].offset_json == std::string(R"({"pos":154,"f":1.5})"));
  CHECK_FALSE((*r)[1].offset_json);
  CHECK_FALSE((*r)[2].offset_json);

  auto none = parse_offsets(R"({})");
  REQUIRE(none);
  CHECK(none->empty());
  auto null_list = parse_offsets(R"({"offsets":null})");
  REQUIRE(null_list);
  CHECK(null_list->empty());

  // A missing or null partition is the herder's to refuse, after its STOPPED check.
  auto no_partition = parse_offsets(R"({"offsets":[{"offset":{"a":1}}]})");
  REQUIRE(no_partition);
  REQUIRE(no_partition->size() == 1);
  CHECK((*no_partition)[0].partition_json.empty());
  auto null_partition = parse_offsets(R"({"offsets":[{"partition":{"a":1},"partition":null}]})");
  REQUIRE(null_partition);
  CHECK((*null_partition)[0].partition_json.empty());
  CHECK_FALSE(parse_offsets(R"({"offsets":[{"partition":"s"}]})"));
  CHECK_FALSE(parse_offsets(R"({"offsets":[{"partition":{},"offset":5}]})"));
  CHECK_FALSE(parse_offsets(R"({"offsets":{}})"));
  CHECK_FALSE(parse_offsets(R"({"offsets":[1]})"));
  CHECK_FALSE(parse_offsets(R"({"offset":[]})"));
}

TEST_CASE("log level body", "[rest][entities]") {
  auto l = parse_log_level(R"({"level":"debug"})");
  REQUIRE(l);
  CHECK(*l == std::optional<std::string>("debug"));
  auto missing = parse_log_level(R"({"lvl":"debug"})");
  REQUIRE(missing);
  CHECK_FALSE(*missing);
  CHECK_FALSE(parse_log_level("nope"));
}

TEST_CASE("URL decoding and encoding", "[rest][entities]") {
  CHECK(url_decode("a%20b%2Fc+d", false) == "a b/c+d");
  CHECK(url_decode("a%20b+d", true) == "a b d");
  CHECK(url_decode("%E2%82%AC%zz%4", false) == "\xE2\x82\xAC%zz%4");
  CHECK(url_encode_segment("my connector/1\xE2\x82\xAC") == "my%20connector%2F1%E2%82%AC");
  CHECK(url_encode_segment("a-b_c.d~e") == "a-b_c.d~e");
}
