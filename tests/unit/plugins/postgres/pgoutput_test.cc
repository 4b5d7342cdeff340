// pgoutput protocol 1 messages and the replication frames, from hand-built bytes.
#include <catch2/catch.hpp>

#include "plugins/postgres/decode/pgoutput.h"
#include "tests/unit/plugins/postgres/pg_bytes.h"

using namespace sluice::postgres;
using sluice::postgres::testing::Bytes;

namespace {

// 2024-01-15 10:30:00 UTC in PostgreSQL's epoch and in Unix micros.
constexpr int64_t kUnixUs = 1705314600000000LL;
constexpr int64_t kPgUs = kUnixUs - kPgEpochUnixMicros;

// Returns a copy: the Result is usually a temporary. Tuple views point into the frame, so a
// test that reads them keeps its Bytes in a variable.
template <class T>
T as(const Result<PgOutputMessage>& r) {
  INFO((r.ok() ? std::string("ok") : r.message()));
  REQUIRE(r.ok());
  REQUIRE(std::holds_alternative<T>(*r));
  return std::get<T>(*r);
}

}  // namespace

TEST_CASE("lsn text round trip", "[pgoutput]") {
  CHECK(lsn_to_string(0x16B374D848ULL) == "16/B374D848");
  CHECK(lsn_to_string(0) == "0/0");
  CHECK(parse_lsn("16/B374D848") == std::optional<Lsn>(0x16B374D848ULL));
  CHECK(parse_lsn("16/b374d848") == std::optional<Lsn>(0x16B374D848ULL));
  CHECK(parse_lsn("FFFFFFFF/FFFFFFFF") == std::optional<Lsn>(~0ULL));
  CHECK_FALSE(parse_lsn("16B374D848"));
  CHECK_FALSE(parse_lsn("/1"));
  CHECK_FALSE(parse_lsn("1/"));
  CHECK_FALSE(parse_lsn("1/123456789"));
  CHECK_FALSE(parse_lsn("1/G"));
}

TEST_CASE("Begin and Commit", "[pgoutput]") {
  auto b = parse_pgoutput(Bytes().ch('B').u64(0x16B374D848ULL).i64(kPgUs).u32(750));
  const auto begin = as<BeginMsg>(b);
  CHECK(begin.final_lsn == 0x16B374D848ULL);
  CHECK(begin.commit_time_us == kUnixUs);
  CHECK(begin.xid == 750);
  CHECK(message_tag(*b) == 'B');

  auto c = parse_pgoutput(Bytes().ch('C').u8(0).u64(100).u64(200).i64(kPgUs));
  const auto commit = as<CommitMsg>(c);
  CHECK(commit.flags == 0);
  CHECK(commit.commit_lsn == 100);
  CHECK(commit.end_lsn == 200);
  CHECK(commit.commit_time_us == kUnixUs);
}

TEST_CASE("Origin and Type", "[pgoutput]") {
  const auto o = as<OriginMsg>(parse_pgoutput(Bytes().ch('O').u64(77).cstr("node_a")));
  CHECK(o.commit_lsn == 77);
  CHECK(o.name == "node_a");
  auto y = parse_pgoutput(Bytes().ch('Y').u32(16390).cstr("public").cstr("mood"));
  CHECK(as<TypeMsg>(y).oid == 16390);
  CHECK(as<TypeMsg>(y).nspname == "public");
  CHECK(as<TypeMsg>(y).typname == "mood");
  // pgoutput sends "" for pg_catalog.
  CHECK(as<TypeMsg>(parse_pgoutput(Bytes().ch('Y').u32(1).cstr("").cstr("x"))).nspname == "pg_catalog");
}

TEST_CASE("Relation", "[pgoutput]") {
  Bytes r;
  r.ch('R').u32(16385).cstr("public").cstr("users").ch('d').u16(2);
  r.u8(1).cstr("id").u32(23).i32(-1);
  r.u8(0).cstr("name").u32(1043).i32(104);
  const auto rel = as<RelationMsg>(parse_pgoutput(r));
  CHECK(rel.oid == 16385);
  CHECK(rel.nspname == "public");
  CHECK(rel.relname == "users");
  CHECK(rel.replica_identity == 'd');
  REQUIRE(rel.columns.size() == 2);
  CHECK(rel.columns[0].key);
  CHECK(rel.columns[0].name == "id");
  CHECK(rel.columns[0].type_oid == 23);
  CHECK(rel.columns[0].type_modifier == -1);
  CHECK_FALSE(rel.columns[1].key);
  CHECK(rel.columns[1].type_modifier == 104);

  Bytes bad;
  bad.ch('R').u32(1).cstr("s").cstr("t").ch('x').u16(0);
  auto e = parse_pgoutput(bad);
  REQUIRE_FALSE(e.ok());
  CHECK_THAT(e.message(), Catch::Contains("Relation") && Catch::Contains("replica identity"));
}

