#include "plugins/postgres/decode/text_values.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace sluice::postgres::text {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::optional<Special> special_number(std::string_view s) {
  if (iequals(s, "NaN")) return Special::NaN;
  if (iequals(s, "Infinity") || iequals(s, "+Infinity") || iequals(s, "inf")) return Special::PosInf;
  if (iequals(s, "-Infinity") || iequals(s, "-inf")) return Special::NegInf;
  return std::nullopt;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads a run of digits as an unsigned number (at most 18 digits).
bool read_uint(std::string_view s, size_t& pos, int64_t& out, size_t min_digits, size_t max_digits) {
  size_t start = pos;
  int64_t v = 0;
  while (pos < s.size() && is_digit(s[pos]) && pos - start < max_digits) v = v * 10 + (s[pos++] - '0');
  if (pos - start < min_digits) return false;
  out = v;
  return true;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

// ---- numbers -------------------------------------------------------------------------------

std::optional<DecimalText> parse_decimal(std::string_view s) {
  DecimalText d;
  if (auto sp = special_number(s)) {
    d.special = *sp;
    return d;
  }
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) d.negative = s[i++] == '-';
  std::string digits;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && is_digit(s[i])) digits.push_back(s[i++]), ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) digits.push_back(s[i++]), ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return std::nullopt;
  int64_t exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    if (!read_uint(s, i, exponent, 1, 9)) return std::nullopt;
    if (neg) exponent = -exponent;
  }
  if (i != s.size()) return std::nullopt;
  int64_t scale = int64_t(frac_digits) - exponent;
  if (scale > 1000000 || scale < -1000000) return std::nullopt;
  size_t nz = digits.find_first_not_of('0');
  d.digits = nz == std::string::npos ? std::string() : digits.substr(nz);
  d.scale = int32_t(scale);
  if (d.digits.empty()) d.negative = false;
  return d;
}

DecimalText rescale(DecimalText d, int32_t scale) {
  if (d.special != Special::None || scale == d.scale) return d;
  if (scale > d.scale) {
    if (!d.digits.empty()) d.digits.append(size_t(scale - d.scale), '0');
    d.scale = scale;
    return d;
  }
  size_t drop = size_t(int64_t(d.scale) - scale);
  d.scale = scale;
  if (drop > d.digits.size()) {
    d.digits.clear();  // every digit is below half of the last kept place
    d.negative = false;
    return d;
  }
  bool round_up = drop > 0 && d.digits[d.digits.size() - drop] >= '5';
  d.digits.resize(d.digits.size() - drop);
  if (round_up) {
    int i = int(d.digits.size()) - 1;
    while (i >= 0 && d.digits[size_t(i)] == '9') d.digits[size_t(i--)] = '0';
    if (i < 0) d.digits.insert(d.digits.begin(), '1');
    else d.digits[size_t(i)]++;
  }
  size_t nz = d.digits.find_first_not_of('0');
  d.digits = nz == std::string::npos ? std::string() : d.digits.substr(nz);
  if (d.digits.empty()) d.negative = false;
  return d;
}

DecimalText strip_trailing_zeros(DecimalText d) {
  if (d.special != Special::None) return d;
  if (d.digits.empty()) {
    d.scale = 0;
    return d;
  }
  while (!d.digits.empty() && d.digits.back() == '0') d.digits.pop_back(), --d.scale;
  if (d.scale < 0) {
    d.digits.append(size_t(-int64_t(d.scale)), '0');
    d.scale = 0;
  }
  return d;
}

