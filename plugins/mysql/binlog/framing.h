// Splitting a run of events (a binlog file's bytes after the magic, or a decompressed
// TRANSACTION_PAYLOAD) into single events by their header's size field. No I/O: the caller
// holds the bytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "plugins/mysql/binlog/bytes.h"

namespace sluice::mysql {

inline constexpr uint8_t kBinlogMagic[4] = {0xfe, 'b', 'i', 'n'};

// OK if the bytes start with the binlog file magic \xfebin.
Status check_binlog_magic(const uint8_t* data, size_t size);

class EventSplitter {
 public:
  // Walks data[start, size); offsets reported are relative to `data` plus `base`.
  EventSplitter(const uint8_t* data, size_t size, size_t start = 0, uint64_t base = 0)
      : data_(data), size_(size), pos_(start), base_(base) {}

  // The next event; false at the end (status ok) or at a framing error (status set, offset()
  // names where the bad event starts).
  bool next(const uint8_t*& event, size_t& event_size);
  uint64_t offset() const { return base_ + cur_; }  // start of the last event or of the failure
  uint64_t end_offset() const { return base_ + pos_; }
  const Status& status() const { return status_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_;
  size_t cur_ = 0;
  uint64_t base_;
  Status status_;
};

}  // namespace sluice::mysql