TEST_CASE("Insert with every column kind", "[pgoutput]") {
  Bytes m;
  m.ch('I').u32(16385).ch('N').u16(4).text_col("42").ch('n').ch('u').ch('b').u32(2).raw("\x01\x02");
  const auto ins = as<InsertMsg>(parse_pgoutput(m));
  CHECK(ins.relation_oid == 16385);
  const auto c = ins.new_tuple.columns;
  REQUIRE(c.size() == 4);
  CHECK(c[0].kind == TupleDatum::Kind::Text);
  CHECK(c[0].bytes == "42");
  CHECK(c[1].kind == TupleDatum::Kind::Null);
  CHECK(c[2].kind == TupleDatum::Kind::Unchanged);
  CHECK(c[3].kind == TupleDatum::Kind::Binary);
  CHECK(c[3].bytes == std::string_view("\x01\x02", 2));
  // Views point into the message buffer.
  CHECK(c[0].bytes.data() >= m.str().data());
  CHECK(c[0].bytes.data() < m.str().data() + m.str().size());
}

TEST_CASE("Update without, with key and with old tuple", "[pgoutput]") {
  Bytes plain_b, key_b, old_b;
  auto plain = parse_pgoutput(plain_b.ch('U').u32(5).ch('N').u16(1).text_col("a"));
  CHECK(as<UpdateMsg>(plain).old_kind == 0);
  CHECK(as<UpdateMsg>(plain).old_tuple.columns.empty());
  CHECK(as<UpdateMsg>(plain).new_tuple.columns.at(0).bytes == "a");

  auto key = parse_pgoutput(key_b.ch('U').u32(5).ch('K').u16(2).text_col("1").ch('n').ch('N').u16(2).text_col("2").text_col("b"));
  const auto k = as<UpdateMsg>(key);
  CHECK(k.old_kind == 'K');
  CHECK(k.old_tuple.columns.at(0).bytes == "1");
  CHECK(k.old_tuple.columns.at(1).kind == TupleDatum::Kind::Null);
  CHECK(k.new_tuple.columns.at(0).bytes == "2");

  auto old = parse_pgoutput(old_b.ch('U').u32(5).ch('O').u16(1).text_col("x").ch('N').u16(1).text_col("y"));
  CHECK(as<UpdateMsg>(old).old_kind == 'O');
  CHECK(as<UpdateMsg>(old).new_tuple.columns.at(0).bytes == "y");

  auto missing_new = parse_pgoutput(Bytes().ch('U').u32(5).ch('O').u16(1).text_col("x"));
  REQUIRE_FALSE(missing_new.ok());
  CHECK_THAT(missing_new.message(), Catch::Contains("new tuple marker"));
}

TEST_CASE("Delete", "[pgoutput]") {
  Bytes del;
  const auto d = as<DeleteMsg>(parse_pgoutput(del.ch('D').u32(9).ch('K').u16(1).text_col("7")));
  CHECK(d.relation_oid == 9);
  CHECK(d.old_kind == 'K');
  CHECK(d.old_tuple.columns.at(0).bytes == "7");
  CHECK(as<DeleteMsg>(parse_pgoutput(Bytes().ch('D').u32(9).ch('O').u16(0))).old_kind == 'O');
  auto bad = parse_pgoutput(Bytes().ch('D').u32(9).ch('N').u16(0));
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.message(), Catch::Contains("Delete") && Catch::Contains("old tuple marker"));
}

TEST_CASE("Truncate", "[pgoutput]") {
  const auto t = as<TruncateMsg>(parse_pgoutput(Bytes().ch('T').u32(2).u8(3).u32(10).u32(11)));
  CHECK(t.cascade);
  CHECK(t.restart_identity);
  CHECK(t.relation_oids == std::vector<uint32_t>{10, 11});
  const auto t2 = as<TruncateMsg>(parse_pgoutput(Bytes().ch('T').u32(1).u8(0).u32(10)));
  CHECK_FALSE(t2.cascade);
  CHECK_FALSE(t2.restart_identity);
  // A huge count with few bytes fails cleanly (and does not allocate for the claimed count).
  auto huge = parse_pgoutput(Bytes().ch('T').u32(0xFFFFFFFF).u8(0).u32(10));
  REQUIRE_FALSE(huge.ok());
  CHECK_THAT(huge.message(), Catch::Contains("Truncate") && Catch::Contains("relation oid"));
}

TEST_CASE("Logical decoding message", "[pgoutput]") {
  Bytes msg;
  const auto m = as<LogicalMessageMsg>(parse_pgoutput(msg.ch('M').u8(1).u64(99).cstr("audit").u32(5).raw("hello")));
  CHECK(m.transactional);
  CHECK(m.lsn == 99);
  CHECK(m.prefix == "audit");
  CHECK(m.content == "hello");
  const auto m2 = as<LogicalMessageMsg>(parse_pgoutput(Bytes().ch('M').u8(0).u64(1).cstr("").u32(0)));
  CHECK_FALSE(m2.transactional);
  CHECK(m2.content.empty());
}

