#include "plugins/transforms/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <array>
#include <cctype>
#include <stdexcept>

namespace sluice::transforms {

struct Regex::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

namespace {

// Java's POSIX character classes (ASCII-only by default) and their PCRE2 [:name:] forms, which
// are ASCII-only too as long as PCRE2_UCP is off.
std::string_view posix_for(std::string_view java) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> table{{
      {"Lower", "lower"}, {"Upper", "upper"}, {"ASCII", "ascii"}, {"Alpha", "alpha"},
      {"Digit", "digit"}, {"Alnum", "alnum"}, {"Punct", "punct"}, {"Graph", "graph"},
      {"Print", "print"}, {"Blank", "blank"}, {"Cntrl", "cntrl"}, {"XDigit", "xdigit"},
      {"Space", "space"},
  }};
  for (auto& [j, p] : table)
    if (j == java) return p;
  return {};
}

// Rewrites the Java-only syntax for PCRE2. `where[i]` is the pattern offset output byte i came
// from, so errors point into the pattern the user wrote.
std::string to_pcre2(std::string_view p, std::vector<size_t>& where) {
  std::string out;
  auto emit = [&](std::string_view s, size_t from) {
    out.append(s);
    where.insert(where.end(), s.size(), from);
  };
  bool in_class = false;
  size_t class_body = 0;  // offset of the first member of the open class
  for (size_t i = 0; i < p.size();) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char e = p[i + 1];
      if (e == 'Q') {
        size_t end = p.find("\\E", i + 2);
        size_t stop = end == std::string_view::npos ? p.size() : end + 2;
        emit(p.substr(i, stop - i), i);
        i = stop;
        continue;
      }
      if ((e == 'p' || e == 'P') && i + 2 < p.size() && p[i + 2] == '{') {
        size_t close = p.find('}', i + 3);
        if (close != std::string_view::npos) {
          std::string_view name = p.substr(i + 3, close - i - 3);
          std::string_view posix = posix_for(name);
          if (!posix.empty()) {
            std::string cls = std::string(e == 'P' ? "[:^" : "[:") + std::string(posix) + ":]";
            emit(in_class ? cls : (e == 'P' ? "[^[:" : "[[:") + std::string(posix) + ":]]", i);
            i = close + 1;
            continue;
          }
          if (name.size() > 2 && name.substr(0, 2) == "Is") {
            emit(std::string("\\") + e + "{" + std::string(name.substr(2)) + "}", i);
            i = close + 1;
            continue;
          }
        }
      }
      emit(p.substr(i, 2), i);
      i += 2;
      continue;
    }
    if (!in_class && c == '[') {
      in_class = true;
      class_body = i + 1;
      if (class_body < p.size() && p[class_body] == '^') ++class_body;
    } else if (in_class && c == ']' && i != class_body) {
      in_class = false;
    }
    emit(p.substr(i, 1), i);
    ++i;
  }
  return out;
}

std::string message_for(int code) {
  std::array<PCRE2_UCHAR, 256> buf{};
  pcre2_get_error_message(code, buf.data(), buf.size());
  return reinterpret_cast<const char*>(buf.data());
}

struct MatchDataDeleter {
  void operator()(pcre2_match_data* m) const { pcre2_match_data_free(m); }
};
using MatchData = std::unique_ptr<pcre2_match_data, MatchDataDeleter>;

// Reused per thread: RegexRouter runs on every record, and a match needs no allocation.
pcre2_match_data* scratch(size_t pairs) {
  constexpr size_t kPairs = 64;
  thread_local MatchData md(pcre2_match_data_create(kPairs, nullptr));
  if (pairs <= kPairs) return md.get();
  return nullptr;
}

int run(const pcre2_code* code, std::string_view s, size_t start, pcre2_match_data* md) {
  return pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), start, 0, md, nullptr);
}

}  // namespace

Regex::~Regex() {
  delete anywhere_;
  delete whole_;
}

