// Unit tests of the built-in transformations beyond the Java goldens: the descriptor, the regex
// service the host lends plugins against the runtime's engine (one Java dialect in the project),
// replaceFirst, the date formats, schema caching and sharing, and what the plugin guard reports.
//
// The transformations get their Java regexes from the host (plugins/api/regex.h): this binary
// installs the host's services once, as the sluice binary does for its built-in plugins.
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <set>
#include <string>

#include "plugins/api/regex.h"
#include "plugins/transforms/builtin.h"
#include "plugins/transforms/text.h"
#include "runtime/config/java_regex.h"
#include "runtime/plugin_host/host_services.h"

using namespace sluice::api;
namespace text = sluice::transforms::text;

namespace {

const bool kHostInstalled = (sluice::plugin_host::install_host_services(), true);

JavaPatternPtr compile(const char* pattern, std::string& error) { return compile_java_regex(pattern, error); }

template <class Handle>
std::unique_ptr<Handle> create(const char* cls) {
  const sluice_plugin_descriptor* d = sluice_builtin_transforms_entry();
  for (uint32_t i = 0; i < d->component_count; ++i)
    if (std::strcmp(d->components[i].class_name, cls) == 0)
      return std::unique_ptr<Handle>(static_cast<Handle*>(d->components[i].create()));
  FAIL("no component " << cls);
  return nullptr;
}

std::unique_ptr<TransformationHandle> transform(const char* cls, const Config& c) {
  auto t = create<TransformationHandle>(cls);
  auto s = t->configure(c);
  INFO(s.message());
  REQUIRE(s.is_ok());
  return t;
}

SchemaPtr row_schema() {
  static SchemaPtr s = SchemaBuilder::structure()
                           .name("db.inv.t.Value")
                           .optional()
                           .field("id", schemas::int32())
                           .field("name", schemas::optional_string())
                           .build();
  return s;
}

SchemaPtr envelope_schema() {
  static SchemaPtr s = [] {
    SchemaPtr source = SchemaBuilder::structure().name("src").field("ts_ms", schemas::int64()).build();
    return SchemaBuilder::structure()
        .name("db.inv.t.Envelope")
        .field("before", row_schema())
        .field("after", row_schema())
        .field("source", source)
        .field("op", schemas::string())
        .build();
  }();
  return s;
}

Value row(int id, const char* name) {
  Struct s(row_schema());
  s.put("id", Value::int32(id)).put("name", Value::string(name));
  return Value::structure(std::move(s));
}

SourceRecord envelope_record(const char* op, Value before, Value after) {
  Struct src(envelope_schema()->field("source")->schema);
  src.put("ts_ms", Value::int64(1700000000000));
  Struct env(envelope_schema());
  env.put("before", std::move(before)).put("after", std::move(after)).put("source", Value::structure(std::move(src)));
  env.put("op", Value::string(op));
  SourceRecord r;
  r.topic = "db.inv.t";
  r.value_schema = envelope_schema();
  r.value = Value::structure(std::move(env));
  return r;
}

}  // namespace

TEST_CASE("the built-in transforms descriptor", "[transforms]") {
  const sluice_plugin_descriptor* d = sluice_builtin_transforms_entry();
  REQUIRE(d == sluice_builtin_transforms_entry());
  CHECK(std::string(d->name) == "sluice-transforms");
  CHECK(d->api_major == SLUICE_PLUGIN_API_MAJOR);
  std::set<std::string> names;
  int predicates = 0;
  for (uint32_t i = 0; i < d->component_count; ++i) {
    names.insert(d->components[i].class_name);
    if (d->components[i].kind == SLUICE_PREDICATE) ++predicates;
  }
  CHECK(predicates == 3);
  CHECK(names.size() == d->component_count);
  for (const char* cls : {"io.debezium.transforms.ExtractNewRecordState", "io.debezium.transforms.ByLogicalTableRouter",
                          "org.apache.kafka.connect.transforms.RegexRouter", "org.apache.kafka.connect.transforms.Filter",
                          "org.apache.kafka.connect.transforms.Cast$Value", "org.apache.kafka.connect.transforms.Flatten$Key",
                          "org.apache.kafka.connect.transforms.predicates.TopicNameMatches"})
    CHECK(names.count(cls) == 1);
}

