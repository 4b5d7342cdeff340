// MySQL binary JSON (sql/json_binary.h grammar) rendered as Debezium's binlog JSON text.
#include <catch2/catch.hpp>

#include "plugins/mysql/binlog/json_binary.h"
#include "tests/unit/plugins/mysql/binlog_builder.h"

using namespace sluice::mysql;
using namespace sluice::mysql::test;

namespace {

struct JV {
  uint8_t type;
  Bytes data;            // inlined value (2 or 4 bytes) or the value's bytes
  bool inlined = false;
};

// object/array ::= count size [key-entry*] value-entry* [key*] value*; offsets from the start
// of the container (after its type byte).
Bytes container(bool object, bool large, const std::vector<std::string>& keys, const std::vector<JV>& values) {
  size_t w = large ? 4 : 2, n = values.size();
  size_t header = 2 * w + n * (object ? w + 2 : 0) + n * (1 + w);
  size_t keys_size = 0;
  for (auto& k : keys) keys_size += k.size();
  size_t pos = header + keys_size;
  std::vector<size_t> voff;
  for (auto& v : values) {
    voff.push_back(pos);
    if (!v.inlined) pos += v.data.size();
  }
  Bytes b;
  put_le(b, n, int(w));
  put_le(b, pos, int(w));
  size_t koff = header;
  if (object) {
    for (auto& k : keys) {
      put_le(b, koff, int(w));
      put_le(b, k.size(), 2);
      koff += k.size();
    }
  }
  for (size_t i = 0; i < n; ++i) {
    b.push_back(values[i].type);
    if (values[i].inlined) {
      Bytes d = values[i].data;
      d.resize(w, 0);
      put(b, d);
    } else {
      put_le(b, voff[i], int(w));
    }
  }
  for (auto& k : keys) put(b, k);
  for (auto& v : values) {
    if (!v.inlined) put(b, v.data);
  }
  return b;
}

Bytes doc(uint8_t type, const Bytes& value) {
  Bytes b{type};
  put(b, value);
  return b;
}

std::string render(const Bytes& d) {
  std::string s;
  Status st = json_binary_to_text(view(d), s);
  if (!st.ok()) return "ERROR: " + st.message();
  return s;
}

Bytes str_value(std::string_view s) {
  Bytes b;
  size_t n = s.size();
  do {
    uint8_t byte = n & 0x7f;
    n >>= 7;
    if (n) byte |= 0x80;
    b.push_back(byte);
  } while (n);
  put(b, s);
  return b;
}

Bytes le_bytes(uint64_t v, int n) {
  Bytes b;
  put_le(b, v, n);
  return b;
}

Bytes dbl(double d) {
  Bytes b(8);
  std::memcpy(b.data(), &d, 8);
  return b;
}

}  // namespace

TEST_CASE("JSON scalars", "[binlog][json]") {
  CHECK(render({}) == "null");
  CHECK(render({0x04, 0x00}) == "null");
  CHECK(render({0x04, 0x01}) == "true");
  CHECK(render({0x04, 0x02}) == "false");
  CHECK(render(doc(0x05, le_bytes(0x8000, 2))) == "-32768");
  CHECK(render(doc(0x06, le_bytes(65535, 2))) == "65535");
  CHECK(render(doc(0x07, le_bytes(0xffffffff, 4))) == "-1");
  CHECK(render(doc(0x08, le_bytes(0xffffffff, 4))) == "4294967295");
  CHECK(render(doc(0x09, le_bytes(0x8000000000000000ull, 8))) == "-9223372036854775808");
  CHECK(render(doc(0x0a, le_bytes(0xffffffffffffffffull, 8))) == "18446744073709551615");
  CHECK(render(doc(0x0b, dbl(1.0))) == "1.0");
  CHECK(render(doc(0x0b, dbl(3.14))) == "3.14");
  CHECK(render(doc(0x0b, dbl(1e20))) == "100000000000000000000");
  CHECK(render(doc(0x0b, dbl(-1.5e-5))) ==
        "-0.000015000000000000000380012861456169304119612206704914569854736328125");
  CHECK(render(doc(0x0c, str_value("héllo \"x\"\n\\"))) == "\"héllo \\\"x\\\"\\n\\\\\"");
  std::string long_s(200, 'a');
  CHECK(render(doc(0x0c, str_value(long_s))) == "\"" + long_s + "\"");
}

