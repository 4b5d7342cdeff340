// The text-format helpers: Java's BigInteger/BigDecimal forms, dates, intervals, arrays.
#include <catch2/catch.hpp>

#include "plugins/postgres/decode/text_values.h"

using namespace sluice::postgres::text;

namespace {
std::string hex_of(const std::string& b) { return to_hex(b); }
std::string unscaled_hex(std::string_view s) {
  auto d = parse_decimal(s);
  REQUIRE(d);
  return hex_of(unscaled_bytes(*d));
}
}  // namespace

TEST_CASE("unscaled bytes are Java's BigInteger.toByteArray", "[text]") {
  CHECK(unscaled_hex("0") == "00");
  CHECK(unscaled_hex("1") == "01");
  CHECK(unscaled_hex("127") == "7f");
  CHECK(unscaled_hex("128") == "0080");
  CHECK(unscaled_hex("255") == "00ff");
  CHECK(unscaled_hex("256") == "0100");
  CHECK(unscaled_hex("-1") == "ff");
  CHECK(unscaled_hex("-128") == "80");
  CHECK(unscaled_hex("-129") == "ff7f");
  CHECK(unscaled_hex("-256") == "ff00");
  CHECK(unscaled_hex("-12345") == "cfc7");
  CHECK(unscaled_hex("-0.00") == "00");
  // 2^64 and -(2^63): multi-limb paths.
  CHECK(unscaled_hex("18446744073709551616") == "010000000000000000");
  CHECK(unscaled_hex("-9223372036854775808") == "8000000000000000");
  CHECK(unscaled_hex("123456789012345678901234567890") == "018ee90ff6c373e0ee4e3f0ad2");
}

TEST_CASE("BigDecimal scale operations", "[text]") {
  auto d = *parse_decimal("1.005");
  CHECK(plain_string(rescale(d, 2)) == "1.01");  // HALF_UP
  CHECK(plain_string(rescale(*parse_decimal("-1.005"), 2)) == "-1.01");
  CHECK(plain_string(rescale(*parse_decimal("0.004"), 2)) == "0.00");
  CHECK(plain_string(rescale(*parse_decimal("9.995"), 2)) == "10.00");
  CHECK(plain_string(rescale(*parse_decimal("1.5"), 3)) == "1.500");
  CHECK(plain_string(*parse_decimal("-0.05")) == "-0.05");
  CHECK(plain_string(*parse_decimal("1e3")) == "1000");
  CHECK(plain_string(*parse_decimal("1.5E-3")) == "0.0015");
  auto s = strip_trailing_zeros(*parse_decimal("100.00"));
  CHECK(s.scale == 0);
  CHECK(s.digits == "100");
  CHECK(strip_trailing_zeros(*parse_decimal("0.000")).scale == 0);
  CHECK(parse_decimal("NaN")->special == Special::NaN);
  CHECK_FALSE(parse_decimal(""));
  CHECK_FALSE(parse_decimal("1.2.3"));
  CHECK_FALSE(parse_decimal("-"));
  CHECK_FALSE(parse_decimal("1e"));
  CHECK(plain_string(*parse_money("($1,234.50)")) == "-1234.50");
  CHECK(plain_string(*parse_money("€12.00")) == "12.00");
}

TEST_CASE("dates and times", "[text]") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  int64_t y;
  unsigned m, d;
  civil_from_days(-719528, y, m, d);
  CHECK((y == 0 && m == 1 && d == 1));
  CHECK(parse_date("0001-01-01 BC")->days == -719528);
  CHECK_FALSE(parse_date("0000-01-01"));
  CHECK_FALSE(parse_date("2024-13-01"));
  CHECK_FALSE(parse_date("2024-01-1"));
  CHECK_FALSE(parse_date("2024-01-01x"));
  CHECK(parse_date("infinity")->special == Special::PosInf);
  auto t = parse_timestamp("2024-01-15 10:30:00.1+05:30:15", true);
  REQUIRE(t);
  CHECK(t->offset_seconds == 5 * 3600 + 30 * 60 + 15);
  CHECK(t->time_us == 37800100000LL);
  CHECK_FALSE(parse_timestamp("2024-01-15 10:30:00", true));
  CHECK_FALSE(parse_timestamp("2024-01-15 25:00:00", false));
  CHECK_FALSE(parse_time("24:00:01", false));
  CHECK(zoned_timestamp_string(-62167219200000000LL, 6) == "0000-01-01T00:00:00.000000Z");
  CHECK(zoned_timestamp_string(-62198755200000000LL, 0) == "-0001-01-01T00:00:00Z");
  CHECK(zoned_timestamp_string(1500000, 0) == "1970-01-01T00:00:01.5Z");
  CHECK(zoned_time_string(-1) == "23:59:59.999999Z");
}

