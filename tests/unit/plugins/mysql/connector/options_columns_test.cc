// Per-column options: column.include/exclude.list, column.mask.with.<n>.chars,
// column.truncate.to.<n>.chars, column/datatype.propagate.source.type, message.key.columns.
// (Snapshot and binlog records with these options run in tests/integration/mysql_columns_test.py.)

#include <catch2/catch.hpp>

#include "plugins/mysql/connector/column_rules.h"
#include "plugins/mysql/connector/options.h"
#include "plugins/mysql/connector/records.h"
#include "plugins/mysql/schema/ddl_parser.h"

using namespace sluice::mysql::cdc;
using sluice::api::Config;
using sluice::api::Value;

namespace {

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
  CHECK_THROWS_WITH(parse_options(bad_re, "mysql", w), Catch::Contains("column.truncate.to.2.chars"));
  Config bad_key = base();
  bad_key["message.key.columns"] = "db.people";
  CHECK_THROWS_WITH(parse_options(bad_key, "mysql", w), Catch::Contains("message.key.columns"));
  Config hash = base();
  hash["column.mask.hash.SHA-256.with.salt.abc"] = "db.people.name";
  CHECK_THROWS_WITH(parse_options(hash, "mysql", w), Catch::Contains("not supported"));
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

TEST_CASE("column.mask / column.truncate: character columns' values, nulls and other types untouched") {
  std::vector<std::string> w;
  Config c = base();
  c["column.mask.with.4.chars"] = "db.people.secret,db.people.price";
  c["column.mask.with.0.chars"] = "db.people.code";
  c["column.truncate.to.3.chars"] = "db.people.(name|note)";
  Options o = parse_options(c, "mysql", w);
  RecordBuilder b(o);
  auto ts = b.schemas(table(kDdl), w);
  std::vector<Value> values{Value::int32(1), Value::string("annabel"), Value::string("pw"), Value(),
                            Value::string("12.50"), Value::string("xyz")};
  Value row = b.row(*ts, values);
  const auto& s = row.as_struct();
  CHECK(*s.get("id") == Value::int32(1));
  CHECK(*s.get("name") == Value::string("ann"));
  CHECK(*s.get("secret") == Value::string("****"));
  CHECK(s.get("note")->is_null());                    // null stays null
  CHECK(*s.get("price") == Value::string("12.50"));  // DECIMAL is not a character column
  CHECK(*s.get("code") == Value::string(""));        // n = 0: empty string
  CHECK(ts->value->field("secret")->schema->type() == sluice::api::Type::String);
}

TEST_CASE("truncate counts UTF-16 units as Java's substring") {
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
