#include "plugins/converters/text_format.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace sluice::converters::detail {

// ---- Numbers -------------------------------------------------------------------------------

namespace {

// Digits and decimal exponent of a number printed by printf/to_chars in scientific form
// ("-1.2345e+02" -> digits "12345", exp 2). Trailing zeros of the digits are dropped.
struct SciParts {
  char digits[40];
  int ndigits = 0;
  int exp = 0;
};

SciParts split_scientific(const char* b, const char* e) {
  SciParts p;
  if (b < e && *b == '-') ++b;
  const char* x = b;
  while (x < e && *x != 'e' && *x != 'E') {
    if (*x >= '0' && *x <= '9' && p.ndigits < static_cast<int>(sizeof p.digits)) p.digits[p.ndigits++] = *x;
    ++x;
  }
  if (x < e) {
    ++x;
    bool neg = false;
    if (x < e && (*x == '+' || *x == '-')) neg = *x++ == '-';
    int v = 0;
    while (x < e && *x >= '0' && *x <= '9') v = v * 10 + (*x++ - '0');
    p.exp = neg ? -v : v;
  }
  while (p.ndigits > 1 && p.digits[p.ndigits - 1] == '0') --p.ndigits;
  return p;
}

// Java's layout of a decimal d.ddd x 10^exp: plain for 10^-3 <= |v| < 10^7, else "d.dddE<exp>".
void layout_java(std::string& out, bool negative, const SciParts& p) {
  if (negative) out.push_back('-');
  const int n = p.ndigits;
  const int e = p.exp;
  if (e >= -3 && e < 7) {
    if (e >= 0) {
      const int int_digits = e + 1;
      if (n <= int_digits) {
        out.append(p.digits, n);
        out.append(static_cast<size_t>(int_digits - n), '0');
        out.append(".0");
      } else {
        out.append(p.digits, int_digits);
        out.push_back('.');
        out.append(p.digits + int_digits, n - int_digits);
      }
    } else {
      out.append("0.");
      out.append(static_cast<size_t>(-e - 1), '0');
      out.append(p.digits, n);
    }
    return;
  }
  out.push_back(p.digits[0]);
  out.push_back('.');
  if (n > 1)
    out.append(p.digits + 1, n - 1);
  else
    out.push_back('0');
  out.push_back('E');
  char buf[16];
  auto r = std::to_chars(buf, buf + sizeof buf, e);
  out.append(buf, r.ptr);
}

}  // namespace

void append_java_double(std::string& out, double v) {
  if (std::isnan(v)) { out.append("NaN"); return; }
  if (std::isinf(v)) { out.append(v > 0 ? "Infinity" : "-Infinity"); return; }
  if (v == 0) { out.append(std::signbit(v) ? "-0.0" : "0.0"); return; }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  SciParts p = split_scientific(buf, r.ptr);
  if (p.ndigits == 1) {
    // Java picks, among the 1- and 2-digit decimals that round to v, the one closest to v
    // (so Double.MIN_VALUE prints as 4.9E-324, not 5.0E-324).
    char two[64];
    int len = std::snprintf(two, sizeof two, "%.1e", v);
    if (len > 0 && std::strtod(two, nullptr) == v) p = split_scientific(two, two + len);
  }
  layout_java(out, v < 0, p);
}

void append_java_float(std::string& out, float v) {
  if (std::isnan(v)) { out.append("NaN"); return; }
  if (std::isinf(v)) { out.append(v > 0 ? "Infinity" : "-Infinity"); return; }
  if (v == 0) { out.append(std::signbit(v) ? "-0.0" : "0.0"); return; }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  SciParts p = split_scientific(buf, r.ptr);
  if (p.ndigits == 1) {
    char two[64];
    int len = std::snprintf(two, sizeof two, "%.1e", static_cast<double>(v));
    if (len > 0 && std::strtof(two, nullptr) == v) p = split_scientific(two, two + len);
  }
  layout_java(out, v < 0, p);
}

void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// ---- JSON strings --------------------------------------------------------------------------