std::string unscaled_bytes(const DecimalText& d) {
  // Magnitude in base 2^32 limbs, little endian, fed nine decimal digits at a time. Reused:
  // every numeric column of every row comes through here.
  thread_local std::vector<uint32_t> limbs;
  limbs.clear();
  const std::string& s = d.digits;
  size_t first = s.size() % 9 == 0 ? 9 : s.size() % 9;
  for (size_t pos = 0; pos < s.size();) {
    size_t n = pos == 0 ? first : 9;
    uint64_t chunk = 0, mul = 1;
    for (size_t k = 0; k < n; ++k) chunk = chunk * 10 + uint64_t(s[pos + k] - '0'), mul *= 10;
    pos += n;
    uint64_t carry = chunk;
    for (uint32_t& limb : limbs) {
      uint64_t v = uint64_t(limb) * mul + carry;
      limb = uint32_t(v);
      carry = v >> 32;
    }
    if (carry) limbs.push_back(uint32_t(carry));
  }
  std::string mag;  // big endian, with one leading zero byte for the sign
  mag.push_back('\0');
  for (size_t i = limbs.size(); i-- > 0;)
    for (int b = 3; b >= 0; --b) mag.push_back(char(uint8_t(limbs[i] >> (8 * b))));
  if (d.negative && !d.digits.empty()) {
    for (char& c : mag) c = char(~uint8_t(c));
    for (size_t i = mag.size(); i-- > 0;) {
      if (++reinterpret_cast<uint8_t&>(mag[i]) != 0) break;
    }
    size_t k = 0;
    while (k + 1 < mag.size() && uint8_t(mag[k]) == 0xFF && (uint8_t(mag[k + 1]) & 0x80)) ++k;
    return mag.substr(k);
  }
  size_t k = 0;
  while (k + 1 < mag.size() && mag[k] == '\0' && !(uint8_t(mag[k + 1]) & 0x80)) ++k;
  return mag.substr(k);
}

std::string plain_string(const DecimalText& d) {
  std::string out;
  if (d.negative && !d.digits.empty()) out.push_back('-');
  std::string digits = d.digits.empty() ? "0" : d.digits;
  if (d.scale <= 0) {
    out += digits;
    if (!d.digits.empty()) out.append(size_t(-int64_t(d.scale)), '0');
    return out;
  }
  size_t scale = size_t(d.scale);
  if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
  out += digits.substr(0, digits.size() - scale);
  out.push_back('.');
  out += digits.substr(digits.size() - scale);
  return out;
}

std::optional<DecimalText> parse_money(std::string_view s) {
  std::string clean;
  bool negative = false;
  for (char c : s) {
    if (is_digit(c) || c == '.') clean.push_back(c);
    else if (c == '-' || c == '(') negative = true;
    else if (c == ',' || c == '$' || c == ' ' || c == ')') continue;
    else if (uint8_t(c) >= 0x80) continue;  // a multi-byte currency symbol
    else return std::nullopt;
  }
  auto d = parse_decimal(clean);
  if (!d) return std::nullopt;
  d->negative = negative && !d->digits.empty();
  return d;
}

std::optional<int64_t> parse_int(std::string_view s, int64_t min, int64_t max) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  if (v < min || v > max) return std::nullopt;
  return v;
}

std::optional<double> parse_double(std::string_view s) {
  if (auto sp = special_number(s)) {
    if (*sp == Special::NaN) return std::numeric_limits<double>::quiet_NaN();
    return *sp == Special::PosInf ? HUGE_VAL : -HUGE_VAL;
  }
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty() || !(is_digit(s[0]) || s[0] == '-' || s[0] == '.')) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (p != s.data() + s.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) return std::nullopt;
  if (ec != std::errc()) return std::nullopt;
  return v;
}

std::optional<float> parse_float(std::string_view s) {
  if (auto sp = special_number(s)) {
    if (*sp == Special::NaN) return std::numeric_limits<float>::quiet_NaN();
    return *sp == Special::PosInf ? HUGE_VALF : -HUGE_VALF;
  }
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty() || !(is_digit(s[0]) || s[0] == '-' || s[0] == '.')) return std::nullopt;
  float v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (p != s.data() + s.size() || ec != std::errc()) return std::nullopt;
  return v;
}

// ---- bytes ---------------------------------------------------------------------------------

