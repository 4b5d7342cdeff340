#include "runtime/config/properties.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <system_error>

namespace sluice::config {

void Properties::set(std::string key, std::string value) {
  auto it = index_.find(key);
  if (it != index_.end()) {
    entries_[it->second].second = std::move(value);
    return;
  }
  index_.emplace(key, entries_.size());
  entries_.emplace_back(std::move(key), std::move(value));
}

std::optional<std::string> Properties::get(std::string_view key) const {
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  return entries_[it->second].second;
}

std::string Properties::get_or(std::string_view key, std::string_view fallback) const {
  auto it = index_.find(key);
  return it == index_.end() ? std::string(fallback) : entries_[it->second].second;
}

bool Properties::contains(std::string_view key) const { return index_.find(key) != index_.end(); }

std::map<std::string, std::string> Properties::to_map() const {
  return std::map<std::string, std::string>(entries_.begin(), entries_.end());
}

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

// One logical line: natural lines joined by continuations. `starts` remembers where each
// natural line's text begins so an error deep in a joined line reports the right line number.
struct LogicalLine {
  std::string text;
  std::vector<std::pair<std::size_t, int>> starts;  // (offset in text, natural line number)

  int line_at(std::size_t offset) const {
    int line = starts.empty() ? 0 : starts.front().second;
    for (const auto& [off, n] : starts) {
      if (off > offset) break;
      line = n;
    }
    return line;
  }
};

// Splits input into logical lines the way java.util.Properties' LineReader does.
class LineReader {
 public:
  explicit LineReader(std::string_view in) : in_(in) {}

  bool next(LogicalLine& out) {
    out.text.clear();
    out.starts.clear();
    bool skip_blank = true;  // dropping leading whitespace of a natural line
    bool continued = false;  // at the start of a line appended by a continuation
    bool backslash = false;  // an odd run of backslashes ends the text so far
    while (true) {
      if (pos_ >= in_.size()) {
        if (out.text.empty()) return false;
        if (backslash) out.text.pop_back();  // a continuation at end of input joins nothing
        return true;
      }
      char c = in_[pos_++];
      if (skip_blank) {
        if (is_blank(c)) continue;
        // Blank lines are skipped, but a continuation onto a blank line ends the logical line.
        if (!continued && (c == '\r' || c == '\n')) {
          end_natural_line(c);
          continue;
        }
        skip_blank = continued = false;
        if (out.text.empty()) out.starts.clear();
        out.starts.emplace_back(out.text.size(), line_);
      }
      // As in the JDK, a comment starts wherever nothing of the logical line is kept yet
      // (so also after a line holding only a continuation), and it never continues.
      if (out.text.empty() && (c == '#' || c == '!')) {
        skip_rest_of_line();
        skip_blank = true;
        continue;
      }
      if (c != '\r' && c != '\n') {
        out.text += c;
        backslash = (c == '\\') ? !backslash : false;
        continue;
      }
      // The JDK ends the logical line when the input ends right after this terminator's
      // first character, even if a continuation then leaves it empty (a key "").
      bool at_end = pos_ >= in_.size();
      end_natural_line(c);
      if (out.text.empty()) {
        skip_blank = true;
        continue;
      }
      if (at_end && backslash) out.text.pop_back();
      if (!backslash || at_end) return true;
      out.text.pop_back();
      skip_blank = continued = true;
      backslash = false;
    }
  }

 private:
  // Consumes a line terminator (\n, \r or \r\n) whose first character was c.
  void end_natural_line(char c) {
    if (c == '\r' && pos_ < in_.size() && in_[pos_] == '\n') ++pos_;
    ++line_;
  }

