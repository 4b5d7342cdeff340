// Per-column options: column.include/exclude.list, column.mask.with.<n>.chars,
// column.truncate.to.<n>.chars, column/datatype.propagate.source.type, message.key.columns.
// (Snapshot and binlog records with these options run in tests/integration/mysql_columns_test.py.)

#include <catch2/catch.hpp>

#include "plugins/mysql/connector/column_rules.h"
#include "plugins/mysql/connector/options.h"
#include "plugins/mysql/connector/records.h"
#include "plugins/mysql/schema/ddl_parser.h"
#include "runtime/plugin_host/host_services.h"

using namespace sluice::mysql::cdc;
using sluice::api::Config;
using sluice::api::Value;

namespace {

// The connector compiles its patterns with the host's Java regex engine (plugins/api/regex.h):
// install it once, as the sluice binary does when it loads the plugin.
const bool kHostInstalled = (sluice::plugin_host::install_host_services(), true);


Config base() {
  return {{"name", "c"}, {"topic.prefix", "srv"}, {"database.server.id", "42"}, {"database.hostname", "h"}};
}

std::shared_ptr<const sluice::mysql::Table> table(const std::string& ddl) {
  sluice::mysql::Schemas s;
  REQUIRE(sluice::mysql::apply_ddl("CREATE DATABASE db", "", s).ok());
  auto t = sluice::mysql::apply_ddl(ddl, "db", s);
  REQUIRE(t.ok());
  return s.find(t->changes.at(0).id);
}

std::vector<std::string> names(const sluice::api::SchemaPtr& s) {
  std::vector<std::string> out;
  for (auto& f : s->fields()) out.push_back(f.name);
  return out;
}

const char* kDdl =
    "CREATE TABLE people (id INT NOT NULL, name VARCHAR(20), secret VARCHAR(40) NOT NULL, "
    "note TEXT, price DECIMAL(7,2), code CHAR(3), PRIMARY KEY (id))";

}  // namespace

TEST_CASE("column options: parsed from numbered keys; bad values name the key") {
  std::vector<std::string> w;
  Config c = base();
  c["column.mask.with.5.chars"] = "db.people.secret, db.other.x";
  c["column.truncate.to.3.chars"] = "db.people.note";
  c["column.exclude.list"] = "db.people.price";
  c["message.key.columns"] = "db.people:name,code;db.t2:a";
  Options o = parse_options(c, "mysql", w);
  REQUIRE(o.mask_columns.size() == 1);
  CHECK(o.mask_columns[0].first == 5);
  CHECK(o.mask_columns[0].second == std::vector<std::string>{"db.people.secret", "db.other.x"});
  REQUIRE(o.truncate_columns.size() == 1);
  CHECK(o.truncate_columns[0].first == 3);
  CHECK(o.column_exclude == std::vector<std::string>{"db.people.price"});

  Config both = base();
  both["column.include.list"] = "db.people.id";
  both["column.exclude.list"] = "db.people.name";
  CHECK_THROWS_WITH(parse_options(both, "mysql", w), Catch::Contains("cannot both be set"));
  Config bad_n = base();
  bad_n["column.mask.with.x.chars"] = "db.people.name";
  CHECK_THROWS_WITH(parse_options(bad_n, "mysql", w), Catch::Contains("column.mask.with.x.chars"));
  Config bad_re = base();
  bad_re["column.truncate.to.2.chars"] = "db.(people";
  CHECK_THROWS_WITH(parse_options(bad_re, "mysql", w),
                    Catch::Contains("column.truncate.to.2.chars") && Catch::Contains("missing closing parenthesis"));
  Config java_only = base();  // std::regex refused these; Java (and the host's engine) accept them
  java_only["column.exclude.list"] = "db\\.\\p{Lower}+\\.\\Qa.b\\E,db\\.x\\.c*+";
  REQUIRE(kHostInstalled);
  ColumnRules rules(parse_options(java_only, "mysql", w));
  CHECK_FALSE(rules.included("db", "people", "a.b"));
  CHECK(rules.included("db", "people", "aXb"));
  CHECK_FALSE(rules.included("DB", "x", "ccc"));
  Config bad_key = base();
  bad_key["message.key.columns"] = "db.people";
  CHECK_THROWS_WITH(parse_options(bad_key, "mysql", w), Catch::Contains("message.key.columns"));
}