TEST_CASE("malformed messages name the message, the field and the offset", "[pgoutput]") {
  auto empty = parse_pgoutput("");
  REQUIRE_FALSE(empty.ok());
  CHECK_THAT(empty.message(), Catch::Contains("empty"));

  auto unknown = parse_pgoutput("Z");
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.message(), Catch::Contains("0x5A"));

  auto stream = parse_pgoutput(Bytes().ch('S').u32(1).u8(1));
  REQUIRE_FALSE(stream.ok());
  CHECK_THAT(stream.message(), Catch::Contains("proto_version '1'"));

  auto short_begin = parse_pgoutput(Bytes().ch('B').u64(1).i64(2).u16(0));
  REQUIRE_FALSE(short_begin.ok());
  CHECK_THAT(short_begin.message(), Catch::Contains("Begin") && Catch::Contains("xid") && Catch::Contains("byte 17"));

  auto trailing = parse_pgoutput(Bytes().ch('C').u8(0).u64(1).u64(2).i64(3).u8(9));
  REQUIRE_FALSE(trailing.ok());
  CHECK_THAT(trailing.message(), Catch::Contains("unexpected bytes") && Catch::Contains("byte 26"));

  auto no_nul = parse_pgoutput(Bytes().ch('O').u64(1).raw("abc"));
  REQUIRE_FALSE(no_nul.ok());
  CHECK_THAT(no_nul.message(), Catch::Contains("name") && Catch::Contains("NUL"));

  auto long_col = parse_pgoutput(Bytes().ch('I').u32(1).ch('N').u16(1).ch('t').u32(1000).raw("ab"));
  REQUIRE_FALSE(long_col.ok());
  CHECK_THAT(long_col.message(), Catch::Contains("Insert") && Catch::Contains("tuple column value"));

  auto bad_kind = parse_pgoutput(Bytes().ch('I').u32(1).ch('N').u16(1).ch('x'));
  REQUIRE_FALSE(bad_kind.ok());
  CHECK_THAT(bad_kind.message(), Catch::Contains("tuple column kind"));
}

TEST_CASE("every prefix of a valid message is an error, never a crash", "[pgoutput]") {
  Bytes r;
  r.ch('R').u32(16385).cstr("public").cstr("users").ch('f').u16(1).u8(1).cstr("id").u32(23).i32(-1);
  Bytes u;
  u.ch('U').u32(5).ch('O').u16(2).text_col("x").ch('u').ch('N').u16(1).text_col("yy");
  Bytes m;
  m.ch('M').u8(1).u64(99).cstr("audit").u32(5).raw("hello");
  for (const std::string& full : {r.str(), u.str(), m.str()}) {
    REQUIRE(parse_pgoutput(full).ok());
    for (size_t n = 0; n < full.size(); ++n) {
      // A fresh heap copy, so a read past the end would be caught by ASan.
      std::string prefix = full.substr(0, n);
      CHECK_FALSE(parse_pgoutput(prefix).ok());
    }
  }
}

TEST_CASE("XLogData and keepalive frames", "[pgoutput][framing]") {
  Bytes w;
  w.ch('w').u64(0x100).u64(0x200).i64(kPgUs).ch('B').u64(1).i64(2).u32(3);
  auto x = parse_copy_data(w);
  REQUIRE(x.ok());
  const auto xl = std::get<XLogData>(*x);
  CHECK(xl.wal_start == 0x100);
  CHECK(xl.wal_end == 0x200);
  CHECK(xl.send_time_us == kUnixUs);
  CHECK(xl.payload.size() == 21);
  CHECK(parse_pgoutput(xl.payload).ok());

  auto k = parse_copy_data(Bytes().ch('k').u64(0x300).i64(kPgUs).u8(1));
  REQUIRE(k.ok());
  const auto ka = std::get<PrimaryKeepalive>(*k);
  CHECK(ka.wal_end == 0x300);
  CHECK(ka.send_time_us == kUnixUs);
  CHECK(ka.reply_requested);
  CHECK_FALSE(std::get<PrimaryKeepalive>(*parse_copy_data(Bytes().ch('k').u64(1).i64(1).u8(0))).reply_requested);

  CHECK_FALSE(parse_copy_data("").ok());
  CHECK_FALSE(parse_copy_data(Bytes().ch('k').u64(1).i64(1)).ok());
  CHECK_FALSE(parse_copy_data(Bytes().ch('k').u64(1).i64(1).u8(0).u8(0)).ok());
  CHECK_FALSE(parse_copy_data(Bytes().ch('w').u64(1).u64(1)).ok());
  auto q = parse_copy_data("q");
  REQUIRE_FALSE(q.ok());
  CHECK_THAT(q.message(), Catch::Contains("0x71"));
}

TEST_CASE("standby status update bytes", "[pgoutput][framing]") {
  std::string r = build_standby_status_update(0x1122334455667788ULL, 0x10, 0x20, kUnixUs, true);
  Bytes expected;
  expected.ch('r').u64(0x1122334455667788ULL).u64(0x10).u64(0x20).i64(kPgUs).u8(1);
  CHECK(r.size() == 34);
  CHECK(r == expected.str());
  CHECK(build_standby_status_update(1, 1, 1, kPgEpochUnixMicros, false).substr(25) == std::string(9, '\0'));
}