TEST_CASE("JSON objects and arrays, small and large, inlined values", "[binlog][json]") {
  // {"a":-5,"bb":[1,true,"x"],"ccc":2.5} with the int16 inlined in the value entry.
  Bytes arr = container(false, false, {},
                        {{0x05, le_bytes(1, 2), true}, {0x04, {0x01}, true}, {0x0c, str_value("x")}});
  Bytes obj = container(true, false, {"a", "bb", "ccc"},
                        {{0x05, le_bytes(uint16_t(-5), 2), true}, {0x02, arr}, {0x0b, dbl(2.5)}});
  CHECK(render(doc(0x00, obj)) == R"({"a":-5,"bb":[1,true,"x"],"ccc":2.5})");
  // Large: int32 inlined; a nested empty object.
  Bytes empty = container(true, true, {}, {});
  Bytes large = container(true, true, {"k", "n"}, {{0x07, le_bytes(uint32_t(-100000), 4), true}, {0x01, empty}});
  CHECK(render(doc(0x01, large)) == R"({"k":-100000,"n":{}})");
  // Small containers store int32 out of line.
  Bytes small_i32 = container(false, false, {}, {{0x07, le_bytes(70000, 4)}, {0x08, le_bytes(3000000000u, 4)}});
  CHECK(render(doc(0x02, small_i32)) == "[70000,3000000000]");
  Bytes large_arr = container(false, true, {}, {{0x04, {0x00}, true}, {0x06, le_bytes(7, 2), true}});
  CHECK(render(doc(0x03, large_arr)) == "[null,7]");
  // Keys are escaped too.
  Bytes esc = container(true, false, {"q\"\t"}, {{0x04, {0x02}, true}});
  CHECK(render(doc(0x00, esc)) == R"({"q\"\t":false})");
}

TEST_CASE("JSON opaque values: DECIMAL, DATE, TIME, DATETIME, others as base64", "[binlog][json]") {
  auto opaque = [](uint8_t field_type, const Bytes& data) {
    Bytes b{0x0f, field_type};
    put(b, str_value(std::string_view(reinterpret_cast<const char*>(data.data()), data.size())));
    return b;
  };
  // DECIMAL(10,4) 1234.5678: precision, scale, decimal2bin bytes.
  CHECK(render(opaque(246, {10, 4, 0x80, 0x04, 0xd2, 0x16, 0x2e})) == "1234.5678");
  CHECK(render(opaque(246, {4, 2, 0x80, 0x32})) == "0.50");
  // Packed datetime: ((ym*13... ) << 17 | hms) << 24 | micros, little-endian 8 bytes.
  auto packed_dt = [](int y, int mo, int d, int h, int mi, int s, int us) {
    uint64_t ymd = ((uint64_t(y) * 13 + uint64_t(mo)) << 5) | uint64_t(d);
    uint64_t hms = (uint64_t(h) << 12) | (uint64_t(mi) << 6) | uint64_t(s);
    return le_bytes((((ymd << 17) | hms) << 24) | uint64_t(us), 8);
  };
  CHECK(render(opaque(10, packed_dt(2024, 6, 10, 0, 0, 0, 0))) == "\"2024-06-10\"");
  CHECK(render(opaque(12, packed_dt(2024, 6, 10, 6, 13, 20, 500000))) == "\"2024-06-10 06:13:20.5\"");
  CHECK(render(opaque(7, packed_dt(1999, 12, 31, 23, 59, 59, 120))) == "\"1999-12-31 23:59:59.00012\"");
  uint64_t t = ((uint64_t(12) << 12 | 34 << 6 | 56) << 24) | 100000;
  CHECK(render(opaque(11, le_bytes(t, 8))) == "\"12:34:56.1\"");
  CHECK(render(opaque(11, le_bytes(uint64_t(-int64_t(t)), 8))) == "\"-12:34:56.1\"");
  CHECK(render(opaque(252, {'h', 'i', 0})) == "\"aGkA\"");
}

TEST_CASE("malformed JSON documents fail, never crash", "[binlog][json]") {
  CHECK(render({0x0e}).rfind("ERROR", 0) == 0);              // unknown type
  CHECK(render({0x04, 0x07}).rfind("ERROR", 0) == 0);        // bad literal
  CHECK(render({0x0c, 0x05, 'a'}).rfind("ERROR", 0) == 0);   // string past the end
  CHECK(render({0x00, 0x05, 0x00}).rfind("ERROR", 0) == 0);  // truncated header
  Bytes obj = container(true, false, {"a"}, {{0x0c, str_value("x")}});
  Bytes bad = doc(0x00, obj);
  bad[bad.size() - 3] = 0x40;  // value offset out of range
  (void)render(bad);
  // Nesting deeper than MySQL's 100 levels.
  Bytes deep = doc(0x03, container(false, true, {}, {{0x04, {0x01}, true}}));
  CHECK(render(deep) == "[true]");
  for (int i = 0; i < 120; ++i) {
    deep = doc(0x03, container(false, true, {}, {{0x03, Bytes(deep.begin() + 1, deep.end())}}));
  }
  CHECK(render(deep).find("nesting") != std::string::npos);
  // Every truncation of a valid document.
  Bytes good = doc(0x00, container(true, false, {"a", "bb"}, {{0x0b, dbl(1.5)}, {0x0c, str_value("xyz")}}));
  CHECK(render(good) == R"({"a":1.5,"bb":"xyz"})");
  for (size_t n = 1; n < good.size(); ++n) {
    Bytes cut(good.begin(), good.begin() + long(n));
    (void)render(cut);
  }
}