namespace {
// 0: copy as is; 'u': \u00XX; 'S': the lead byte of a 4-byte UTF-8 sequence (a character
// beyond the BMP); any other: backslash + that character.
constexpr auto kEscapes = [] {
  std::array<char, 256> t{};
  for (int i = 0; i < 0x20; ++i) t[i] = 'u';
  for (int i = 0xF0; i <= 0xF4; ++i) t[i] = 'S';
  t['\b'] = 'b';
  t['\t'] = 't';
  t['\n'] = 'n';
  t['\f'] = 'f';
  t['\r'] = 'r';
  t['"'] = '"';
  t['\\'] = '\\';
  return t;
}();
constexpr char kUpperHex[] = "0123456789ABCDEF";

// Whether any of the 8 bytes in `w` may need kEscapes (a control character, '"', '\\', or a
// lead byte 0xF0..0xFF): most text has none, so it is skipped a word at a time. The usual
// "has a zero byte" bit trick; a false positive only sends a word down the byte loop.
constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
constexpr bool has_zero_byte(uint64_t v) { return ((v - kOnes) & ~v & kHighs) != 0; }
constexpr bool may_need_escape(uint64_t w) {
  return ((w - kOnes * 0x20) & ~w & kHighs) != 0 || has_zero_byte(w ^ (kOnes * '"')) ||
         has_zero_byte(w ^ (kOnes * '\\')) || has_zero_byte((w & (kOnes * 0xF0)) ^ (kOnes * 0xF0));
}
}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  const char* p = s.data();
  const char* end = p + s.size();
  const char* run = p;
  for (; p < end; ++p) {
    while (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (may_need_escape(w)) break;
      p += 8;
    }
    if (p == end) break;
    char esc = kEscapes[static_cast<unsigned char>(*p)];
    if (esc == 0) continue;
    if (esc == 'S') {
      // Jackson (before 2.18's COMBINE_UNICODE_SURROGATES_IN_UTF8) writes a character beyond
      // the BMP as its two UTF-16 surrogates, each escaped: U+1F600 -> \uD83D\uDE00. Invalid
      // UTF-8 is copied as is.
      auto cont = [&](int i) { return (static_cast<unsigned char>(p[i]) & 0xC0) == 0x80; };
      if (end - p < 4 || !cont(1) || !cont(2) || !cont(3)) continue;
      uint32_t cp = (uint32_t{static_cast<unsigned char>(p[0])} & 0x07) << 18 |
                    (uint32_t{static_cast<unsigned char>(p[1])} & 0x3F) << 12 |
                    (uint32_t{static_cast<unsigned char>(p[2])} & 0x3F) << 6 |
                    (uint32_t{static_cast<unsigned char>(p[3])} & 0x3F);
      if (cp < 0x10000 || cp > 0x10FFFF) continue;
      out.append(run, p);
      cp -= 0x10000;
      for (uint32_t unit : {0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF)}) {
        char seq[6] = {'\\', 'u', kUpperHex[unit >> 12], kUpperHex[(unit >> 8) & 15],
                       kUpperHex[(unit >> 4) & 15], kUpperHex[unit & 15]};
        out.append(seq, 6);
      }
      p += 3;
      run = p + 1;
      continue;
    }
    out.append(run, p);
    char seq[6] = {'\\', esc, 0, 0, 0, 0};
    if (esc == 'u') {
      unsigned char c = static_cast<unsigned char>(*p);
      seq[2] = '0';
      seq[3] = '0';
      seq[4] = kUpperHex[c >> 4];
      seq[5] = kUpperHex[c & 15];
      out.append(seq, 6);
    } else {
      out.append(seq, 2);
    }
    run = p + 1;
  }
  out.append(run, end);
  out.push_back('"');
}

// ---- Base64 --------------------------------------------------------------------------------

namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr auto kB64Rev = [] {
  std::array<int8_t, 256> t{};
  for (auto& x : t) x = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kB64[i])] = static_cast<int8_t>(i);
  return t;
}();
}  // namespace

