#include "plugins/transforms/text.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace sluice::transforms::text {

using api::SchemaAndValue;
using api::SchemaBuilder;
using api::SchemaPtr;
using api::Type;
using api::Value;

// ---- base64 ------------------------------------------------------------------------------

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8) | uint8_t(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint32_t(uint8_t(in[i])) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// ---- Big integers as decimal digit strings -------------------------------------------------

namespace {

// The magnitude of a big-endian two's complement integer as decimal digits, and its sign.
std::string twos_to_digits(std::string_view twos, bool& negative) {
  std::vector<uint8_t> mag(twos.begin(), twos.end());
  negative = !mag.empty() && (mag[0] & 0x80);
  if (negative) {  // magnitude = ~x + 1
    for (auto& b : mag) b = static_cast<uint8_t>(~b);
    for (size_t i = mag.size(); i-- > 0;)
      if (++mag[i] != 0) break;
  }
  std::string digits;
  // Repeated division by 10^9 of the base-256 number.
  while (true) {
    size_t first = 0;
    while (first < mag.size() && mag[first] == 0) ++first;
    if (first == mag.size()) break;
    uint64_t rem = 0;
    for (size_t i = first; i < mag.size(); ++i) {
      uint64_t cur = (rem << 8) | mag[i];
      mag[i] = static_cast<uint8_t>(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    bool more = false;
    for (size_t i = first; i < mag.size(); ++i) more = more || mag[i] != 0;
    std::string chunk = std::to_string(rem);
    if (more) chunk.insert(0, 9 - chunk.size(), '0');
    digits.insert(0, chunk);
    if (!more) break;
  }
  if (digits.empty()) digits = "0";
  return digits;
}

// Decimal digits (no sign, no leading zeros needed) to minimal two's complement bytes.
std::string digits_to_twos(std::string_view digits, bool negative) {
  std::vector<uint8_t> mag;  // big-endian magnitude
  for (char c : digits) {
    uint32_t carry = static_cast<uint32_t>(c - '0');
    for (size_t i = mag.size(); i-- > 0;) {
      uint32_t cur = mag[i] * 10u + carry;
      mag[i] = static_cast<uint8_t>(cur & 0xff);
      carry = cur >> 8;
    }
    while (carry) {
      mag.insert(mag.begin(), static_cast<uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  while (!mag.empty() && mag[0] == 0) mag.erase(mag.begin());
  if (mag.empty()) return std::string(1, '\0');
  if (negative) {
    for (auto& b : mag) b = static_cast<uint8_t>(~b);
    for (size_t i = mag.size(); i-- > 0;)
      if (++mag[i] != 0) break;
    if (!(mag[0] & 0x80)) mag.insert(mag.begin(), 0xff);
    while (mag.size() > 1 && mag[0] == 0xff && (mag[1] & 0x80)) mag.erase(mag.begin());
  } else if (mag[0] & 0x80) {
    mag.insert(mag.begin(), 0);
  }
  return std::string(mag.begin(), mag.end());
}

}  // namespace

std::string big_decimal_string(std::string_view unscaled, int32_t scale) {
  bool negative = false;
  std::string coeff = twos_to_digits(unscaled, negative);
  std::string out = negative ? "-" : "";
  int64_t adjusted = -static_cast<int64_t>(scale) + static_cast<int64_t>(coeff.size()) - 1;
  if (scale >= 0 && adjusted >= -6) {
    if (scale == 0) return out + coeff;
    size_t s = static_cast<size_t>(scale);
    if (coeff.size() > s) return out + coeff.substr(0, coeff.size() - s) + "." + coeff.substr(coeff.size() - s);
    return out + "0." + std::string(s - coeff.size(), '0') + coeff;
  }
  out += coeff.substr(0, 1);
  if (coeff.size() > 1) out += "." + coeff.substr(1);
  if (adjusted != 0) {
    out += 'E';
    if (adjusted > 0) out += '+';
    out += std::to_string(adjusted);
  }
  return out;
}

void parse_big_decimal(std::string_view s, std::string& unscaled, int32_t& scale) {
  auto fail = [&]() -> void {
    throw NumberFormatError("Character array is missing \"exponent\" mark 'e' or 'E'.");
  };
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  std::string digits;
  int64_t frac = 0;
  bool dot = false, any = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
      any = true;
      if (dot) ++frac;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!any) fail();
  int64_t exp = 0;
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') fail();
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    if (i == s.size()) fail();
    for (; i < s.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) fail();
      exp = exp * 10 + (s[i] - '0');
      if (exp > std::numeric_limits<int32_t>::max()) fail();
    }
    if (eneg) exp = -exp;
  }
  int64_t sc = frac - exp;
  if (sc > std::numeric_limits<int32_t>::max() || sc < std::numeric_limits<int32_t>::min()) fail();
  size_t nz = digits.find_first_not_of('0');
  unscaled = digits_to_twos(nz == std::string::npos ? "0" : digits.substr(nz), negative);
  scale = static_cast<int32_t>(sc);
}

double big_decimal_double(std::string_view unscaled, int32_t scale) {
  bool negative = false;
  std::string digits = twos_to_digits(unscaled, negative);
  std::string text = (negative ? "-" : "") + digits + "E" + std::to_string(-static_cast<int64_t>(scale));
  return std::strtod(text.c_str(), nullptr);
}

int64_t big_decimal_long(std::string_view unscaled, int32_t scale) {
  bool negative = false;
  std::string digits = twos_to_digits(unscaled, negative);
  if (scale > 0) {
    size_t s = static_cast<size_t>(scale);
    digits = digits.size() > s ? digits.substr(0, digits.size() - s) : "0";
  } else if (scale < 0) {
    digits.append(std::min<size_t>(static_cast<size_t>(-static_cast<int64_t>(scale)), 100), '0');
  }
  uint64_t v = 0;
  for (char c : digits) v = v * 10u + static_cast<uint64_t>(c - '0');  // wraps: the low 64 bits
  return static_cast<int64_t>(negative ? ~v + 1 : v);
}

// ---- Numbers --------------------------------------------------------------------------------

int64_t parse_java_integer(std::string_view s, int64_t min, int64_t max) {
  auto fail = [&]() -> void {
    throw NumberFormatError("For input string: \"" + std::string(s) + "\"");
  };
  if (s.empty()) fail();
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    i = 1;
    if (s.size() == 1) fail();
  }
  __int128 v = 0;
  for (; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) fail();
    v = v * 10 + (s[i] - '0');
    if (v > static_cast<__int128>(max) + 1) fail();
  }
  if (negative) v = -v;
  if (v < min || v > max) fail();
  return static_cast<int64_t>(v);
}

double parse_java_double(std::string_view raw) {
  std::string_view s = raw;
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  auto fail = [&]() -> void { throw NumberFormatError("For input string: \"" + std::string(raw) + "\""); };
  if (s.empty()) fail();
  std::string t(s);
  bool neg = t[0] == '-';
  std::string body = (t[0] == '-' || t[0] == '+') ? t.substr(1) : t;
  if (body == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (body == "Infinity") return neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  if (!body.empty() && std::strchr("fFdD", body.back())) t.pop_back();
  // Decimal syntax only (Java also reads hex floats; nobody writes those in configs).
  for (char c : t)
    if (!std::isdigit(static_cast<unsigned char>(c)) && !std::strchr("+-.eE", c)) fail();
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(t.c_str(), &end);
  if (end == t.c_str() || *end != '\0') fail();
  return v;
}

// ---- Dates ---------------------------------------------------------------------------------

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard Hinnant's algorithms).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t& y, int64_t& m, int64_t& d) {
  z += 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

constexpr const char* kMonths[] = {"January", "February", "March", "April", "May", "June", "July",
                                   "August", "September", "October", "November", "December"};
constexpr const char* kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

std::string pad(int64_t v, int count) {
  bool neg = v < 0;
  std::string s = std::to_string(neg ? -v : v);
  if (static_cast<int>(s.size()) < count) s.insert(0, static_cast<size_t>(count) - s.size(), '0');
  return neg ? "-" + s : s;
}

bool is_numeric_letter(char c) { return std::strchr("yYuMLdDFHkKhmswWS", c) && c != 0; }

}  // namespace

DateFormat::DateFormat(std::string_view p) : pattern_(p) {
  static const std::string kLetters = "GyYuMLdDEFaHkKhmsSzZXwW";
  for (size_t i = 0; i < p.size();) {
    char c = p[i];
    if (c == '\'') {
      // '' is a quote; 'text' is literal text in which '' is a quote.
      if (i + 1 < p.size() && p[i + 1] == '\'') {
        tokens_.push_back({0, 0, "'"});
        i += 2;
        continue;
      }
      std::string lit;
      ++i;
      while (i < p.size()) {
        if (p[i] == '\'') {
          if (i + 1 < p.size() && p[i + 1] == '\'') {
            lit += '\'';
            i += 2;
            continue;
          }
          break;
        }
        lit += p[i++];
      }
      if (i >= p.size()) throw std::invalid_argument("Unterminated quote");
      ++i;
      tokens_.push_back({0, 0, lit});
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      if (kLetters.find(c) == std::string::npos)
        throw std::invalid_argument(std::string("Illegal pattern character '") + c + "'");
      int n = 0;
      while (i < p.size() && p[i] == c) ++n, ++i;
      tokens_.push_back({c, n, {}});
      continue;
    }
    if (!tokens_.empty() && tokens_.back().letter == 0) tokens_.back().literal += c;
    else tokens_.push_back({0, 0, std::string(1, c)});
    ++i;
  }
}

std::string DateFormat::format(int64_t ms) const {
  int64_t days = floor_div(ms, kMillisPerDay);
  int64_t in_day = ms - days * kMillisPerDay;
  int64_t y, m, d;
  civil_from_days(days, y, m, d);
  int64_t hour = in_day / 3600000, minute = in_day / 60000 % 60, second = in_day / 1000 % 60, milli = in_day % 1000;
  int64_t dow = ((days % 7) + 7 + 4) % 7;  // 0 = Sunday; the epoch was a Thursday
  int64_t doy = days - days_from_civil(y, 1, 1) + 1;
  int64_t jan1_dow = ((days_from_civil(y, 1, 1) % 7) + 7 + 4) % 7;
  std::string out;
  for (auto& t : tokens_) {
    int n = t.count;
    switch (t.letter) {
      case 0: out += t.literal; break;
      case 'G': out += y > 0 ? "AD" : "BC"; break;
      case 'y':
      case 'Y': {
        int64_t yy = y > 0 ? y : 1 - y;
        out += n == 2 ? pad(yy % 100, 2) : pad(yy, n);
        break;
      }
      case 'u': out += pad(dow == 0 ? 7 : dow, n); break;
      case 'M':
      case 'L':
        if (n >= 4) out += kMonths[m - 1];
        else if (n == 3) out += std::string(kMonths[m - 1]).substr(0, 3);
        else out += pad(m, n);
        break;
      case 'd': out += pad(d, n); break;
      case 'D': out += pad(doy, n); break;
      case 'F': out += pad((d - 1) / 7 + 1, n); break;
      case 'E': out += n >= 4 ? std::string(kDays[dow]) : std::string(kDays[dow]).substr(0, 3); break;
      case 'a': out += hour < 12 ? "AM" : "PM"; break;
      case 'H': out += pad(hour, n); break;
      case 'k': out += pad(hour == 0 ? 24 : hour, n); break;
      case 'K': out += pad(hour % 12, n); break;
      case 'h': out += pad(hour % 12 == 0 ? 12 : hour % 12, n); break;
      case 'm': out += pad(minute, n); break;
      case 's': out += pad(second, n); break;
      case 'S': out += pad(milli, n); break;
      case 'z': out += n >= 4 ? "Coordinated Universal Time" : "UTC"; break;
      case 'Z': out += "+0000"; break;
      case 'X': out += "Z"; break;
      case 'w': out += pad((doy - 1 + jan1_dow) / 7 + 1, n); break;
      case 'W': {
        int64_t first_dow = ((days - (d - 1)) % 7 + 7 + 4) % 7;
        out += pad((d - 1 + first_dow) / 7 + 1, n);
        break;
      }
      default: break;
    }
  }
  return out;
}

std::optional<int64_t> DateFormat::parse(std::string_view s) const {
  int64_t y = 1970, m = 1, d = 1, doy = -1, hour = 0, hour12 = -1, minute = 0, second = 0, milli = 0;
  int64_t offset_ms = 0;
  int pm = -1;
  bool bc = false;
  size_t pos = 0;
  auto starts_with_ci = [&](std::string_view word) {
    if (s.size() - pos < word.size()) return false;
    for (size_t i = 0; i < word.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(s[pos + i])) != std::tolower(static_cast<unsigned char>(word[i])))
        return false;
    return true;
  };
  auto read_number = [&](size_t max_digits, bool allow_sign, int64_t& out) {
    size_t start = pos;
    bool neg = false;
    if (allow_sign && pos < s.size() && (s[pos] == '-' || s[pos] == '+')) neg = s[pos++] == '-';
    size_t digits_start = pos;
    int64_t v = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])) && pos - digits_start < max_digits) {
      v = v * 10 + (s[pos++] - '0');
      if (v > 1000000000000LL) return false;
    }
    if (pos == digits_start) {
      pos = start;
      return false;
    }
    out = neg ? -v : v;
    return true;
  };
  auto read_name = [&](const char* const* names, size_t count, int64_t& out) {
    // The longest full or three-letter name that matches, as Java tries them.
    for (size_t i = 0; i < count; ++i)
      if (starts_with_ci(names[i])) {
        pos += std::string_view(names[i]).size();
        out = static_cast<int64_t>(i);
        return true;
      }
    for (size_t i = 0; i < count; ++i)
      if (starts_with_ci(std::string_view(names[i]).substr(0, 3))) {
        pos += 3;
        out = static_cast<int64_t>(i);
        return true;
      }
    return false;
  };
  for (size_t ti = 0; ti < tokens_.size(); ++ti) {
    const Token& t = tokens_[ti];
    if (t.letter == 0) {
      if (s.substr(pos, t.literal.size()) != t.literal) return std::nullopt;
      pos += t.literal.size();
      continue;
    }
    // A numeric field directly followed by another numeric one takes exactly its width.
    bool abutting = ti + 1 < tokens_.size() && tokens_[ti + 1].letter != 0 && is_numeric_letter(tokens_[ti + 1].letter);
    size_t width = abutting ? static_cast<size_t>(t.count) : 20;
    int64_t v = 0;
    switch (t.letter) {
      case 'G':
        if (starts_with_ci("AD")) pos += 2;
        else if (starts_with_ci("BC")) pos += 2, bc = true;
        else return std::nullopt;
        break;
      case 'y':
      case 'Y':
        if (!read_number(width, true, v)) return std::nullopt;
        y = v;
        break;
      case 'M':
      case 'L':
        if (t.count >= 3) {
          if (!read_name(kMonths, 12, v)) return std::nullopt;
          m = v + 1;
        } else {
          if (!read_number(width, false, v)) return std::nullopt;
          m = v;
        }
        break;
      case 'E':
        if (!read_name(kDays, 7, v)) return std::nullopt;
        break;
      case 'a':
        if (starts_with_ci("AM")) pos += 2, pm = 0;
        else if (starts_with_ci("PM")) pos += 2, pm = 1;
        else return std::nullopt;
        break;
      case 'z':
        if (starts_with_ci("UTC") || starts_with_ci("GMT")) pos += 3;
        else return std::nullopt;
        break;
      case 'Z':
      case 'X': {
        if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z') && t.letter == 'X') {
          ++pos;
          break;
        }
        if (pos >= s.size() || (s[pos] != '+' && s[pos] != '-')) return std::nullopt;
        bool neg = s[pos++] == '-';
        int64_t hh = 0, mm = 0;
        if (!read_number(2, false, hh)) return std::nullopt;
        if (pos < s.size() && s[pos] == ':') ++pos;
        read_number(2, false, mm);
        offset_ms = (neg ? -1 : 1) * (hh * 3600000 + mm * 60000);
        break;
      }
      default: {
        if (!read_number(width, false, v)) return std::nullopt;
        switch (t.letter) {
          case 'd': d = v; break;
          case 'D': doy = v; break;
          case 'H': hour = v; break;
          case 'k': hour = v == 24 ? 0 : v; break;
          case 'K': hour12 = v; break;
          case 'h': hour12 = v == 12 ? 0 : v; break;
          case 'm': minute = v; break;
          case 's': second = v; break;
          case 'S': milli = v; break;
          default: break;  // u F w W: read and ignored
        }
      }
    }
  }
  if (pos == 0 && !tokens_.empty()) return std::nullopt;
  if (bc) y = 1 - y;
  if (hour12 >= 0) hour = hour12 + (pm == 1 ? 12 : 0);
  else if (pm == 1 && hour < 12) hour += 12;
  // Lenient: out-of-range fields roll over into the next larger one.
  int64_t months = y * 12 + (m - 1);
  int64_t yy = floor_div(months, 12);
  int64_t mm = months - yy * 12 + 1;
  int64_t days = doy >= 0 ? days_from_civil(yy, 1, 1) + doy - 1 : days_from_civil(yy, mm, 1) + d - 1;
  return days * kMillisPerDay + hour * 3600000 + minute * 60000 + second * 1000 + milli - offset_ms;
}

