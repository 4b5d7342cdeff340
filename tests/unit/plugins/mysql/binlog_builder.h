// Builds binlog events byte by byte from the documented layouts (MySQL's "Binary Log"
// internals documentation and the server's log_event/binlog_event sources; MariaDB's knowledge
// base for its events), for the unit tests. Independent of the decoder: its own CRC-32.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::mysql::test {

using Bytes = std::vector<uint8_t>;

inline void put_le(Bytes& b, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) b.push_back(uint8_t(v >> (8 * i)));
}
inline void put_be(Bytes& b, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i) b.push_back(uint8_t(v >> (8 * i)));
}
inline void put(Bytes& b, std::string_view s) { b.insert(b.end(), s.begin(), s.end()); }
inline void put(Bytes& b, const Bytes& s) { b.insert(b.end(), s.begin(), s.end()); }
inline void put_lenenc(Bytes& b, uint64_t v) {
  if (v < 251) {
    b.push_back(uint8_t(v));
  } else if (v < 0x10000) {
    b.push_back(0xfc);
    put_le(b, v, 2);
  } else if (v < 0x1000000) {
    b.push_back(0xfd);
    put_le(b, v, 3);
  } else {
    b.push_back(0xfe);
    put_le(b, v, 8);
  }
}
inline void put_lenenc_str(Bytes& b, std::string_view s) {
  put_lenenc(b, s.size());
  put(b, s);
}
inline Bytes bytes_of(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string_view view(const Bytes& b) { return std::string_view(reinterpret_cast<const char*>(b.data()), b.size()); }

// Bitwise CRC-32 (reflected 0xEDB88320), deliberately not the decoder's table version.
inline uint32_t ref_crc32(const uint8_t* p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
  }
  return ~c;
}

struct EventOpts {
  uint32_t timestamp = 1700000000;
  uint32_t server_id = 1;
  uint32_t log_pos = 0;
  uint16_t flags = 0;
  bool checksum = true;
};

// Common header (19 bytes) + body [+ CRC32 over everything before it].
inline Bytes event(uint8_t type, const Bytes& body, EventOpts o = {}) {
  Bytes e;
  uint32_t size = uint32_t(19 + body.size() + (o.checksum ? 4 : 0));
  put_le(e, o.timestamp, 4);
  e.push_back(type);
  put_le(e, o.server_id, 4);
  put_le(e, size, 4);
  put_le(e, o.log_pos, 4);
  put_le(e, o.flags, 2);
  put(e, body);
  if (o.checksum) put_le(e, ref_crc32(e.data(), e.size()), 4);
  return e;
}

// MySQL 8.0's post-header lengths, types 1..42 (log_event.cc, Format_description_event).
inline Bytes mysql8_post_headers() {
  Bytes p(42, 0);
  p[2 - 1] = 13;   // QUERY
  p[4 - 1] = 8;    // ROTATE
  p[15 - 1] = 98;  // FORMAT_DESCRIPTION
  p[17 - 1] = 4;   // BEGIN_LOAD_QUERY
  p[18 - 1] = 26;  // EXECUTE_LOAD_QUERY
  p[19 - 1] = 8;   // TABLE_MAP
  p[20 - 1] = 8; p[21 - 1] = 8; p[22 - 1] = 8;   // pre-GA rows
  p[23 - 1] = 8; p[24 - 1] = 8; p[25 - 1] = 8;   // rows v1
  p[26 - 1] = 2;   // INCIDENT
  p[30 - 1] = 10; p[31 - 1] = 10; p[32 - 1] = 10;  // rows v2
  p[33 - 1] = 42; p[34 - 1] = 42;  // GTID, ANONYMOUS_GTID
  p[36 - 1] = 18;  // TRANSACTION_CONTEXT
  p[37 - 1] = 52;  // VIEW_CHANGE
  p[39 - 1] = 10;  // PARTIAL_UPDATE_ROWS
  return p;
}

