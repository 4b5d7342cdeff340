// Java's text forms: Double/Float.toString, BigDecimal.toString, base64, dates, UTF-8.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "plugins/converters/text_format.h"

using namespace sluice::converters::detail;

namespace {
std::string dbl(double v) {
  std::string s;
  append_java_double(s, v);
  return s;
}
std::string flt(float v) {
  std::string s;
  append_java_float(s, v);
  return s;
}
std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}
std::string big_decimal(const std::string& unscaled, int scale) {
  std::string s;
  append_big_decimal(s, unscaled, scale);
  return s;
}
std::string twos_of(const std::string& text, int scale) {
  DecimalText d;
  REQUIRE(parse_decimal_text(text, d));
  REQUIRE(rescale_decimal(d, scale));
  return decimal_to_twos_complement(d);
}
}  // namespace

TEST_CASE("Double.toString forms", "[converters][format]") {
  CHECK(dbl(1.0) == "1.0");
  CHECK(dbl(0.0) == "0.0");
  CHECK(dbl(-0.0) == "-0.0");
  CHECK(dbl(1.5) == "1.5");
  CHECK(dbl(-2.5) == "-2.5");
  CHECK(dbl(100.0) == "100.0");
  CHECK(dbl(123.456) == "123.456");
  CHECK(dbl(1234567.0) == "1234567.0");
  CHECK(dbl(1.0e7) == "1.0E7");
  CHECK(dbl(12345678.9) == "1.23456789E7");
  CHECK(dbl(0.001) == "0.001");
  CHECK(dbl(9.999e-4) == "9.999E-4");
  CHECK(dbl(1.0e-4) == "1.0E-4");
  CHECK(dbl(1.0e-5) == "1.0E-5");
  CHECK(dbl(1.5e10) == "1.5E10");
  CHECK(dbl(1.0e21) == "1.0E21");
  CHECK(dbl(0.1) == "0.1");
  CHECK(dbl(0.1 + 0.2) == "0.30000000000000004");
  CHECK(dbl(std::numeric_limits<double>::max()) == "1.7976931348623157E308");
  CHECK(dbl(std::numeric_limits<double>::denorm_min()) == "4.9E-324");
  CHECK(dbl(std::numeric_limits<double>::min()) == "2.2250738585072014E-308");
  CHECK(dbl(std::nan("")) == "NaN");
  CHECK(dbl(HUGE_VAL) == "Infinity");
  CHECK(dbl(-HUGE_VAL) == "-Infinity");
}

TEST_CASE("Float.toString forms", "[converters][format]") {
  CHECK(flt(1.0f) == "1.0");
  CHECK(flt(1.1f) == "1.1");
  CHECK(flt(0.1f) == "0.1");
  CHECK(flt(3.14159f) == "3.14159");
  CHECK(flt(1.0e10f) == "1.0E10");
  CHECK(flt(16777216.0f) == "1.6777216E7");
  CHECK(flt(std::numeric_limits<float>::max()) == "3.4028235E38");
  CHECK(flt(std::numeric_limits<float>::denorm_min()) == "1.4E-45");
  CHECK(flt(-0.5f) == "-0.5");
}

TEST_CASE("Jackson string escaping", "[converters][format]") {
  std::string s;
  append_json_string(s, std::string("a\"b\\c/d\b\f\n\r\t\x01\x1f\x7f\xc3\xa9", 17));
  CHECK(s == std::string("\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\\u0001\\u001F\x7f\xc3\xa9\""));
  s.clear();
  append_json_string(s, std::string("\0", 1));
  CHECK(s == "\"\\u0000\"");

  // Beyond the BMP: two escaped UTF-16 surrogates, as Jackson 2.16 writes them.
  s.clear();
  append_json_string(s, "a\U0001F600b\U0010FFFF\U00010000");
  CHECK(s == "\"a\\uD83D\\uDE00b\\uDBFF\\uDFFF\\uD800\\uDC00\"");
  // Invalid or truncated 4-byte sequences are copied as they are.
  s.clear();
  append_json_string(s, std::string("\xF0\x9F\x98x\xF4\x90\x80\x80\xF0\x9F", 10));
  CHECK(s == std::string("\"\xF0\x9F\x98x\xF4\x90\x80\x80\xF0\x9F\"", 12));
}

