// Bounds-checked readers over event bytes. Nothing here trusts a length read from the input:
// every read checks what is left and a failed read leaves the cursor failed (sticky), so
// parsers read a run of fields and test `ok()` once.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace sluice::mysql {

inline uint16_t le16(const uint8_t* p) { return uint16_t(p[0] | (p[1] << 8)); }
inline uint32_t le24(const uint8_t* p) { return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16); }
inline uint32_t le32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;  // little-endian hosts only (x86-64, aarch64)
}
inline uint64_t le48(const uint8_t* p) { return uint64_t(le32(p)) | (uint64_t(le16(p + 4)) << 32); }
inline uint64_t le64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t le_n(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= uint64_t(p[i]) << (8 * i);
  return v;
}
inline uint64_t be_n(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

inline std::string_view as_view(const uint8_t* p, size_t n) {
  return std::string_view(reinterpret_cast<const char*>(p), n);
}
inline const uint8_t* as_bytes(std::string_view v) { return reinterpret_cast<const uint8_t*>(v.data()); }

class Cursor {
 public:
  Cursor() = default;
  Cursor(const uint8_t* p, size_t n) : p_(p), end_(p + n) {}
  explicit Cursor(std::string_view v) : Cursor(as_bytes(v), v.size()) {}

  bool ok() const { return ok_; }
  size_t left() const { return ok_ ? size_t(end_ - p_) : 0; }
  bool empty() const { return left() == 0; }
  const uint8_t* pos() const { return p_; }
  void fail() { ok_ = false; }

  bool have(size_t n) {
    if (!ok_ || size_t(end_ - p_) < n) {
      ok_ = false;
      return false;
    }
    return true;
  }
  void skip(size_t n) {
    if (have(n)) p_ += n;
  }
  uint8_t u8() { return have(1) ? *p_++ : 0; }
  uint16_t u16() { return fixed<2>(); }
  uint32_t u24() { return uint32_t(fixed<3>()); }
  uint32_t u32() { return uint32_t(fixed<4>()); }
  uint64_t u48() { return fixed<6>(); }
  uint64_t u64() { return fixed<8>(); }
  uint64_t uint_le(size_t n) {
    if (!have(n)) return 0;
    uint64_t v = le_n(p_, n);
    p_ += n;
    return v;
  }
  uint64_t uint_be(size_t n) {
    if (!have(n)) return 0;
    uint64_t v = be_n(p_, n);
    p_ += n;
    return v;
  }
  std::string_view bytes(size_t n) {
    if (!have(n)) return {};
    std::string_view v = as_view(p_, n);
    p_ += n;
    return v;
  }
  std::string_view rest() { return bytes(left()); }
  // Length-encoded integer (the client/server protocol's "packed integer"): 0-250 in one
  // byte, 0xfc + 2 bytes, 0xfd + 3 bytes, 0xfe + 8 bytes; 0xfb (NULL) and 0xff are errors.
  uint64_t lenenc() {
    uint8_t b = u8();
    if (b < 0xfb) return b;
    if (b == 0xfc) return fixed<2>();
    if (b == 0xfd) return fixed<3>();
    if (b == 0xfe) return fixed<8>();
    ok_ = false;
    return 0;
  }
  std::string_view lenenc_bytes() {
    uint64_t n = lenenc();
    if (!ok_ || n > left()) {
      ok_ = false;
      return {};
    }
    return bytes(size_t(n));
  }
  // MySQL's serialization-library variable-length unsigned integer (8.4 GTID_TAGGED and
  // tagged GTID sets): the count of trailing one bits of the first byte is the number of
  // bytes that follow; the value is the whole little-endian word shifted right by count + 1
  // (nine bytes when the first byte is 0xff, the value then being the next eight).
  uint64_t varlen() {
    if (!have(1)) return 0;
    uint8_t first = *p_;
    int extra = 0;
    while (extra < 8 && (first >> extra) & 1) ++extra;
    if (!have(size_t(extra) + 1)) return 0;
    uint64_t v;
    if (extra == 8) {
      v = le64(p_ + 1);
    } else {
      uint64_t word = le_n(p_, size_t(extra) + 1);
      v = word >> (extra + 1);
    }
    p_ += extra + 1;
    return v;
  }
  int64_t varlen_signed() {
    uint64_t v = varlen();
    return int64_t(v >> 1) ^ -int64_t(v & 1);
  }

 private:
  template <size_t N>
  uint64_t fixed() {
    if (!have(N)) return 0;
    uint64_t v = le_n(p_, N);
    p_ += N;
    return v;
  }
  const uint8_t* p_ = nullptr;
  const uint8_t* end_ = nullptr;
  bool ok_ = true;
};

// The outcome of a decoding step: empty message means success.
class Status {
 public:
  Status() = default;
  static Status error(std::string message) {
    Status s;
    s.message_ = std::move(message);
    if (s.message_.empty()) s.message_ = "error";
    return s;
  }
  bool ok() const { return message_.empty(); }
  explicit operator bool() const { return ok(); }
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

}  // namespace sluice::mysql
