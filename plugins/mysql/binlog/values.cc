#include "plugins/mysql/binlog/values.h"

#include <arpa/inet.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

namespace sluice::mysql {
namespace {

constexpr int kDig2Bytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
constexpr uint32_t kPow10[10] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
                                 1000000000};

void append_padded(uint64_t v, int width, std::string& out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  int len = int(r.ptr - buf);
  for (int i = len; i < width; ++i) out.push_back('0');
  out.append(buf, size_t(len));
}

void append_fraction(uint32_t micros, int fsp, std::string& out) {
  if (fsp <= 0) return;
  if (fsp > 6) fsp = 6;
  out.push_back('.');
  char digits[6];
  uint32_t v = micros;
  for (int i = 5; i >= 0; --i) {
    digits[i] = char('0' + v % 10);
    v /= 10;
  }
  out.append(digits, size_t(fsp));
}

// Decimal big integer in base 1e9 limbs, least significant first.
struct BigDec {
  std::vector<uint32_t> limbs{0};
  void mul(uint32_t m) {
    uint64_t carry = 0;
    for (auto& l : limbs) {
      uint64_t v = uint64_t(l) * m + carry;
      l = uint32_t(v % 1000000000u);
      carry = v / 1000000000u;
    }
    while (carry) {
      limbs.push_back(uint32_t(carry % 1000000000u));
      carry /= 1000000000u;
    }
  }
  void set(uint64_t v) {
    limbs.clear();
    do {
      limbs.push_back(uint32_t(v % 1000000000u));
      v /= 1000000000u;
    } while (v);
  }
  std::string str() const {
    std::string s;
    append_padded(limbs.back(), 0, s);
    for (size_t i = limbs.size() - 1; i-- > 0;) append_padded(limbs[i], 9, s);
    return s;
  }
};

}  // namespace

std::string_view cell_kind_name(CellKind k) {
  switch (k) {
    case CellKind::kAbsent: return "absent";
    case CellKind::kNull: return "null";
    case CellKind::kSigned: return "signed";
    case CellKind::kUnsigned: return "unsigned";
    case CellKind::kInteger: return "integer";
    case CellKind::kFloat: return "float";
    case CellKind::kDouble: return "double";
    case CellKind::kDecimal: return "decimal";
    case CellKind::kYear: return "year";
    case CellKind::kDate: return "date";
    case CellKind::kTime: return "time";
    case CellKind::kDateTime: return "datetime";
    case CellKind::kTimestamp: return "timestamp";
    case CellKind::kString: return "string";
    case CellKind::kBytes: return "bytes";
    case CellKind::kEnum: return "enum";
    case CellKind::kSet: return "set";
    case CellKind::kBit: return "bit";
    case CellKind::kJson: return "json";
    case CellKind::kGeometry: return "geometry";
    case CellKind::kVector: return "vector";
    case CellKind::kUuid: return "uuid";
    case CellKind::kInet4: return "inet4";
    case CellKind::kInet6: return "inet6";
  }
  return "?";
}

int64_t CellView::as_signed() const {
  if (kind == CellKind::kSigned || kind == CellKind::kYear || kind == CellKind::kTimestamp) return i;
  if (kind == CellKind::kInteger && width > 0 && width < 8) {
    int shift = 64 - 8 * width;
    return int64_t(u << shift) >> shift;
  }
  return int64_t(u);
}

uint64_t CellView::as_unsigned() const {
  if (kind == CellKind::kSigned) {
    if (width > 0 && width < 8) return uint64_t(i) & ((uint64_t(1) << (8 * width)) - 1);
    return uint64_t(i);
  }
  return u;
}

size_t decimal_binary_size(int precision, int scale) {
  if (precision < 1 || precision > 65 || scale < 0 || scale > 30 || scale > precision) return 0;
  int intg = precision - scale;
  return size_t((intg / 9) * 4 + kDig2Bytes[intg % 9] + (scale / 9) * 4 + kDig2Bytes[scale % 9]);
}