void append_base64(std::string& out, std::string_view bytes) {
  const size_t n = bytes.size();
  const size_t start = out.size();
  out.resize(start + (n + 2) / 3 * 4);
  char* o = out.data() + start;
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    *o++ = kB64[v >> 18];
    *o++ = kB64[(v >> 12) & 63];
    *o++ = kB64[(v >> 6) & 63];
    *o++ = kB64[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = uint32_t{in[i]} << 16;
    *o++ = kB64[v >> 18];
    *o++ = kB64[(v >> 12) & 63];
    *o++ = '=';
    *o++ = '=';
  } else if (n - i == 2) {
    uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8);
    *o++ = kB64[v >> 18];
    *o++ = kB64[(v >> 12) & 63];
    *o++ = kB64[(v >> 6) & 63];
    *o++ = '=';
  }
}

bool decode_base64(std::string_view text, std::string& out) {
  out.clear();
  const size_t n = text.size();
  if (n % 4 != 0) return false;
  out.reserve(n / 4 * 3);
  for (size_t i = 0; i < n; i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = text[i + k];
      if (c == '=' && i + 4 == n && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad) return false;  // data after padding
      v[k] = kB64Rev[static_cast<unsigned char>(c)];
      if (v[k] < 0) return false;
    }
    uint32_t x = (uint32_t(v[0]) << 18) | (uint32_t(v[1]) << 12) | (uint32_t(v[2]) << 6) | uint32_t(v[3]);
    out.push_back(static_cast<char>(x >> 16));
    if (pad < 2) out.push_back(static_cast<char>((x >> 8) & 0xFF));
    if (pad < 1) out.push_back(static_cast<char>(x & 0xFF));
  }
  return true;
}

// ---- Big integers --------------------------------------------------------------------------

std::string_view minimal_twos_complement(std::string_view b) {
  size_t i = 0;
  while (i + 1 < b.size()) {
    auto c0 = static_cast<unsigned char>(b[i]);
    auto c1 = static_cast<unsigned char>(b[i + 1]);
    if ((c0 == 0x00 && !(c1 & 0x80)) || (c0 == 0xFF && (c1 & 0x80)))
      ++i;
    else
      break;
  }
  return b.substr(i);
}