TEST_CASE("column.include/exclude.list: value schema and row only, key unaffected, case-insensitive") {
  std::vector<std::string> w;
  Config c = base();
  c["column.exclude.list"] = "DB.People.(price|Name),db.people.id";
  Options o = parse_options(c, "mysql", w);
  RecordBuilder b(o);
  auto ts = b.schemas(table(kDdl), w);
  CHECK(names(ts->value) == std::vector<std::string>{"secret", "note", "code"});
  REQUIRE(ts->key);
  CHECK(names(ts->key) == std::vector<std::string>{"id"});  // excluded from the value, still the key
  std::vector<Value> full{Value::int32(1), Value::string("ann"), Value::string("s"), Value::string("n"),
                          Value(), Value::string("abc")};
  CHECK(b.key(*ts, full).as_struct().get(size_t{0}) == Value::int32(1));
  std::vector<Value> projected;
  for (size_t i : ts->value_columns) projected.push_back(full[i]);
  Value row = b.row(*ts, projected);
  CHECK(*row.as_struct().get("secret") == Value::string("s"));
  CHECK(*row.as_struct().get("code") == Value::string("abc"));

  Config inc = base();
  inc["column.include.list"] = "db\\.people\\.(id|note)";
  Options oi = parse_options(inc, "mysql", w);
  RecordBuilder bi(oi);
  CHECK(names(bi.schemas(table(kDdl), w)->value) == std::vector<std::string>{"id", "note"});
}

TEST_CASE("column.mask / column.truncate: values (mask also nulls), schema parameters, Debezium 2.7's rules") {
  std::vector<std::string> w;
  Config c = base();
  c["column.mask.with.4.chars"] = "db.people.secret,db.people.price,db.people.note";
  c["column.mask.with.0.chars"] = "db.people.code";
  c["column.truncate.to.3.chars"] = "db.people.(name|note|code)";
  Options o = parse_options(c, "mysql", w);
  RecordBuilder b(o);
  auto ts = b.schemas(table(kDdl), w);
  std::vector<Value> values{Value::int32(1), Value::string("annabel"), Value(), Value::string("abcdef"),
                            Value::bytes("\x04\xe2"), Value::string("xyz")};
  Value row = b.row(*ts, values);
  const auto& s = row.as_struct();
  CHECK(*s.get("id") == Value::int32(1));
  CHECK(*s.get("name") == Value::string("ann"));      // VARCHAR(20) > 3: cut
  CHECK(*s.get("secret") == Value::string("****"));   // MaskingValueConverter masks null too
  CHECK(*s.get("note") == Value::string("abc"));      // truncate comes before mask: one mapper per column
  CHECK(*s.get("price") == Value::bytes("\x04\xe2"));  // DECIMAL is not a character column: passthrough
  CHECK(*s.get("code") == Value::string("xyz"));      // CHAR(3) <= 3: truncation not possible, mask never reached
  auto param = [&](const char* field, const char* key) {
    const std::string* p = ts->value->field(field)->schema->parameter(key);
    return p ? *p : std::string("-");
  };
  CHECK(param("secret", "masked") == "true");
  CHECK(param("price", "masked") == "true");  // the schema is marked even where values pass through
  CHECK(param("price", "scale") == "2");
  CHECK(param("name", "truncateLength") == "3");
  CHECK(param("note", "truncateLength") == "3");  // TEXT: no declared length
  CHECK(param("code", "truncateLength") == "-");
  CHECK(param("code", "masked") == "-");
  CHECK_FALSE(ts->value->field("secret")->schema->optional());
}