TEST_CASE("the plugin regex service agrees with the runtime's Java regex", "[transforms][regex]") {
  REQUIRE(kHostInstalled);
  struct Probe {
    const char* pattern;
    std::vector<const char*> subjects;
  };
  const Probe probes[] = {
      {"([^.]+)\\.([^.]+)\\.([^.]+)", {"a.b.c", "a.b", "a.b.c.d", ""}},
      {"\\p{Alpha}+_\\d+", {"abc_123", "ab1_2", "\u00e9t\u00e9_1"}},
      {"[\\p{Digit}x]+", {"12x3", "12y"}},
      {"\\P{Lower}+", {"ABC", "aBC"}},
      {"\\Q[a]\\E.*", {"[a]xyz", "a"}},
      {"a|ab", {"ab", "a"}},
      {"(?i)ORDERS", {"orders", "Orders"}},
      {"\\w+", {"abc", "\u00e9"}},
      {"x.y", {"x\ny", "x.y"}},
      {".*-raw", {"t-raw", "t-raw\n"}},
  };
  for (auto& p : probes) {
    std::string error;
    auto mine = compile(p.pattern, error);
    auto theirs = sluice::config::JavaRegex::compile(p.pattern);
    REQUIRE(mine);
    REQUIRE(theirs);
    for (const char* s : p.subjects) {
      INFO(p.pattern << " on " << s);
      CHECK(mine->matches(s) == theirs->matches(s));
      JavaPattern::Groups g;
      CHECK(mine->find(s, 0, g) == theirs->find(s));
      auto m = theirs->find_from(s, 0);
      if (m) CHECK(g[0] == m->groups[0]);
    }
  }
  for (const char* bad : {"(", "[a", "a{2,1}", "\\p{javaLowerCase}"}) {
    std::string error;
    CHECK_FALSE(compile(bad, error));
    CHECK_FALSE(error.empty());
    CHECK_FALSE(sluice::config::JavaRegex::compile(bad));
  }
}

TEST_CASE("replace_first follows Matcher.replaceFirst", "[transforms][regex]") {
  std::string error;
  auto r = compile("(\\w+)-(\\w+)", error);
  REQUIRE(r);
  CHECK(replace_first(*r, "ab-cd ef-gh", "$2_$1") == "cd_ab ef-gh");
  CHECK(replace_first(*r, "ab-cd", "\\$1") == "$1");
  CHECK(replace_first(*r, "ab-cd", "$10") == "ab0");  // group 10 does not exist: $1 then "0"
  CHECK(replace_first(*r, "no match here!", "x") == "no match here!");
  CHECK_THROWS_AS(replace_first(*r, "ab-cd", "$3"), ReplacementError);
  CHECK_THROWS_AS(replace_first(*r, "ab-cd", "x\\"), ReplacementError);
  auto named = compile("(?<tbl>\\w+)\\.raw", error);
  REQUIRE(named);
  CHECK(replace_first(*named, "orders.raw", "${tbl}.clean") == "orders.clean");
  CHECK_THROWS_AS(replace_first(*named, "orders.raw", "${nope}"), ReplacementError);
}

TEST_CASE("without the host's engine a regex transform fails configure and says why", "[transforms][regex]") {
  set_host_services(nullptr);
  auto t = create<TransformationHandle>("org.apache.kafka.connect.transforms.RegexRouter");
  auto st = t->configure({{"regex", "(.*)"}, {"replacement", "$1-x"}});
  sluice::plugin_host::install_host_services();
  CHECK_FALSE(st.is_ok());
  CHECK_THAT(st.message(), Catch::Contains("no regex engine: the host did not provide one"));
  // Java-only syntax through the host's engine: possessive quantifier, \p{..}, \Q..\E.
  auto r = transform("org.apache.kafka.connect.transforms.RegexRouter",
                     {{"regex", "\\Qdb.\\E(\\p{Alpha}++)"}, {"replacement", "t_$1"}});
  SourceRecord rec;
  rec.topic = "db.orders";
  bool drop = false;
  REQUIRE(r->apply(rec, drop).is_ok());
  CHECK(rec.topic == "t_orders");
}

TEST_CASE("SimpleDateFormat in UTC", "[transforms][dates]") {
  text::DateFormat f("yyyy-MM-dd'T'HH:mm:ss.SSS");
  CHECK(f.format(0) == "1970-01-01T00:00:00.000");
  CHECK(f.format(-1) == "1969-12-31T23:59:59.999");
  CHECK(f.format(1718000000123) == "2024-06-10T06:13:20.123");
  CHECK(f.parse("2024-06-10T06:13:20.123") == std::optional<int64_t>(1718000000123));
  CHECK_FALSE(f.parse("June"));
  CHECK(text::DateFormat("yyyyMMdd").parse("20240610") == std::optional<int64_t>(1717977600000));
  CHECK(text::DateFormat("yyyy-MM-dd").parse("2024-13-01") == text::DateFormat("yyyy-MM-dd").parse("2025-01-01"));
  CHECK(text::DateFormat("EEE, d MMM yyyy hh:mm a z").format(1718000000123) == "Mon, 10 Jun 2024 06:13 AM UTC");
  CHECK_THROWS_AS(text::DateFormat("yyyy-bb"), std::invalid_argument);
  CHECK(text::values_date_string(3723004) == "01:02:03.004Z");
  CHECK(text::values_date_string(19884LL * 86400000) == "2024-06-10");
}

TEST_CASE("BigDecimal text", "[transforms][decimal]") {
  std::string unscaled;
  int32_t scale = 0;
  text::parse_big_decimal("-12.340", unscaled, scale);
  CHECK(scale == 3);
  CHECK(text::big_decimal_string(unscaled, scale) == "-12.340");
  CHECK(text::big_decimal_long(unscaled, scale) == -12);
  CHECK(text::big_decimal_double(unscaled, scale) == -12.34);
  text::parse_big_decimal("5E-8", unscaled, scale);
  CHECK(text::big_decimal_string(unscaled, scale) == "5E-8");
  text::parse_big_decimal("1E+3", unscaled, scale);
  CHECK(text::big_decimal_string(unscaled, scale) == "1E+3");
  CHECK_THROWS_AS(text::parse_big_decimal("abc", unscaled, scale), text::NumberFormatError);
}

