// Real pgoutput bytes from PostgreSQL 15 (fixtures/pgoutput_alltypes.txt, made by
// capture_pgoutput.py; SLUICE_PG_FIXTURE points at a freshly captured file in the live test):
// every message decodes, the change stream has the expected shape, and every column of the
// all-types row converts to Debezium's value.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "plugins/postgres/decode/pgoutput.h"
#include "plugins/postgres/decode/types.h"

using namespace sluice::postgres;
namespace api = sluice::api;
using api::Value;

namespace {

struct Fixture {
  std::string query;
  TypeCatalog catalog;
  std::vector<std::string> messages;  // raw bytes, one per pgoutput message
};

std::string unhex(const std::string& h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(char(std::stoi(h.substr(i, 2), nullptr, 16)));
  return out;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, '\t')) out.push_back(cell);
  return out;
}

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture f;
    std::string path;
    if (const char* p = std::getenv("SLUICE_PG_FIXTURE")) path = p;
    else path = std::string(std::getenv("SLUICE_SOURCE_DIR") ? std::getenv("SLUICE_SOURCE_DIR") : ".") +
                "/tests/unit/plugins/postgres/fixtures/pgoutput_alltypes.txt";
    std::ifstream in(path);
    INFO(path);
    REQUIRE(in.good());
    std::string line;
    while (std::getline(in, line)) {
      auto cells = split_tabs(line);
      if (cells.empty()) continue;
      if (cells[0] == "query") f.query = line.substr(6);
      if (cells[0] == "type") {
        std::vector<std::optional<std::string_view>> row;
        for (size_t i = 1; i < cells.size(); ++i) {
          if (cells[i] == "\\N") row.emplace_back(std::nullopt);
          else row.emplace_back(cells[i]);
        }
        auto t = type_from_catalog_row(row);
        REQUIRE(t.ok());
        f.catalog.add(*t);
      }
      if (cells[0] == "msg") f.messages.push_back(unhex(cells.at(2)));
    }
    return f;
  }();
  return f;
}

struct Decoded {
  std::vector<PgOutputMessage> messages;
  std::string tags;
  std::map<uint32_t, RelationMsg> relations;
  std::map<std::string, uint32_t> oid_of;
};

const Decoded& decoded() {
  static const Decoded d = [] {
    Decoded d;
    for (const std::string& m : fixture().messages) {
      auto r = parse_pgoutput(m);
      INFO((r.ok() ? std::string() : r.message()));
      REQUIRE(r.ok());
      d.tags.push_back(message_tag(*r));
      if (auto* rel = std::get_if<RelationMsg>(&*r)) {
        d.relations[rel->oid] = *rel;
        d.oid_of[rel->relname] = rel->oid;
      }
      d.messages.push_back(std::move(*r));
    }
    return d;
  }();
  return d;
}

template <class T>
std::vector<const T*> all(uint32_t relation = 0) {
  std::vector<const T*> out;
  for (auto& m : decoded().messages) {
    const T* x = std::get_if<T>(&m);
    if (!x) continue;
    if constexpr (requires { x->relation_oid; }) {
      if (relation != 0 && x->relation_oid != relation) continue;
    }
    out.push_back(x);
  }
  return out;
}

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(char(x));
  return s;
}

}  // namespace

TEST_CASE("fixture: every real message decodes, in the expected order", "[fixture]") {
  CHECK(fixture().query == type_catalog_query());
  REQUIRE(fixture().messages.size() > 20);
  const std::string& tags = decoded().tags;
  // insert all types; insert, update (TOAST), update FULL, key change, two deletes, insert,
  // truncate, transactional message, non-transactional message.
  CHECK(tags.rfind("BYYYYYYRIC", 0) == 0);
  CHECK(tags.find("BRIC") != std::string::npos);
  CHECK(tags.find("BUC") != std::string::npos);
  CHECK(tags.find("RUC") != std::string::npos);
  CHECK(tags.find("BDC") != std::string::npos);
  CHECK(tags.find("TC") != std::string::npos);
  CHECK(tags.find("BMC") != std::string::npos);
  CHECK(tags.back() == 'M');
  // Each XLogData frame carries the message unchanged.
  for (const std::string& m : fixture().messages) {
    std::string frame = "w" + std::string(24, '\0') + m;
    auto f = parse_copy_data(frame);
    REQUIRE(f.ok());
    CHECK(std::get<XLogData>(*f).payload == m);
  }
  // Begin/Commit pairs agree.
  auto begins = all<BeginMsg>();
  auto commits = all<CommitMsg>();
  REQUIRE(begins.size() == commits.size());
  for (size_t i = 0; i < begins.size(); ++i) {
    CHECK(begins[i]->final_lsn == commits[i]->commit_lsn);
    CHECK(begins[i]->commit_time_us == commits[i]->commit_time_us);
    CHECK(commits[i]->end_lsn > commits[i]->commit_lsn);
    CHECK(begins[i]->commit_time_us > 1700000000000000LL);  // a 2023+ wall clock, in unix micros
  }
}