Status decimal_to_string(std::string_view raw, int precision, int scale, std::string& out) {
  size_t size = decimal_binary_size(precision, scale);
  if (size == 0) return Status::error("invalid DECIMAL(" + std::to_string(precision) + "," +
                                      std::to_string(scale) + ")");
  if (raw.size() != size) return Status::error("DECIMAL value has the wrong size");
  uint8_t buf[40];
  std::memcpy(buf, raw.data(), size);
  bool negative = !(buf[0] & 0x80);
  buf[0] ^= 0x80;
  if (negative) {
    for (size_t i = 0; i < size; ++i) buf[i] = uint8_t(~buf[i]);
  }
  int intg = precision - scale;
  int intg0 = intg / 9, intg0x = intg % 9, frac0 = scale / 9, frac0x = scale % 9;
  const uint8_t* p = buf;
  std::string digits;  // integer digits, then fraction digits
  bool bad = false;
  auto group = [&](int nbytes, int ndigits) {
    uint64_t v = be_n(p, size_t(nbytes));
    p += nbytes;
    if (v >= kPow10[ndigits]) bad = true;
    append_padded(v, ndigits, digits);
  };
  if (intg0x) group(kDig2Bytes[intg0x], intg0x);
  for (int i = 0; i < intg0; ++i) group(4, 9);
  size_t int_digits = digits.size();
  for (int i = 0; i < frac0; ++i) group(4, 9);
  if (frac0x) group(kDig2Bytes[frac0x], frac0x);
  if (bad) return Status::error("DECIMAL value has an invalid digit group");
  size_t first = 0;
  while (first < int_digits && digits[first] == '0') ++first;
  bool nonzero = digits.find_first_not_of('0') != std::string::npos;
  if (negative && nonzero) out.push_back('-');
  if (first == int_digits) {
    out.push_back('0');
  } else {
    out.append(digits, first, int_digits - first);
  }
  if (scale > 0) {
    out.push_back('.');
    out.append(digits, int_digits, std::string::npos);
  }
  return {};
}

Status decimal_to_unscaled(std::string_view raw, int precision, int scale, std::string& out) {
  // Digits first (validated there), then base-2^32 arithmetic on them.
  std::string text;
  Status st = decimal_to_string(raw, precision, scale, text);
  if (!st.ok()) return st;
  bool negative = !text.empty() && text[0] == '-';
  std::vector<uint32_t> limbs;  // little-endian base 2^32
  for (char ch : text) {
    if (ch < '0' || ch > '9') continue;
    uint64_t carry = uint64_t(ch - '0');
    for (auto& l : limbs) {
      uint64_t v = uint64_t(l) * 10 + carry;
      l = uint32_t(v);
      carry = v >> 32;
    }
    if (carry) limbs.push_back(uint32_t(carry));
  }
  std::string mag;  // big-endian magnitude without leading zeros
  for (size_t i = limbs.size(); i-- > 0;) {
    for (int b = 3; b >= 0; --b) mag.push_back(char(uint8_t(limbs[i] >> (8 * b))));
  }
  size_t first = mag.find_first_not_of('\0');
  mag = first == std::string::npos ? std::string() : mag.substr(first);
  if (mag.empty()) {
    out.push_back('\0');
    return {};
  }
  if (!negative) {
    if (uint8_t(mag[0]) & 0x80) out.push_back('\0');
    out += mag;
    return {};
  }
  std::string t(1, '\0');
  t += mag;
  bool carry = true;  // two's complement: invert and add one
  for (size_t i = t.size(); i-- > 0;) {
    uint8_t b = uint8_t(~uint8_t(t[i]));
    if (carry) {
      ++b;
      carry = b == 0;
    }
    t[i] = char(b);
  }
  size_t skip = 0;
  while (skip + 1 < t.size() && uint8_t(t[skip]) == 0xff && (uint8_t(t[skip + 1]) & 0x80)) ++skip;
  out.append(t, skip, std::string::npos);
  return {};
}

int64_t time_micros(const TemporalParts& t) {
  int64_t v = ((int64_t(t.hours) * 60 + t.minute) * 60 + t.second) * 1000000 + t.micros;
  return t.negative ? -v : v;
}

int64_t date_epoch_days(const TemporalParts& t) { return days_from_civil(t.year, t.month, t.day); }

int64_t datetime_epoch_micros(const TemporalParts& t) {
  int64_t secs = date_epoch_days(t) * 86400 + int64_t(t.hour) * 3600 + t.minute * 60 + t.second;
  return secs * 1000000 + t.micros;
}

void append_date(const TemporalParts& t, std::string& out) {
  if (t.year < 0) out.push_back('-');
  append_padded(uint64_t(t.year < 0 ? -int64_t(t.year) : t.year), 4, out);
  out.push_back('-');
  append_padded(t.month, 2, out);
  out.push_back('-');
  append_padded(t.day, 2, out);
}

void append_time(const TemporalParts& t, int fsp, std::string& out) {
  if (t.negative) out.push_back('-');
  append_padded(t.hours, 2, out);
  out.push_back(':');
  append_padded(t.minute, 2, out);
  out.push_back(':');
  append_padded(t.second, 2, out);
  append_fraction(t.micros, fsp, out);
}

void append_datetime(const TemporalParts& t, int fsp, std::string& out) {
  append_date(t, out);
  out.push_back(' ');
  append_padded(t.hour, 2, out);
  out.push_back(':');
  append_padded(t.minute, 2, out);
  out.push_back(':');
  append_padded(t.second, 2, out);
  append_fraction(t.micros, fsp, out);
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}

