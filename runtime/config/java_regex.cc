#include "runtime/config/java_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <array>

namespace sluice::config {

struct JavaRegex::Compiled {
  std::string pattern;
  pcre2_code* anywhere = nullptr;  // for find()
  pcre2_code* whole = nullptr;     // compiled anchored at both ends, for matches()
  std::size_t groups = 0;

  ~Compiled() {
    pcre2_code_free(anywhere);
    pcre2_code_free(whole);
  }
};

namespace {

// Java's POSIX classes are ASCII-only by default. PCRE2's [:name:] classes are ASCII-only
// too (we never set PCRE2_UCP), whereas PCRE2's own \p{Alpha} would mean Unicode Alphabetic.
constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kPosixNames{{
    {"Lower", "lower"}, {"Upper", "upper"}, {"ASCII", "ascii"}, {"Alpha", "alpha"},
    {"Digit", "digit"}, {"Alnum", "alnum"}, {"Punct", "punct"}, {"Graph", "graph"},
    {"Print", "print"}, {"Blank", "blank"}, {"Cntrl", "cntrl"}, {"XDigit", "xdigit"},
    {"Space", "space"},
}};

std::string_view posix_name(std::string_view java_name) {
  for (const auto& [java, posix] : kPosixNames) {
    if (java == java_name) return posix;
  }
  return {};
}

// The pattern rewritten for PCRE2, and for each output byte the pattern offset it came
// from, so PCRE2's error offsets can be reported against what the user wrote.
struct Translated {
  std::string text;
  std::vector<std::size_t> origin;

  void add(std::string_view s, std::size_t from) {
    text += s;
    origin.insert(origin.end(), s.size(), from);
  }
};

Translated translate(std::string_view p) {
  Translated out;
  bool in_class = false;
  std::size_t class_start = 0;  // where the class's members begin, for a leading ']'
  std::size_t i = 0;
  while (i < p.size()) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char e = p[i + 1];
      if (e == 'Q') {  // \Q...\E is literal text: copy it untouched
        std::size_t stop = p.find("\\E", i + 2);
        std::size_t until = stop == std::string_view::npos ? p.size() : stop + 2;
        for (; i < until; ++i) out.add(p.substr(i, 1), i);
        continue;
      }
      std::size_t close = std::string_view::npos;
      if ((e == 'p' || e == 'P') && i + 2 < p.size() && p[i + 2] == '{') close = p.find('}', i + 3);
      if (close != std::string_view::npos) {
        std::string_view name = p.substr(i + 3, close - (i + 3));
        bool negated = e == 'P';
        if (auto posix = posix_name(name); !posix.empty()) {
          // Inside a class: [:alpha:] or [:^alpha:]; alone: [[:alpha:]] or [^[:alpha:]].
          std::string name_part = std::string(posix) + ":]";
          if (in_class) {
            out.add((negated ? "[:^" : "[:") + name_part, i);
          } else {
            out.add((negated ? "[^[:" : "[[:") + name_part + "]", i);
          }
          i = close + 1;
          continue;
        }
        if (name.size() > 2 && name.substr(0, 2) == "Is") {
          out.add(std::string("\\") + e + "{" + std::string(name.substr(2)) + "}", i);
          i = close + 1;
          continue;
        }
      }
      out.add(p.substr(i, 2), i);  // any other escape, so an escaped '[' or ']' is not a class edge
      i += 2;
      continue;
    }
    if (!in_class && c == '[') {
      in_class = true;
      class_start = i + 1;
      if (class_start < p.size() && p[class_start] == '^') ++class_start;
    } else if (in_class && c == ']' && i != class_start) {
      in_class = false;
    }
    out.add(p.substr(i, 1), i);
    ++i;
  }
  return out;
}

std::string pcre2_message(int code) {
  std::array<PCRE2_UCHAR, 256> buf{};
  pcre2_get_error_message(code, buf.data(), buf.size());
  return reinterpret_cast<const char*>(buf.data());
}

struct ContextFree {
  void operator()(pcre2_compile_context* c) const { pcre2_compile_context_free(c); }
};
struct MatchDataFree {
  void operator()(pcre2_match_data* m) const { pcre2_match_data_free(m); }
};
using MatchData = std::unique_ptr<pcre2_match_data, MatchDataFree>;

int run(const pcre2_code* code, std::string_view subject, std::size_t start, pcre2_match_data* md) {
  return pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), start, 0,
                     md, nullptr);
}