namespace {

// Magnitude as little-endian 32-bit limbs; returns true when the value is negative.
bool twos_to_limbs(std::string_view b, std::vector<uint32_t>& limbs) {
  limbs.clear();
  bool neg = !b.empty() && (static_cast<unsigned char>(b[0]) & 0x80);
  std::string mag(b);
  if (neg) {
    for (auto& c : mag) c = static_cast<char>(~static_cast<unsigned char>(c));
    for (size_t i = mag.size(); i-- > 0;) {
      auto c = static_cast<unsigned char>(mag[i]);
      mag[i] = static_cast<char>(c + 1);
      if (c != 0xFF) break;
    }
  }
  for (size_t end = mag.size(); end > 0;) {
    size_t begin = end >= 4 ? end - 4 : 0;
    uint32_t limb = 0;
    for (size_t i = begin; i < end; ++i) limb = (limb << 8) | static_cast<unsigned char>(mag[i]);
    limbs.push_back(limb);
    end = begin;
  }
  while (!limbs.empty() && limbs.back() == 0) limbs.pop_back();
  return neg;
}

void append_limbs_decimal(std::string& out, std::vector<uint32_t> limbs) {
  if (limbs.empty()) {
    out.push_back('0');
    return;
  }
  std::vector<uint32_t> chunks;  // base 10^9, least significant first
  while (!limbs.empty()) {
    uint64_t rem = 0;
    for (size_t i = limbs.size(); i-- > 0;) {
      uint64_t cur = (rem << 32) | limbs[i];
      limbs[i] = static_cast<uint32_t>(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    chunks.push_back(static_cast<uint32_t>(rem));
    while (!limbs.empty() && limbs.back() == 0) limbs.pop_back();
  }
  char buf[16];
  auto r = std::to_chars(buf, buf + sizeof buf, chunks.back());
  out.append(buf, r.ptr);
  for (size_t i = chunks.size() - 1; i-- > 0;) {
    r = std::to_chars(buf, buf + sizeof buf, chunks[i]);
    out.append(static_cast<size_t>(9 - (r.ptr - buf)), '0');
    out.append(buf, r.ptr);
  }
}

// Appends the digits of |value| to `digits` and reports the sign.
bool twos_to_digits(std::string_view b, std::string& digits) {
  b = minimal_twos_complement(b);
  if (b.size() <= 8) {
    bool neg = !b.empty() && (static_cast<unsigned char>(b[0]) & 0x80);
    uint64_t u = neg ? ~uint64_t{0} : 0;
    for (char c : b) u = (u << 8) | static_cast<unsigned char>(c);
    uint64_t mag = neg ? (~u + 1) : u;
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, mag);
    digits.append(buf, r.ptr);
    return neg;
  }
  std::vector<uint32_t> limbs;
  bool neg = twos_to_limbs(b, limbs);
  append_limbs_decimal(digits, std::move(limbs));
  return neg;
}

}  // namespace

void append_twos_complement_decimal(std::string& out, std::string_view bytes) {
  std::string digits;
  if (twos_to_digits(bytes, digits)) out.push_back('-');
  out.append(digits);
}

void append_big_decimal(std::string& out, std::string_view unscaled, int32_t scale) {
  std::string coeff;
  bool neg = twos_to_digits(unscaled, coeff);
  if (neg) out.push_back('-');
  const int64_t n = static_cast<int64_t>(coeff.size());
  const int64_t adjusted = -static_cast<int64_t>(scale) + (n - 1);
  if (scale >= 0 && adjusted >= -6) {
    if (scale == 0) {
      out.append(coeff);
    } else if (n > scale) {
      out.append(coeff, 0, static_cast<size_t>(n - scale));
      out.push_back('.');
      out.append(coeff, static_cast<size_t>(n - scale));
    } else {
      out.append("0.");
      out.append(static_cast<size_t>(scale - n), '0');
      out.append(coeff);
    }
    return;
  }
  out.push_back(coeff[0]);
  if (n > 1) {
    out.push_back('.');
    out.append(coeff, 1);
  }
  if (adjusted != 0) {
    out.push_back('E');
    if (adjusted > 0) out.push_back('+');
    append_int(out, adjusted);
  }
}

bool parse_decimal_text(std::string_view t, DecimalText& out) {
  out = DecimalText{};
  size_t i = 0;
  const size_t n = t.size();
  if (i < n && (t[i] == '+' || t[i] == '-')) out.negative = t[i++] == '-';
  std::string digits;
  int64_t frac = 0;
  bool any = false;
  while (i < n && t[i] >= '0' && t[i] <= '9') { digits.push_back(t[i++]); any = true; }
  if (i < n && t[i] == '.') {
    ++i;
    while (i < n && t[i] >= '0' && t[i] <= '9') { digits.push_back(t[i++]); ++frac; any = true; }
  }
  if (!any) return false;
  int64_t exp = 0;
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < n && (t[i] == '+' || t[i] == '-')) eneg = t[i++] == '-';
    if (i >= n || t[i] < '0' || t[i] > '9') return false;
    while (i < n && t[i] >= '0' && t[i] <= '9') {
      exp = exp * 10 + (t[i++] - '0');
      if (exp > 1000000000) return false;  // BigDecimal's scale is an int
    }
    if (eneg) exp = -exp;
  }
  if (i != n) return false;
  size_t z = 0;
  while (z + 1 < digits.size() && digits[z] == '0') ++z;
  out.digits = digits.substr(z);
  out.scale = frac - exp;
  if (out.digits == "0") out.negative = false;
  return true;
}

bool rescale_decimal(DecimalText& d, int64_t scale) {
  if (d.digits == "0") {
    d.scale = scale;
    return true;
  }
  if (scale >= d.scale) {
    int64_t add = scale - d.scale;
    if (add + static_cast<int64_t>(d.digits.size()) > 4096) return false;
    d.digits.append(static_cast<size_t>(add), '0');
  } else {
    int64_t drop = d.scale - scale;
    if (drop >= static_cast<int64_t>(d.digits.size())) return false;  // non-zero digits lost
    for (size_t i = d.digits.size() - static_cast<size_t>(drop); i < d.digits.size(); ++i)
      if (d.digits[i] != '0') return false;
    d.digits.resize(d.digits.size() - static_cast<size_t>(drop));
  }
  d.scale = scale;
  return true;
}

