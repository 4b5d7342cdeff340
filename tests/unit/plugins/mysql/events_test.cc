// One test per event type, from byte layouts written from the servers' documented formats.
#include <zstd.h>

#include <catch2/catch.hpp>

#include <memory>

#include "plugins/mysql/binlog/crc32.h"
#include "plugins/mysql/binlog/events.h"
#include "plugins/mysql/binlog/framing.h"
#include "plugins/mysql/binlog/inflate.h"
#include "plugins/mysql/binlog/rows.h"
#include "tests/unit/plugins/mysql/binlog_builder.h"

using namespace sluice::mysql;
using namespace sluice::mysql::test;

namespace {

// Events keep views into their bytes: every fed event stays alive until the test ends.
Status feed(EventParser& p, Bytes e, Event& out) {
  static std::vector<std::unique_ptr<Bytes>> keep;
  keep.push_back(std::make_unique<Bytes>(std::move(e)));
  return p.parse(keep.back()->data(), keep.back()->size(), out);
}

EventParser mysql8() {
  EventParser p;
  Event e;
  Bytes f = fde_event("8.0.36");
  REQUIRE(feed(p, f, e).ok());
  return p;
}

EventParser mariadb() {
  EventParser p;
  Event e;
  Bytes f = fde_event("10.11.6-MariaDB-log");
  REQUIRE(feed(p, f, e).ok());
  return p;
}

}  // namespace

