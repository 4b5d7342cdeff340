// A bounds-checked big-endian reader over one message. A failed read leaves the reader failed
// (sticky) with the name of the field it was reading and its byte offset, so a parser reads a
// run of fields and checks ok() once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::postgres {

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  bool ok() const { return failed_field_ == nullptr; }
  size_t offset() const { return pos_; }
  size_t left() const { return data_.size() - pos_; }
  const char* failed_field() const { return failed_field_; }
  size_t failed_offset() const { return failed_offset_; }
  const char* failed_reason() const { return failed_reason_; }

  uint8_t u8(const char* field) { return uint8_t(be(field, 1)); }
  uint16_t u16(const char* field) { return uint16_t(be(field, 2)); }
  uint32_t u32(const char* field) { return uint32_t(be(field, 4)); }
  uint64_t u64(const char* field) { return be(field, 8); }
  int32_t i32(const char* field) { return int32_t(u32(field)); }
  int64_t i64(const char* field) { return int64_t(u64(field)); }

  // A NUL-terminated string (the terminator is consumed, not returned).
  std::string_view cstring(const char* field) {
    if (!ok()) return {};
    size_t end = data_.find('\0', pos_);
    if (end == std::string_view::npos) {
      fail(field, "no terminating NUL byte");
      return {};
    }
    std::string_view s = data_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return s;
  }

  std::string_view bytes(const char* field, size_t n) {
    if (!ok()) return {};
    if (left() < n) {
      fail(field, "message ends early");
      return {};
    }
    std::string_view s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }

  void fail(const char* field, const char* reason) {
    if (!ok()) return;
    failed_field_ = field;
    failed_offset_ = pos_;
    failed_reason_ = reason;
  }

 private:
  uint64_t be(const char* field, size_t n) {
    if (!ok()) return 0;
    if (left() < n) {
      fail(field, "message ends early");
      return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | uint8_t(data_[pos_ + i]);
    pos_ += n;
    return v;
  }

  std::string_view data_;
  size_t pos_ = 0;
  const char* failed_field_ = nullptr;
  size_t failed_offset_ = 0;
  const char* failed_reason_ = "";
};

}  // namespace sluice::postgres
