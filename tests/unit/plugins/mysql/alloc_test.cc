// The hot path allocates nothing: once a parser and a row iterator are warm, decoding a
// TABLE_MAP (same bytes as before) and a rows event with every row makes no heap allocation.
#include <atomic>
#include <cstdlib>
#include <new>

#include <catch2/catch.hpp>

#include "plugins/mysql/binlog/events.h"
#include "plugins/mysql/binlog/rows.h"
#include "tests/unit/plugins/mysql/binlog_builder.h"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<size_t> g_allocations{0};
}  // namespace

// Every plain (non-aligned) form, so that allocation and release always pair up.
static void* counted_malloc(std::size_t n) noexcept {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n ? n : 1);
}
void* operator new(std::size_t n) {
  if (void* p = counted_malloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = counted_malloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_malloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_malloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

using namespace sluice::mysql;
using namespace sluice::mysql::test;

TEST_CASE("decoding rows allocates nothing once warm", "[binlog][alloc]") {
  using namespace column_type;
  std::vector<Col> cols = {{kLongLong, {}}, {kLong, {}}, {kVarchar, {100, 0}}, {kVarchar, {100, 0}},
                           {kDateTime2, {6}}, {kNewDecimal, {12, 2}}, {kDouble, {8}}, {kBlob, {2}}};
  Bytes names;
  for (auto n : {"id", "a", "c", "d", "e", "f", "g", "h"}) put_lenenc_str(names, n);
  Bytes meta;
  put_opt_meta(meta, table_meta::kColumnName, names);
  put_opt_meta(meta, table_meta::kSignedness, {0x00});
  Bytes tm = event(event_type::kTableMap, table_map_body(7, "bench", "t", cols, meta));
  Bytes rows;
  for (int r = 0; r < 50; ++r) {
    rows.push_back(0);  // no NULLs
    put_le(rows, uint64_t(r), 8);
    put_le(rows, uint64_t(r * 3), 4);
    rows.push_back(10);
    put(rows, "customer-1");
    rows.push_back(32);
    put(rows, std::string(32, 'f'));
    put_be(rows, 0x8000000000ull + (uint64_t(2024 * 13 + 6) << 22), 5);
    put_be(rows, 123456, 3);
    Bytes dec = {0x80, 0x00, 0x00, 0x01, 0x02, 0x03};
    put(rows, dec);
    put_le(rows, 0x3ff8000000000000ull, 8);
    put_le(rows, 3, 2);
    put(rows, "xyz");
  }
  Bytes ev = event(event_type::kWriteRowsV2, rows_body(7, cols.size(), all_columns(cols.size()), nullptr, rows, true));
  Bytes fde = fde_event("10.11.6-MariaDB-log");

  EventParser parser;
  RowIterator it;
  Event e;
  REQUIRE(parser.parse(fde.data(), fde.size(), e).ok());
  auto decode_once = [&] {
    size_t n = 0;
    if (!parser.parse(tm.data(), tm.size(), e).ok()) return size_t(0);
    if (!parser.parse(ev.data(), ev.size(), e).ok()) return size_t(0);
    if (!it.reset(std::get<RowsEvent>(e.data)).ok()) return size_t(0);
    while (it.next()) n += it.after()[0].kind == CellKind::kSigned;
    return n;
  };
  REQUIRE(decode_once() == 50);  // warm-up: the table map is cached, vectors sized
  g_allocations = 0;
  g_counting = true;
  size_t total = 0;
  for (int i = 0; i < 100; ++i) total += decode_once();
  g_counting = false;
  CHECK(total == 5000);
  CHECK(g_allocations.load() == 0);
}