std::string values_date_string(int64_t ms) {
  static const DateFormat time_format("HH:mm:ss.SSS'Z'");
  static const DateFormat date_format("yyyy-MM-dd");
  static const DateFormat timestamp_format("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
  if (ms < kMillisPerDay) return time_format.format(ms);
  if (ms % kMillisPerDay == 0) return date_format.format(ms);
  return timestamp_format.format(ms);
}

// ---- Values.parseString ----------------------------------------------------------------------

namespace {

struct Parser {
  std::string_view s;
  size_t pos = 0;
  void skip_ws() {
    while (pos < s.size() && static_cast<unsigned char>(s[pos]) <= ' ') ++pos;
  }
};

SchemaAndValue scalar(std::string_view token);

SchemaPtr common(const SchemaPtr& a, const SchemaPtr& b, bool first) {
  if (first) return b;
  if (!a || !b) return nullptr;
  return *a == *b ? a : nullptr;
}

// One element of an array or map: a quoted string, a nested array/map, or a bare token.
std::optional<SchemaAndValue> element(Parser& p, std::string_view stops) {
  p.skip_ws();
  if (p.pos >= p.s.size()) return std::nullopt;
  char c = p.s[p.pos];
  if (c == '"') {
    std::string out;
    ++p.pos;
    while (p.pos < p.s.size() && p.s[p.pos] != '"') {
      if (p.s[p.pos] == '\\' && p.pos + 1 < p.s.size()) ++p.pos;
      out += p.s[p.pos++];
    }
    if (p.pos >= p.s.size()) return std::nullopt;
    ++p.pos;
    return SchemaAndValue{api::schemas::string(), Value::string(std::move(out))};
  }
  if (c == '[' || c == '{') {
    size_t depth = 0, start = p.pos;
    bool quoted = false;
    for (; p.pos < p.s.size(); ++p.pos) {
      char x = p.s[p.pos];
      if (quoted) {
        if (x == '\\') ++p.pos;
        else if (x == '"') quoted = false;
      } else if (x == '"') {
        quoted = true;
      } else if (x == '[' || x == '{') {
        ++depth;
      } else if (x == ']' || x == '}') {
        if (--depth == 0) {
          ++p.pos;
          break;
        }
      }
    }
    if (depth != 0) return std::nullopt;
    SchemaAndValue nested = parse_values_string(p.s.substr(start, p.pos - start));
    return nested;
  }
  size_t start = p.pos;
  while (p.pos < p.s.size() && stops.find(p.s[p.pos]) == std::string_view::npos) ++p.pos;
  std::string_view token = p.s.substr(start, p.pos - start);
  while (!token.empty() && static_cast<unsigned char>(token.back()) <= ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return scalar(token);
}

std::optional<SchemaAndValue> parse_array(std::string_view text) {
  Parser p{text, 1};
  api::Array items;
  SchemaPtr elem;
  bool first = true;
  p.skip_ws();
  if (p.pos < text.size() && text[p.pos] == ']') {
    if (p.pos + 1 != text.size()) return std::nullopt;
    return SchemaAndValue{SchemaBuilder::array(api::schemas::of(Type::String, true)).build(), Value::array({})};
  }
  while (true) {
    auto e = element(p, ",]");
    if (!e) return std::nullopt;
    elem = common(elem, e->schema, first);
    first = false;
    items.push_back(std::move(e->value));
    p.skip_ws();
    if (p.pos >= text.size()) return std::nullopt;
    if (text[p.pos] == ',') { ++p.pos; continue; }
    if (text[p.pos] == ']') { ++p.pos; break; }
    return std::nullopt;
  }
  p.skip_ws();
  if (p.pos != text.size()) return std::nullopt;
  if (!elem) return SchemaAndValue{nullptr, Value::array(std::move(items))};
  return SchemaAndValue{SchemaBuilder::array(elem).build(), Value::array(std::move(items))};
}

std::optional<SchemaAndValue> parse_map(std::string_view text) {
  Parser p{text, 1};
  api::Map entries;
  SchemaPtr ks, vs;
  bool first = true;
  p.skip_ws();
  if (p.pos < text.size() && text[p.pos] == '}') {
    if (p.pos + 1 != text.size()) return std::nullopt;
    return SchemaAndValue{SchemaBuilder::map(api::schemas::of(Type::String, true), api::schemas::of(Type::String, true)).build(),
                          Value::map({})};
  }
  while (true) {
    auto k = element(p, ":");
    if (!k) return std::nullopt;
    p.skip_ws();
    if (p.pos >= text.size() || text[p.pos] != ':') return std::nullopt;
    ++p.pos;
    auto v = element(p, ",}");
    if (!v) return std::nullopt;
    ks = common(ks, k->schema, first);
    vs = common(vs, v->schema, first);
    first = false;
    entries.emplace_back(std::move(k->value), std::move(v->value));
    p.skip_ws();
    if (p.pos >= text.size()) return std::nullopt;
    if (text[p.pos] == ',') { ++p.pos; continue; }
    if (text[p.pos] == '}') { ++p.pos; break; }
    return std::nullopt;
  }
  p.skip_ws();
  if (p.pos != text.size()) return std::nullopt;
  if (!ks || !vs) return SchemaAndValue{nullptr, Value::map(std::move(entries))};
  return SchemaAndValue{SchemaBuilder::map(ks, vs).build(), Value::map(std::move(entries))};
}

std::optional<SchemaAndValue> temporal(std::string_view t) {
  static const DateFormat date("yyyy-MM-dd"), time("HH:mm:ss.SSS'Z'"), ts("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
  auto exact = [](const DateFormat& f, std::string_view text) -> std::optional<int64_t> {
    auto v = f.parse(text);
    if (v && f.format(*v) == text) return v;
    return std::nullopt;
  };
  if (t.size() == 10 && t[4] == '-' && t[7] == '-') {
    if (auto v = exact(date, t)) return SchemaAndValue{api::logical::date().build(), Value::int32(static_cast<int32_t>(*v / kMillisPerDay))};
  } else if (t.size() == 13 && t[2] == ':' && t.back() == 'Z') {
    if (auto v = exact(time, t)) return SchemaAndValue{api::logical::time().build(), Value::int32(static_cast<int32_t>(*v))};
  } else if (t.size() == 24 && t[10] == 'T' && t.back() == 'Z') {
    if (auto v = exact(ts, t)) return SchemaAndValue{api::logical::timestamp().build(), Value::int64(*v)};
  }
  return std::nullopt;
}

SchemaAndValue integer_value(int64_t v) {
  if (v >= -128 && v <= 127) return {api::schemas::int8(), Value::int8(static_cast<int8_t>(v))};
  if (v >= -32768 && v <= 32767) return {api::schemas::int16(), Value::int16(static_cast<int16_t>(v))};
  if (v >= INT32_MIN && v <= INT32_MAX) return {api::schemas::int32(), Value::int32(static_cast<int32_t>(v))};
  return {api::schemas::int64(), Value::int64(v)};
}

SchemaAndValue scalar(std::string_view t) {
  if (t == "null") return {nullptr, Value()};
  std::string lower;
  for (char c : t) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true") return {api::schemas::boolean(), Value::boolean(true)};
  if (lower == "false") return {api::schemas::boolean(), Value::boolean(false)};
  if (auto tv = temporal(t)) return *tv;
  // A number: BigDecimal syntax.
  bool numeric = !t.empty();
  for (size_t i = 0; i < t.size() && numeric; ++i) {
    char c = t[i];
    numeric = std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' ||
              ((c == '-' || c == '+') && (i == 0 || t[i - 1] == 'e' || t[i - 1] == 'E'));
  }
  if (numeric) {
    try {
      std::string unscaled;
      int32_t scale = 0;
      parse_big_decimal(t, unscaled, scale);
      // An exact integer is an integer, whatever its notation.
      std::string plain = big_decimal_string(unscaled, scale);
      double dv = big_decimal_double(unscaled, scale);
      bool integral = std::isfinite(dv) && dv == std::floor(dv);
      if (integral && std::fabs(dv) < 9.3e18) {
        int64_t lv = big_decimal_long(unscaled, scale);
        if (static_cast<double>(lv) == dv || scale <= 0) return integer_value(lv);
      }
      if (scale <= 0 && !(std::fabs(dv) < 9.3e18)) {
        return {api::logical::decimal(0).build(), Value::bytes(unscaled)};
      }
      float fv = static_cast<float>(dv);
      if (std::isfinite(fv) && static_cast<double>(fv) == dv) return {api::schemas::float32(), Value::float32(fv)};
      return {api::schemas::float64(), Value::float64(dv)};
    } catch (const NumberFormatError&) {
    }
  }
  return {api::schemas::string(), Value::string(std::string(t))};
}

}  // namespace

SchemaAndValue parse_values_string(std::string_view text) {
  if (text.empty()) return {api::schemas::string(), Value::string("")};
  std::string_view t = text;
  while (!t.empty() && static_cast<unsigned char>(t.front()) <= ' ') t.remove_prefix(1);
  while (!t.empty() && static_cast<unsigned char>(t.back()) <= ' ') t.remove_suffix(1);
  if (t.empty()) return {api::schemas::string(), Value::string(std::string(text))};
  if (t.front() == '[' && t.back() == ']')
    if (auto a = parse_array(t)) return *a;
  if (t.front() == '{' && t.back() == '}')
    if (auto m = parse_map(t)) return *m;
  if (t.find_first_of(" \t,[]{}:\"") == std::string_view::npos) return scalar(t);
  if (auto tv = temporal(t)) return *tv;
  return {api::schemas::string(), Value::string(std::string(text))};
}

}  // namespace sluice::transforms::text