TEST_CASE("intervals as PGInterval reads them", "[text]") {
  auto i = parse_interval("1 year 2 mons -3 days -04:05:06.789");
  REQUIRE(i);
  CHECK(i->years == 1);
  CHECK(i->months == 2);
  CHECK(i->days == -3);
  CHECK(i->hours == -4);
  CHECK(i->minutes == -5);
  CHECK(i->micros == -6789000);
  auto v = parse_interval("@ 1 year 2 mons 3 days 4 hours 5 mins 6.5 secs ago");
  REQUIRE(v);
  CHECK(v->years == -1);
  CHECK(v->minutes == -5);
  CHECK(v->micros == -6500000);
  auto iso = parse_interval("P1Y2M3DT4H5M6.5S");
  REQUIRE(iso);
  CHECK(iso->months == 2);
  CHECK(iso->hours == 4);
  CHECK(iso->micros == 6500000);
  CHECK(parse_interval("100:00:00")->hours == 100);
  CHECK_FALSE(parse_interval(""));
  CHECK_FALSE(parse_interval("1 fortnight"));
  CHECK_FALSE(parse_interval("ago 1 day"));
  CHECK(interval_micro_duration(*parse_interval("1 year")) == 31557600000000LL);
  CHECK(interval_iso_string(*parse_interval("-1 years -2 mons")) == "P-1Y-2M0DT0H0M0S");
}

TEST_CASE("array literals", "[text]") {
  auto a = parse_array(R"({"a\\b", x ,"",NULL})");
  REQUIRE(a);
  REQUIRE(a->elements.size() == 4);
  CHECK(*a->elements[0] == "a\\b");
  CHECK(*a->elements[1] == "x");
  CHECK(*a->elements[2] == "");
  CHECK_FALSE(a->elements[3]);
  CHECK(parse_array("{{1},{2}}")->multi_dimensional);
  for (const char* bad : {"", "{", "{1", "{1,}", "{,1}", "1,2", "{1}x", "{\"a}", "[1:2]"}) {
    INFO(bad);
    CHECK_FALSE(parse_array(bad));
  }
}

TEST_CASE("hstore text and Java's HashMap order", "[text]") {
  auto h = parse_hstore(R"("k 1"=>"v", "k2"=>NULL,"k3"=>"")");
  REQUIRE(h);
  REQUIRE(h->size() == 3);
  CHECK((*h)[0].first == "k 1");
  CHECK_FALSE((*h)[1].second);
  CHECK(*(*h)[2].second == "");
  CHECK_FALSE(parse_hstore(R"("a"=>)"));
  CHECK_FALSE(parse_hstore(R"("a" "b")"));
  // Thirteen keys: the table has grown to 32 buckets.
  std::vector<std::string> keys;
  for (int k = 0; k < 13; ++k) keys.push_back("key" + std::to_string(k));
  auto order = java_hashmap_order(keys);
  CHECK(order.size() == 13);
  // "key0".hashCode() = 3288497 -> bucket 3288497 ^ (3288497 >>> 16) & 31.
  std::string out;
  append_json_string(out, std::string("a\"\\\n\x01/é", 8));
  CHECK(out == "\"a\\\"\\\\\\n\\u0001/é\"");
}

TEST_CASE("name-based UUIDs are Java's UUID.nameUUIDFromBytes", "[text]") {
  // Values printed by java.util.UUID.nameUUIDFromBytes on OpenJDK.
  CHECK(name_uuid_from_bytes("") == "d41d8cd9-8f00-3204-a980-0998ecf8427e");
  CHECK(name_uuid_from_bytes(std::string(200, '\0')) == "fbaf48ec-981a-3eec-9b57-b929fdd426e8");
}

TEST_CASE("bits, bytea, base64, points, EWKB", "[text]") {
  CHECK(hex_of(*bits_to_bytes("100000000")) == "0001");
  CHECK(hex_of(*bits_to_bytes("1")) == "01");
  CHECK_FALSE(bits_to_bytes("102"));
  CHECK(to_base64("", false).empty());
  CHECK(to_base64("f", false) == "Zg==");
  CHECK(to_base64("fo", false) == "Zm8=");
  CHECK(to_base64("foo", false) == "Zm9v");
  CHECK_FALSE(parse_bytea("\\1"));
  CHECK(parse_point("(1e+20,-0.5)")->first == 1e20);
  CHECK_FALSE(parse_point("(1,2"));
  CHECK_FALSE(parse_hex_ewkb("0101"));
  CHECK_FALSE(parse_hex_ewkb("0201000000000000000000F03F0000000000000040"));
}