TEST_CASE("ExtractNewRecordState shares its derived schema across records", "[transforms][unwrap]") {
  auto t = transform("io.debezium.transforms.ExtractNewRecordState",
                     {{"add.fields", "op,source.ts_ms"}, {"delete.handling.mode", "rewrite"}});
  SourceRecord a = envelope_record("c", Value(), row(1, "a"));
  SourceRecord b = envelope_record("u", row(1, "a"), row(1, "b"));
  SourceRecord d = envelope_record("d", row(1, "b"), Value());
  bool drop = false;
  REQUIRE(t->apply(a, drop).is_ok());
  REQUIRE(t->apply(b, drop).is_ok());
  REQUIRE(t->apply(d, drop).is_ok());
  CHECK_FALSE(drop);
  CHECK(a.value_schema == b.value_schema);  // one schema object per row schema, not per record
  CHECK(a.value_schema == d.value_schema);
  const Struct& s = d.value.as_struct();
  CHECK(s.get("__deleted")->as_string() == "true");
  CHECK(s.get("__op")->as_string() == "d");
  CHECK(s.get("__source_ts_ms")->as_int64() == 1700000000000);
  CHECK(b.value.as_struct().get("name")->as_string() == "b");
  CHECK_FALSE(a.value_schema->optional());
}

// Debezium 2.7.4 fails the same record with "Struct schemas do not match." (checked on the JVM:
// copySchemaBasics drops the struct's fields); Sluice keeps the failure and says what to write.
TEST_CASE("ExtractNewRecordState add.fields naming a whole struct fails with a hint", "[transforms][unwrap]") {
  auto t = transform("io.debezium.transforms.ExtractNewRecordState",
                     {{"add.fields", "op,ts_ms,source"}, {"delete.handling.mode", "rewrite"}});
  SourceRecord r = envelope_record("c", Value(), row(1, "a"));
  bool drop = false;
  auto s = t->apply(r, drop);
  REQUIRE_FALSE(s.is_ok());
  CHECK(s.message().find("Struct schemas do not match.") == 0);
  CHECK(s.message().find("list its fields instead, e.g. source.ts_ms,source.table") != std::string::npos);
}

TEST_CASE("a transformation leaves what it does not touch shared", "[transforms]") {
  auto t = transform("org.apache.kafka.connect.transforms.RegexRouter", {{"regex", "(.*)"}, {"replacement", "$1-x"}});
  SourceRecord r = envelope_record("c", Value(), row(1, "a"));
  auto before = r.value.struct_ptr();
  bool drop = false;
  REQUIRE(t->apply(r, drop).is_ok());
  CHECK(r.topic == "db.inv.t-x");
  CHECK(r.value.struct_ptr() == before);
}

TEST_CASE("errors come back as failed statuses with Java's messages", "[transforms]") {
  auto t = transform("org.apache.kafka.connect.transforms.ExtractField$Value", {{"field", "id"}});
  SourceRecord r;
  r.topic = "t";
  r.value_schema = schemas::string();
  r.value = Value::string("x");
  bool drop = false;
  auto s = t->apply(r, drop);
  CHECK_FALSE(s.is_ok());
  CHECK(s.message() == "Only Struct objects supported for [field extraction], found: java.lang.String");

  auto bad = create<TransformationHandle>("org.apache.kafka.connect.transforms.RegexRouter");
  auto cs = bad->configure({{"regex", "("}, {"replacement", "x"}});
  CHECK_FALSE(cs.is_ok());
  CHECK(cs.message().find("Invalid value ( for configuration regex: Invalid regex:") == 0);

  auto missing = create<TransformationHandle>("org.apache.kafka.connect.transforms.RegexRouter");
  CHECK(missing->configure({{"regex", "x"}}).message() ==
        "Missing required configuration \"replacement\" which has no default value.");
}

TEST_CASE("predicates", "[transforms][predicates]") {
  auto p = create<PredicateHandle>("org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
  REQUIRE(p->configure({{"pattern", "db\\..*"}}).is_ok());
  SourceRecord r;
  r.topic = "db.x";
  bool result = false;
  REQUIRE(p->test(r, result).is_ok());
  CHECK(result);
  r.topic = "xdb.x";
  REQUIRE(p->test(r, result).is_ok());
  CHECK_FALSE(result);

  auto tomb = create<PredicateHandle>("org.apache.kafka.connect.transforms.predicates.RecordIsTombstone");
  REQUIRE(tomb->configure({}).is_ok());
  REQUIRE(tomb->test(r, result).is_ok());
  CHECK(result);
  r.value = Value::string("v");
  REQUIRE(tomb->test(r, result).is_ok());
  CHECK_FALSE(result);
}
