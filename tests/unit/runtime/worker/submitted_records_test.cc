#include <catch2/catch.hpp>

#include "runtime/worker/submitted_records.h"

using namespace sluice;
using sluice::worker::SubmittedRecords;

namespace {
api::SourceRecord rec(const std::shared_ptr<const api::OffsetMap>& p, int64_t seq) {
  api::SourceRecord r;
  r.source_partition = p;
  r.source_offset = {{"seqno", api::Value::int64(seq)}};
  return r;
}
int64_t seq_of(const api::OffsetMap& m) { return m.at(0).second.as_int64(); }
auto part(int id) {
  return std::make_shared<const api::OffsetMap>(api::OffsetMap{{"id", api::Value::int32(id)}});
}
}  // namespace

TEST_CASE("an offset is committable only once every earlier record of its partition is acked") {
  SubmittedRecords s("conn");
  auto p = part(0);
  auto* a = s.submit(p, rec(p, 0));
  auto* b = s.submit(p, rec(p, 1));
  auto* c = s.submit(p, rec(p, 2));
  CHECK(s.in_flight() == 3);
  s.ack(c);  // out of order: nothing committable yet
  CHECK(s.take_committable().empty());
  s.ack(a);
  auto ready = s.take_committable();
  REQUIRE(ready.size() == 1);
  CHECK(ready[0].first == R"(["conn",{"id":0}])");
  CHECK(seq_of(ready[0].second) == 0);
  s.ack(b);  // closes the gap: 2 was already acked, so 2 is now committable
  ready = s.take_committable();
  REQUIRE(ready.size() == 1);
  CHECK(seq_of(ready[0].second) == 2);
  CHECK(s.in_flight() == 0);
  CHECK(s.take_committable().empty());  // nothing new since the last take
}

TEST_CASE("partitions are tracked independently, and equal partitions share a queue") {
  SubmittedRecords s("conn");
  auto p0 = part(0), p1 = part(1), p0_again = part(0);  // a distinct object with equal content
  auto* a = s.submit(p0, rec(p0, 10));
  auto* b = s.submit(p1, rec(p1, 20));
  auto* c = s.submit(p0_again, rec(p0_again, 11));
  s.ack(b);
  s.ack(c);
  auto ready = s.take_committable();
  REQUIRE(ready.size() == 1);  // p0 waits for record 10
  CHECK(seq_of(ready[0].second) == 20);
  s.ack(a);
  ready = s.take_committable();
  REQUIRE(ready.size() == 1);
  CHECK(seq_of(ready[0].second) == 11);
}

TEST_CASE("a failed flush is restored unless a newer offset superseded it") {
  SubmittedRecords s("conn");
  auto p = part(0);
  s.ack(s.submit(p, rec(p, 1)));
  auto ready = s.take_committable();
  s.restore(ready);
  auto again = s.take_committable();
  REQUIRE(again.size() == 1);
  CHECK(seq_of(again[0].second) == 1);
  s.ack(s.submit(p, rec(p, 2)));
  s.restore(again);  // 2 is newer and still pending: keep it
  auto latest = s.take_committable();
  REQUIRE(latest.size() == 1);
  CHECK(seq_of(latest[0].second) == 2);
}

TEST_CASE("an abandoned record is forgotten") {
  SubmittedRecords s("conn");
  auto p = part(0);
  s.ack(s.submit(p, rec(p, 1)));
  auto* e = s.submit(p, rec(p, 2));
  s.abandon(e);
  CHECK(s.in_flight() == 0);
  auto ready = s.take_committable();
  REQUIRE(ready.size() == 1);
  CHECK(seq_of(ready[0].second) == 1);
}