std::shared_ptr<const Regex> Regex::compile(std::string_view pattern, std::string& error) {
  std::vector<size_t> where;
  std::string translated = to_pcre2(pattern, where);
  std::unique_ptr<pcre2_compile_context, void (*)(pcre2_compile_context*)> ctx(
      pcre2_compile_context_create(nullptr), pcre2_compile_context_free);
  if (!ctx) {
    error = "out of memory";
    return nullptr;
  }
  pcre2_set_newline(ctx.get(), PCRE2_NEWLINE_ANY);  // Java's \n, \r\n, \r, U+0085, U+2028, U+2029
  std::shared_ptr<Regex> r(new Regex());
  r->pattern_ = std::string(pattern);
  r->anywhere_ = new Code();
  r->whole_ = new Code();
  for (auto [slot, extra] : {std::pair{r->anywhere_, 0u}, std::pair{r->whole_, PCRE2_ANCHORED | PCRE2_ENDANCHORED}}) {
    int code = 0;
    PCRE2_SIZE offset = 0;
    slot->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                               PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | extra, &code, &offset, ctx.get());
    if (!slot->code) {
      size_t at = offset < where.size() ? where[offset] : pattern.size();
      error = message_for(code) + " near index " + std::to_string(at) + "\n" + std::string(pattern);
      return nullptr;
    }
    pcre2_jit_compile(slot->code, PCRE2_JIT_COMPLETE);  // a speed-up only; the interpreter also works
  }
  uint32_t captures = 0;
  pcre2_pattern_info(r->anywhere_->code, PCRE2_INFO_CAPTURECOUNT, &captures);
  r->groups_ = captures;
  return r;
}

bool Regex::matches(std::string_view s) const {
  pcre2_match_data* md = scratch(1);
  return run(whole_->code, s, 0, md) >= 0;
}

bool Regex::find(std::string_view s, size_t start, Groups& groups) const {
  groups.clear();
  if (start > s.size()) return false;
  MatchData own;
  pcre2_match_data* md = scratch(groups_ + 1);
  if (!md) {
    own.reset(pcre2_match_data_create_from_pattern(anywhere_->code, nullptr));
    md = own.get();
  }
  if (!md || run(anywhere_->code, s, start, md) < 0) return false;
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  for (size_t g = 0; g <= groups_; ++g) {
    if (ov[2 * g] == PCRE2_UNSET) groups.emplace_back(npos, npos);
    else groups.emplace_back(ov[2 * g], ov[2 * g + 1]);
  }
  return true;
}

int Regex::group_number(std::string_view name) const {
  std::string n(name);
  int rc = pcre2_substring_number_from_name(anywhere_->code, reinterpret_cast<PCRE2_SPTR>(n.c_str()));
  return rc < 0 ? -1 : rc;
}

std::string Regex::replace_first(std::string_view subject, std::string_view replacement) const {
  Groups g;
  if (!find(subject, 0, g)) return std::string(subject);
  std::string out(subject.substr(0, g[0].first));
  auto append_group = [&](size_t n) {
    if (g[n].first != npos) out.append(subject.substr(g[n].first, g[n].second - g[n].first));
  };
  size_t i = 0;
  while (i < replacement.size()) {
    char c = replacement[i];
    if (c == '\\') {
      ++i;
      if (i == replacement.size())
        throw ReplacementError("IllegalArgumentException", "character to be escaped is missing");
      out.push_back(replacement[i++]);
    } else if (c == '$') {
      ++i;
      if (i == replacement.size())
        throw ReplacementError("IllegalArgumentException", "Illegal group reference: group index is missing");
      if (replacement[i] == '{') {
        ++i;
        size_t begin = i;
        while (i < replacement.size() && std::isalnum(static_cast<unsigned char>(replacement[i])) &&
               (i > begin || std::isalpha(static_cast<unsigned char>(replacement[i]))))
          ++i;
        if (i == begin)
          throw ReplacementError("IllegalArgumentException", "named capturing group has 0 length name");
        if (i == replacement.size() || replacement[i] != '}')
          throw ReplacementError("IllegalArgumentException", "named capturing group is missing trailing '}'");
        std::string_view name = replacement.substr(begin, i - begin);
        ++i;
        int n = group_number(name);
        if (n < 0)
          throw ReplacementError("IllegalArgumentException", "No group with name {" + std::string(name) + "}");
        append_group(static_cast<size_t>(n));
      } else {
        if (!std::isdigit(static_cast<unsigned char>(replacement[i])))
          throw ReplacementError("IllegalArgumentException", "Illegal group reference");
        size_t ref = static_cast<size_t>(replacement[i++] - '0');
        // More digits belong to the reference only while they still name an existing group.
        while (i < replacement.size() && std::isdigit(static_cast<unsigned char>(replacement[i]))) {
          size_t next = ref * 10 + static_cast<size_t>(replacement[i] - '0');
          if (next > groups_) break;
          ref = next;
          ++i;
        }
        if (ref > groups_) throw ReplacementError("IndexOutOfBoundsException", "No group " + std::to_string(ref));
        append_group(ref);
      }
    } else {
      out.push_back(c);
      ++i;
    }
  }
  out.append(subject.substr(g[0].second));
  return out;
}

}  // namespace sluice::transforms
