// CRC-32 (ISO-HDLC, the zlib polynomial) as the servers use for binlog_checksum=CRC32.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sluice::mysql {

// Continues `crc` (0 to start) over n bytes.
uint32_t crc32(uint32_t crc, const uint8_t* data, size_t n);

}  // namespace sluice::mysql
