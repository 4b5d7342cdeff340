#pragma once
// Java regular expressions (java.util.regex syntax and semantics) for plugins.
//
// Plugins never carry a regex engine of their own: the host lends its engine (PCRE2 behind
// runtime/config/java_regex.h, with the dialect notes written there) through the plugin
// handshake (sluice_host_services in plugins/api/plugin.h). A plugin built against API 1.0, or
// code run outside a host that installed the service, gets a clear error from
// compile_java_regex instead of a pattern.
//
// Offsets are byte offsets into the UTF-8 subject. A compiled pattern is immutable: any thread
// may match with it.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::api {

// A compiled Java regular expression (java.util.regex.Pattern).
class JavaPattern {
 public:
  static constexpr size_t npos = std::string_view::npos;
  // [begin, end) byte offsets per group, group 0 the whole match; {npos, npos} for a group that
  // took no part.
  using Groups = std::vector<std::pair<size_t, size_t>>;

  virtual ~JavaPattern() = default;
  // Matcher.matches(): the whole subject.
  virtual bool matches(std::string_view subject) const = 0;
  // Matcher.find() from byte offset `start`, with the groups (cleared when nothing matches).
  virtual bool find(std::string_view subject, size_t start, Groups& groups) const = 0;
  virtual size_t group_count() const = 0;
  // The number of the named group (?<name>...), or -1.
  virtual int group_number(std::string_view name) const = 0;
  // The pattern as written.
  virtual const std::string& pattern() const = 0;
};

using JavaPatternPtr = std::shared_ptr<const JavaPattern>;

enum JavaRegexFlags : uint32_t {
  kRegexCaseInsensitive = 1,  // Pattern.CASE_INSENSITIVE (Debezium's include/exclude lists)
};

// Compiles `pattern`; on failure returns null and sets `error` (the engine's message and the
// offset in the pattern, or "no regex engine: the host did not provide one"). Never throws.
JavaPatternPtr compile_java_regex(std::string_view pattern, std::string& error, uint32_t flags = 0);

// Matcher.replaceFirst: the subject with its first match replaced; "$n" and "${name}" group
// references (a multi-digit reference takes as many digits as name an existing group), "\x"
// for a literal x; the subject unchanged when nothing matches. Throws ReplacementError for a
// replacement Java refuses.
std::string replace_first(const JavaPattern& p, std::string_view subject, std::string_view replacement);

// What Matcher.appendReplacement throws: IllegalArgumentException or IndexOutOfBoundsException
// (java_class says which), with Java's message.
class ReplacementError : public std::runtime_error {
 public:
  ReplacementError(std::string java_class, const std::string& message)
      : std::runtime_error(message), java_class(std::move(java_class)) {}
  std::string java_class;
};

}  // namespace sluice::api

// What the host lends a plugin, handed over once in the load handshake before the plugin's
// init runs. struct_size is sizeof as the host knows it: a plugin reads only the members that
// fit, so either side may be newer. Members may be null when the host does not offer them.
struct sluice_host_services {
  uint32_t struct_size;
  // compile_java_regex for plugins: never throws; null with *error set on failure.
  sluice::api::JavaPatternPtr (*compile_java_regex)(std::string_view pattern, uint32_t flags,
                                                    std::string* error);
};

namespace sluice::api {

// Installs the host's services into THIS copy of the plugin API (each plugin .so links its own,
// with hidden visibility). PluginBuilder hands the host this function through the descriptor;
// the host also calls it for its own copy, which the plugins linked into the binary share.
// Null (or a struct without a regex engine) removes the engine again.
void set_host_services(const sluice_host_services* services) noexcept;

}  // namespace sluice::api
