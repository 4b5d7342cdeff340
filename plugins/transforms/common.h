#pragma once
// What the built-in transformations share: Connect's exception types, the key/value operand of
// the $Key/$Value variants, Requirements and SchemaUtil as Kafka's transforms use them, config
// reading with Connect's messages, and a small cache of derived schemas.
//
// Transformations throw; the plugin guard (plugins/api/plugin.h) turns a throw into a failed
// Status whose message is "<what>" (the Java exception's message, which is what Connect logs).

#include <cstddef>
#include <list>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "plugins/api/config_def.h"
#include "plugins/api/data.h"
#include "plugins/api/record.h"

namespace sluice::transforms {

inline constexpr const char* kVersion = "0.1.0";

// Derived schemas kept per transformation instance. Java keeps 16 per SMT and compares schemas
// by value; Sluice's converters cache by schema object, so a connector with many tables must
// not thrash this cache: 256 tables' worth.
inline constexpr size_t kSchemaCacheSize = 256;

// org.apache.kafka.connect.errors.DataException: data a transformation cannot handle.
class DataException : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// org.apache.kafka.common.config.ConfigException: a bad setting, thrown from configure().
class ConfigException : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  // Kafka's ConfigException(name, value, message) wording.
  ConfigException(const std::string& name, const std::string& value, const std::string& message)
      : std::runtime_error("Invalid value " + value + " for configuration " + name +
                           (message.empty() ? "" : ": " + message)) {}
};

// ---- The part of the record a $Key / $Value variant works on --------------------------------

enum class Operand { Key, Value };

template <Operand O>
struct Side {
  static api::SchemaPtr& schema(api::SourceRecord& r) {
    if constexpr (O == Operand::Key) return r.key_schema; else return r.value_schema;
  }
  static api::Value& value(api::SourceRecord& r) {
    if constexpr (O == Operand::Key) return r.key; else return r.value;
  }
  static const api::SchemaPtr& schema(const api::SourceRecord& r) {
    if constexpr (O == Operand::Key) return r.key_schema; else return r.value_schema;
  }
  static const api::Value& value(const api::SourceRecord& r) {
    if constexpr (O == Operand::Key) return r.key; else return r.value;
  }
};

// ---- Requirements (org.apache.kafka.connect.transforms.util.Requirements) -----------------

// Schema.Type's Java name: "INT32", "STRUCT", ...
const char* schema_type_name(api::Type t);

// The Java class Connect would see for a value, for error messages: "java.lang.String",
// "java.lang.Long", "org.apache.kafka.connect.data.Struct", "[B", "null", ...
std::string java_class_name(const api::Value& v);
// Class.toString(): "class java.lang.String"; "null" stays "null".
std::string java_class_string(const api::Value& v);

const api::Struct& require_struct(const api::Value& v, std::string_view purpose);
const api::Map& require_map(const api::Value& v, std::string_view purpose);
// Null passes (returns nullptr).
const api::Struct* require_struct_or_null(const api::Value& v, std::string_view purpose);
const api::Map* require_map_or_null(const api::Value& v, std::string_view purpose);
const api::Schema& require_schema(const api::SchemaPtr& s, std::string_view purpose);

// ---- Data access with Connect's semantics ---------------------------------------------------

// Struct.get(field): a null value reads as the field schema's default when it has one.
const api::Value& struct_get(const api::Struct& s, const api::Field& f);
// Struct.get (with_default) or Struct.getWithoutDefault.
const api::Value& struct_get(const api::Struct& s, const api::Field& f, bool with_default);
// By name; throws DataException "<name> is not a valid field name" as Struct.lookupField does.
const api::Value& struct_get(const api::Struct& s, std::string_view name, bool with_default = true);
// A schemaless map's entry by string key; nullptr when absent.
const api::Value* map_get(const api::Map& m, std::string_view key);
// Put (replace in place, or append) into a schemaless map.
void map_put(api::Map& m, std::string_view key, api::Value v);

// ConnectSchema.validateValue as Struct.put runs it: throws DataException with Connect's
// messages for a value of the wrong kind, a null for a required field, or a Struct whose schema
// differs from the field's.
void validate_value(const std::string* field, const api::Schema& schema, const api::Value& v);

