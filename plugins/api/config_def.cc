#include "plugins/api/config_def.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <limits>
#include <stdexcept>

namespace sluice::api {

const char* config_type_name(ConfigType t) {
  switch (t) {
    case ConfigType::Boolean: return "BOOLEAN";
    case ConfigType::String: return "STRING";
    case ConfigType::Int: return "INT";
    case ConfigType::Short: return "SHORT";
    case ConfigType::Long: return "LONG";
    case ConfigType::Double: return "DOUBLE";
    case ConfigType::List: return "LIST";
    case ConfigType::Class: return "CLASS";
    case ConfigType::Password: return "PASSWORD";
  }
  return "STRING";
}

const char* importance_name(Importance i) {
  switch (i) {
    case Importance::High: return "HIGH";
    case Importance::Medium: return "MEDIUM";
    case Importance::Low: return "LOW";
  }
  return "MEDIUM";
}

const char* width_name(Width w) {
  switch (w) {
    case Width::None: return "NONE";
    case Width::Short: return "SHORT";
    case Width::Medium: return "MEDIUM";
    case Width::Long: return "LONG";
  }
  return "NONE";
}

ConfigDef& ConfigDef::define(ConfigKey key) {
  auto it = std::find_if(keys_.begin(), keys_.end(),
                         [&](const ConfigKey& k) { return k.name == key.name; });
  if (it != keys_.end())
    *it = std::move(key);  // a later definition (a component's own) wins over a common one
  else
    keys_.push_back(std::move(key));
  return *this;
}

ConfigDef& ConfigDef::define(std::string name, ConfigType type,
                             std::optional<std::string> default_value, Importance importance,
                             std::string doc, Validator validator) {
  ConfigKey k;
  k.name = std::move(name);
  k.type = type;
  k.default_value = std::move(default_value);
  k.importance = importance;
  k.documentation = std::move(doc);
  k.validator = std::move(validator);
  return define(std::move(k));
}

ConfigDef& ConfigDef::merge(const ConfigDef& other) {
  for (auto& k : other.keys_) define(k);
  return *this;
}

const ConfigKey* ConfigDef::find(const std::string& name) const {
  for (auto& k : keys_)
    if (k.name == name) return &k;
  return nullptr;
}

std::optional<std::string> ConfigDef::value(const Config& config, const std::string& name) const {
  auto it = config.find(name);
  if (it != config.end()) return it->second;
  if (const ConfigKey* k = find(name)) return k->default_value;
  return std::nullopt;
}

ConfigInfos ConfigDef::validate(const std::string& component_name, const Config& config) const {
  ConfigInfos out;
  out.name = component_name;
  for (auto& key : keys_) {
    if (!key.group.empty() &&
        std::find(out.groups.begin(), out.groups.end(), key.group) == out.groups.end())
      out.groups.push_back(key.group);
    ConfigInfo info;
    info.definition = key;
    info.value.name = key.name;
    info.value.recommended_values = key.recommended_values;
    auto it = config.find(key.name);
    if (it != config.end()) {
      info.value.value = it->second;
    } else if (key.default_value) {
      info.value.value = key.default_value;
    }
    if (!info.value.value && key.null_default) {
      // optional and unset: nothing to check
    } else if (!info.value.value) {
      info.value.errors.push_back("Missing required configuration \"" + key.name +
                                  "\" which has no default value.");
    } else if (auto err = config_value::check_type(key.type, *info.value.value)) {
      info.value.errors.push_back("Invalid value " + *info.value.value + " for configuration " +
                                  key.name + ": " + *err);
    } else if (key.validator) {
      if (auto err = key.validator(key.name, *info.value.value))
        info.value.errors.push_back("Invalid value " + *info.value.value + " for configuration " +
                                    key.name + ": " + *err);
    }
    if (key.type == ConfigType::Password && info.value.value) info.value.value = "[hidden]";
    out.error_count += static_cast<int>(info.value.errors.size());
    out.configs.push_back(std::move(info));
  }
  return out;
}

namespace config_value {

static std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

static bool parse_long(const std::string& raw, int64_t& out) {
  std::string s = trim(raw);
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  out = v;
  return true;
}

static bool iequals(const std::string& a, const char* b) {
  size_t n = std::char_traits<char>::length(b);
  if (a.size() != n) return false;
  for (size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::optional<std::string> check_type(ConfigType t, const std::string& value) {
  int64_t v = 0;
  switch (t) {
    case ConfigType::Boolean:
      if (iequals(trim(value), "true") || iequals(trim(value), "false")) return std::nullopt;
      return "Expected value to be either true or false";
    case ConfigType::Int:
      if (parse_long(value, v) && v >= std::numeric_limits<int32_t>::min() &&
          v <= std::numeric_limits<int32_t>::max())
        return std::nullopt;
      return "Not a number of type INT";
    case ConfigType::Short:
      if (parse_long(value, v) && v >= -32768 && v <= 32767) return std::nullopt;
      return "Not a number of type SHORT";
    case ConfigType::Long:
      if (parse_long(value, v)) return std::nullopt;
      return "Not a number of type LONG";
    case ConfigType::Double: {
      std::string s = trim(value);
      char* end = nullptr;
      errno = 0;
      std::strtod(s.c_str(), &end);
      if (!s.empty() && *end == '\0' && errno == 0) return std::nullopt;
      return "Not a number of type DOUBLE";
    }
    default:
      return std::nullopt;
  }
}

std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> out;
  if (trim(value).empty()) return out;
  size_t start = 0;
  while (true) {
    size_t comma = value.find(',', start);
    out.push_back(trim(value.substr(start, comma == std::string::npos ? std::string::npos
                                                                       : comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string get_string(const Config& c, const std::string& name, const std::string& fallback) {
  auto it = c.find(name);
  return it == c.end() ? fallback : it->second;
}

int64_t get_long(const Config& c, const std::string& name, int64_t fallback) {
  auto it = c.find(name);
  if (it == c.end()) return fallback;
  int64_t v = 0;
  if (!parse_long(it->second, v))
    throw std::invalid_argument("Invalid value " + it->second + " for configuration " + name +
                                ": Not a number of type LONG");
  return v;
}

double get_double(const Config& c, const std::string& name, double fallback) {
  auto it = c.find(name);
  if (it == c.end()) return fallback;
  if (check_type(ConfigType::Double, it->second))
    throw std::invalid_argument("Invalid value " + it->second + " for configuration " + name +
                                ": Not a number of type DOUBLE");
  return std::strtod(trim(it->second).c_str(), nullptr);
}

bool get_bool(const Config& c, const std::string& name, bool fallback) {
  auto it = c.find(name);
  if (it == c.end()) return fallback;
  std::string s = trim(it->second);
  if (iequals(s, "true")) return true;
  if (iequals(s, "false")) return false;
  throw std::invalid_argument("Invalid value " + it->second + " for configuration " + name +
                              ": Expected value to be either true or false");
}

std::vector<std::string> get_list(const Config& c, const std::string& name) {
  auto it = c.find(name);
  return it == c.end() ? std::vector<std::string>{} : split_list(it->second);
}

}  // namespace config_value

namespace validators {

Validator range(int64_t min, int64_t max) {
  return [=](const std::string&, const std::string& value) -> std::optional<std::string> {
    int64_t v = std::strtoll(value.c_str(), nullptr, 10);
    if (v < min) return "Value must be at least " + std::to_string(min);
    if (v > max) return "Value must be no more than " + std::to_string(max);
    return std::nullopt;
  };
}

Validator at_least(int64_t min) { return range(min, std::numeric_limits<int64_t>::max()); }

Validator one_of(std::vector<std::string> allowed, bool case_insensitive) {
  return [allowed = std::move(allowed), case_insensitive](
             const std::string&, const std::string& value) -> std::optional<std::string> {
    for (auto& a : allowed) {
      if (a == value) return std::nullopt;
      if (case_insensitive && config_value::iequals(value, a.c_str())) return std::nullopt;
    }
    std::string list;
    for (auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    return "String must be one of: " + list;
  };
}

Validator non_empty() {
  return [](const std::string&, const std::string& value) -> std::optional<std::string> {
    if (config_value::trim(value).empty()) return "String must be non-empty";
    return std::nullopt;
  };
}

}  // namespace validators

}  // namespace sluice::api