// MariaDB 10.x's table goes on to type 171 (GTID 19, GTID_LIST 4, CHECKPOINT 4, compressed...).
inline Bytes mariadb_post_headers() {
  Bytes p = mysql8_post_headers();
  p.resize(171, 0);
  p[161 - 1] = 4;   // BINLOG_CHECKPOINT
  p[162 - 1] = 19;  // GTID
  p[163 - 1] = 4;   // GTID_LIST
  p[164 - 1] = 10;  // START_ENCRYPTION
  p[165 - 1] = 13;  // QUERY_COMPRESSED
  p[166 - 1] = 8; p[167 - 1] = 8; p[168 - 1] = 8;
  p[169 - 1] = 10; p[170 - 1] = 10; p[171 - 1] = 10;
  return p;
}

// FORMAT_DESCRIPTION_EVENT body: binlog v4, server version (50 bytes), create time, header
// length 19, post-header lengths, then (checksum-aware servers) the algorithm byte; the event's
// CRC follows as for every event.
inline Bytes fde_body(std::string_view version, const Bytes& post_headers, int checksum_alg /* -1 = none */) {
  Bytes b;
  put_le(b, 4, 2);
  std::string v(version);
  v.resize(50, '\0');
  put(b, v);
  put_le(b, 0, 4);
  b.push_back(19);
  put(b, post_headers);
  if (checksum_alg >= 0) b.push_back(uint8_t(checksum_alg));
  return b;
}

inline Bytes fde_event(std::string_view version = "8.0.36", bool crc = true, EventOpts o = {}) {
  o.checksum = crc;
  bool maria = version.find("MariaDB") != std::string_view::npos;
  Bytes body = fde_body(version, maria ? mariadb_post_headers() : mysql8_post_headers(), crc ? 1 : 0);
  if (!crc) {
    // A checksum-aware server with binlog_checksum=NONE still leaves the 4-byte slot.
    Bytes e = event(15, body, o);
    put_le(e, 0, 4);
    uint32_t size = uint32_t(e.size());
    e[9] = uint8_t(size);
    e[10] = uint8_t(size >> 8);
    return e;
  }
  return event(15, body, o);
}

struct Col {
  uint8_t type;
  Bytes meta;  // as stored in the TABLE_MAP metadata block
  bool nullable = true;
};

// TABLE_MAP_EVENT body (6-byte table id).
inline Bytes table_map_body(uint64_t table_id, std::string_view db, std::string_view table,
                            const std::vector<Col>& cols, const Bytes& optional_meta = {}) {
  Bytes b;
  put_le(b, table_id, 6);
  put_le(b, 1, 2);
  b.push_back(uint8_t(db.size()));
  put(b, db);
  b.push_back(0);
  b.push_back(uint8_t(table.size()));
  put(b, table);
  b.push_back(0);
  put_lenenc(b, cols.size());
  for (const auto& c : cols) b.push_back(c.type);
  Bytes meta;
  for (const auto& c : cols) put(meta, c.meta);
  put_lenenc(b, meta.size());
  put(b, meta);
  Bytes nulls((cols.size() + 7) / 8, 0);
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].nullable) nulls[i / 8] |= uint8_t(1 << (i % 8));
  }
  put(b, nulls);
  put(b, optional_meta);
  return b;
}

inline void put_opt_meta(Bytes& b, uint8_t type, const Bytes& value) {
  b.push_back(type);
  put_lenenc(b, value.size());
  put(b, value);
}

// Bitmap with the first n bits set (LSB first, as rows events store column bitmaps).
inline Bytes all_columns(size_t n) {
  Bytes b((n + 7) / 8, 0);
  for (size_t i = 0; i < n; ++i) b[i / 8] |= uint8_t(1 << (i % 8));
  return b;
}

// Rows event body: v1 (types 23-25) or v2 (30-32, with an empty extra-data block).
inline Bytes rows_body(uint64_t table_id, size_t ncols, const Bytes& bitmap1, const Bytes* bitmap2,
                       const Bytes& rows, bool v2, uint16_t flags = 1) {
  Bytes b;
  put_le(b, table_id, 6);
  put_le(b, flags, 2);
  if (v2) put_le(b, 2, 2);
  put_lenenc(b, ncols);
  put(b, bitmap1);
  if (bitmap2) put(b, *bitmap2);
  put(b, rows);
  return b;
}

}  // namespace sluice::mysql::test
