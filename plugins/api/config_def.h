#pragma once
// ConfigDef: one table per component declaring its settings. Validation (and, later, the REST
// validate endpoint and the reference docs) come from it. Field for field as Kafka's ConfigDef.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::api {

using Config = std::map<std::string, std::string>;

enum class ConfigType { Boolean, String, Int, Short, Long, Double, List, Class, Password };
enum class Importance { High, Medium, Low };
enum class Width { None, Short, Medium, Long };

const char* config_type_name(ConfigType t);  // "BOOLEAN", "STRING", ... as Kafka names them
const char* importance_name(Importance i);   // "HIGH", ...
const char* width_name(Width w);             // "NONE", ...

// Returns an error message for a bad value, or nothing. Called only for values that parse
// as the key's type.
using Validator = std::function<std::optional<std::string>(const std::string& name,
                                                            const std::string& value)>;

struct ConfigKey {
  std::string name;
  ConfigType type = ConfigType::String;
  std::optional<std::string> default_value;  // none: required, unless null_default
  bool null_default = false;                 // Java's null default: optional, no value
  Validator validator;
  Importance importance = Importance::Medium;
  std::string documentation;
  std::string group;
  int order_in_group = -1;
  Width width = Width::None;
  std::string display_name;
  std::vector<std::string> dependents;
  std::vector<std::string> recommended_values;
};

// The shape of Connect's ConfigInfos (REST validate response).
struct ConfigValueInfo {
  std::string name;
  std::optional<std::string> value;
  std::vector<std::string> recommended_values;
  std::vector<std::string> errors;
  bool visible = true;
};
struct ConfigInfo {
  ConfigKey definition;
  ConfigValueInfo value;
};
struct ConfigInfos {
  std::string name;
  int error_count = 0;
  std::vector<std::string> groups;
  std::vector<ConfigInfo> configs;
};

class ConfigDef {
 public:
  ConfigDef& define(ConfigKey key);
  ConfigDef& define(std::string name, ConfigType type, std::optional<std::string> default_value,
                    Importance importance, std::string doc, Validator validator = {});
  // Adds every key of another table (a component's table on top of a common one).
  ConfigDef& merge(const ConfigDef& other);

  const std::vector<ConfigKey>& keys() const { return keys_; }
  const ConfigKey* find(const std::string& name) const;

  // Checks every declared key of `config`: present when required, parses as its type, passes
  // its validator. Keys the table does not declare are passed over, as Connect does.
  ConfigInfos validate(const std::string& component_name, const Config& config) const;

  // The effective value: the configured one, else the default; nullopt when neither.
  std::optional<std::string> value(const Config& config, const std::string& name) const;

 private:
  std::vector<ConfigKey> keys_;
};

// Typed reads that throw std::invalid_argument with a message naming the key.
namespace config_value {
std::string get_string(const Config& c, const std::string& name, const std::string& fallback);
int64_t get_long(const Config& c, const std::string& name, int64_t fallback);
double get_double(const Config& c, const std::string& name, double fallback);
bool get_bool(const Config& c, const std::string& name, bool fallback);
std::vector<std::string> get_list(const Config& c, const std::string& name);
// Parse helpers returning an error message on failure.
std::optional<std::string> check_type(ConfigType t, const std::string& value);
std::vector<std::string> split_list(const std::string& value);
}  // namespace config_value

namespace validators {
Validator range(int64_t min, int64_t max);
Validator at_least(int64_t min);
Validator one_of(std::vector<std::string> allowed, bool case_insensitive = true);
Validator non_empty();
}  // namespace validators

}  // namespace sluice::api