TEST_CASE("string escaping skips plain text a word at a time, yet finds every special byte",
          "[converters][format]") {
  // Each special byte at every offset of a long plain run: the word-at-a-time skip must stop
  // at it wherever it falls, and text around it must come out unchanged.
  struct Special {
    std::string in, out;
  };
  const Special specials[] = {{"\"", "\\\""},   {"\\", "\\\\"},       {"\n", "\\n"},
                              {"\x01", "\\u0001"}, {"\x1f", "\\u001F"},
                              {"\xF0\x9F\x98\x80", "\\uD83D\\uDE00"}};
  const std::string plain = "abcdefghijklmnopqrstuvwxyz0123456789 \x7f\xc3\xa9~!";
  for (auto& sp : specials)
    for (size_t at = 0; at <= plain.size(); ++at) {
      std::string in = plain.substr(0, at) + sp.in + plain.substr(at);
      std::string s;
      append_json_string(s, in);
      CHECK(s == "\"" + plain.substr(0, at) + sp.out + plain.substr(at) + "\"");
    }
}

TEST_CASE("base64", "[converters][format]") {
  auto enc = [](const std::string& b) {
    std::string s;
    append_base64(s, b);
    return s;
  };
  CHECK(enc("") == "");
  CHECK(enc("f") == "Zg==");
  CHECK(enc("fo") == "Zm8=");
  CHECK(enc("foo") == "Zm9v");
  CHECK(enc("foobar") == "Zm9vYmFy");
  CHECK(enc(bytes({0x00, 0xDE})) == "AN4=");
  CHECK(enc(bytes({0xFB})) == "+w==");
  CHECK(enc(bytes({0xFF, 0xFF, 0xFE})) == "///+");

  std::string out;
  CHECK(decode_base64("AN4=", out));
  CHECK(out == bytes({0x00, 0xDE}));
  CHECK(decode_base64("Zm9vYmFy", out));
  CHECK(out == "foobar");
  CHECK(decode_base64("", out));
  CHECK(out.empty());
  CHECK_FALSE(decode_base64("AN4", out));     // unpadded
  CHECK_FALSE(decode_base64("A=N4", out));    // padding inside
  CHECK_FALSE(decode_base64("AN4=AN4=", out));  // padding before the end
  CHECK_FALSE(decode_base64("AN*=", out));    // not the alphabet
}

