#include "plugins/transforms/common.h"

#include <algorithm>
#include <cctype>

#include "plugins/api/regex.h"

namespace sluice::transforms {

using api::Schema;
using api::Type;
using api::Value;

namespace {
using VK = Value::Kind;

const char* upper_type_name(Type t) {
  switch (t) {
    case Type::Int8: return "INT8";
    case Type::Int16: return "INT16";
    case Type::Int32: return "INT32";
    case Type::Int64: return "INT64";
    case Type::Float32: return "FLOAT32";
    case Type::Float64: return "FLOAT64";
    case Type::Boolean: return "BOOLEAN";
    case Type::String: return "STRING";
    case Type::Bytes: return "BYTES";
    case Type::Array: return "ARRAY";
    case Type::Map: return "MAP";
    case Type::Struct: return "STRUCT";
  }
  return "UNKNOWN";
}

bool kind_fits(Type t, VK k) {
  switch (t) {
    case Type::Int8: return k == VK::Int8;
    case Type::Int16: return k == VK::Int16;
    case Type::Int32: return k == VK::Int32;
    case Type::Int64: return k == VK::Int64;
    case Type::Float32: return k == VK::Float32;
    case Type::Float64: return k == VK::Float64;
    case Type::Boolean: return k == VK::Boolean;
    case Type::String: return k == VK::String;
    case Type::Bytes: return k == VK::Bytes;
    case Type::Array: return k == VK::Array;
    case Type::Map: return k == VK::Map;
    case Type::Struct: return k == VK::Struct;
  }
  return false;
}

}  // namespace

const char* schema_type_name(Type t) { return upper_type_name(t); }

std::string java_class_name(const Value& v) {
  switch (v.kind()) {
    case VK::Null: return "null";
    case VK::Boolean: return "java.lang.Boolean";
    case VK::Int8: return "java.lang.Byte";
    case VK::Int16: return "java.lang.Short";
    case VK::Int32: return "java.lang.Integer";
    case VK::Int64: return "java.lang.Long";
    case VK::Float32: return "java.lang.Float";
    case VK::Float64: return "java.lang.Double";
    case VK::String: return "java.lang.String";
    case VK::Bytes: return "[B";
    case VK::Array: return "java.util.ArrayList";
    case VK::Map: return "java.util.HashMap";
    case VK::Struct: return "org.apache.kafka.connect.data.Struct";
  }
  return "java.lang.Object";
}

std::string java_class_string(const Value& v) {
  if (v.is_null()) return "null";
  return "class " + java_class_name(v);
}

const api::Struct& require_struct(const Value& v, std::string_view purpose) {
  if (v.kind() != VK::Struct)
    throw DataException("Only Struct objects supported for [" + std::string(purpose) + "], found: " +
                        java_class_name(v));
  return v.as_struct();
}

const api::Map& require_map(const Value& v, std::string_view purpose) {
  if (v.kind() != VK::Map)
    throw DataException("Only Map objects supported in absence of schema for [" + std::string(purpose) +
                        "], found: " + java_class_name(v));
  return v.as_map();
}

const api::Struct* require_struct_or_null(const Value& v, std::string_view purpose) {
  if (v.is_null()) return nullptr;
  return &require_struct(v, purpose);
}

const api::Map* require_map_or_null(const Value& v, std::string_view purpose) {
  if (v.is_null()) return nullptr;
  return &require_map(v, purpose);
}

const Schema& require_schema(const api::SchemaPtr& s, std::string_view purpose) {
  if (!s) throw DataException("Schema required for [" + std::string(purpose) + "]");
  return *s;
}

const Value& struct_get(const api::Struct& s, const api::Field& f) {
  const Value& v = s.get(f.index);
  if (v.is_null() && f.schema && f.schema->default_value()) return *f.schema->default_value();
  return v;
}

const Value& struct_get(const api::Struct& s, const api::Field& f, bool with_default) {
  return with_default ? struct_get(s, f) : s.get(f.index);
}

const Value& struct_get(const api::Struct& s, std::string_view name, bool with_default) {
  const api::Field* f = s.schema()->field(name);
  if (!f) throw DataException(std::string(name) + " is not a valid field name");
  return struct_get(s, *f, with_default);
}

const Value* map_get(const api::Map& m, std::string_view key) {
  for (auto& [k, v] : m)
    if (k.kind() == VK::String && k.as_string() == key) return &v;
  return nullptr;
}

void map_put(api::Map& m, std::string_view key, Value v) {
  for (auto& [k, old] : m)
    if (k.kind() == VK::String && k.as_string() == key) {
      old = std::move(v);
      return;
    }
  m.emplace_back(Value::string(std::string(key)), std::move(v));
}

static void validate_in(const Schema& schema, const Value& v, const std::string& location) {
  if (v.is_null()) {
    if (!schema.optional())
      throw DataException("Invalid value: null used for required " + location + ", schema type: " +
                          upper_type_name(schema.type()));
    return;
  }
  if (!kind_fits(schema.type(), v.kind())) {
    std::string msg = "Invalid Java object for schema";
    if (!schema.name().empty()) msg += " \"" + schema.name() + "\"";
    msg += std::string(" with type ") + upper_type_name(schema.type()) + ": " + java_class_string(v) +
           " for " + location;
    throw DataException(msg);
  }
  switch (schema.type()) {
    case Type::Struct:
      if (v.as_struct().schema().get() != &schema && !(*v.as_struct().schema() == schema))
        throw DataException("Struct schemas do not match.");
      break;
    case Type::Array:
      if (schema.value_schema())
        for (auto& e : v.as_array()) validate_in(*schema.value_schema(), e, "element of array " + location);
      break;
    case Type::Map:
      if (schema.key_schema() && schema.value_schema())
        for (auto& [k, e] : v.as_map()) {
          validate_in(*schema.key_schema(), k, "key of map " + location);
          validate_in(*schema.value_schema(), e, "value of map " + location);
        }
      break;
    default:
      break;
  }
}

void validate_value(const std::string* field, const Schema& schema, const Value& v) {
  // The common case first: a primitive of the right kind needs no message built.
  if (!v.is_null() && is_primitive(schema.type()) && kind_fits(schema.type(), v.kind())) return;
  validate_in(schema, v, field ? "field: \"" + *field + "\"" : std::string("value"));
}

api::SchemaBuilder& copy_schema_basics(const Schema& source, api::SchemaBuilder& builder) {
  if (!source.name().empty()) builder.name(source.name());
  if (source.version()) builder.version(*source.version());
  if (source.doc()) builder.doc(*source.doc());
  for (auto& [k, v] : source.parameters()) builder.parameter(k, v);
  return builder;
}

api::SchemaBuilder copy_schema_basics(const Schema& source) {
  // As Java's: an array keeps its element schema, a map gets neither (Flatten, its only user
  // with maps, refuses them anyway).
  api::SchemaBuilder b = source.type() == Type::Array ? api::SchemaBuilder::array(source.value_schema())
                         : source.type() == Type::Map ? api::SchemaBuilder::map(nullptr, nullptr)
                                                      : api::SchemaBuilder(source.type());
  copy_schema_basics(source, b);
  return b;
}

void check_config(const api::ConfigDef& def, const api::Config& config) {
  api::ConfigInfos infos = def.validate("", config);
  for (auto& c : infos.configs)
    if (!c.value.errors.empty()) throw ConfigException(c.value.errors.front());
}

std::vector<std::string> java_split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    if (at == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      break;
    }
    out.emplace_back(s.substr(start, at - start));
    start = at + 1;
  }
  if (out.size() == 1) return out;  // no separator: the input itself, even when empty
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