std::string decimal_to_twos_complement(const DecimalText& d) {
  // Decimal digits -> little-endian 32-bit limbs.
  std::vector<uint32_t> limbs;
  const std::string& s = d.digits;
  size_t i = 0;
  size_t first = s.size() % 9;
  if (first == 0) first = 9;
  while (i < s.size()) {
    size_t len = i == 0 ? std::min(first, s.size()) : 9;
    uint32_t chunk = 0;
    for (size_t k = 0; k < len; ++k) chunk = chunk * 10 + static_cast<uint32_t>(s[i + k] - '0');
    uint32_t mul = 1;
    for (size_t k = 0; k < len; ++k) mul *= 10;
    uint64_t carry = chunk;
    for (auto& limb : limbs) {
      uint64_t cur = uint64_t{limb} * mul + carry;
      limb = static_cast<uint32_t>(cur);
      carry = cur >> 32;
    }
    if (carry) limbs.push_back(static_cast<uint32_t>(carry));
    i += len;
  }
  // Limbs -> big-endian magnitude with one leading zero byte for the sign.
  std::string bytes(1, '\0');
  for (size_t l = limbs.size(); l-- > 0;)
    for (int sh = 24; sh >= 0; sh -= 8) bytes.push_back(static_cast<char>((limbs[l] >> sh) & 0xFF));
  if (d.negative) {
    for (auto& c : bytes) c = static_cast<char>(~static_cast<unsigned char>(c));
    for (size_t k = bytes.size(); k-- > 0;) {
      auto c = static_cast<unsigned char>(bytes[k]);
      bytes[k] = static_cast<char>(c + 1);
      if (c != 0xFF) break;
    }
  }
  std::string_view m = minimal_twos_complement(bytes);
  return std::string(m);
}

bool decimal_to_int64(const DecimalText& d, int64_t& out) {
  if (d.digits.size() > 19) return false;
  uint64_t u = 0;
  auto r = std::from_chars(d.digits.data(), d.digits.data() + d.digits.size(), u);
  if (r.ec != std::errc()) return false;
  if (d.negative) {
    if (u > uint64_t{1} << 63) return false;
    out = static_cast<int64_t>(~u + 1);
  } else {
    if (u > static_cast<uint64_t>(INT64_MAX)) return false;
    out = static_cast<int64_t>(u);
  }
  return true;
}

int32_t decimal_scale(const api::Schema& schema) {
  const std::string* s = schema.parameter("scale");
  if (!s) throw DataException("Invalid Decimal schema: scale parameter not found.");
  int32_t v = 0;
  auto r = std::from_chars(s->data(), s->data() + s->size(), v);
  if (r.ec != std::errc() || r.ptr != s->data() + s->size())
    throw DataException("Invalid scale parameter found in Decimal schema: " + *s);
  return v;
}

// ---- Dates ---------------------------------------------------------------------------------

namespace {

struct Civil {
  int64_t year;
  int month, day, hour, minute, second, millis;
  int64_t days;  // since the epoch
};

Civil civil_from_ms(int64_t ms) {
  constexpr int64_t kDay = 86400000;
  int64_t days = ms / kDay;
  int64_t rem = ms % kDay;
  if (rem < 0) {
    rem += kDay;
    --days;
  }
  Civil c{};
  c.days = days;
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = y + (c.month <= 2);
  c.hour = static_cast<int>(rem / 3600000);
  c.minute = static_cast<int>(rem / 60000 % 60);
  c.second = static_cast<int>(rem / 1000 % 60);
  c.millis = static_cast<int>(rem % 1000);
  return c;
}

void append_padded(std::string& out, int64_t v, int width) {
  if (v < 0) {
    out.push_back('-');
    v = -v;
  }
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  int len = static_cast<int>(r.ptr - buf);
  if (len < width) out.append(static_cast<size_t>(width - len), '0');
  out.append(buf, r.ptr);
}

void append_time_of(std::string& out, const Civil& c) {
  append_padded(out, c.hour, 2);
  out.push_back(':');
  append_padded(out, c.minute, 2);
  out.push_back(':');
  append_padded(out, c.second, 2);
  out.push_back('.');
  append_padded(out, c.millis, 3);
  out.push_back('Z');
}

void append_date_of(std::string& out, const Civil& c) {
  append_padded(out, c.year, 4);
  out.push_back('-');
  append_padded(out, c.month, 2);
  out.push_back('-');
  append_padded(out, c.day, 2);
}

}  // namespace

