// Builds pgoutput and replication frames byte by byte (big endian), for the decoder tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::postgres::testing {

class Bytes {
 public:
  Bytes& u8(uint8_t v) { s_.push_back(char(v)); return *this; }
  Bytes& ch(char c) { s_.push_back(c); return *this; }
  Bytes& u16(uint16_t v) { return be(v, 2); }
  Bytes& u32(uint32_t v) { return be(v, 4); }
  Bytes& i32(int32_t v) { return be(uint32_t(v), 4); }
  Bytes& u64(uint64_t v) { return be(v, 8); }
  Bytes& i64(int64_t v) { return be(uint64_t(v), 8); }
  Bytes& cstr(std::string_view v) { s_.append(v); s_.push_back('\0'); return *this; }
  Bytes& raw(std::string_view v) { s_.append(v); return *this; }
  // One tuple column: 't' + length + text.
  Bytes& text_col(std::string_view v) { ch('t'); u32(uint32_t(v.size())); return raw(v); }
  const std::string& str() const { return s_; }
  operator std::string_view() const { return s_; }

 private:
  Bytes& be(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) s_.push_back(char(uint8_t(v >> (8 * i))));
    return *this;
  }
  std::string s_;
};

}  // namespace sluice::postgres::testing
