// Typed cell values decoded from row images, and exact text renderings of them.
// A CellView is a small value: numbers and date/time parts are decoded in place, variable-
// length data (strings, blobs, JSON, DECIMAL digits, geometry, bits) is a view into the
// event buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "plugins/mysql/binlog/bytes.h"

namespace sluice::mysql {

enum class CellKind : uint8_t {
  kAbsent,     // not in this image (binlog_row_image=MINIMAL/NOBLOB leaves columns out)
  kNull,
  kSigned,     // `i`; TINY..LONGLONG known signed
  kUnsigned,   // `u`; known unsigned
  kInteger,    // signedness unknown (no metadata, no schema): `u` holds the raw bits,
               // `width` the byte count; as_signed()/as_unsigned() interpret them
  kFloat,      // `f`
  kDouble,     // `d`
  kDecimal,    // `bytes` = NEWDECIMAL binary, precision/scale in `precision`/`scale`
  kYear,       // `i`: 0 for the zero year, else 1901-2155
  kDate,       // `t`: year/month/day (zero parts allowed)
  kTime,       // `t`: negative, hour (0-838), minute, second, micros; `fsp`
  kDateTime,   // `t`: full date and time, micros; `fsp`
  kTimestamp,  // `i` = seconds since the epoch (0 = zero timestamp), `t.micros`; `fsp`
  kString,     // `bytes` in `collation` (0 = unknown)
  kBytes,      // `bytes`: binary strings and BLOBs (collation 63)
  kEnum,       // `u` = 1-based index (0 = the empty error value)
  kSet,        // `u` = bitmap of members
  kBit,        // `bytes` = big-endian bits, `width` = declared bit count
  kJson,       // `bytes` = MySQL binary JSON (type 245)
  kGeometry,   // `bytes` = 4-byte little-endian SRID + WKB
  kVector,     // `bytes` = little-endian IEEE floats (MySQL 9 VECTOR)
  kUuid,       // `bytes` = 16 bytes as the server stores them (schema said UUID)
  kInet4,      // `bytes` = 4 bytes, network order
  kInet6,      // `bytes` = 16 bytes, network order
};

std::string_view cell_kind_name(CellKind k);

struct TemporalParts {
  int32_t year = 0;
  uint8_t month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool negative = false;  // TIME only
  uint32_t hours = 0;     // TIME: the full hour count (can exceed 23)
  uint32_t micros = 0;
};

struct CellView {
  CellKind kind = CellKind::kAbsent;
  uint8_t type = 0;  // binlog column type (real type for STRING columns)
  uint8_t width = 0;  // integer byte width; BIT bit count (low 8 bits, see bits)
  uint8_t fsp = 0;    // fractional second precision of TIME2/DATETIME2/TIMESTAMP2
  uint8_t precision = 0, scale = 0;  // NEWDECIMAL
  uint16_t collation = 0;
  uint16_t bits = 0;  // BIT(n): n
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  float f = 0;
  TemporalParts t;
  std::string_view bytes;

  bool is_null() const { return kind == CellKind::kNull; }
  bool present() const { return kind != CellKind::kAbsent; }
  // Integers: the value as signed / unsigned whatever the kind (for kInteger, by its width).
  int64_t as_signed() const;
  uint64_t as_unsigned() const;
};

// Size in bytes of a NEWDECIMAL(precision, scale) binary value; 0 for invalid parameters.
size_t decimal_binary_size(int precision, int scale);
// Exact text of a NEWDECIMAL value: "-12.50" (always `scale` fraction digits).
Status decimal_to_string(std::string_view raw, int precision, int scale, std::string& out);

// The unscaled value of a NEWDECIMAL as Connect's Decimal carries it (Java's
// BigInteger.toByteArray(): minimal big-endian two's complement; zero is one 0x00 byte).
Status decimal_to_unscaled(std::string_view raw, int precision, int scale, std::string& out);

// Debezium's numbers for temporal values: a TIME as signed microseconds (MicroTime), a DATE as
// days since 1970-01-01 (Date), a DATETIME read as UTC in microseconds since the epoch
// (MicroTimestamp). Dates with a zero month or day have no such number: callers check first
// (Debezium turns them into null).
int64_t time_micros(const TemporalParts& t);
int64_t date_epoch_days(const TemporalParts& t);
int64_t datetime_epoch_micros(const TemporalParts& t);
inline bool is_zero_or_partial_date(const TemporalParts& t) { return t.month == 0 || t.day == 0; }

// "2024-06-10", "-838:59:59.000000", "2024-06-10 06:13:20.5"; fraction digits = fsp.
void append_date(const TemporalParts& t, std::string& out);
void append_time(const TemporalParts& t, int fsp, std::string& out);
void append_datetime(const TemporalParts& t, int fsp, std::string& out);
// UTC ISO-8601 of a TIMESTAMP: "2024-06-10T06:13:20.500Z" with exactly fsp fraction digits.
void append_timestamp_utc(int64_t seconds, uint32_t micros, int fsp, std::string& out);
// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

// Canonical texts of MariaDB's binary types.
void append_uuid(std::string_view raw16, std::string& out);
void append_inet4(std::string_view raw4, std::string& out);
void append_inet6(std::string_view raw16, std::string& out);

// Java's Double.toString where it gives plain notation (1e-3 <= |v| < 1e7), otherwise the exact
// decimal expansion of the double (BigDecimal(v).toPlainString()): what Debezium's binlog JSON
// rendering prints for JSON doubles.
void append_java_double(double v, std::string& out);
// Shortest round-trip text of a double / float ("1.5", "1e+300").
void append_shortest(double v, std::string& out);
void append_shortest(float v, std::string& out);

void append_base64(std::string_view data, std::string& out);
// JSON string body escaping (no quotes): ", \, and control characters.
void append_json_escaped(std::string_view s, std::string& out);

}  // namespace sluice::mysql
