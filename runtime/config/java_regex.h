#pragma once
// Regular expressions that users write in Java syntax (RegexRouter, topics.regex, the
// EnvVar provider's allowlist, ...), run by PCRE2. Every user regex in the project goes
// through here, never std::regex, whose syntax and speed differ.
//
// Close to java.util.regex for what users actually write: UTF-8 subjects, ASCII-only \d \w
// \s and POSIX classes (Java's default), Java's line terminators for '.' and '$', and the
// Java POSIX classes \p{Alpha} \p{Digit} \p{Punct} ... with their Java (ASCII) meaning.
// \p{IsX} is passed to PCRE2 as \p{X}. Not supported: class intersection ([a-z&&[^e]]) and
// nested classes, Java-only names like \p{javaLowerCase} or blocks \p{InGreek} (a compile
// error), and (?i) folds Unicode case while Java folds ASCII only by default. Inline flags
// are PCRE2's: (?U) means ungreedy here, not Java's UNICODE_CHARACTER_CLASS.
// kCaseInsensitive is Pattern.CASE_INSENSITIVE (PCRE2_CASELESS; like (?i) it also folds
// non-ASCII letters, where Java folds ASCII only unless UNICODE_CASE is given too).
//
// Plugins reach this engine through plugins/api/regex.h: the host lends it to them
// (runtime/plugin_host/host_services.h), so the project has one Java-regex engine.
// Offsets are byte offsets into the UTF-8 subject.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/common/error.h"

namespace sluice::config {

// Where one match and its capture groups lie: [begin, end) byte offsets per group, group 0
// being the whole match; a group that took no part has begin == npos.
struct RegexMatch {
  static constexpr std::size_t npos = std::string_view::npos;
  std::vector<std::pair<std::size_t, std::size_t>> groups;

  std::size_t begin() const { return groups[0].first; }
  std::size_t end() const { return groups[0].second; }
  bool participated(std::size_t g) const { return g < groups.size() && groups[g].first != npos; }
  // The text of group g, or an empty view when it took no part.
  std::string_view group(std::string_view subject, std::size_t g) const;
};

class JavaRegex {
 public:
  enum Flags : std::uint32_t { kCaseInsensitive = 1 };

  // Errors carry PCRE2's message and the offset in the pattern as written.
  static Result<JavaRegex> compile(std::string_view pattern, std::uint32_t flags = 0);

  // Matcher.matches(): the whole subject must match.
  bool matches(std::string_view subject) const;
  // Matcher.find(): a match anywhere in the subject.
  bool find(std::string_view subject) const;

  // matches() with capture groups.
  std::optional<RegexMatch> match_whole(std::string_view subject) const;
  // The first match starting at or after byte offset `start`, with capture groups.
  std::optional<RegexMatch> find_from(std::string_view subject, std::size_t start = 0) const;

  const std::string& pattern() const;
  std::size_t group_count() const;
  // The number of the named group (?<name>...), or -1 when there is none.
  int group_number(std::string_view name) const;

 private:
  struct Compiled;
  explicit JavaRegex(std::shared_ptr<const Compiled> c) : compiled_(std::move(c)) {}
  // Immutable once compiled, so copies share it and any thread may match with it.
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace sluice::config
