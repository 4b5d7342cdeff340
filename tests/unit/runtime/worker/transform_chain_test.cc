// The worker's transformation chain: building from connector configs, predicates and negate,
// the enriched validation, and the error handler's retry and tolerance.
#include <catch2/catch.hpp>

#include <atomic>

#include "plugins/transforms/builtin.h"
#include "runtime/worker/error_handler.h"
#include "runtime/worker/transform_chain.h"

using namespace sluice;
using namespace sluice::api;

namespace {

const plugin_host::Registry& registry() {
  static plugin_host::Registry r = [] {
    plugin_host::Registry reg;
    REQUIRE(reg.add(sluice_builtin_transforms_entry(), "builtin"));
    return reg;
  }();
  return r;
}

SourceRecord record(const std::string& topic) {
  SourceRecord r;
  r.topic = topic;
  r.value_schema = schemas::string();
  r.value = Value::string("v");
  return r;
}

const ConfigValueInfo* value_of(const ConfigInfos& infos, const std::string& name) {
  for (auto& c : infos.configs)
    if (c.value.name == name) return &c.value;
  return nullptr;
}

}  // namespace

TEST_CASE("an empty chain", "[worker][chain]") {
  auto chain = worker::TransformChain::build(registry(), {});
  REQUIRE(chain);
  CHECK((*chain)->empty());
}

TEST_CASE("a chain applies its steps in order, with predicates and negate", "[worker][chain]") {
  Config c = {
      {"transforms", "route, drop"},
      {"transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter"},
      {"transforms.route.regex", "raw-(.*)"},
      {"transforms.route.replacement", "clean-$1"},
      {"transforms.drop.type", "Filter"},  // an alias resolves as Connect resolves it
      {"transforms.drop.predicate", "isClean"},
      {"transforms.drop.negate", "true"},
      {"predicates", "isClean"},
      {"predicates.isClean.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches"},
      {"predicates.isClean.pattern", "clean-.*"},
  };
  auto built = worker::TransformChain::build(registry(), c);
  REQUIRE(built);
  auto& chain = **built;
  CHECK(chain.size() == 2);
  worker::TransformChain::Failure failure;
  size_t failed = 0;
  bool dropped = false;

  SourceRecord kept = record("raw-orders");
  REQUIRE(chain.apply(kept, dropped, failure, failed));
  CHECK_FALSE(dropped);
  CHECK(kept.topic == "clean-orders");

  SourceRecord other = record("misc");  // not routed, so not clean: negate drops it
  REQUIRE(chain.apply(other, dropped, failure, failed));
  CHECK(dropped);
}

TEST_CASE("a failing step names itself", "[worker][chain]") {
  Config c = {{"transforms", "x"},
              {"transforms.x.type", "org.apache.kafka.connect.transforms.ExtractField$Value"},
              {"transforms.x.field", "f"}};
  auto built = worker::TransformChain::build(registry(), c);
  REQUIRE(built);
  SourceRecord r = record("t");
  worker::TransformChain::Failure failure;
  size_t failed = 9;
  bool dropped = false;
  CHECK_FALSE((*built)->apply(r, dropped, failure, failed));
  CHECK(failed == 0);
  CHECK(failure.alias == "x");
  CHECK(failure.class_name == "org.apache.kafka.connect.transforms.ExtractField$Value");
  CHECK(failure.status.message().find("Only Struct objects supported") == 0);
}

TEST_CASE("building a chain reports bad configs", "[worker][chain]") {
  auto no_type = worker::TransformChain::build(registry(), {{"transforms", "a"}});
  REQUIRE_FALSE(no_type);
  CHECK(no_type.error().message.find("transforms.a.type") != std::string::npos);
  auto unknown = worker::TransformChain::build(registry(), {{"transforms", "a"}, {"transforms.a.type", "com.x.Nope"}});
  REQUIRE_FALSE(unknown);
  auto bad_predicate = worker::TransformChain::build(
      registry(), {{"transforms", "a"}, {"transforms.a.type", "Filter"}, {"transforms.a.predicate", "p"}});
  REQUIRE_FALSE(bad_predicate);
  CHECK(bad_predicate.error().message.find("'p'") != std::string::npos);
  auto negate_alone = worker::TransformChain::build(
      registry(), {{"transforms", "a"}, {"transforms.a.type", "Filter"}, {"transforms.a.negate", "true"}});
  REQUIRE_FALSE(negate_alone);
  auto bad_config = worker::TransformChain::build(
      registry(), {{"transforms", "a"}, {"transforms.a.type", "org.apache.kafka.connect.transforms.RegexRouter"}});
  REQUIRE_FALSE(bad_config);
  CHECK(bad_config.error().message.find("Missing required configuration \"regex\"") != std::string::npos);
}

