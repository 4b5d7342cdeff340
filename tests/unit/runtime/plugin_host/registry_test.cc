#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdlib>
#include <string>
#include <vector>

#include "plugins/api/regex.h"
#include "runtime/plugin_host/host_services.h"
#include "runtime/plugin_host/registry.h"

using sluice::plugin_host::Registry;

namespace {
std::string build_dir() {
  const char* d = std::getenv("SLUICE_BUILD_DIR");
  REQUIRE(d != nullptr);
  return d;
}
std::string reason_for(const Registry& r, const std::string& file) {
  for (auto& f : r.failures())
    if (f.path.ends_with(file)) return f.reason;
  return "<loaded>";
}
}  // namespace

TEST_CASE("one bad plugin never stops the others from loading") {
  Registry r;
  r.load_path(build_dir() + "/test-plugins/broken," + build_dir() + "/plugins-out," +
              build_dir() + "/test-plugins/good");
  CHECK(r.find(SLUICE_SOURCE_CONNECTOR, "org.apache.kafka.connect.tools.VerifiableSourceConnector"));
  CHECK(r.find(SLUICE_SOURCE_CONNECTOR, "sluice.test.ScriptedSourceConnector"));
  CHECK(r.failures().size() == 8);

  CHECK_THAT(reason_for(r, "broken-no_entry.so"), Catch::Contains("no sluice_plugin_entry symbol"));
  CHECK_THAT(reason_for(r, "broken-wrong_major.so"), Catch::Contains("plugin API 99."));
  CHECK_THAT(reason_for(r, "broken-short.so"), Catch::Contains("descriptor too short (8 bytes"));
  CHECK_THAT(reason_for(r, "broken-toolchain.so"), Catch::Contains("toolchain 'msvc/other-abi'"));
  CHECK_THAT(reason_for(r, "broken-init_fails.so"), Catch::Contains("init failed: the database of plugins is on fire"));
  CHECK_THAT(reason_for(r, "broken-init_throws.so"), Catch::Contains("init threw: init exploded"));
  CHECK_THAT(reason_for(r, "broken-null_descriptor.so"), Catch::Contains("returned no descriptor"));
  CHECK_THAT(reason_for(r, "garbage.so"), Catch::Contains("dlopen failed"));
  // Nothing of a refused plugin is registered.
  CHECK_FALSE(r.find(SLUICE_CONVERTER, "sluice.test.BrokenWRONG_MAJOR"));
}

TEST_CASE("components resolve by class name and by Connect-style aliases") {
  Registry r;
  r.load_path(build_dir() + "/plugins-out");
  const char* full = "org.apache.kafka.connect.tools.VerifiableSourceConnector";
  auto* c = r.find(SLUICE_SOURCE_CONNECTOR, full);
  REQUIRE(c);
  CHECK(r.find(SLUICE_SOURCE_CONNECTOR, "VerifiableSourceConnector") == c);
  CHECK(r.find(SLUICE_SOURCE_CONNECTOR, "VerifiableSource") == c);
  CHECK_FALSE(r.find(SLUICE_CONVERTER, full));  // kinds are separate name spaces
  auto handle = r.create_source_connector("VerifiableSource");
  REQUIRE(handle.ok());
  std::string version;
  CHECK((*handle)->version(version).is_ok());
  CHECK(version == "0.1.0");
}

TEST_CASE("an unknown class names itself and what is available") {
  Registry r;
  r.load_path(build_dir() + "/plugins-out");
  auto res = r.resolve(SLUICE_CONVERTER, "io.confluent.connect.avro.AvroConverter");
  REQUIRE_FALSE(res.ok());
  CHECK_THAT(res.error().message, Catch::Contains("io.confluent.connect.avro.AvroConverter"));
  CHECK_THAT(res.error().message, Catch::Contains("available:"));
}

TEST_CASE("loading the same file twice registers it once") {
  Registry r;
  std::string dir = build_dir() + "/plugins-out";
  r.load_path(dir);
  size_t n = r.components().size();
  r.load_path(dir + "," + dir);
  CHECK(r.components().size() == n);
}

TEST_CASE("a plugin that throws inside a call returns a status instead") {
  Registry r;
  r.load_path(build_dir() + "/test-plugins/good");
  auto conn = r.create_source_connector("sluice.test.ScriptedSourceConnector");
  REQUIRE(conn.ok());
  std::unique_ptr<sluice::api::SourceTaskHandle> task;
  REQUIRE((*conn)->create_task(task).is_ok());
  auto st = task->start({{"fail.on.start", "true"}});
  CHECK_FALSE(st.is_ok());
  CHECK(st.message() == "scripted failure in start()");
  st = task->start({{"fail.on.start", "yes"}});  // a bad boolean throws std::invalid_argument
  CHECK_FALSE(st.is_ok());
  CHECK_THAT(st.message(), Catch::Contains("fail.on.start"));
}

// ---- The host's Java regex engine, lent to plugins in the handshake --------------------------