TEST_CASE("column.mask.hash: Java MessageDigest over salt + serialized String (v1) or UTF-8 (v2), cut to length") {
  // Expected digests computed with java.security.MessageDigest and ObjectOutputStream.
  CHECK(hex_digest("SHA-256", "CzQMA0cB5K", java_serialized_string("annabel")) ==
        "3efbac5afb9ca427c8918a516ad4c0db56d62d939bb71c91a6ff6bd7b8c953b3");
  CHECK(hex_digest("SHA-256", "CzQMA0cB5K", "annabel") ==
        "5be1e1b1272ca548d4ed67448e56daf3277df7b25116efeb31cd6d9b16430dd6");
  std::string odd("h\xC3\xA9\x00\xF0\x9F\x98\x80z", 9);  // NUL and a supplementary character
  CHECK(hex_digest("MD5", "CzQMA0cB5K", java_serialized_string(odd)) == "8d1d6df94a4313ade6e70f12005562f7");
  CHECK(hex_digest("MD5", "CzQMA0cB5K", odd) == "453bc245b39059b09763748013050de1");
  CHECK_THROWS_WITH(hex_digest("NOPE-1", "", ""), Catch::Contains("unknown hash algorithm"));

  std::vector<std::string> w;
  Config c = base();
  c["column.mask.hash.SHA-256.with.salt.CzQMA0cB5K"] = "db.people.(name|note)";
  c["column.mask.hash.v2.SHA-256.with.salt.CzQMA0cB5K"] = "db.people.secret";
  Options o = parse_options(c, "mysql", w);
  RecordBuilder b(o);
  auto ts = b.schemas(table(kDdl), w);
  std::vector<Value> values{Value::int32(1), Value::string("annabel"), Value::string("annabel"), Value(),
                            Value(), Value::string("x")};
  Value hashed = b.row(*ts, values);
  const auto& s = hashed.as_struct();
  CHECK(*s.get("name") == Value::string("3efbac5afb9ca427c891"));  // VARCHAR(20): cut to 20
  CHECK(*s.get("secret") == Value::string("5be1e1b1272ca548d4ed67448e56daf3277df7b2"));  // VARCHAR(40)
  CHECK(s.get("note")->is_null());  // null is not hashed
  CHECK(*ts->value->field("name")->schema->parameter("masked") == "true");
}

TEST_CASE("column.truncate leaves bytes values alone (binary, DECIMAL, BIT), as Debezium 2.7.4 on MariaDB") {
  std::vector<std::string> w;
  Config c = base();
  c["column.truncate.to.2.chars"] = "db.bin.*";
  Options o = parse_options(c, "mysql", w);
  RecordBuilder b(o);
  auto ts = b.schemas(table("CREATE TABLE bin (v VARBINARY(10), d DECIMAL(20,2), bits BIT(32))"), w);
  std::vector<Value> values{Value::bytes("abcd"), Value::bytes("\x01\x02\x03"), Value::bytes("\x01\x02\x03\x04")};
  Value row = b.row(*ts, values);
  const auto& s = row.as_struct();
  CHECK(*s.get("v") == Value::bytes("abcd"));
  CHECK(*ts->value->field("v")->schema->parameter("truncateLength") == "2");  // the schema is marked
  CHECK(*s.get("d") == Value::bytes("\x01\x02\x03"));
  CHECK(*s.get("bits") == Value::bytes("\x01\x02\x03\x04"));

  Config bad = base();
  bad["column.mask.hash.NOPE-1.with.salt.x"] = "db.people.name";
  CHECK_THROWS_WITH(parse_options(bad, "mysql", w), Catch::Contains("column.mask.hash.NOPE-1.with.salt.x"));
  Config malformed = base();
  malformed["column.mask.hash.SHA-256"] = "db.people.name";
  CHECK_THROWS_WITH(parse_options(malformed, "mysql", w), Catch::Contains("with.salt"));
}