TEST_CASE("two's complement and BigDecimal.toString", "[converters][format]") {
  CHECK(minimal_twos_complement(bytes({0x00, 0x00, 0x7F})) == bytes({0x7F}));
  CHECK(minimal_twos_complement(bytes({0x00, 0x80})) == bytes({0x00, 0x80}));
  CHECK(minimal_twos_complement(bytes({0xFF, 0xFF, 0x80})) == bytes({0x80}));
  CHECK(minimal_twos_complement(bytes({0xFF, 0x7F})) == bytes({0xFF, 0x7F}));

  CHECK(big_decimal(bytes({0x00, 0xDE}), 2) == "2.22");
  CHECK(big_decimal(bytes({0xFB}), 2) == "-0.05");
  CHECK(big_decimal(bytes({0x64}), 0) == "100");
  CHECK(big_decimal(bytes({0x00}), 2) == "0.00");
  CHECK(big_decimal(bytes({0x00}), 8) == "0E-8");
  CHECK(big_decimal(bytes({0x05}), 8) == "5E-8");
  CHECK(big_decimal(bytes({0x01}), 6) == "0.000001");
  CHECK(big_decimal(bytes({0x01}), 7) == "1E-7");
  CHECK(big_decimal(bytes({0x0C}), 7) == "0.0000012");
  CHECK(big_decimal(bytes({0x7B}), -2) == "1.23E+4");
  CHECK(big_decimal(bytes({0x80}), 0) == "-128");
  CHECK(big_decimal(bytes({0x80, 0, 0, 0, 0, 0, 0, 0}), 0) == "-9223372036854775808");
  // 2^64 and -2^64: beyond 64 bits.
  CHECK(big_decimal(bytes({0x01, 0, 0, 0, 0, 0, 0, 0, 0}), 2) == "184467440737095516.16");
  CHECK(big_decimal(bytes({0xFF, 0, 0, 0, 0, 0, 0, 0, 0}), 0) == "-18446744073709551616");
  // 10^30 (27 digits of zeros) needs the multi-limb path.
  CHECK(big_decimal(bytes({0x0C, 0x9F, 0x2C, 0x9C, 0xD0, 0x46, 0x74, 0xED, 0xEA, 0x40, 0x00, 0x00,
                           0x00}),
                    0) == "1000000000000000000000000000000");

  CHECK(twos_of("2.22", 2) == bytes({0x00, 0xDE}));
  CHECK(twos_of("-0.05", 2) == bytes({0xFB}));
  CHECK(twos_of("100", 0) == bytes({0x64}));
  CHECK(twos_of("1E+2", 0) == bytes({0x64}));
  CHECK(twos_of("128", 0) == bytes({0x00, 0x80}));
  CHECK(twos_of("-128", 0) == bytes({0x80}));
  CHECK(twos_of("1.230", 2) == bytes({0x7B}));
  CHECK(twos_of("0", 3) == bytes({0x00}));
  CHECK(twos_of("-18446744073709551616", 0) == bytes({0xFF, 0, 0, 0, 0, 0, 0, 0, 0}));
  CHECK(twos_of("1000000000000000000000000000000", 0) ==
        bytes({0x0C, 0x9F, 0x2C, 0x9C, 0xD0, 0x46, 0x74, 0xED, 0xEA, 0x40, 0x00, 0x00, 0x00}));

  DecimalText d;
  REQUIRE(parse_decimal_text("1.234", d));
  CHECK_FALSE(rescale_decimal(d, 2));  // a digit would be lost
  CHECK_FALSE(parse_decimal_text("1.2.3", d));
  CHECK_FALSE(parse_decimal_text("", d));
  CHECK_FALSE(parse_decimal_text("e5", d));
  CHECK(parse_decimal_text(".5", d));
  CHECK(parse_decimal_text("5.", d));
}

TEST_CASE("dates in UTC", "[converters][format]") {
  std::string s;
  append_iso_date(s, 19000LL * 86400000);
  CHECK(s == "2022-01-08");
  s.clear();
  append_iso_timestamp(s, 1700000000000LL);
  CHECK(s == "2023-11-14T22:13:20.000Z");
  s.clear();
  append_iso_time(s, 3723004);
  CHECK(s == "01:02:03.004Z");
  s.clear();
  append_iso_date(s, -86400000);
  CHECK(s == "1969-12-31");
  s.clear();
  append_java_date(s, 0);
  CHECK(s == "Thu Jan 01 00:00:00 UTC 1970");
  s.clear();
  append_java_date(s, 1700000000000LL);
  CHECK(s == "Tue Nov 14 22:13:20 UTC 2023");
  int64_t days = 0;
  CHECK(days_from_civil(2022, 1, 8, days));
  CHECK(days == 19000);
  CHECK(days_from_civil(2000, 2, 29, days));
  CHECK_FALSE(days_from_civil(2023, 2, 29, days));
  CHECK_FALSE(days_from_civil(2023, 13, 1, days));
}

TEST_CASE("UTF-8 validation and replacement", "[converters][format]") {
  CHECK(is_valid_utf8("plain ascii text, long enough for the fast path"));
  CHECK(is_valid_utf8("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
  CHECK_FALSE(is_valid_utf8("\xff"));
  CHECK_FALSE(is_valid_utf8("\xc3"));
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));  // a surrogate
  CHECK(sanitize_utf8("a\xff" "b") == "a\xef\xbf\xbd" "b");
  CHECK(sanitize_utf8("\xe2\x82") == "\xef\xbf\xbd");  // truncated sequence: one replacement
  CHECK(sanitize_utf8("\xc3\xa9") == "\xc3\xa9");
}