api::ConfigKey config_key(std::string name, api::ConfigType type, std::optional<std::string> def,
                          api::Importance importance, std::string doc, api::Validator v) {
  api::ConfigKey k;
  k.name = std::move(name);
  k.type = type;
  k.default_value = std::move(def);
  k.importance = importance;
  k.documentation = std::move(doc);
  k.validator = std::move(v);
  return k;
}

api::ConfigKey null_default_key(std::string name, api::ConfigType type, api::Importance importance,
                                std::string doc, api::Validator v) {
  api::ConfigKey k = config_key(std::move(name), type, std::nullopt, importance, std::move(doc), std::move(v));
  k.null_default = true;
  return k;
}

api::ConfigKey replace_null_with_default_key() {
  return config_key("replace.null.with.default", api::ConfigType::Boolean, "true", api::Importance::Medium,
                    "Whether to replace fields that have a default value and that are null to the default "
                    "value. When set to true, the default value is used, otherwise null is used.");
}

api::Validator non_empty_list() {
  return [](const std::string&, const std::string& value) -> std::optional<std::string> {
    if (api::config_value::split_list(value).empty()) return "Empty list";
    return std::nullopt;
  };
}

api::Validator non_empty_string() {
  return [](const std::string&, const std::string& value) -> std::optional<std::string> {
    if (value.empty()) return "String must be non-empty";
    return std::nullopt;
  };
}

static std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

api::Validator valid_string(std::vector<std::string> allowed) {
  return [allowed = std::move(allowed)](const std::string&, const std::string& value) -> std::optional<std::string> {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return std::nullopt;
    return "String must be one of: " + join(allowed);
  };
}

api::Validator case_insensitive_valid_string(std::vector<std::string> allowed) {
  return [allowed = std::move(allowed)](const std::string&, const std::string& value) -> std::optional<std::string> {
    for (auto& a : allowed) {
      if (a.size() != value.size()) continue;
      bool same = true;
      for (size_t i = 0; i < a.size() && same; ++i)
        same = std::toupper(static_cast<unsigned char>(a[i])) == std::toupper(static_cast<unsigned char>(value[i]));
      if (same) return std::nullopt;
    }
    return "String must be one of (case insensitive): " + join(allowed);
  };
}

api::Validator regex_validator() {
  return [](const std::string&, const std::string& value) -> std::optional<std::string> {
    std::string error;
    if (api::compile_java_regex(value, error)) return std::nullopt;
    return "Invalid regex: " + error;
  };
}

std::string get_string(const api::Config& c, const std::string& key, const std::string& fallback) {
  auto it = c.find(key);
  return it == c.end() ? fallback : it->second;
}

bool has_value(const api::Config& c, const std::string& key) { return c.count(key) > 0; }

}  // namespace sluice::transforms