TEST_CASE("fixture: Type messages name the extension types, pg_catalog for a domain's base", "[fixture]") {
  bool mood = false, numeric = false;
  for (auto* t : all<TypeMsg>()) {
    if (t->typname == "mood") mood = t->nspname == "public";
    if (t->typname == "numeric") numeric = t->nspname == "pg_catalog";
  }
  CHECK(mood);
  CHECK(numeric);
}

TEST_CASE("fixture: the all-types row converts to Debezium's values", "[fixture]") {
  uint32_t rel_oid = decoded().oid_of.at("alltypes");
  const RelationMsg& rel = decoded().relations.at(rel_oid);
  auto inserts = all<InsertMsg>(rel_oid);
  REQUIRE(inserts.size() == 1);
  const auto& cols = inserts[0]->new_tuple.columns;
  REQUIRE(cols.size() == rel.columns.size());

  std::map<std::string, Value> got;
  std::map<std::string, Error::Kind> failed;
  std::map<std::string, api::SchemaPtr> schema;
  for (size_t i = 0; i < cols.size(); ++i) {
    const RelationColumn& rc = rel.columns[i];
    auto m = map_column(ColumnInfo{rc.name, rc.type_oid, rc.type_modifier, rc.name != "id", std::nullopt, false},
                        fixture().catalog, {});
    if (!m.ok()) {
      failed[rc.name] = m.error().kind;
      continue;
    }
    schema[rc.name] = m->schema;
    REQUIRE(cols[i].kind == TupleDatum::Kind::Text);
    auto v = m->from_text(cols[i].bytes);
    if (!v.ok()) {
      failed[rc.name] = v.error().kind;
      continue;
    }
    got[rc.name] = *v;
  }
  CHECK(rel.columns[0].key);
  CHECK(failed.size() == 2);
  CHECK(failed["bx"] == Error::Kind::UnsupportedType);    // box: not mapped
  CHECK(failed["nn"] == Error::Kind::Unrepresentable);    // NaN in precise mode

  const std::vector<std::pair<std::string, Value>> expected = {
      {"id", Value::int32(1)},
      {"i2", Value::int16(-32768)},
      {"i8", Value::int64(INT64_MAX)},
      {"o", Value::int64(4294967295LL)},
      {"n", Value::bytes(bytes({0x01, 0xE2, 0x3A}))},  // 1234.50 -> 123450
      {"m", Value::bytes(bytes({0x01, 0xE2, 0x40}))},  // $1,234.56 -> 123456
      {"f4", Value::float32(1.5f)},
      {"f8", Value::float64(HUGE_VAL)},
      {"b", Value::boolean(true)},
      {"c", Value::string("ab   ")},
      {"vc", Value::string("hello")},
      {"t", Value::string("multi\nline \"q\"")},
      {"nm", Value::string("nm")},
      {"by", Value::bytes(bytes({0x00, 0xFF, 0x10}))},
      {"d", Value::int32(19782)},
      {"dbc", Value::int32(-735160)},
      {"tm", Value::int64(36930123456LL)},
      {"tm3", Value::int32(36930123)},
      {"ttz", Value::string("08:15:30Z")},
      {"ts", Value::int64(1705314600123456LL)},
      {"ts3", Value::int64(1705314600123LL)},
      {"tsinf", Value::int64(9223372036825200000LL)},
      {"tstz", Value::string("2024-01-15T10:30:00.000000Z")},
      {"u", Value::string("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")},
      {"j", Value::string("{\"a\": 1}")},
      {"jb", Value::string("{\"b\": [1, 2]}")},
      {"x", Value::string("<a>1</a>")},
      {"e", Value::string("happy")},
      {"dm", Value::bytes(bytes({0x01, 0x5E}))},  // 3.50 -> 350
      {"h", Value::string("{\"9\":null,\"10\":\"x\"}")},
      {"ci", Value::string("MiXed")},
      {"lt", Value::string("a.b.c")},
      {"ip", Value::string("192.168.0.1/24")},
      {"cn", Value::string("10.0.0.0/8")},
      {"mac", Value::string("08:00:2b:01:02:03")},
      {"mac8", Value::string("08:00:2b:01:02:03:04:05")},
      {"b1", Value::boolean(true)},
      {"b10", Value::bytes(bytes({0x01, 0x02}))},
      {"vb", Value::bytes(bytes({0x05}))},
      {"r", Value::string("[1,10)")},
  };
  for (auto& [name, value] : expected) {
    INFO(name);
    REQUIRE(got.count(name));
    CHECK(got[name] == value);
  }
  // 1 year 2 months 3 days 04:05:06.789 with 30.4375-day months.
  CHECK(got["iv"] == Value::int64(37091106789000LL));
  CHECK(schema["e"]->parameter("allowed") != nullptr);
  CHECK(*schema["e"]->parameter("allowed") == "sad,ok,happy");
  CHECK(*schema["dm"]->parameter("connect.decimal.precision") == "8");
  CHECK(schema["lt"]->name() == "io.debezium.data.Ltree");
  CHECK(schema["h"]->name() == "io.debezium.data.Json");

  const auto& nv = got["nv"].as_struct();
  CHECK(nv.get(0) == Value::int32(2));
  CHECK(nv.get(1) == Value::bytes(bytes({0x04, 0xD2})));
  const auto& ia = got["ia"].as_array();
  REQUIRE(ia.size() == 3);
  CHECK(ia[1].is_null());
  CHECK(got["ta"].as_array().at(1) == Value::string("c\"d"));
  CHECK(got["na"].as_array().at(1) == Value::bytes(bytes({0xEC})));  // -2.0 -> -20
  CHECK(got["tza"].as_array().at(0) == Value::string("2024-01-15T10:30:00.000000Z"));
  CHECK(got["ea"].as_array().at(1) == Value::string("happy"));
  CHECK(*got["pt"].as_struct().get("y") == Value::float64(-2));
}