// ---- SchemaUtil ------------------------------------------------------------------------------

// copySchemaBasics(source, builder): name, version, doc and parameters (not optional, not the
// default, not fields).
api::SchemaBuilder& copy_schema_basics(const api::Schema& source, api::SchemaBuilder& builder);
// copySchemaBasics(source): the same onto a builder of the source's type (a struct without
// fields, an array or map without element schemas).
api::SchemaBuilder copy_schema_basics(const api::Schema& source);

// ---- Config --------------------------------------------------------------------------------

// What Kafka's SimpleConfig does on construction: every declared key present when required,
// parsing as its type and passing its validator, else ConfigException with Connect's message.
void check_config(const api::ConfigDef& def, const api::Config& config);

// Java's String.split(String regex) for a one-character literal separator: trailing empty
// strings removed; an input without the separator is one element.
std::vector<std::string> java_split(std::string_view s, char sep);

// ConfigKey helpers for the tables.
api::ConfigKey config_key(std::string name, api::ConfigType type, std::optional<std::string> def,
                          api::Importance importance, std::string doc, api::Validator v = {});
// A key whose Java default is null: optional, no value.
api::ConfigKey null_default_key(std::string name, api::ConfigType type, api::Importance importance,
                                std::string doc, api::Validator v = {});
// KIP-1040's replace.null.with.default, as the 3.9 SMTs declare it.
api::ConfigKey replace_null_with_default_key();
// NonEmptyListValidator: "Empty list".
api::Validator non_empty_list();
// ConfigDef.NonEmptyString: "String must be non-empty".
api::Validator non_empty_string();
// ConfigDef.ValidString: "String must be one of: a, b" (exact match).
api::Validator valid_string(std::vector<std::string> allowed);
// ConfigDef.CaseInsensitiveValidString: "String must be one of (case insensitive): A, B".
api::Validator case_insensitive_valid_string(std::vector<std::string> allowed);
// A Java regex that compiles: "Invalid regex: <why>".
api::Validator regex_validator();

std::string get_string(const api::Config& c, const std::string& key, const std::string& fallback = "");
bool has_value(const api::Config& c, const std::string& key);

// ---- A bounded cache of derived schemas, keyed by the input schema object -------------------

// Transformations derive an output schema per input schema and reuse it: records of one table
// share one schema object, so the lookup is by pointer. The cache holds the input schema too,
// so a pointer is never reused while cached. Least recently used entries are dropped beyond
// `capacity`. One task thread uses a transformation, so there is no locking.
template <class Key = const api::Schema*>
class SchemaCache {
 public:
  explicit SchemaCache(size_t capacity = 64) : capacity_(capacity) {}

  const api::SchemaPtr* get(const Key& k) {
    auto it = map_.find(k);
    if (it == map_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->out;
  }
  const api::SchemaPtr& put(const Key& k, std::vector<api::SchemaPtr> keep_alive, api::SchemaPtr out) {
    if (auto it = map_.find(k); it != map_.end()) {
      order_.splice(order_.begin(), order_, it->second);
      return it->second->out = std::move(out);
    }
    order_.push_front(Entry{k, std::move(keep_alive), std::move(out)});
    map_[k] = order_.begin();
    if (map_.size() > capacity_) {
      map_.erase(order_.back().key);
      order_.pop_back();
    }
    return order_.front().out;
  }
  void clear() {
    map_.clear();
    order_.clear();
  }

 private:
  struct Entry {
    Key key;
    std::vector<api::SchemaPtr> keep_alive;
    api::SchemaPtr out;
  };
  struct Hash {
    size_t operator()(const Key& k) const {
      if constexpr (std::is_pointer_v<Key>) {
        return std::hash<Key>()(k);
      } else {
        return std::hash<const void*>()(k.first) * 31 + std::hash<const void*>()(k.second);
      }
    }
  };
  size_t capacity_;
  std::list<Entry> order_;
  std::unordered_map<Key, typename std::list<Entry>::iterator, Hash> map_;
};

using SchemaPair = std::pair<const api::Schema*, const api::Schema*>;

}  // namespace sluice::transforms