  void skip_rest_of_line() {
    while (pos_ < in_.size()) {
      char c = in_[pos_++];
      if (c == '\r' || c == '\n') {
        end_natural_line(c);
        return;
      }
    }
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::uint32_t kReplacement = 0xFFFD;

std::string where(std::string_view source, int line) {
  std::string s(source);
  if (!s.empty()) s += ", ";
  return s + "line " + std::to_string(line);
}

// Resolves escapes in line.text[begin, end). `what` names the part for error messages.
Result<std::string> unescape(const LogicalLine& line, std::size_t begin, std::size_t end,
                             std::string_view source, const std::string& what) {
  const std::string& t = line.text;
  std::string out;
  out.reserve(end - begin);
  // Java strings are UTF-16: a high surrogate escape waits for its low half.
  int pending_high = -1;
  auto flush_high = [&] {
    if (pending_high >= 0) append_utf8(out, kReplacement);
    pending_high = -1;
  };
  std::size_t i = begin;
  while (i < end) {
    char c = t[i];
    if (c != '\\') {
      flush_high();
      out += c;
      ++i;
      continue;
    }
    if (i + 1 >= end) {  // cannot happen after line joining; dropped like a continuation
      ++i;
      continue;
    }
    char e = t[i + 1];
    if (e != 'u') {
      flush_high();
      switch (e) {
        case 't': out += '\t'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 'f': out += '\f'; break;
        default: out += e; break;  // \\ \= \: \# \! \<space> and any other char stand for themselves
      }
      i += 2;
      continue;
    }
    std::uint32_t cp = 0;
    bool ok = i + 6 <= end;
    for (std::size_t k = i + 2; ok && k < i + 6; ++k) {
      int h = hex_value(t[k]);
      ok = h >= 0;
      cp = cp * 16 + static_cast<std::uint32_t>(h);
    }
    if (!ok) {
      std::string shown(t.substr(i, std::min<std::size_t>(6, end - i)));
      return Error::fatal(where(source, line.line_at(i)) + ": malformed \\uXXXX escape \"" + shown +
                              "\" in " + what + ": \\u must be followed by exactly four hex digits "
                              "(0-9, a-f, A-F); write a literal backslash as \\\\",
                          Stage::Config);
    }
    i += 6;
    if (pending_high >= 0 && cp >= 0xDC00 && cp <= 0xDFFF) {
      append_utf8(out, 0x10000 + ((static_cast<std::uint32_t>(pending_high) - 0xD800) << 10) +
                           (cp - 0xDC00));
      pending_high = -1;
      continue;
    }
    flush_high();
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      pending_high = static_cast<int>(cp);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      append_utf8(out, kReplacement);
    } else {
      append_utf8(out, cp);
    }
  }
  flush_high();
  return out;
}

}  // namespace

Result<Properties> parse_properties(std::string_view text, std::string_view source_name) {
  Properties props;
  LineReader reader(text);
  LogicalLine line;
  while (reader.next(line)) {
    const std::string& t = line.text;
    // The key ends at the first unescaped '=', ':' or whitespace.
    std::size_t key_end = 0;
    std::size_t value_begin = t.size();
    bool has_separator = false;
    bool backslash = false;
    for (; key_end < t.size(); ++key_end) {
      char c = t[key_end];
      if (!backslash && (c == '=' || c == ':')) {
        value_begin = key_end + 1;
        has_separator = true;
        break;
      }
      if (!backslash && is_blank(c)) {
        value_begin = key_end + 1;
        break;
      }
      backslash = (c == '\\') ? !backslash : false;
    }
    // Whitespace around the separator is skipped, and after whitespace one '=' or ':' too.
    for (; value_begin < t.size(); ++value_begin) {
      char c = t[value_begin];
      if (is_blank(c)) continue;
      if (!has_separator && (c == '=' || c == ':')) {
        has_separator = true;
        continue;
      }
      break;
    }
    auto key = unescape(line, 0, key_end, source_name, "a key");
    if (!key) return key.error();
    auto value = unescape(line, value_begin, t.size(), source_name,
                          "the value of key \"" + key.value() + "\"");
    if (!value) return value.error();
    props.set(std::move(key.value()), std::move(value.value()));
  }
  return props;
}

Result<Properties> load_properties_file(const std::string& path) {
  auto fail = [&](int err) {
    return Error::fatal("Could not read properties file \"" + path +
                            "\": " + std::error_code(err, std::generic_category()).message(),
                        Stage::Config);
  };
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return fail(errno);
  std::string text;
  char buf[8192];
  std::size_t n;
  errno = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  int err = std::ferror(f) ? (errno ? errno : EIO) : 0;  // a directory opens but fails here with EISDIR
  std::fclose(f);
  if (err) return fail(err);
  return parse_properties(text, path);
}

}  // namespace sluice::config