TEST_CASE("crc32 matches the reference and known vectors", "[binlog][event]") {
  const char* s = "123456789";
  CHECK(crc32(0, reinterpret_cast<const uint8_t*>(s), 9) == 0xCBF43926u);
  Bytes big(1000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = uint8_t(i * 7 + 3);
  CHECK(crc32(0, big.data(), big.size()) == ref_crc32(big.data(), big.size()));
  CHECK(crc32(crc32(0, big.data(), 333), big.data() + 333, 667) == ref_crc32(big.data(), big.size()));
}

TEST_CASE("FORMAT_DESCRIPTION_EVENT: version, post-header lengths, checksum", "[binlog][event]") {
  EventParser p;
  Event e;
  Bytes f = fde_event("8.0.36");
  REQUIRE(feed(p, f, e).ok());
  auto* fd = std::get_if<FormatDescriptionEvent>(&e.data);
  REQUIRE(fd);
  CHECK(fd->format->server_version == "8.0.36");
  CHECK(fd->format->version[0] == 8);
  CHECK(fd->format->checksum == ChecksumAlg::kCrc32);
  CHECK(p.format().post_header_length(event_type::kQuery) == 13);
  CHECK(p.format().post_header_length(event_type::kWriteRowsV2) == 10);
  CHECK_FALSE(p.format().mariadb);

  SECTION("a flipped byte fails the checksum") {
    EventParser q;
    Bytes bad = f;
    bad[30] ^= 1;
    CHECK_FALSE(feed(q, bad, e).ok());
  }
  SECTION("LOG_EVENT_BINLOG_IN_USE_F is set after the CRC is computed") {
    EventParser q;
    Bytes inuse = f;  // CRC computed with flags 0, then the flag set: as the server does
    inuse[17] |= 1;
    REQUIRE(feed(q, inuse, e).ok());
    CHECK((e.header.flags & event_flag::kBinlogInUse) != 0);
  }
  SECTION("binlog_checksum=NONE: the events that follow carry no CRC") {
    EventParser q;
    REQUIRE(feed(q, fde_event("8.0.36", false), e).ok());
    CHECK(q.format().checksum == ChecksumAlg::kOff);
    Bytes xid;
    put_le(xid, 99, 8);
    REQUIRE(feed(q, event(event_type::kXid, xid, EventOpts{.checksum = false}), e).ok());
    CHECK(std::get<XidEvent>(e.data).xid == 99);
  }
  SECTION("MySQL 5.1 (not checksum-aware): no algorithm byte") {
    EventParser q;
    Bytes ph = mysql8_post_headers();
    ph.resize(27);
    REQUIRE(feed(q, event(15, fde_body("5.1.73-log", ph, -1), EventOpts{.checksum = false}), e).ok());
    CHECK(q.format().checksum == ChecksumAlg::kOff);
    CHECK(q.format().post_header_lengths.size() == 27);
  }
  SECTION("MariaDB") {
    EventParser q = mariadb();
    CHECK(q.format().mariadb);
    CHECK(q.format().post_header_length(event_type::kMariaGtid) == 19);
  }
  SECTION("binlog v3 is refused") {
    EventParser q;
    Bytes body = fde_body("4.0.1", {}, -1);
    body[0] = 3;
    CHECK_FALSE(feed(q, event(15, body, EventOpts{.checksum = false}), e).ok());
  }
}

TEST_CASE("checksums of ordinary events are verified", "[binlog][event]") {
  EventParser p = mysql8();
  Event e;
  Bytes x;
  put_le(x, 7, 8);
  Bytes ev = event(event_type::kXid, x);
  REQUIRE(feed(p, ev, e).ok());
  ev[20] ^= 0x40;
  Status st = feed(p, ev, e);
  CHECK_FALSE(st.ok());
  CHECK(st.message().find("checksum") != std::string::npos);
  p.set_verify_checksums(false);
  CHECK(feed(p, ev, e).ok());
}

TEST_CASE("artificial ROTATE before the format description, with a checksum", "[binlog][event]") {
  EventParser p;
  Event e;
  Bytes b;
  put_le(b, 4, 8);
  put(b, "binlog.000001");
  p.assume_checksum(ChecksumAlg::kCrc32);
  REQUIRE(feed(p, event(event_type::kRotate, b, EventOpts{.timestamp = 0, .flags = event_flag::kArtificial}), e).ok());
  CHECK(std::get<RotateEvent>(e.data).next_file == "binlog.000001");
}

TEST_CASE("ROTATE_EVENT", "[binlog][event]") {
  EventParser p = mysql8();
  Event e;
  Bytes b;
  put_le(b, 4, 8);
  put(b, "binlog.000043");
  REQUIRE(feed(p, event(event_type::kRotate, b), e).ok());
  auto& r = std::get<RotateEvent>(e.data);
  CHECK(r.position == 4);
  CHECK(r.next_file == "binlog.000043");
}

TEST_CASE("QUERY_EVENT with status variables", "[binlog][event]") {
  EventParser p = mysql8();
  Event e;
  Bytes vars;
  vars.push_back(0);  // Q_FLAGS2_CODE
  put_le(vars, 0x4000, 4);
  vars.push_back(1);  // Q_SQL_MODE_CODE
  put_le(vars, 0x1234, 8);
  vars.push_back(6);  // Q_CATALOG_NZ_CODE
  vars.push_back(3);
  put(vars, "std");
  vars.push_back(4);  // Q_CHARSET_CODE
  put_le(vars, 255, 2);
  put_le(vars, 255, 2);
  put_le(vars, 8, 2);
  vars.push_back(5);  // Q_TIME_ZONE_CODE
  vars.push_back(6);
  put(vars, "+00:00");
  vars.push_back(12);  // Q_UPDATED_DB_NAMES
  vars.push_back(2);
  put(vars, "db1");
  vars.push_back(0);
  put(vars, "db2");
  vars.push_back(0);
  vars.push_back(13);  // Q_MICROSECONDS
  put_le(vars, 123456, 3);
  vars.push_back(17);  // Q_DDL_LOGGED_WITH_XID
  put_le(vars, 42, 8);
  Bytes b;
  put_le(b, 77, 4);  // thread id
  put_le(b, 2, 4);   // exec time
  b.push_back(4);    // db length
  put_le(b, 0, 2);   // error code
  put_le(b, vars.size(), 2);
  put(b, vars);
  put(b, "test");
  b.push_back(0);
  put(b, "CREATE TABLE t (a INT)");
  REQUIRE(feed(p, event(event_type::kQuery, b), e).ok());
  auto& q = std::get<QueryEvent>(e.data);
  CHECK(q.thread_id == 77);
  CHECK(q.exec_time == 2);
  CHECK(q.database == "test");
  CHECK(q.query == "CREATE TABLE t (a INT)");
  CHECK(q.vars.flags2 == 0x4000);
  CHECK(q.vars.sql_mode == 0x1234);
  CHECK(q.vars.catalog == "std");
  CHECK(q.vars.charset_client == 255);
  CHECK(q.vars.collation_server == 8);
  CHECK(q.vars.time_zone == "+00:00");
  REQUIRE(q.vars.updated_databases.size() == 2);
  CHECK(q.vars.updated_databases[1] == "db2");
  CHECK(q.vars.microseconds == 123456);
  CHECK(q.vars.ddl_xid == 42);
  CHECK(q.vars.complete);

  SECTION("an unknown status variable stops the walk, not the event") {
    Bytes b2 = b;
    b2[11] = uint8_t(vars.size() + 2);  // two more bytes of variables: code 99 + junk
    b2.insert(b2.begin() + 13 + long(vars.size()), {99, 1});
    REQUIRE(feed(p, event(event_type::kQuery, b2), e).ok());
    auto& q2 = std::get<QueryEvent>(e.data);
    CHECK_FALSE(q2.vars.complete);
    CHECK(q2.query == "CREATE TABLE t (a INT)");
  }
}

TEST_CASE("MariaDB QUERY_COMPRESSED_EVENT (zlib)", "[binlog][event]") {
  EventParser p = mariadb();
  Event e;
  // zlib.compress(b"INSERT INTO t VALUES (1, '" + b"abc" * 50 + b"')") from Python's zlib.
  const Bytes z = {0x78, 0x9c, 0xf3, 0xf4, 0x0b, 0x76, 0x0d, 0x0a, 0x51, 0xf0, 0xf4, 0x0b, 0xf1, 0x57,
                   0x28, 0x51, 0x08, 0x73, 0xf4, 0x09, 0x75, 0x0d, 0x56, 0xd0, 0x30, 0xd4, 0x51, 0x50,
                   0x4f, 0x4c, 0x4a, 0x1e, 0x84, 0x48, 0x5d, 0x13, 0x00, 0xb3, 0xbc, 0x40, 0x5c};
  std::string text = "INSERT INTO t VALUES (1, '";
  for (int i = 0; i < 50; ++i) text += "abc";
  text += "')";
  Bytes b;
  put_le(b, 1, 4);
  put_le(b, 0, 4);
  b.push_back(1);
  put_le(b, 0, 2);
  put_le(b, 0, 2);
  put(b, "d");
  b.push_back(0);
  b.push_back(0x80 | 1);  // MariaDB compressed header: zlib, 1 length byte
  b.push_back(uint8_t(text.size()));
  put(b, z);
  REQUIRE(feed(p, event(event_type::kMariaQueryCompressed, b), e).ok());
  auto& q = std::get<QueryEvent>(e.data);
  CHECK(q.compressed);
  CHECK(q.query == text);

  SECTION("a wrong announced length is an error") {
    Bytes bad = b;
    bad[bad.size() - z.size() - 1] = uint8_t(text.size() - 1);
    CHECK_FALSE(feed(p, event(event_type::kMariaQueryCompressed, bad), e).ok());
  }
}

TEST_CASE("inflate: stored, fixed and malformed streams", "[binlog][inflate]") {
  std::vector<uint8_t> out;
  std::string err;
  // zlib header 78 01, a final stored block of "hello", Adler-32 of "hello".
  const Bytes stored = {0x78, 0x01, 0x01, 0x05, 0x00, 0xfa, 0xff, 'h', 'e', 'l', 'l', 'o', 0x06, 0x2c, 0x02, 0x15};
  REQUIRE(zlib_inflate(stored.data(), stored.size(), 100, out, err));
  CHECK(std::string(out.begin(), out.end()) == "hello");
  CHECK_FALSE(zlib_inflate(stored.data(), stored.size(), 4, out, err));  // larger than allowed
  Bytes bad = stored;
  bad.back() ^= 1;
  CHECK_FALSE(zlib_inflate(bad.data(), bad.size(), 100, out, err));
  CHECK(err.find("Adler") != std::string::npos);
  for (size_t n = 0; n < stored.size(); ++n) CHECK_FALSE(zlib_inflate(stored.data(), n, 100, out, err));
}

TEST_CASE("XID, INTVAR, RAND, USER_VAR, INCIDENT", "[binlog][event]") {
  EventParser p = mysql8();
  Event e;
  Bytes b;
  put_le(b, 123456789012ull, 8);
  REQUIRE(feed(p, event(event_type::kXid, b), e).ok());
  CHECK(std::get<XidEvent>(e.data).xid == 123456789012ull);

  b.clear();
  b.push_back(2);
  put_le(b, 1001, 8);
  REQUIRE(feed(p, event(event_type::kIntvar, b), e).ok());
  CHECK(std::get<IntvarEvent>(e.data).kind == 2);
  CHECK(std::get<IntvarEvent>(e.data).value == 1001);

  b.clear();
  put_le(b, 11, 8);
  put_le(b, 22, 8);
  REQUIRE(feed(p, event(event_type::kRand, b), e).ok());
  CHECK(std::get<RandEvent>(e.data).seed2 == 22);

  b.clear();
  put_le(b, 3, 4);
  put(b, "foo");
  b.push_back(0);
  b.push_back(0);  // STRING_RESULT
  put_le(b, 33, 4);
  put_le(b, 3, 4);
  put(b, "bar");
  REQUIRE(feed(p, event(event_type::kUserVar, b), e).ok());
  auto& u = std::get<UserVarEvent>(e.data);
  CHECK(u.name == "foo");
  CHECK_FALSE(u.is_null);
  CHECK(u.value == "bar");

  b.clear();
  put_le(b, 1, 2);
  b.push_back(4);
  put(b, "lost");
  REQUIRE(feed(p, event(event_type::kIncident, b), e).ok());
  CHECK(std::get<IncidentEvent>(e.data).message == "lost");
}

TEST_CASE("MySQL GTID_LOG_EVENT (8.0 layout) and ANONYMOUS_GTID_LOG_EVENT", "[binlog][event]") {
  EventParser p = mysql8();
  Event e;
  Bytes b;
  b.push_back(1);  // commit flag
  const uint8_t sid[16] = {0x3e, 0x11, 0xfa, 0x47, 0x71, 0xca, 0x11, 0xe1, 0x9e, 0x33, 0xc8, 0x0a, 0xa9, 0x42, 0x95, 0x62};
  b.insert(b.end(), sid, sid + 16);
  put_le(b, 23, 8);           // gno
  b.push_back(2);             // LOGICAL_TIMESTAMP_TYPECODE
  put_le(b, 7, 8);            // last_committed
  put_le(b, 8, 8);            // sequence_number
  put_le(b, (1ull << 55) | 1700000000123456ull, 7);  // immediate, with "original follows"
  put_le(b, 1690000000000001ull, 7);                 // original
  put_lenenc(b, 300);                                // transaction_length
  put_le(b, 0x80000000u | 80036, 4);                 // immediate server version, original follows
  put_le(b, 80030, 4);
  REQUIRE(feed(p, event(event_type::kGtid, b), e).ok());
  auto& g = std::get<GtidEvent>(e.data);
  CHECK(g.to_string() == "3e11fa47-71ca-11e1-9e33-c80aa9429562:23");
  CHECK(g.last_committed == 7);
  CHECK(g.sequence_number == 8);
  CHECK(g.immediate_commit_timestamp == 1700000000123456ull);
  CHECK(g.original_commit_timestamp == 1690000000000001ull);
  CHECK(g.transaction_length == 300);
  CHECK(g.immediate_server_version == 80036);
  CHECK(g.original_server_version == 80030);

  SECTION("5.6 layout: flags, SID, GNO only") {
    Bytes short_b(b.begin(), b.begin() + 25);
    REQUIRE(feed(p, event(event_type::kGtid, short_b), e).ok());
    auto& g2 = std::get<GtidEvent>(e.data);
    CHECK(g2.gno == 23);
    CHECK_FALSE(g2.has_logical_clock);
    CHECK_FALSE(g2.has_commit_timestamps);
  }
  SECTION("anonymous") {
    REQUIRE(feed(p, event(event_type::kAnonymousGtid, b), e).ok());
    CHECK(std::get<GtidEvent>(e.data).anonymous);
  }
  SECTION("truncated inside the SID") {
    Bytes t(b.begin(), b.begin() + 10);
    CHECK_FALSE(feed(p, event(event_type::kGtid, t), e).ok());
  }
}

TEST_CASE("GTID_TAGGED_LOG_EVENT (MySQL 8.4 serialization)", "[binlog][event]") {
  // A real event body from Percona Server 8.4.11-11 (quoted in binlog_streamer's tests):
  // GTID 77d1902c-01da-11f1-9a41-908d6e5f6e8d:test_tag:1, transaction_length 337.
  const Bytes body{0x02, 0x7c, 0x00, 0x00, 0x02, 0x02, 0xee, 0x45, 0x03, 0x41, 0x02, 0x58, 0x02, 0x69, 0x03, 0x22,
                   0xc5, 0x03, 0x69, 0x02, 0x82, 0x41, 0x02, 0x35, 0x02, 0xdc, 0xbe, 0xdc, 0x35, 0x02, 0x04, 0x04,
                   0x06, 0x10, 0x74, 0x65, 0x73, 0x74, 0x5f, 0x74, 0x61, 0x67, 0x08, 0x00, 0x0a, 0x04, 0x0c, 0x7f,
                   0x00, 0x3e, 0x89, 0x00, 0xfa, 0x5b, 0x06, 0x10, 0x45, 0x05, 0x12, 0xdb, 0xd0, 0x09};
  EventParser p = mysql8();
  Event e;
  REQUIRE(feed(p, event(event_type::kGtidTagged, body), e).ok());
  auto& g = std::get<GtidEvent>(e.data);
  CHECK(g.tagged);
  CHECK(g.to_string() == "77d1902c-01da-11f1-9a41-908d6e5f6e8d:test_tag:1");
  CHECK(g.flags == 1);
  CHECK(g.transaction_length == 337);
  CHECK(g.sequence_number == 1);
  CHECK(g.last_committed == 0);
  CHECK(g.immediate_server_version == 80411);
  CHECK(g.original_server_version == 80411);
  CHECK(g.original_commit_timestamp == g.immediate_commit_timestamp);
  for (size_t n = 0; n + 1 < body.size(); ++n) {
    Bytes cut(body.begin(), body.begin() + long(n));
    Event e2;
    (void)feed(p, event(event_type::kGtidTagged, cut), e2);  // any result, never a crash
  }
}

TEST_CASE("PREVIOUS_GTIDS_LOG_EVENT, untagged and tagged", "[binlog][event]") {
  EventParser p = mysql8();
  Event e;
  Bytes b;
  put_le(b, 1, 8);
  const Bytes sid = {0x35, 0x7d, 0xf5, 0x24, 0x41, 0x39, 0x11, 0xee, 0x99, 0x79, 0xb0, 0x33, 0xee, 0x13, 0x91, 0x9e};
  put(b, sid);
  put_le(b, 2, 8);
  put_le(b, 1, 8);
  put_le(b, 6, 8);  // 1-5
  put_le(b, 7, 8);
  put_le(b, 8, 8);  // 7
  REQUIRE(feed(p, event(event_type::kPreviousGtids, b), e).ok());
  std::string s;
  REQUIRE(std::get<PreviousGtidsEvent>(e.data).to_string(s).ok());
  CHECK(s == "357df524-4139-11ee-9979-b033ee13919e:1-5:7");

  Bytes t;
  put_le(t, (1ull << 56) | (1ull << 8) | 1, 8);
  put(t, sid);
  t.push_back(uint8_t(5 << 1));  // varlen 5
  put(t, "mytag");
  put_le(t, 1, 8);
  put_le(t, 3, 8);
  put_le(t, 4, 8);
  REQUIRE(feed(p, event(event_type::kPreviousGtids, t), e).ok());
  s.clear();
  REQUIRE(std::get<PreviousGtidsEvent>(e.data).to_string(s).ok());
  CHECK(s == "357df524-4139-11ee-9979-b033ee13919e:mytag:3");

  Bytes bad(b.begin(), b.begin() + 30);
  REQUIRE(feed(p, event(event_type::kPreviousGtids, bad), e).ok());
  s.clear();
  CHECK_FALSE(std::get<PreviousGtidsEvent>(e.data).to_string(s).ok());
}

TEST_CASE("MariaDB GTID, GTID_LIST, BINLOG_CHECKPOINT, ANNOTATE_ROWS", "[binlog][event]") {
  EventParser p = mariadb();
  Event e;
  Bytes g;
  put_le(g, 42, 8);
  put_le(g, 0, 4);
  g.push_back(2);  // FL_GROUP_COMMIT_ID
  put_le(g, 1000, 8);
  REQUIRE(feed(p, event(event_type::kMariaGtid, g, EventOpts{.server_id = 101}), e).ok());
  auto& mg = std::get<MariaGtidEvent>(e.data);
  CHECK(mg.to_string() == "0-101-42");
  CHECK(mg.has_commit_id);
  CHECK(mg.commit_id == 1000);
  CHECK_FALSE(mg.standalone());

  Bytes g2;
  put_le(g2, 7, 8);
  put_le(g2, 3, 4);
  g2.push_back(1);  // FL_STANDALONE
  put_le(g2, 0, 6);  // padding to the 19-byte post-header
  REQUIRE(feed(p, event(event_type::kMariaGtid, g2, EventOpts{.server_id = 2}), e).ok());
  CHECK(std::get<MariaGtidEvent>(e.data).to_string() == "3-2-7");
  CHECK(std::get<MariaGtidEvent>(e.data).standalone());

  Bytes l;
  put_le(l, 2, 4);
  put_le(l, 0, 4);
  put_le(l, 1, 4);
  put_le(l, 10, 8);
  put_le(l, 1, 4);
  put_le(l, 2, 4);
  put_le(l, 20, 8);
  REQUIRE(feed(p, event(event_type::kMariaGtidList, l), e).ok());
  CHECK(std::get<MariaGtidListEvent>(e.data).to_string() == "0-1-10,1-2-20");
  Bytes lbad(l.begin(), l.begin() + 20);
  CHECK_FALSE(feed(p, event(event_type::kMariaGtidList, lbad), e).ok());

  Bytes c;
  put_le(c, 13, 4);
  put(c, "binlog.000007");
  REQUIRE(feed(p, event(event_type::kMariaBinlogCheckpoint, c), e).ok());
  CHECK(std::get<BinlogCheckpointEvent>(e.data).file == "binlog.000007");

  REQUIRE(feed(p, event(event_type::kMariaAnnotateRows, bytes_of("INSERT INTO t VALUES (1)")), e).ok());
  CHECK(std::get<RowsQueryEvent>(e.data).query == "INSERT INTO t VALUES (1)");

  Bytes enc(10, 0);
  CHECK_FALSE(feed(p, event(event_type::kMariaStartEncryption, enc), e).ok());
}

TEST_CASE("ROWS_QUERY, HEARTBEAT v1 and v2, XA_PREPARE", "[binlog][event]") {
  EventParser p = mysql8();
  Event e;
  Bytes rq;
  rq.push_back(24);
  put(rq, "UPDATE t SET a=1 WHERE 1");
  REQUIRE(feed(p, event(event_type::kRowsQuery, rq), e).ok());
  CHECK(std::get<RowsQueryEvent>(e.data).query == "UPDATE t SET a=1 WHERE 1");

  REQUIRE(feed(p, event(event_type::kHeartbeat, bytes_of("binlog.000001"), EventOpts{.timestamp = 0, .log_pos = 1234}), e)
              .ok());
  CHECK(std::get<HeartbeatEvent>(e.data).log_file == "binlog.000001");
  CHECK(std::get<HeartbeatEvent>(e.data).log_position == 1234);

  Bytes hb;
  put_lenenc(hb, 1);
  put_lenenc_str(hb, "binlog.000002");
  put_lenenc(hb, 2);
  Bytes pos;
  put_lenenc(pos, 70000);
  put_lenenc(hb, pos.size());
  put(hb, pos);
  REQUIRE(feed(p, event(event_type::kHeartbeatV2, hb), e).ok());
  CHECK(std::get<HeartbeatEvent>(e.data).log_file == "binlog.000002");
  CHECK(std::get<HeartbeatEvent>(e.data).log_position == 70000);

  Bytes xa;
  xa.push_back(0);
  put_le(xa, 1, 4);
  put_le(xa, 3, 4);
  put_le(xa, 2, 4);
  put(xa, "abcde");
  REQUIRE(feed(p, event(event_type::kXaPrepare, xa), e).ok());
  CHECK(std::get<XaPrepareEvent>(e.data).gtrid == "abc");
  CHECK(std::get<XaPrepareEvent>(e.data).bqual == "de");
}

TEST_CASE("unknown event types are skipped and counted", "[binlog][event]") {
  EventParser p = mysql8();
  Event e;
  REQUIRE(feed(p, event(200, Bytes(17, 0xab)), e).ok());
  CHECK_FALSE(std::get<OtherEvent>(e.data).known);
  REQUIRE(feed(p, event(event_type::kStop, {}), e).ok());
  CHECK(std::get<OtherEvent>(e.data).known);
  REQUIRE(feed(p, event(99, {}), e).ok());
  CHECK(p.unknown_events() == 2);
}

TEST_CASE("TRANSACTION_PAYLOAD_EVENT: zstd payload of checksum-less events", "[binlog][event]") {
  EventParser p = mysql8();
  Event e;
  // Inner events as MySQL writes them: no CRC, log_pos 0.
  Bytes inner;
  Bytes q;
  put_le(q, 1, 4);
  put_le(q, 0, 4);
  q.push_back(0);
  put_le(q, 0, 2);
  put_le(q, 0, 2);
  q.push_back(0);
  put(q, "BEGIN");
  put(inner, event(event_type::kQuery, q, EventOpts{.checksum = false}));
  Bytes tm = table_map_body(88, "test", "tb1", {{column_type::kLong, {}}});
  put(inner, event(event_type::kTableMap, tm, EventOpts{.checksum = false}));
  Bytes row = {0x00};
  put_le(row, 1, 4);
  put(inner, event(event_type::kWriteRowsV2, rows_body(88, 1, all_columns(1), nullptr, row, true),
                   EventOpts{.checksum = false}));
  Bytes x;
  put_le(x, 462, 8);
  put(inner, event(event_type::kXid, x, EventOpts{.checksum = false}));

  std::vector<uint8_t> z(ZSTD_compressBound(inner.size()));
  size_t zn = ZSTD_compress(z.data(), z.size(), inner.data(), inner.size(), 3);
  REQUIRE_FALSE(ZSTD_isError(zn));
  z.resize(zn);
  auto tlv = [](Bytes& b, uint64_t type, uint64_t v) {
    Bytes val;
    put_lenenc(val, v);
    put_lenenc(b, type);
    put_lenenc(b, val.size());
    put(b, val);
  };
  Bytes body;
  tlv(body, 2, 0);  // compression type: ZSTD
  tlv(body, 3, inner.size());
  tlv(body, 1, z.size());
  body.push_back(0);  // end mark
  put(body, z);
  REQUIRE(feed(p, event(event_type::kTransactionPayload, body), e).ok());
  auto pe = std::get<TransactionPayloadEvent>(e.data);
  CHECK(pe.uncompressed_size == inner.size());
  std::vector<uint8_t> out;
  REQUIRE(p.decompress_payload(pe, out).ok());
  REQUIRE(out == inner);
  EventSplitter split(out.data(), out.size());
  const uint8_t* ev;
  size_t n;
  std::vector<uint8_t> types;
  RowIterator rows;
  int64_t value = 0;
  while (split.next(ev, n)) {
    Event ie;
    REQUIRE(p.parse_embedded(ev, n, ie).ok());
    types.push_back(ie.header.type);
    if (auto* r = std::get_if<RowsEvent>(&ie.data)) {
      REQUIRE(rows.reset(*r).ok());
      REQUIRE(rows.next());
      value = rows.after()[0].as_signed();
    }
  }
  CHECK(split.status().ok());
  CHECK(types == std::vector<uint8_t>{2, 19, 30, 16});
  CHECK(value == 1);

  SECTION("wrong announced size is refused") {
    pe.uncompressed_size = inner.size() - 1;
    CHECK_FALSE(p.decompress_payload(pe, out).ok());
  }
  SECTION("corrupt zstd data is refused") {
    Bytes bad = z;
    bad[bad.size() / 2] ^= 0xff;
    bad[4] ^= 0x55;
    TransactionPayloadEvent pb = pe;
    pb.payload = view(bad);
    CHECK_FALSE(p.decompress_payload(pb, out).ok());
  }
  SECTION("a FORMAT_DESCRIPTION inside a payload is refused") {
    Bytes f = fde_event("8.0.36", false);
    Event ie;
    CHECK_FALSE(p.parse_embedded(f.data(), f.size(), ie).ok());
  }
}

TEST_CASE("framing: splitter and magic", "[binlog][framing]") {
  Bytes file = {0xfe, 'b', 'i', 'n'};
  CHECK(check_binlog_magic(file.data(), file.size()).ok());
  Bytes x;
  put_le(x, 1, 8);
  Bytes ev = event(event_type::kXid, x);
  put(file, ev);
  put(file, ev);
  EventSplitter s(file.data(), file.size(), 4);
  const uint8_t* p;
  size_t n;
  REQUIRE(s.next(p, n));
  CHECK(s.offset() == 4);
  REQUIRE(s.next(p, n));
  CHECK(s.offset() == 4 + ev.size());
  CHECK_FALSE(s.next(p, n));
  CHECK(s.status().ok());

  Bytes cut(file.begin(), file.end() - 3);
  EventSplitter s2(cut.data(), cut.size(), 4);
  REQUIRE(s2.next(p, n));
  CHECK_FALSE(s2.next(p, n));
  CHECK(s2.offset() == 4 + ev.size());
  CHECK(s2.status().message().find("truncated event") != std::string::npos);

  Bytes tiny = {0xfe, 'b', 'i', 'n', 1, 2, 3};
  EventSplitter s3(tiny.data(), tiny.size(), 4);
  CHECK_FALSE(s3.next(p, n));
  CHECK(s3.status().message() == "truncated event header: 3 of 19 bytes present");

  Bytes small = file;
  small[4 + 9] = 5;  // event size smaller than the header
  small[4 + 10] = 0;
  EventSplitter s4(small.data(), small.size(), 4);
  CHECK_FALSE(s4.next(p, n));
  CHECK(s4.status().message().find("smaller than the 19-byte header") != std::string::npos);

  Bytes notbin = {'G', 'I', 'F', '8'};
  CHECK_FALSE(check_binlog_magic(notbin.data(), notbin.size()).ok());
}

TEST_CASE("every truncation of every event fails cleanly", "[binlog][event]") {
  std::vector<Bytes> events;
  events.push_back(fde_event("8.0.36"));
  Bytes tm_meta;
  put_opt_meta(tm_meta, 4, [] {
    Bytes v;
    put_lenenc_str(v, "id");
    put_lenenc_str(v, "name");
    return v;
  }());
  events.push_back(event(event_type::kTableMap,
                         table_map_body(5, "d", "t", {{column_type::kLong, {}}, {column_type::kVarchar, {40, 0}}}, tm_meta)));
  Bytes row = {0x00};
  put_le(row, 7, 4);
  row.push_back(3);
  put(row, "abc");
  events.push_back(event(event_type::kWriteRowsV2, rows_body(5, 2, all_columns(2), nullptr, row, true)));
  for (const Bytes& full : events) {
    for (size_t n = 0; n < full.size(); ++n) {
      EventParser p = mysql8();
      Event e;
      Bytes tm = events[1];
      REQUIRE(feed(p, tm, e).ok());
      Bytes cut(full.begin(), full.begin() + long(n));
      // Fix the size field so the event is self-consistent but short (checksum off to reach
      // the body parsers).
      if (cut.size() >= 13) {
        cut[9] = uint8_t(cut.size());
        cut[10] = uint8_t(cut.size() >> 8);
      }
      p.set_verify_checksums(false);
      Status st = p.parse(cut.data(), cut.size(), e);
      if (st.ok()) {
        if (auto* r = std::get_if<RowsEvent>(&e.data)) {
          RowIterator it;
          if (it.reset(*r).ok()) {
            while (it.next()) {
            }
          }
        }
      }
    }
  }
  SUCCEED("no crash");
}
