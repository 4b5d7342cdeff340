#include "plugins/api/regex.h"

#include <atomic>
#include <cctype>
#include <cstring>

namespace sluice::api {

namespace {

using CompileFn = JavaPatternPtr (*)(std::string_view, uint32_t, std::string*);

// This copy of the API's engine: set by the host in the handshake, null until then.
std::atomic<CompileFn> g_compile{nullptr};

}  // namespace

void set_host_services(const sluice_host_services* services) noexcept {
  CompileFn fn = nullptr;
  if (services && services->struct_size >= offsetof(sluice_host_services, compile_java_regex) +
                                               sizeof(services->compile_java_regex))
    fn = services->compile_java_regex;
  g_compile.store(fn, std::memory_order_release);
}

JavaPatternPtr compile_java_regex(std::string_view pattern, std::string& error, uint32_t flags) {
  CompileFn fn = g_compile.load(std::memory_order_acquire);
  if (!fn) {
    error = "no regex engine: the host did not provide one";
    return nullptr;
  }
  error.clear();
  JavaPatternPtr p = fn(pattern, flags, &error);
  if (!p && error.empty()) error = "invalid regular expression \"" + std::string(pattern) + "\"";
  return p;
}

std::string replace_first(const JavaPattern& p, std::string_view subject, std::string_view replacement) {
  JavaPattern::Groups g;
  if (!p.find(subject, 0, g)) return std::string(subject);
  const size_t groups = p.group_count();
  std::string out(subject.substr(0, g[0].first));
  auto append_group = [&](size_t n) {
    if (n < g.size() && g[n].first != JavaPattern::npos)
      out.append(subject.substr(g[n].first, g[n].second - g[n].first));
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
        int n = p.group_number(name);
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
          if (next > groups) break;
          ref = next;
          ++i;
        }
        if (ref > groups) throw ReplacementError("IndexOutOfBoundsException", "No group " + std::to_string(ref));
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

}  // namespace sluice::api
