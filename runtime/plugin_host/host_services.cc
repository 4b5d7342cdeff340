#include "runtime/plugin_host/host_services.h"

#include <exception>
#include <utility>

#include "runtime/config/java_regex.h"

namespace sluice::plugin_host {

namespace {

class HostPattern final : public api::JavaPattern {
 public:
  explicit HostPattern(config::JavaRegex re) : re_(std::move(re)) {}
  bool matches(std::string_view subject) const override { return re_.matches(subject); }
  bool find(std::string_view subject, size_t start, Groups& groups) const override {
    groups.clear();
    auto m = re_.find_from(subject, start);
    if (!m) return false;
    groups = std::move(m->groups);
    // PCRE2 reports pairs only up to the highest group set; Java knows every group.
    groups.resize(re_.group_count() + 1, {npos, npos});
    return true;
  }
  size_t group_count() const override { return re_.group_count(); }
  int group_number(std::string_view name) const override { return re_.group_number(name); }
  const std::string& pattern() const override { return re_.pattern(); }

 private:
  config::JavaRegex re_;
};

api::JavaPatternPtr compile(std::string_view pattern, uint32_t flags, std::string* error) {
  try {
    uint32_t own = 0;
    if (flags & api::kRegexCaseInsensitive) own |= config::JavaRegex::kCaseInsensitive;
    auto re = config::JavaRegex::compile(pattern, own);
    if (!re) {
      if (error) *error = re.error().message;
      return nullptr;
    }
    return std::make_shared<HostPattern>(std::move(*re));
  } catch (const std::exception& e) {  // nothing may unwind into a plugin
    if (error) *error = e.what();
    return nullptr;
  } catch (...) {
    if (error) *error = "regex engine failure";
    return nullptr;
  }
}

}  // namespace

const sluice_host_services* host_services() {
  static const sluice_host_services services{sizeof(sluice_host_services), &compile};
  return &services;
}

void install_host_services() { api::set_host_services(host_services()); }

}  // namespace sluice::plugin_host