TEST_CASE("fixture: updates, deletes, TOAST, truncate and messages", "[fixture]") {
  uint32_t all_oid = decoded().oid_of.at("alltypes");
  uint32_t toasty = decoded().oid_of.at("toasty");

  auto tu = all<UpdateMsg>(toasty);
  REQUIRE(tu.size() == 2);
  // UPDATE toasty SET note: no old tuple, the TOASTed column unchanged.
  CHECK(tu[0]->old_kind == 0);
  CHECK(tu[0]->new_tuple.columns.at(1).kind == TupleDatum::Kind::Unchanged);
  CHECK(tu[0]->new_tuple.columns.at(2).bytes == "second");
  // UPDATE toasty SET id = 2: the old key only.
  CHECK(tu[1]->old_kind == 'K');
  CHECK(tu[1]->old_tuple.columns.at(0).bytes == "1");
  CHECK(tu[1]->old_tuple.columns.at(1).kind == TupleDatum::Kind::Null);
  CHECK(tu[1]->new_tuple.columns.at(0).bytes == "2");

  // After REPLICA IDENTITY FULL the relation is re-sent with 'f' and the old row is whole.
  auto au = all<UpdateMsg>(all_oid);
  REQUIRE(au.size() == 1);
  CHECK(au[0]->old_kind == 'O');
  CHECK(decoded().relations.at(all_oid).replica_identity == 'f');
  CHECK(au[0]->old_tuple.columns.size() == au[0]->new_tuple.columns.size());

  auto ad = all<DeleteMsg>(all_oid);
  REQUIRE(ad.size() == 1);
  CHECK(ad[0]->old_kind == 'O');
  auto td = all<DeleteMsg>(toasty);
  REQUIRE(td.size() == 1);
  CHECK(td[0]->old_kind == 'K');
  CHECK(td[0]->old_tuple.columns.at(0).bytes == "2");

  auto tr = all<TruncateMsg>();
  REQUIRE(tr.size() == 1);
  CHECK(tr[0]->cascade);
  CHECK(tr[0]->restart_identity);
  CHECK(tr[0]->relation_oids.size() == 2);

  auto ms = all<LogicalMessageMsg>();
  REQUIRE(ms.size() == 2);
  CHECK(ms[0]->transactional);
  CHECK(ms[0]->prefix == "audit");
  CHECK(ms[0]->content == "hello");
  CHECK_FALSE(ms[1]->transactional);
  CHECK(ms[1]->prefix == "nontx");
  CHECK(ms[1]->content == std::string("\x00\xff", 2));
}