std::optional<std::string> parse_bytea(std::string_view s) {
  std::string out;
  if (s.size() >= 2 && s[0] == '\\' && s[1] == 'x') {
    if (s.size() % 2 != 0) return std::nullopt;
    out.reserve((s.size() - 2) / 2);
    for (size_t i = 2; i < s.size(); i += 2) {
      int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(char(hi * 16 + lo));
    }
    return out;
  }
  for (size_t i = 0; i < s.size(); ++i) {  // escape format
    if (s[i] != '\\') {
      out.push_back(s[i]);
    } else if (i + 1 < s.size() && s[i + 1] == '\\') {
      out.push_back('\\');
      ++i;
    } else if (i + 3 < s.size() + 0 && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
               s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
      out.push_back(char((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
      i += 3;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::string to_hex(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    out.push_back(kHex[uint8_t(c) >> 4]);
    out.push_back(kHex[uint8_t(c) & 15]);
  }
  return out;
}

std::string to_base64(std::string_view bytes, bool url_safe) {
  const char* table = url_safe ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                               : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8) |
                 uint8_t(bytes[i + 2]);
    out.push_back(table[v >> 18]);
    out.push_back(table[(v >> 12) & 63]);
    out.push_back(table[(v >> 6) & 63]);
    out.push_back(table[v & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest) {
    uint32_t v = uint32_t(uint8_t(bytes[i])) << 16;
    if (rest == 2) v |= uint32_t(uint8_t(bytes[i + 1])) << 8;
    out.push_back(table[v >> 18]);
    out.push_back(table[(v >> 12) & 63]);
    out.push_back(rest == 2 ? table[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> bits_to_bytes(std::string_view s) {
  std::string out;
  size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    char c = s[n - 1 - i];  // bit i
    if (c != '0' && c != '1') return std::nullopt;
    if (c == '1') {
      if (out.size() < i / 8 + 1) out.resize(i / 8 + 1, '\0');
      out[i / 8] = char(uint8_t(out[i / 8]) | (1u << (i % 8)));
    }
  }
  return out;
}

// ---- date and time -------------------------------------------------------------------------

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = unsigned(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = int64_t(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

namespace {

bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// "YYYY-MM-DD" (4 or more year digits) at pos; the year as written (BC applied later).
bool read_date(std::string_view s, size_t& pos, int64_t& y, unsigned& m, unsigned& d) {
  int64_t yy, mm, dd;
  if (!read_uint(s, pos, yy, 4, 7) || !expect(s, pos, '-') || !read_uint(s, pos, mm, 2, 2) ||
      !expect(s, pos, '-') || !read_uint(s, pos, dd, 2, 2))
    return false;
  if (mm < 1 || mm > 12 || dd < 1) return false;
  y = yy;
  m = unsigned(mm);
  d = unsigned(dd);
  return true;
}

// "HH:MM:SS[.ffffff]" at pos, as micros since midnight (24:00:00 allowed).
bool read_time(std::string_view s, size_t& pos, int64_t& us) {
  int64_t h, mi, se;
  if (!read_uint(s, pos, h, 2, 2) || !expect(s, pos, ':') || !read_uint(s, pos, mi, 2, 2) ||
      !expect(s, pos, ':') || !read_uint(s, pos, se, 2, 2))
    return false;
  int64_t frac = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < s.size() && is_digit(s[pos])) {
      if (pos - start < 6) frac = frac * 10 + (s[pos] - '0');
      ++pos;
    }
    size_t n = pos - start;
    if (n == 0 || n > 9) return false;
    for (size_t k = n; k < 6; ++k) frac *= 10;
  }
  if (h > 24 || mi > 59 || se > 60) return false;
  us = ((h * 60 + mi) * 60 + se) * 1000000 + frac;
  return us <= kMicrosPerDay;
}

// "+HH", "-HH:MM", "+HH:MM:SS" at pos, seconds east of UTC.
bool read_offset(std::string_view s, size_t& pos, int32_t& seconds) {
  if (pos >= s.size() || (s[pos] != '+' && s[pos] != '-')) return false;
  bool neg = s[pos++] == '-';
  int64_t h, mi = 0, se = 0;
  if (!read_uint(s, pos, h, 2, 2)) return false;
  if (expect(s, pos, ':')) {
    if (!read_uint(s, pos, mi, 2, 2)) return false;
    if (expect(s, pos, ':') && !read_uint(s, pos, se, 2, 2)) return false;
  }
  if (h > 15 || mi > 59 || se > 59) return false;
  seconds = int32_t((h * 3600 + mi * 60 + se) * (neg ? -1 : 1));
  return true;
}

std::optional<DateTimeText> infinity(std::string_view s) {
  DateTimeText t;
  if (s == "infinity") t.special = Special::PosInf;
  else if (s == "-infinity") t.special = Special::NegInf;
  else return std::nullopt;
  return t;
}

bool finish_date(std::string_view s, size_t& pos, int64_t y, unsigned m, unsigned d, int64_t& days) {
  if (y == 0) return false;  // PostgreSQL counts 1 BC, 1 AD: there is no year 0
  if (s.substr(pos) == " BC") {
    y = 1 - y;
    pos = s.size();
  }
  if (pos != s.size() || d > days_in_month(y, m)) return false;
  if (y < -4713 || y > 294277) return false;  // PostgreSQL's range
  days = days_from_civil(y, m, d);
  return true;
}

}  // namespace

std::optional<DateTimeText> parse_date(std::string_view s) {
  if (auto inf = infinity(s)) return inf;
  DateTimeText t;
  size_t pos = 0;
  int64_t y;
  unsigned m, d;
  if (!read_date(s, pos, y, m, d) || !finish_date(s, pos, y, m, d, t.days)) return std::nullopt;
  return t;
}

std::optional<DateTimeText> parse_timestamp(std::string_view s, bool with_offset) {
  if (auto inf = infinity(s)) return inf;
  DateTimeText t;
  size_t pos = 0;
  int64_t y;
  unsigned m, d;
  if (!read_date(s, pos, y, m, d) || !expect(s, pos, ' ') || !read_time(s, pos, t.time_us))
    return std::nullopt;
  if (with_offset) {
    if (!read_offset(s, pos, t.offset_seconds)) return std::nullopt;
    t.has_offset = true;
  }
  if (!finish_date(s, pos, y, m, d, t.days)) return std::nullopt;
  return t;
}

std::optional<DateTimeText> parse_time(std::string_view s, bool with_offset) {
  DateTimeText t;
  size_t pos = 0;
  if (!read_time(s, pos, t.time_us)) return std::nullopt;
  if (with_offset) {
    if (!read_offset(s, pos, t.offset_seconds)) return std::nullopt;
    t.has_offset = true;
  }
  if (pos != s.size()) return std::nullopt;
  return t;
}

int64_t epoch_micros(const DateTimeText& t) {
  return t.days * kMicrosPerDay + t.time_us - int64_t(t.offset_seconds) * 1000000;
}

namespace {

void append_padded(std::string& out, int64_t v, int width) {
  std::string digits = std::to_string(v);
  if (int(digits.size()) < width) out.append(size_t(width) - digits.size(), '0');
  out += digits;
}

// Java's ISO_LOCAL_TIME body: HH:mm:ss.
void append_hms(std::string& out, int64_t time_us) {
  int64_t secs = time_us / 1000000;
  append_padded(out, secs / 3600, 2);
  out.push_back(':');
  append_padded(out, secs / 60 % 60, 2);
  out.push_back(':');
  append_padded(out, secs % 60, 2);
}

}  // namespace

std::string zoned_timestamp_string(int64_t epoch_us, int width) {
  int64_t days = floor_div(epoch_us, kMicrosPerDay);
  int64_t tod = epoch_us - days * kMicrosPerDay;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  std::string out;
  // Java's ISO year: at least 4 digits, '+' above 9999, '-' below 0.
  if (y > 9999) out.push_back('+');
  if (y < 0) out.push_back('-');
  append_padded(out, y < 0 ? -y : y, 4);
  out.push_back('-');
  append_padded(out, m, 2);
  out.push_back('-');
  append_padded(out, d, 2);
  out.push_back('T');
  append_hms(out, tod);
  if (width > 0) {
    std::string frac;
    append_padded(frac, (tod % 1000000) * 1000, 9);  // nanoseconds
    out.push_back('.');
    out += frac.substr(0, size_t(std::min(width, 9)));
  } else if (tod % 1000000 != 0) {
    std::string frac;
    append_padded(frac, tod % 1000000, 6);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out.push_back('.');
    out += frac;
  }
  out.push_back('Z');
  return out;
}

std::string zoned_time_string(int64_t time_of_day_us) {
  int64_t tod = time_of_day_us % kMicrosPerDay;
  if (tod < 0) tod += kMicrosPerDay;
  std::string out;
  append_hms(out, tod);
  if (tod % 1000000 != 0) {
    std::string frac;
    append_padded(frac, tod % 1000000, 6);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out.push_back('.');
    out += frac;
  }
  out.push_back('Z');
  return out;
}

// ---- interval ------------------------------------------------------------------------------

namespace {

// A signed seconds value "-6.789" as micros.
bool read_seconds(std::string_view s, int64_t& micros) {
  bool neg = false;
  size_t pos = 0;
  if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) neg = s[pos++] == '-';
  int64_t whole = 0, frac = 0;
  if (!read_uint(s, pos, whole, 1, 12)) return false;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < s.size() && is_digit(s[pos])) {
      if (pos - start < 6) frac = frac * 10 + (s[pos] - '0');
      ++pos;
    }
    for (size_t k = pos - start; k < 6; ++k) frac *= 10;
  }
  if (pos != s.size()) return false;
  micros = (whole * 1000000 + frac) * (neg ? -1 : 1);
  return true;
}

bool read_int32(std::string_view s, int32_t& out) {
  auto v = parse_int(s, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
  if (!v) return false;
  out = int32_t(*v);
  return true;
}

// "[+-]HH:MM[:SS[.f]]" into hours, minutes, micros, each carrying the sign.
bool read_clock(std::string_view tok, IntervalText& iv) {
  bool neg = false;
  if (!tok.empty() && (tok[0] == '-' || tok[0] == '+')) {
    neg = tok[0] == '-';
    tok.remove_prefix(1);
  }
  size_t c1 = tok.find(':');
  if (c1 == std::string_view::npos) return false;
  size_t c2 = tok.find(':', c1 + 1);
  int32_t h, mi;
  int64_t sec = 0;
  if (!read_int32(tok.substr(0, c1), h) || h < 0) return false;
  std::string_view min_text = tok.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1);
  if (!read_int32(min_text, mi) || mi < 0) return false;
  if (c2 != std::string_view::npos && (!read_seconds(tok.substr(c2 + 1), sec) || sec < 0)) return false;
  int sign = neg ? -1 : 1;
  iv.hours += sign * h;
  iv.minutes += sign * mi;
  iv.micros += sign * sec;
  return true;
}

bool add_unit(IntervalText& iv, std::string_view number, std::string_view unit) {
  auto is = [&unit](std::initializer_list<std::string_view> names) {
    for (auto n : names)
      if (iequals(unit, n)) return true;
    return false;
  };
  if (is({"sec", "secs", "second", "seconds"})) {
    int64_t us;
    if (!read_seconds(number, us)) return false;
    iv.micros += us;
    return true;
  }
  int32_t v;
  if (!read_int32(number, v)) return false;
  if (is({"year", "years"})) iv.years += v;
  else if (is({"mon", "mons", "month", "months"})) iv.months += v;
  else if (is({"day", "days"})) iv.days += v;
  else if (is({"hour", "hours"})) iv.hours += v;
  else if (is({"min", "mins", "minute", "minutes"})) iv.minutes += v;
  else return false;
  return true;
}

std::optional<IntervalText> parse_iso_interval(std::string_view s) {
  IntervalText iv;
  size_t pos = 1;  // after 'P'
  bool in_time = false;
  while (pos < s.size()) {
    if (s[pos] == 'T') {
      in_time = true;
      ++pos;
      continue;
    }
    size_t start = pos;
    while (pos < s.size() && (is_digit(s[pos]) || s[pos] == '-' || s[pos] == '+' || s[pos] == '.')) ++pos;
    if (pos == start || pos >= s.size()) return std::nullopt;
    std::string_view num = s.substr(start, pos - start);
    char unit = s[pos++];
    std::string_view name;
    if (!in_time) name = unit == 'Y' ? "years" : unit == 'M' ? "months" : unit == 'W' ? "" : unit == 'D' ? "days" : "";
    else name = unit == 'H' ? "hours" : unit == 'M' ? "minutes" : unit == 'S' ? "seconds" : "";
    if (!in_time && unit == 'W') {
      int32_t w;
      if (!read_int32(num, w)) return std::nullopt;
      iv.days += w * 7;
      continue;
    }
    if (name.empty() || !add_unit(iv, num, name)) return std::nullopt;
  }
  return iv;
}

}  // namespace

std::optional<IntervalText> parse_interval(std::string_view s) {
  if (!s.empty() && s[0] == 'P') return parse_iso_interval(s);
  IntervalText iv;
  bool ago = false;
  std::vector<std::string_view> tokens;
  for (size_t pos = 0; pos < s.size();) {
    if (s[pos] == ' ') {
      ++pos;
      continue;
    }
    size_t end = s.find(' ', pos);
    if (end == std::string_view::npos) end = s.size();
    tokens.push_back(s.substr(pos, end - pos));
    pos = end;
  }
  if (tokens.empty()) return std::nullopt;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string_view t = tokens[i];
    if (t == "@") continue;
    if (iequals(t, "ago")) {
      if (i + 1 != tokens.size()) return std::nullopt;
      ago = true;
      continue;
    }
    if (t.find(':') != std::string_view::npos) {
      if (!read_clock(t, iv)) return std::nullopt;
      continue;
    }
    if (i + 1 >= tokens.size() || !add_unit(iv, t, tokens[i + 1])) return std::nullopt;
    ++i;
  }
  if (ago) {
    iv.years = -iv.years, iv.months = -iv.months, iv.days = -iv.days;
    iv.hours = -iv.hours, iv.minutes = -iv.minutes, iv.micros = -iv.micros;
  }
  return iv;
}

int64_t interval_micro_duration(const IntervalText& i) {
  // io.debezium.time.MicroDuration.durationMicros, operation by operation.
  const double days_per_month = 365.25 / 12;
  double seconds = double(i.micros / 1000000) + double(i.micros % 1000000) / 1000000;
  double number_of_days = double(int32_t(uint32_t(i.years) * 12u + uint32_t(i.months))) * days_per_month + i.days;
  double number_of_seconds = (((number_of_days * 24 + i.hours) * 60) + i.minutes) * 60 + seconds;
  double micros = number_of_seconds * 1e6;
  // Java's (long) cast: NaN -> 0, saturating at the ends.
  if (std::isnan(micros)) return 0;
  if (micros >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (micros <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return int64_t(micros);
}

std::string interval_iso_string(const IntervalText& i) {
  std::string out = "P";
  for (auto [v, unit] : {std::pair<int32_t, const char*>{i.years, "Y"}, {i.months, "M"}, {i.days, "DT"},
                         {i.hours, "H"}, {i.minutes, "M"}}) {
    out += std::to_string(v);
    out += unit;
  }
  int64_t us = i.micros;
  if (us < 0) out.push_back('-');
  uint64_t abs = us < 0 ? uint64_t(0) - uint64_t(us) : uint64_t(us);
  out += std::to_string(abs / 1000000);
  if (abs % 1000000 != 0) {
    std::string frac;
    append_padded(frac, int64_t(abs % 1000000), 6);
    while (frac.back() == '0') frac.pop_back();
    out.push_back('.');
    out += frac;
  }
  out.push_back('S');
  return out;
}

// ---- composite text forms ------------------------------------------------------------------

std::optional<ArrayText> parse_array(std::string_view s, char delimiter) {
  ArrayText out;
  size_t pos = 0;
  if (!s.empty() && s[0] == '[') {  // explicit bounds "[0:2]={...}"
    size_t eq = s.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    pos = eq + 1;
  }
  if (pos >= s.size() || s[pos] != '{') return std::nullopt;
  ++pos;
  auto skip_space = [&] {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n')) ++pos;
  };
  skip_space();
  if (pos < s.size() && s[pos] == '}') {
    ++pos;
    skip_space();
    if (pos != s.size()) return std::nullopt;
    return out;
  }
  while (true) {
    skip_space();
    if (pos >= s.size()) return std::nullopt;
    if (s[pos] == '{') {
      out.multi_dimensional = true;
      out.elements.clear();
      return out;
    }
    std::string value;
    bool quoted = false;
    if (s[pos] == '"') {
      quoted = true;
      ++pos;
      while (true) {
        if (pos >= s.size()) return std::nullopt;
        char c = s[pos++];
        if (c == '"') break;
        if (c == '\\') {
          if (pos >= s.size()) return std::nullopt;
          c = s[pos++];
        }
        value.push_back(c);
      }
      skip_space();
    } else {
      while (pos < s.size() && s[pos] != delimiter && s[pos] != '}') {
        char c = s[pos++];
        if (c == '"' || c == '{') return std::nullopt;
        if (c == '\\') {
          if (pos >= s.size()) return std::nullopt;
          c = s[pos++];
        }
        value.push_back(c);
      }
      while (!value.empty() && value.back() == ' ') value.pop_back();
      if (value.empty()) return std::nullopt;
    }
    if (!quoted && iequals(value, "NULL")) out.elements.emplace_back(std::nullopt);
    else out.elements.emplace_back(std::move(value));
    if (pos >= s.size()) return std::nullopt;
    if (s[pos] == delimiter) {
      ++pos;
      continue;
    }
    if (s[pos] != '}') return std::nullopt;
    ++pos;
    skip_space();
    if (pos != s.size()) return std::nullopt;
    return out;
  }
}

namespace {

// An hstore key or value: "quoted \"text\"" or a bare word; NULL (bare) gives nullopt.
bool read_hstore_token(std::string_view s, size_t& pos, std::optional<std::string>& out, bool is_key) {
  while (pos < s.size() && s[pos] == ' ') ++pos;
  if (pos >= s.size()) return false;
  std::string v;
  if (s[pos] == '"') {
    ++pos;
    while (true) {
      if (pos >= s.size()) return false;
      char c = s[pos++];
      if (c == '"') break;
      if (c == '\\') {
        if (pos >= s.size()) return false;
        c = s[pos++];
      }
      v.push_back(c);
    }
    out = std::move(v);
    return true;
  }
  while (pos < s.size() && s[pos] != ' ' && s[pos] != ',' && !(s[pos] == '=' && pos + 1 < s.size() && s[pos + 1] == '>')) {
    char c = s[pos++];
    if (c == '\\') {
      if (pos >= s.size()) return false;
      c = s[pos++];
    }
    v.push_back(c);
  }
  if (v.empty()) return false;
  if (!is_key && iequals(v, "NULL")) out.reset();
  else out = std::move(v);
  return true;
}

}  // namespace

std::optional<std::vector<std::pair<std::string, std::optional<std::string>>>> parse_hstore(
    std::string_view s) {
  std::vector<std::pair<std::string, std::optional<std::string>>> out;
  size_t pos = 0;
  while (true) {
    while (pos < s.size() && s[pos] == ' ') ++pos;
    if (pos >= s.size()) return out;  // also the empty hstore ""
    std::optional<std::string> key, value;
    if (!read_hstore_token(s, pos, key, true)) return std::nullopt;
    while (pos < s.size() && s[pos] == ' ') ++pos;
    if (s.substr(pos, 2) != "=>") return std::nullopt;
    pos += 2;
    if (!read_hstore_token(s, pos, value, false)) return std::nullopt;
    out.emplace_back(std::move(*key), std::move(value));
    while (pos < s.size() && s[pos] == ' ') ++pos;
    if (pos >= s.size()) return out;
    if (s[pos] != ',') return std::nullopt;
    ++pos;
  }
}

namespace {

// java.lang.String.hashCode over the UTF-16 code units of UTF-8 text (invalid bytes as U+FFFD).
int32_t java_string_hash(std::string_view s) {
  uint32_t h = 0;
  auto add = [&h](uint32_t unit) { h = 31 * h + unit; };
  for (size_t i = 0; i < s.size();) {
    uint8_t c = uint8_t(s[i]);
    uint32_t cp;
    size_t n;
    if (c < 0x80) cp = c, n = 1;
    else if ((c >> 5) == 6) cp = c & 0x1F, n = 2;
    else if ((c >> 4) == 14) cp = c & 0x0F, n = 3;
    else if ((c >> 3) == 30) cp = c & 0x07, n = 4;
    else {
      add(0xFFFD);
      ++i;
      continue;
    }
    bool ok = i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) {
      uint8_t cc = uint8_t(s[i + k]);
      if ((cc >> 6) != 2) ok = false;
      else cp = (cp << 6) | (cc & 0x3F);
    }
    if (!ok) {
      add(0xFFFD);
      ++i;
      continue;
    }
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      add(0xD800 + (cp >> 10));
      add(0xDC00 + (cp & 0x3FF));
    } else {
      add(cp);
    }
  }
  return int32_t(h);
}

}  // namespace

std::vector<size_t> java_hashmap_order(const std::vector<std::string>& keys) {
  // HashMap starts with 16 buckets and doubles when size exceeds 0.75 * capacity. A resize
  // keeps the relative order of entries that land in the same bucket, so the final iteration
  // order is: by bucket in the final table, then by insertion. (Tree bins, used only for
  // eight or more colliding keys, are not modelled.)
  size_t capacity = 16;
  while (double(keys.size()) > 0.75 * double(capacity)) capacity *= 2;
  std::vector<std::pair<size_t, size_t>> order;  // (bucket, insertion index)
  order.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    uint32_t h = uint32_t(java_string_hash(keys[i]));
    h ^= h >> 16;
    order.emplace_back(h & (capacity - 1), i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<size_t> out;
  out.reserve(order.size());
  for (auto& [bucket, i] : order) out.push_back(i);
  return out;
}

void append_json_string(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  out.push_back('"');
  for (char c : s) {
    uint8_t u = uint8_t(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 15]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

namespace {

// MD5 (RFC 1321), only for name_uuid_from_bytes.
std::array<uint8_t, 16> md5(std::string_view data) {
  static const uint32_t kK[64] = {
      0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
      0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
      0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
      0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
      0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
      0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
      0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
      0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
  static const int kS[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                             5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                             4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                             6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
  std::string msg(data);
  uint64_t bits = uint64_t(data.size()) * 8;
  msg.push_back(char(0x80));
  while (msg.size() % 64 != 56) msg.push_back('\0');
  for (int i = 0; i < 8; ++i) msg.push_back(char(uint8_t(bits >> (8 * i))));
  uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  for (size_t off = 0; off < msg.size(); off += 64) {
    uint32_t w[16];
    for (int i = 0; i < 16; ++i) {
      w[i] = 0;
      for (int b = 0; b < 4; ++b) w[i] |= uint32_t(uint8_t(msg[off + size_t(i) * 4 + size_t(b)])) << (8 * b);
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; ++i) {
      uint32_t f;
      int g;
      if (i < 16) f = (b & c) | (~b & d), g = i;
      else if (i < 32) f = (d & b) | (~d & c), g = (5 * i + 1) % 16;
      else if (i < 48) f = b ^ c ^ d, g = (3 * i + 5) % 16;
      else f = c ^ (b | ~d), g = (7 * i) % 16;
      uint32_t x = a + f + kK[i] + w[g];
      a = d;
      d = c;
      c = b;
      b = b + ((x << kS[i]) | (x >> (32 - kS[i])));
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d;
  }
  std::array<uint8_t, 16> out;
  for (int i = 0; i < 16; ++i) out[size_t(i)] = uint8_t(h[i / 4] >> (8 * (i % 4)));
  return out;
}

}  // namespace

std::string name_uuid_from_bytes(std::string_view bytes) {
  std::array<uint8_t, 16> m = md5(bytes);
  m[6] = uint8_t((m[6] & 0x0f) | 0x30);  // version 3
  m[8] = uint8_t((m[8] & 0x3f) | 0x80);  // IETF variant
  std::string hex = to_hex(std::string_view(reinterpret_cast<const char*>(m.data()), m.size()));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

std::optional<std::pair<double, double>> parse_point(std::string_view s) {
  if (s.size() < 5 || s.front() != '(' || s.back() != ')') return std::nullopt;
  s = s.substr(1, s.size() - 2);
  size_t comma = s.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  auto x = parse_double(s.substr(0, comma));
  auto y = parse_double(s.substr(comma + 1));
  if (!x || !y) return std::nullopt;
  return std::make_pair(*x, *y);
}

std::string point_wkb(double x, double y) {
  std::string out;
  out.push_back('\x01');
  uint32_t type = 1;
  char buf[8];
  for (int i = 0; i < 4; ++i) out.push_back(char(uint8_t(type >> (8 * i))));
  for (double v : {x, y}) {
    std::memcpy(buf, &v, 8);  // little-endian hosts only (x86-64, aarch64)
    out.append(buf, 8);
  }
  return out;
}

std::optional<Wkb> parse_hex_ewkb(std::string_view s) {
  if (s.size() % 2 != 0 || s.size() < 10) return std::nullopt;
  std::string bytes;
  bytes.reserve(s.size() / 2);
  for (size_t i = 0; i < s.size(); i += 2) {
    int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bytes.push_back(char(hi * 16 + lo));
  }
  auto u32 = [&bytes](size_t at, bool le) {
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      uint32_t b = uint8_t(bytes[at + size_t(k)]);
      v |= le ? b << (8 * k) : b << (8 * (3 - k));
    }
    return v;
  };
  uint8_t order = uint8_t(bytes[0]);
  if (order > 1) return std::nullopt;
  bool le = order == 1;
  uint32_t type = u32(1, le);
  Wkb out;
  if (type & 0x20000000u) {
    if (bytes.size() < 9) return std::nullopt;
    int32_t srid = int32_t(u32(5, le));
    if (srid != 0) out.srid = srid;
  }
  out.wkb = std::move(bytes);
  return out;
}

}  // namespace sluice::postgres::text
