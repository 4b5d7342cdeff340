#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

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
  CHECK_THAT(reason_for(r, "broken-wrong_major.so"), Catch::Contains("plugin API 99.0"));
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
