#pragma once
// Java regular expressions for the transformations (RegexRouter, TopicNameMatches,
// ByLogicalTableRouter), run by PCRE2.
//
// Plugins may not include the runtime, so this is the transformations' own small PCRE2 wrapper.
// It follows the same rules as runtime/config/java_regex.h, which every other user regex in
// the project goes through (tests/unit/plugins/transforms/regex_test.cc checks the two agree on
// a corpus): UTF-8 subjects; ASCII \d \w \s and POSIX classes; \p{Alpha}, \p{Digit}, ... with
// their Java (ASCII) meaning; \p{IsX} passed on as \p{X}; Java's line terminators; \Q...\E.
// Offsets are byte offsets into the UTF-8 subject.
//
// replace_first is java.util.regex.Matcher.replaceFirst: "$n" and "${name}" group references
// (a multi-digit reference takes as many digits as name an existing group), "\x" for a literal
// x, the text outside the first match kept.

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::transforms {

class Regex {
 public:
  static constexpr size_t npos = std::string_view::npos;
  // [begin, end) byte offsets per group, group 0 the whole match; npos for a group that took
  // no part.
  using Groups = std::vector<std::pair<size_t, size_t>>;

  // Null, with PCRE2's message and the offset in the pattern as written, for a bad pattern.
  static std::shared_ptr<const Regex> compile(std::string_view pattern, std::string& error);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Matcher.matches(): the whole subject.
  bool matches(std::string_view subject) const;
  // Matcher.find() from byte offset `start`, with the groups.
  bool find(std::string_view subject, size_t start, Groups& groups) const;
  size_t group_count() const { return groups_; }
  // The number of a named group, or -1.
  int group_number(std::string_view name) const;
  const std::string& pattern() const { return pattern_; }

  // Matcher.replaceFirst. Throws ReplacementError for a replacement Java refuses.
  std::string replace_first(std::string_view subject, std::string_view replacement) const;

 private:
  Regex() = default;
  struct Code;
  std::string pattern_;
  Code* anywhere_ = nullptr;
  Code* whole_ = nullptr;
  size_t groups_ = 0;
};

// What Matcher.appendReplacement throws: IllegalArgumentException or IndexOutOfBoundsException
// (java_class says which), with Java's message.
class ReplacementError : public std::runtime_error {
 public:
  ReplacementError(std::string java_class, const std::string& message)
      : std::runtime_error(message), java_class(std::move(java_class)) {}
  std::string java_class;
};

}  // namespace sluice::transforms