bool days_from_civil(int64_t y, int m, int d, int64_t& days) {
  static constexpr int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int maxd = kMonthDays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d > maxd) return false;
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  days = era * 146097 + doe - 719468;
  return true;
}

void append_iso_date(std::string& out, int64_t ms) { append_date_of(out, civil_from_ms(ms)); }

void append_iso_time(std::string& out, int64_t ms) { append_time_of(out, civil_from_ms(ms)); }

void append_iso_timestamp(std::string& out, int64_t ms) {
  Civil c = civil_from_ms(ms);
  append_date_of(out, c);
  out.push_back('T');
  append_time_of(out, c);
}

void append_java_date(std::string& out, int64_t ms) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  Civil c = civil_from_ms(ms);
  int64_t wd = ((c.days % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday
  out.append(kDays[wd]);
  out.push_back(' ');
  out.append(kMonths[c.month - 1]);
  out.push_back(' ');
  append_padded(out, c.day, 2);
  out.push_back(' ');
  append_padded(out, c.hour, 2);
  out.push_back(':');
  append_padded(out, c.minute, 2);
  out.push_back(':');
  append_padded(out, c.second, 2);
  out.append(" UTC ");
  append_int(out, c.year);
}

// ---- UTF-8 ---------------------------------------------------------------------------------

namespace {
// Length of the valid UTF-8 sequence at s[i], or 0 with `consumed` set to the length of the
// maximal invalid subpart to replace.
size_t utf8_sequence(std::string_view s, size_t i, size_t& consumed) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c == 0xE0) {
    len = 3;
    lo = 0xA0;
  } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
    len = 3;
  } else if (c == 0xED) {
    len = 3;
    hi = 0x9F;
  } else if (c == 0xF0) {
    len = 4;
    lo = 0x90;
  } else if (c >= 0xF1 && c <= 0xF3) {
    len = 4;
  } else if (c == 0xF4) {
    len = 4;
    hi = 0x8F;
  } else {
    consumed = 1;
    return 0;
  }
  for (size_t k = 1; k < len; ++k) {
    if (i + k >= s.size()) {
      consumed = k;
      return 0;
    }
    auto b = static_cast<unsigned char>(s[i + k]);
    unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (b < l || b > h) {
      consumed = k;
      return 0;
    }
  }
  return len;
}
}  // namespace

bool is_valid_utf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    // ASCII fast path, 8 bytes at a time.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    size_t consumed = 0;
    size_t len = utf8_sequence(s, i, consumed);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t consumed = 0;
    size_t len = utf8_sequence(s, i, consumed);
    if (len) {
      out.append(s.data() + i, len);
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      i += consumed;
    }
  }
  return out;
}

// ---- Names ---------------------------------------------------------------------------------

const char* java_type_name(api::Type t) {
  using api::Type;
  switch (t) {
    case Type::Int8: return "INT8";
    case Type::Int16: return "INT16";
    case Type::Int32: return "INT32";
    case Type::Int64: return "INT64";
    case Type::Float32: return "FLOAT32";
    case Type::Float64: return "FLOAT64";
    case Type::Boolean: return "BOOLEAN";
    case Type::String: return "STRING";
    case Type::Bytes: return "BYTES";
    case Type::Array: return "ARRAY";
    case Type::Map: return "MAP";
    case Type::Struct: return "STRUCT";
  }
  return "UNKNOWN";
}

const char* java_class_name(api::Value::Kind k) {
  using K = api::Value::Kind;
  switch (k) {
    case K::Null: return "null";
    case K::Boolean: return "class java.lang.Boolean";
    case K::Int8: return "class java.lang.Byte";
    case K::Int16: return "class java.lang.Short";
    case K::Int32: return "class java.lang.Integer";
    case K::Int64: return "class java.lang.Long";
    case K::Float32: return "class java.lang.Float";
    case K::Float64: return "class java.lang.Double";
    case K::String: return "class java.lang.String";
    case K::Bytes: return "class [B";
    case K::Array: return "class java.util.ArrayList";
    case K::Map: return "class java.util.HashMap";
    case K::Struct: return "class org.apache.kafka.connect.data.Struct";
  }
  return "unknown";
}

}  // namespace sluice::converters::detail