TEST_CASE("truncate counts UTF-16 units as Java's substring") {
  CHECK(utf16_length("h\xC3\xA9\xF0\x9F\x98\x80") == 4);
  CHECK(truncate_utf16("abc", 5) == "abc");
  CHECK(truncate_utf16("abcdef", 2) == "ab");
  CHECK(truncate_utf16("h\xC3\xA9llo", 2) == "h\xC3\xA9");             // é: one unit, two bytes
  CHECK(truncate_utf16("\xF0\x9F\x98\x80xy", 2) == "\xF0\x9F\x98\x80");  // emoji: two units
  CHECK(truncate_utf16("\xF0\x9F\x98\x80xy", 1).empty());                  // the pair is not split
  CHECK(truncate_utf16("abc", 0).empty());
}

TEST_CASE("column/datatype.propagate.source.type: value schema parameters, not the key's") {
  std::vector<std::string> w;
  Config c = base();
  c["column.propagate.source.type"] = "db.people.(id|name)";
  c["datatype.propagate.source.type"] = ".+\\.DECIMAL";
  Options o = parse_options(c, "mysql", w);
  RecordBuilder b(o);
  auto ts = b.schemas(table(kDdl), w);
  sluice::api::Parameters name_params = ts->value->field("name")->schema->parameters();
  CHECK(name_params == sluice::api::Parameters{{"__debezium.source.column.type", "VARCHAR"},
                                               {"__debezium.source.column.length", "20"},
                                               {"__debezium.source.column.name", "name"}});
  auto price = ts->value->field("price")->schema->parameters();
  bool has_scale = false;
  for (auto& [k, v] : price)
    if (k == "__debezium.source.column.scale") has_scale = v == "2";
  CHECK(has_scale);
  CHECK_FALSE(ts->value->field("secret")->schema->parameters().size() > 0);
  REQUIRE(ts->value->field("id"));
  CHECK_FALSE(ts->value->field("id")->schema->parameters().empty());
  CHECK(ts->key->field("id")->schema->parameters().empty());

  Config both = c;  // one mapper per column: mask comes before propagation
  both["column.mask.with.2.chars"] = "db.people.name";
  Options ob = parse_options(both, "mysql", w);
  RecordBuilder bb(ob);
  auto tb = bb.schemas(table(kDdl), w);
  CHECK(tb->value->field("name")->schema->parameters() == sluice::api::Parameters{{"masked", "true"}});
}

TEST_CASE("message.key.columns: key from the listed columns in table order; PK otherwise") {
  std::vector<std::string> w;
  Config c = base();
  c["message.key.columns"] = "db.nopk:b,a ; db.peo.*:code,name";
  Options o = parse_options(c, "mysql", w);
  RecordBuilder b(o);
  auto nopk = b.schemas(table("CREATE TABLE nopk (a INT, b VARCHAR(3) NOT NULL, c INT)"), w);
  REQUIRE(nopk->key);
  CHECK(names(nopk->key) == std::vector<std::string>{"a", "b"});
  CHECK(nopk->key->name() == "srv.db.nopk.Key");
  CHECK(nopk->key->field("a")->schema->optional());  // a nullable key column stays optional
  Value k = b.key(*nopk, {Value::int32(5), Value::string("x"), Value::int32(9)});
  CHECK(k.as_struct().get(size_t{0}) == Value::int32(5));
  CHECK(k.as_struct().get(size_t{1}) == Value::string("x"));

  auto people = b.schemas(table(kDdl), w);  // overrides the PK
  CHECK(names(people->key) == std::vector<std::string>{"name", "code"});

  auto other = b.schemas(table("CREATE TABLE other (id INT PRIMARY KEY, v INT)"), w);
  CHECK(names(other->key) == std::vector<std::string>{"id"});
  auto none = b.schemas(table("CREATE TABLE none_here (v INT)"), w);
  CHECK(none->key == nullptr);
}
