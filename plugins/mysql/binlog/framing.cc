#include "plugins/mysql/binlog/framing.h"

#include <cstring>
#include <string>

#include "plugins/mysql/binlog/constants.h"

namespace sluice::mysql {

Status check_binlog_magic(const uint8_t* data, size_t size) {
  if (size < 4) return Status::error("file too short for the binlog magic (" + std::to_string(size) + " bytes)");
  if (std::memcmp(data, kBinlogMagic, 4) != 0) return Status::error("not a binlog file (no \\xfebin magic)");
  return {};
}

bool EventSplitter::next(const uint8_t*& event, size_t& event_size) {
  cur_ = pos_;
  if (!status_.ok() || pos_ >= size_) return false;
  size_t left = size_ - pos_;
  if (left < kCommonHeaderLength) {
    status_ = Status::error("truncated event header: " + std::to_string(left) + " of 19 bytes present");
    return false;
  }
  uint32_t n = le32(data_ + pos_ + 9);
  if (n < kCommonHeaderLength) {
    status_ = Status::error("event size " + std::to_string(n) + " is smaller than the 19-byte header");
    return false;
  }
  if (n > left) {
    status_ = Status::error("truncated event: header announces " + std::to_string(n) + " bytes, " +
                            std::to_string(left) + " present");
    return false;
  }
  event = data_ + pos_;
  event_size = n;
  pos_ += n;
  return true;
}

}  // namespace sluice::mysql