TEST_CASE("validation embeds each transformation's ConfigDef under its alias", "[worker][chain]") {
  Config c = {{"name", "n"},
              {"connector.class", "x"},
              {"transforms", "route,ins"},
              {"transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter"},
              {"transforms.route.regex", "(unclosed"},
              {"transforms.ins.type", "org.apache.kafka.connect.transforms.InsertField$Value"},
              {"predicates", "p"},
              {"predicates.p.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches"}};
  auto infos = worker::validate_connector_framework(registry(), c, "x");
  const ConfigValueInfo* regex = value_of(infos, "transforms.route.regex");
  REQUIRE(regex);
  REQUIRE(regex->errors.size() == 1);
  CHECK(regex->errors[0].find("Invalid regex") != std::string::npos);
  const ConfigValueInfo* replacement = value_of(infos, "transforms.route.replacement");
  REQUIRE(replacement);
  CHECK(replacement->errors.size() == 1);  // required, missing
  const ConfigValueInfo* pattern = value_of(infos, "predicates.p.pattern");
  REQUIRE(pattern);
  CHECK(pattern->errors.size() == 1);
  // InsertField's own keys pass, but configure() refuses it: reported on its type key.
  const ConfigValueInfo* ins = value_of(infos, "transforms.ins.type");
  REQUIRE(ins);
  REQUIRE(ins->errors.size() == 1);
  CHECK(ins->errors[0] == "No field insertion configured");
  CHECK(value_of(infos, "transforms.ins.predicate"));
  CHECK(value_of(infos, "transforms.ins.negate"));
  CHECK(infos.error_count == 4);
  bool grouped = false;
  for (auto& g : infos.groups) grouped = grouped || g == "Transforms: route";
  CHECK(grouped);
}

TEST_CASE("the error handler retries retriable failures within the timeout", "[worker][errors]") {
  worker::ErrorCounters counters;
  worker::ErrorPolicy policy;
  policy.retry_timeout_ms = 5000;
  policy.retry_delay_max_ms = 10;
  worker::ErrorHandler h("t-0", policy, counters);
  std::atomic<bool> stopping{false};
  int calls = 0;
  auto s = h.run(
      [&] {
        ++calls;
        return calls < 3 ? api::Status::retriable("not yet") : api::Status::ok();
      },
      stopping);
  CHECK(s.is_ok());
  CHECK(calls == 3);
  CHECK(counters.retries == 2);

  // Without a retry timeout nothing is retried; a fatal failure never is.
  worker::ErrorHandler none("t-0", worker::ErrorPolicy{}, counters);
  calls = 0;
  CHECK_FALSE(none.run([&] { ++calls; return api::Status::retriable("x"); }, stopping).is_ok());
  CHECK(calls == 1);
  calls = 0;
  CHECK_FALSE(h.run([&] { ++calls; return api::Status::failed("x"); }, stopping).is_ok());
  CHECK(calls == 1);
}

TEST_CASE("tolerance decides between skipping and failing", "[worker][errors]") {
  worker::ErrorCounters counters;
  worker::ErrorPolicy all;
  all.tolerate_all = true;
  all.log_enable = true;
  all.log_include_messages = true;
  SourceRecord r = record("t");
  Error e;
  CHECK(worker::ErrorHandler("t-0", all, counters).tolerate(Stage::ValueConverter, "C", api::Status::failed("bad"), &r, e));
  CHECK(counters.records_skipped == 1);
  CHECK(counters.errors_logged == 1);
  CHECK_FALSE(
      worker::ErrorHandler("t-0", worker::ErrorPolicy{}, counters).tolerate(Stage::ValueConverter, "C", api::Status::failed("bad"), &r, e));
  CHECK(e.stage == Stage::ValueConverter);
  CHECK(e.message.find("Tolerance exceeded in error handler") == 0);
  CHECK(e.message.find("VALUE_CONVERTER") != std::string::npos);
  CHECK(counters.record_errors == 2);
  CHECK(worker::describe_record(r).find("topic='t'") != std::string::npos);

  auto bad = worker::ErrorPolicy::from_connector_config({{"errors.tolerance", "some"}});
  CHECK_FALSE(bad);
  auto ok = worker::ErrorPolicy::from_connector_config({{"errors.tolerance", "all"}, {"errors.retry.timeout", "-1"}});
  REQUIRE(ok);
  CHECK(ok->tolerate_all);
  CHECK(ok->retry_timeout_ms == -1);
}
