// A small DEFLATE (RFC 1951) decoder with the zlib wrapper (RFC 1950), for MariaDB's
// compressed QUERY and ROWS events (log_bin_compress=ON), which zlib's compress() writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sluice::mysql {

// Inflates a zlib stream into `out` (replacing its contents). Fails, with a message, on a
// malformed stream, a bad Adler-32, or output that would exceed `max_output` bytes.
bool zlib_inflate(const uint8_t* data, size_t size, size_t max_output, std::vector<uint8_t>& out,
                  std::string& error);

}  // namespace sluice::mysql