namespace {
// The errors validate() puts on one key of a connector loaded from a real plugin .so.
std::vector<std::string> errors_on(const Registry& r, const char* connector, sluice::api::Config config,
                                   const std::string& key) {
  auto conn = r.create_source_connector(connector);
  REQUIRE(conn.ok());
  sluice::api::ConfigInfos infos;
  auto st = (*conn)->validate("c", config, infos);
  INFO(st.message());
  REQUIRE(st.is_ok());
  for (auto& ci : infos.configs)
    if (ci.definition.name == key) return ci.value.errors;
  return {};
}
}  // namespace

TEST_CASE("a loaded connector plugin compiles Java regexes with the host's engine") {
  Registry r;
  REQUIRE(r.load_file(build_dir() + "/plugins-out/sluice-postgres.so").ok());
  REQUIRE(r.load_file(build_dir() + "/plugins-out/sluice-mysql.so").ok());
  sluice::api::Config pg{{"database.hostname", "h"}, {"database.user", "u"}, {"database.dbname", "d"},
                         {"topic.prefix", "p"}};
  sluice::api::Config my{{"topic.prefix", "srv"}, {"database.server.id", "42"}, {"database.hostname", "h"},
                         {"database.user", "u"}};
  // Java-only syntax that std::regex's ECMAScript rejects: Unicode-style classes, inline flags,
  // \Q..\E quoting, possessive quantifiers.
  for (const char* ok : {"public\\.\\p{Alpha}+", "(?i)PUBLIC\\.orders", "\\Qpublic.a+b\\E", "public\\.a*+",
                         "public\\.\\p{Lower}\\P{Digit}*"}) {
    INFO(ok);
    auto c = pg;
    c["table.include.list"] = ok;
    CHECK(errors_on(r, "PostgresConnector", c, "table.include.list").empty());
    c["message.key.columns"] = std::string(ok) + ":id";
    CHECK(errors_on(r, "PostgresConnector", c, "message.key.columns").empty());
    auto m = my;
    m["table.include.list"] = ok;
    CHECK(errors_on(r, "MySqlConnector", m, "table.include.list").empty());
    m["column.exclude.list"] = std::string(ok) + "\\.c";
    CHECK(errors_on(r, "MySqlConnector", m, "column.exclude.list").empty());
  }
  // A bad pattern: the property and PCRE2's message.
  auto c = pg;
  c["table.include.list"] = "public\\.(orders";
  auto e = errors_on(r, "PostgresConnector", c, "table.include.list");
  REQUIRE(e.size() == 1);
  CHECK_THAT(e[0], Catch::Contains("table.include.list") && Catch::Contains("missing closing parenthesis"));
  c = pg;
  c["message.key.columns"] = "public\\.[a:id";
  e = errors_on(r, "PostgresConnector", c, "message.key.columns");
  REQUIRE(e.size() == 1);
  CHECK_THAT(e[0], Catch::Contains("message.key.columns") && Catch::Contains("missing terminating ]"));
  auto m = my;
  m["database.include.list"] = "shop\\p{NoSuchClass}";
  e = errors_on(r, "MySqlConnector", m, "database.include.list");
  REQUIRE(e.size() == 1);
  CHECK_THAT(e[0], Catch::Contains("database.include.list") && Catch::Contains("unknown property"));
}

TEST_CASE("the plugin API without a host engine says so") {
  sluice::api::set_host_services(nullptr);
  std::string error;
  CHECK_FALSE(sluice::api::compile_java_regex("a+", error));
  CHECK(error == "no regex engine: the host did not provide one");
  sluice_host_services old_host{offsetof(sluice_host_services, compile_java_regex), nullptr};  // a 1.0-sized struct
  sluice::api::set_host_services(&old_host);
  CHECK_FALSE(sluice::api::compile_java_regex("a+", error));
  CHECK(error == "no regex engine: the host did not provide one");

  sluice::plugin_host::install_host_services();
  auto p = sluice::api::compile_java_regex("(?<t>\\p{Alpha}+)_\\d++", error, sluice::api::kRegexCaseInsensitive);
  REQUIRE(p);
  CHECK(p->matches("Orders_12"));
  CHECK_FALSE(p->matches("orders_12x"));
  CHECK(p->group_number("t") == 1);
  CHECK(p->group_count() == 1);
  CHECK(sluice::api::replace_first(*p, "x Orders_12 y", "${t}!") == "x Orders! y");
  sluice::api::JavaPattern::Groups g;
  REQUIRE(p->find("-- ab_1", 0, g));
  CHECK(g.size() == 2);
  CHECK(g[0] == std::pair<size_t, size_t>{3, 7});
  CHECK(p->find("-- ab_1", 4, g));  // "b_1"
  CHECK(g[0] == std::pair<size_t, size_t>{4, 7});
  CHECK_FALSE(p->find("-- ab_1", 6, g));
  CHECK(g.empty());
}