// For yes/no questions the match position is not needed: one ovector pair per thread,
// reused, keeps the hot path (RegexRouter on every record) free of allocations.
bool test(const pcre2_code* code, std::string_view subject) {
  thread_local MatchData md(pcre2_match_data_create(1, nullptr));
  return md && run(code, subject, 0, md.get()) >= 0;  // 0 = matched, ovector too small
}

std::optional<RegexMatch> match_with_groups(const pcre2_code* code, std::string_view subject,
                                            std::size_t start) {
  if (start > subject.size()) return std::nullopt;
  MatchData md(pcre2_match_data_create_from_pattern(code, nullptr));
  if (!md || run(code, subject, start, md.get()) < 0) return std::nullopt;
  std::uint32_t pairs = pcre2_get_ovector_count(md.get());
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md.get());
  RegexMatch m;
  for (std::uint32_t g = 0; g < pairs; ++g) {
    if (ov[2 * g] == PCRE2_UNSET) {
      m.groups.emplace_back(RegexMatch::npos, RegexMatch::npos);
    } else {
      m.groups.emplace_back(ov[2 * g], ov[2 * g + 1]);
    }
  }
  return m;
}

}  // namespace

std::string_view RegexMatch::group(std::string_view subject, std::size_t g) const {
  if (!participated(g)) return {};
  return subject.substr(groups[g].first, groups[g].second - groups[g].first);
}

Result<JavaRegex> JavaRegex::compile(std::string_view pattern, std::uint32_t flags) {
  Translated t = translate(pattern);
  std::unique_ptr<pcre2_compile_context, ContextFree> ctx(pcre2_compile_context_create(nullptr));
  if (!ctx) return Error::fatal("out of memory compiling regex", Stage::Config);
  // Java ends lines at \n, \r\n, \r, U+0085, U+2028 and U+2029: exactly PCRE2's "any".
  pcre2_set_newline(ctx.get(), PCRE2_NEWLINE_ANY);
  // MATCH_INVALID_UTF: a subject that is not valid UTF-8 simply fails to match where it is
  // broken instead of making every match an error.
  const std::uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
                                ((flags & kCaseInsensitive) ? PCRE2_CASELESS : 0u);

  auto c = std::make_shared<Compiled>();
  c->pattern = std::string(pattern);
  const std::uint32_t whole_match = PCRE2_ANCHORED | PCRE2_ENDANCHORED;
  for (auto [slot, extra] : {std::pair{&c->anywhere, 0u}, std::pair{&c->whole, whole_match}}) {
    int code = 0;
    PCRE2_SIZE offset = 0;
    *slot = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(t.text.data()), t.text.size(),
                          options | extra, &code, &offset, ctx.get());
    if (!*slot) {
      std::size_t at = offset < t.origin.size() ? t.origin[offset] : pattern.size();
      return Error::fatal("invalid regular expression \"" + c->pattern + "\": " +
                              pcre2_message(code) + " at offset " + std::to_string(at),
                          Stage::Config);
    }
    // JIT is only a speed-up; without it (unsupported platform) the interpreter runs.
    pcre2_jit_compile(*slot, PCRE2_JIT_COMPLETE);
  }
  std::uint32_t captures = 0;
  pcre2_pattern_info(c->anywhere, PCRE2_INFO_CAPTURECOUNT, &captures);
  c->groups = captures;
  return JavaRegex(std::move(c));
}

bool JavaRegex::matches(std::string_view subject) const { return test(compiled_->whole, subject); }

bool JavaRegex::find(std::string_view subject) const { return test(compiled_->anywhere, subject); }

std::optional<RegexMatch> JavaRegex::match_whole(std::string_view subject) const {
  return match_with_groups(compiled_->whole, subject, 0);
}

std::optional<RegexMatch> JavaRegex::find_from(std::string_view subject, std::size_t start) const {
  return match_with_groups(compiled_->anywhere, subject, start);
}

const std::string& JavaRegex::pattern() const { return compiled_->pattern; }

std::size_t JavaRegex::group_count() const { return compiled_->groups; }

int JavaRegex::group_number(std::string_view name) const {
  std::string n(name);  // PCRE2 wants a NUL-terminated name
  int rc = pcre2_substring_number_from_name(compiled_->anywhere,
                                            reinterpret_cast<PCRE2_SPTR>(n.c_str()));
  return rc < 0 ? -1 : rc;
}

}  // namespace sluice::config