void append_timestamp_utc(int64_t seconds, uint32_t micros, int fsp, std::string& out) {
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // civil_from_days
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = unsigned(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = int64_t(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  TemporalParts t;
  t.year = int32_t(y);
  t.month = uint8_t(m);
  t.day = uint8_t(d);
  t.hour = uint8_t(rem / 3600);
  t.minute = uint8_t(rem / 60 % 60);
  t.second = uint8_t(rem % 60);
  append_date(t, out);
  out.push_back('T');
  append_padded(t.hour, 2, out);
  out.push_back(':');
  append_padded(t.minute, 2, out);
  out.push_back(':');
  append_padded(t.second, 2, out);
  append_fraction(micros, fsp, out);
  out.push_back('Z');
}

void append_uuid(std::string_view raw, std::string& out) {
  static const char* hex = "0123456789abcdef";
  for (size_t i = 0; i < raw.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    uint8_t b = uint8_t(raw[i]);
    out.push_back(hex[b >> 4]);
    out.push_back(hex[b & 15]);
  }
}

void append_inet4(std::string_view raw, std::string& out) {
  for (size_t i = 0; i < raw.size(); ++i) {
    if (i) out.push_back('.');
    append_padded(uint8_t(raw[i]), 0, out);
  }
}

void append_inet6(std::string_view raw, std::string& out) {
  if (raw.size() != 16) return;
  char buf[64];
  if (inet_ntop(AF_INET6, raw.data(), buf, sizeof buf)) out.append(buf);
}

void append_shortest(double v, std::string& out) {
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_shortest(float v, std::string& out) {
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_java_double(double v, std::string& out) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v < 0 ? "-Infinity" : "Infinity";
    return;
  }
  if (v == 0) {
    out += std::signbit(v) ? "-0.0" : "0.0";
    return;
  }
  double a = std::fabs(v);
  if (a >= 1e-3 && a < 1e7) {
    char buf[40];
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string_view s(buf, size_t(r.ptr - buf));
    if (s[0] == '-') {
      out.push_back('-');
      s.remove_prefix(1);
    }
    size_t e = s.find('e');
    std::string digits;
    for (char c : s.substr(0, e)) {
      if (c != '.') digits.push_back(c);
    }
    int exp = 0;
    std::from_chars(s.data() + e + (s[e + 1] == '+' ? 2 : 1), s.data() + s.size(), exp);
    int pos = exp + 1;  // digits before the point
    if (pos <= 0) {
      out += "0.";
      out.append(size_t(-pos), '0');
      out += digits;
    } else if (size_t(pos) >= digits.size()) {
      out += digits;
      out.append(size_t(pos) - digits.size(), '0');
      out += ".0";
    } else {
      out.append(digits, 0, size_t(pos));
      out.push_back('.');
      out.append(digits, size_t(pos), std::string::npos);
    }
    return;
  }
  // Exact: v = m * 2^e with m odd.
  int e2 = 0;
  double frac = std::frexp(a, &e2);  // a = frac * 2^e2, frac in [0.5, 1)
  uint64_t m = uint64_t(std::ldexp(frac, 53));
  int e = e2 - 53;
  while (m && !(m & 1)) {
    m >>= 1;
    ++e;
  }
  if (v < 0) out.push_back('-');
  BigDec n;
  n.set(m);
  if (e >= 0) {
    for (int i = 0; i < e; i += 30) n.mul(uint32_t(1) << std::min(30, e - i));
    out += n.str();
    return;
  }
  int k = -e;
  for (int i = 0; i < k; i += 13) {
    int step = std::min(13, k - i);
    uint32_t p = 1;
    for (int j = 0; j < step; ++j) p *= 5;
    n.mul(p);
  }
  std::string s = n.str();
  if (s.size() <= size_t(k)) {
    out += "0.";
    out.append(size_t(k) - s.size(), '0');
    out += s;
  } else {
    out.append(s, 0, s.size() - size_t(k));
    out.push_back('.');
    out.append(s, s.size() - size_t(k), std::string::npos);
  }
}

void append_base64(std::string_view data, std::string& out) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (uint32_t(p[i]) << 16) | (uint32_t(p[i + 1]) << 8) | p[i + 2];
    out.push_back(tbl[v >> 18]);
    out.push_back(tbl[(v >> 12) & 63]);
    out.push_back(tbl[(v >> 6) & 63]);
    out.push_back(tbl[v & 63]);
  }
  size_t rest = data.size() - i;
  if (rest == 1) {
    uint32_t v = uint32_t(p[i]) << 16;
    out.push_back(tbl[v >> 18]);
    out.push_back(tbl[(v >> 12) & 63]);
    out += "==";
  } else if (rest == 2) {
    uint32_t v = (uint32_t(p[i]) << 16) | (uint32_t(p[i + 1]) << 8);
    out.push_back(tbl[v >> 18]);
    out.push_back(tbl[(v >> 12) & 63]);
    out.push_back(tbl[(v >> 6) & 63]);
    out.push_back('=');
  }
}

void append_json_escaped(std::string_view s, std::string& out) {
  static const char* hex = "0123456789ABCDEF";
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    uint8_t c = uint8_t(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, start, i - start);
    start = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default:
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
    }
  }
  out.append(s, start, std::string::npos);
}

}  // namespace sluice::mysql
