// Kafka's field transformations: InsertField, ReplaceField, MaskField, ValueToKey, ExtractField,
// HoistField, Flatten and SetSchemaMetadata, each as in connect-transforms 3.9 (KIP-1040's
// replace.null.with.default included). $Key/$Value variants are one template over the operand.

#include <set>
#include <unordered_map>

#include "plugins/api/plugin.h"
#include "plugins/transforms/common.h"
#include "plugins/transforms/text.h"
#include "plugins/transforms/transforms.h"

namespace sluice::transforms {
namespace {

using api::Config;
using api::ConfigDef;
using api::ConfigType;
using api::Importance;
using api::Schema;
using api::SchemaBuilder;
using api::SchemaPtr;
using api::SourceRecord;
using api::Struct;
using api::Type;
using api::Value;
using VK = Value::Kind;
namespace cv = api::config_value;

class Base : public api::Transformation {
 public:
  std::string version() const override { return kVersion; }
};

// ---- InsertField ---------------------------------------------------------------------------

constexpr const char* kOptionality =
    " Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).";

template <Operand O>
class InsertField final : public Base {
 public:
  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(null_default_key("topic.field", ConfigType::String, Importance::Medium,
                              std::string("Field name for Kafka topic.") + kOptionality));
    d.define(null_default_key("partition.field", ConfigType::String, Importance::Medium,
                              std::string("Field name for Kafka partition.") + kOptionality));
    d.define(null_default_key("offset.field", ConfigType::String, Importance::Medium,
                              std::string("Field name for Kafka offset - only applicable to sink connectors.<br/>") +
                                  (kOptionality + 1)));
    d.define(null_default_key("timestamp.field", ConfigType::String, Importance::Medium,
                              std::string("Field name for record timestamp.") + kOptionality));
    d.define(null_default_key("static.field", ConfigType::String, Importance::Medium,
                              std::string("Field name for static data field.") + kOptionality));
    d.define(null_default_key("static.value", ConfigType::String, Importance::Medium,
                              "Static field value, if field name configured."));
    d.define(replace_null_with_default_key());
    return d;
  }

  void configure(const Config& c) override {
    check_config(config_def(), c);
    topic_ = spec(c, "topic.field");
    partition_ = spec(c, "partition.field");
    offset_ = spec(c, "offset.field");
    timestamp_ = spec(c, "timestamp.field");
    static_ = spec(c, "static.field");
    if (has_value(c, "static.value")) static_value_ = c.at("static.value");
    replace_null_ = cv::get_bool(c, "replace.null.with.default", true);
    if (static_ && !static_value_)
      throw ConfigException("static.value", "null", "No value specified for static field: " + static_->name);
    if (!topic_ && !partition_ && !offset_ && !timestamp_ && !static_)
      throw ConfigException("No field insertion configured");
    cache_.clear();
  }

  void apply(SourceRecord& r, bool&) override {
    Value& value = Side<O>::value(r);
    if (value.is_null()) return;
    SchemaPtr& schema = Side<O>::schema(r);
    if (!schema) {
      Map updated = require_map(value, kPurpose);
      if (topic_) map_put(updated, topic_->name, Value::string(r.topic));
      if (partition_ && r.kafka_partition) map_put(updated, partition_->name, Value::int32(*r.kafka_partition));
      if (offset_) throw_offset();
      if (timestamp_ && r.timestamp) map_put(updated, timestamp_->name, Value::int64(*r.timestamp));
      if (static_) map_put(updated, static_->name, Value::string(*static_value_));
      value = Value::map(std::move(updated));
      return;
    }
    const Struct& in = require_struct(value, kPurpose);
    const SchemaPtr* out_schema = cache_.get(in.schema().get());
    if (!out_schema) out_schema = &cache_.put(in.schema().get(), {in.schema()}, updated_schema(*in.schema()));
    Struct out(*out_schema);
    const auto& fields = in.schema()->fields();
    for (size_t i = 0; i < fields.size(); ++i) {
      const Value& v = struct_get(in, fields[i], replace_null_);
      if (v.is_null() && !fields[i].schema->optional()) validate_value(&fields[i].name, *fields[i].schema, v);
      out.put(i, v);
    }
    size_t next = fields.size();
    if (topic_) out.put(next++, Value::string(r.topic));
    if (partition_) {
      if (r.kafka_partition) out.put(next, Value::int32(*r.kafka_partition));
      ++next;
    }
    if (offset_) throw_offset();
    if (timestamp_) {
      if (r.timestamp) out.put(next, Value::int64(*r.timestamp));
      ++next;
    }
    if (static_) out.put(next++, Value::string(*static_value_));
    schema = *out_schema;
    value = Value::structure(std::move(out));
  }

 private:
  using Map = api::Map;
  static constexpr const char* kPurpose = "field insertion";
  struct Spec {
    std::string name;
    bool optional = true;
  };

  static std::optional<Spec> spec(const Config& c, const char* key) {
    auto it = c.find(key);
    if (it == c.end()) return std::nullopt;
    const std::string& s = it->second;
    if (!s.empty() && s.back() == '?') return Spec{s.substr(0, s.size() - 1), true};
    if (!s.empty() && s.back() == '!') return Spec{s.substr(0, s.size() - 1), false};
    return Spec{s, true};
  }

  [[noreturn]] static void throw_offset() {
    throw DataException("Only SinkRecord supported for [field insertion], found: "
                        "org.apache.kafka.connect.source.SourceRecord");
  }

  SchemaPtr updated_schema(const Schema& s) const {
    SchemaBuilder b = SchemaBuilder::structure();
    copy_schema_basics(s, b);
    for (auto& f : s.fields()) b.field(f.name, f.schema);
    try {
      if (topic_) b.field(topic_->name, api::schemas::of(Type::String, topic_->optional));
      if (partition_) b.field(partition_->name, api::schemas::of(Type::Int32, partition_->optional));
      if (offset_) b.field(offset_->name, api::schemas::of(Type::Int64, offset_->optional));
      if (timestamp_) {
        SchemaBuilder ts = api::logical::timestamp();
        if (timestamp_->optional) ts.optional();
        b.field(timestamp_->name, ts.build());
      }
      if (static_) b.field(static_->name, api::schemas::of(Type::String, static_->optional));
    } catch (const std::invalid_argument& e) {
      std::string what = e.what();  // "duplicate field <name>"
      throw DataException("Cannot create field because of field name duplication " + what.substr(what.rfind(' ') + 1));
    }
    return b.build();
  }

  std::optional<Spec> topic_, partition_, offset_, timestamp_, static_;
  std::optional<std::string> static_value_;
  bool replace_null_ = true;
  SchemaCache<> cache_{kSchemaCacheSize};
};

// ---- ReplaceField --------------------------------------------------------------------------

std::vector<std::pair<std::string, std::string>> parse_renames(const std::string& raw) {
  std::vector<std::pair<std::string, std::string>> out;
  auto list = cv::split_list(raw);
  for (auto& mapping : list) {
    auto parts = java_split(mapping, ':');
    if (parts.size() != 2) {
      std::string shown = "[";
      for (size_t i = 0; i < list.size(); ++i) shown += (i ? ", " : "") + list[i];
      throw ConfigException("renames", shown + "]", "Invalid rename mapping: " + mapping);
    }
    bool replaced = false;
    for (auto& [from, to] : out)
      if (from == parts[0]) to = parts[1], replaced = true;
    if (!replaced) out.emplace_back(parts[0], parts[1]);
  }
  return out;
}

template <Operand O>
class ReplaceField final : public Base {
 public:
  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("exclude", ConfigType::List, "", Importance::Medium,
                        "Fields to exclude. This takes precedence over the fields to include."));
    d.define(null_default_key("blacklist", ConfigType::List, Importance::Low, "Deprecated. Use exclude instead."));
    d.define(config_key("include", ConfigType::List, "", Importance::Medium,
                        "Fields to include. If specified, only these fields will be used."));
    d.define(null_default_key("whitelist", ConfigType::List, Importance::Low, "Deprecated. Use include instead."));
    d.define(config_key("renames", ConfigType::List, "", Importance::Medium, "Field rename mappings.",
                        [](const std::string&, const std::string& v) -> std::optional<std::string> {
                          try {
                            parse_renames(v);
                          } catch (const ConfigException& e) {
                            std::string w = e.what();
                            return w.substr(w.find(": ") + 2);
                          }
                          return std::nullopt;
                        }));
    d.define(replace_null_with_default_key());
    return d;
  }

  void configure(const Config& raw) override {
    // ConfigUtils.translateDeprecatedConfigs: the deprecated name counts when the new one is unset.
    Config c = raw;
    for (auto [now, old] : {std::pair{"include", "whitelist"}, std::pair{"exclude", "blacklist"}}) {
      auto it = c.find(old);
      if (it != c.end()) {
        if (!c.count(now)) c[now] = it->second;
        c.erase(it);
      }
    }
    check_config(config_def(), c);
    auto ex = cv::get_list(c, "exclude"), in = cv::get_list(c, "include");
    exclude_ = {ex.begin(), ex.end()};
    include_ = {in.begin(), in.end()};
    renames_ = parse_renames(get_string(c, "renames"));
    replace_null_ = cv::get_bool(c, "replace.null.with.default", true);
    cache_.clear();
  }

  void apply(SourceRecord& r, bool&) override {
    Value& value = Side<O>::value(r);
    if (value.is_null()) return;
    SchemaPtr& schema = Side<O>::schema(r);
    if (!schema) {
      const api::Map& in = require_map(value, kPurpose);
      api::Map out;
      out.reserve(in.size());
      for (auto& [k, v] : in) {
        if (k.kind() != VK::String || !keep(k.as_string())) continue;
        map_put(out, renamed(k.as_string()), v);
      }
      value = Value::map(std::move(out));
      return;
    }
    const Struct& in = require_struct(value, kPurpose);
    const SchemaPtr* out_schema = cache_.get(in.schema().get());
    if (!out_schema) out_schema = &cache_.put(in.schema().get(), {in.schema()}, updated_schema(*in.schema()));
    Struct out(*out_schema);
    size_t i = 0;
    for (auto& f : in.schema()->fields()) {
      if (!keep(f.name)) continue;
      const Value& v = struct_get(in, f, replace_null_);
      if (v.is_null() && !f.schema->optional()) validate_value(&(*out_schema)->fields()[i].name, *f.schema, v);
      out.put(i++, v);
    }
    schema = *out_schema;
    value = Value::structure(std::move(out));
  }

 private:
  static constexpr const char* kPurpose = "field replacement";
  bool keep(const std::string& name) const {
    return !exclude_.count(name) && (include_.empty() || include_.count(name));
  }
  const std::string& renamed(const std::string& name) const {
    for (auto& [from, to] : renames_)
      if (from == name) return to;
    return name;
  }
  SchemaPtr updated_schema(const Schema& s) const {
    SchemaBuilder b = SchemaBuilder::structure();
    copy_schema_basics(s, b);
    for (auto& f : s.fields())
      if (keep(f.name)) b.field(renamed(f.name), f.schema);
    return b.build();
  }

  std::set<std::string> exclude_, include_;
  std::vector<std::pair<std::string, std::string>> renames_;
  bool replace_null_ = true;
  SchemaCache<> cache_{kSchemaCacheSize};
};

// ---- MaskField -----------------------------------------------------------------------------

bool is_logical(const Schema* s, std::string_view name) { return s && s->name() == name; }

template <Operand O>
class MaskField final : public Base {
 public:
  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("fields", ConfigType::List, std::nullopt, Importance::High, "Names of fields to mask.",
                        non_empty_list()));
    d.define(null_default_key("replacement", ConfigType::String, Importance::Low,
                              "Custom value replacement, that will be applied to all 'fields' values (numeric or "
                              "non-empty string values only).",
                              non_empty_string()));
    d.define(replace_null_with_default_key());
    return d;
  }

  void configure(const Config& c) override {
    check_config(config_def(), c);
    auto f = cv::get_list(c, "fields");
    fields_ = {f.begin(), f.end()};
    replacement_.reset();
    if (has_value(c, "replacement")) replacement_ = c.at("replacement");
    replace_null_ = cv::get_bool(c, "replace.null.with.default", true);
  }

  void apply(SourceRecord& r, bool&) override {
    Value& value = Side<O>::value(r);
    const SchemaPtr& schema = Side<O>::schema(r);
    if (!schema) {
      const api::Map& in = require_map(value, kPurpose);
      api::Map out = in;
      for (auto& name : fields_) {
        const Value* v = map_get(in, name);
        map_put(out, name, masked(nullptr, v ? *v : Value()));
      }
      value = Value::map(std::move(out));
      return;
    }
    const Struct& in = require_struct(value, kPurpose);
    Struct out(in.schema());
    const auto& fields = in.schema()->fields();
    for (size_t i = 0; i < fields.size(); ++i) {
      const Value& v = struct_get(in, fields[i], replace_null_);
      Value next = fields_.count(fields[i].name) ? masked(fields[i].schema.get(), v) : v;
      if (next.is_null() && !fields[i].schema->optional()) validate_value(&fields[i].name, *fields[i].schema, next);
      out.put(i, std::move(next));
    }
    value = Value::structure(std::move(out));
  }

 private:
  static constexpr const char* kPurpose = "mask fields";

  // The Java class MaskField would see, for its messages: logical values are BigDecimal/Date.
  static std::string java_class(const Schema* s, const Value& v) {
    if (is_logical(s, api::logical::kDecimal)) return "java.math.BigDecimal";
    if (is_logical(s, api::logical::kDate) || is_logical(s, api::logical::kTime) ||
        is_logical(s, api::logical::kTimestamp))
      return "java.util.Date";
    return java_class_name(v);
  }

  static void check_decimal_scale(const Schema* s, int32_t value_scale) {
    const std::string* p = s ? s->parameter("scale") : nullptr;
    int32_t schema_scale = p ? static_cast<int32_t>(std::strtol(p->c_str(), nullptr, 10)) : 0;
    if (schema_scale != value_scale)
      throw DataException("Decimal value has mismatching scale for given Decimal schema. Schema has scale " +
                          std::to_string(schema_scale) + ", value has scale " + std::to_string(value_scale) + ".");
  }

  Value masked(const Schema* s, const Value& v) const {
    if (v.is_null()) return v;
    return replacement_ ? with_replacement(s, v) : with_empty(s, v);
  }

  static Value with_empty(const Schema* s, const Value& v) {
    if (is_logical(s, api::logical::kDecimal)) {
      check_decimal_scale(s, 0);
      return Value::bytes(std::string(1, '\0'));
    }
    switch (v.kind()) {
      case VK::Boolean: return Value::boolean(false);
      case VK::Int8: return Value::int8(0);
      case VK::Int16: return Value::int16(0);
      case VK::Int32: return Value::int32(0);
      case VK::Int64: return Value::int64(0);
      case VK::Float32: return Value::float32(0);
      case VK::Float64: return Value::float64(0);
      case VK::String: return Value::string("");
      case VK::Array: return Value::array({});
      case VK::Map: return Value::map({});
      default:
        throw DataException("Cannot mask value of type: class " + java_class(s, v));
    }
  }

  Value with_replacement(const Schema* s, const Value& v) const {
    const std::string& rep = *replacement_;
    // Values.convertToByte/Short/Integer/Long: the text read as a number, then narrowed as a
    // Java cast does (wrapping).
    auto number = [&]() -> int64_t {
      try {
        return text::parse_java_integer(rep, INT64_MIN, INT64_MAX);
      } catch (const text::NumberFormatError&) {
      }
      try {
        return static_cast<int64_t>(text::parse_java_double(rep));
      } catch (const text::NumberFormatError&) {
        throw DataException("Unable to convert " + rep + " (class java.lang.String) to a number");
      }
    };
    if (is_logical(s, api::logical::kDecimal)) {
      std::string unscaled;
      int32_t scale = 0;
      try {
        text::parse_big_decimal(rep, unscaled, scale);
      } catch (const text::NumberFormatError& e) {
        throw DataException("Unable to convert " + rep + " (class java.lang.String) to number");
      }
      check_decimal_scale(s, scale);
      return Value::bytes(unscaled);
    }
    if (!is_logical(s, api::logical::kDate) && !is_logical(s, api::logical::kTime) &&
        !is_logical(s, api::logical::kTimestamp)) {
      switch (v.kind()) {
        case VK::Int8: return Value::int8(static_cast<int8_t>(number()));
        case VK::Int16: return Value::int16(static_cast<int16_t>(number()));
        case VK::Int32: return Value::int32(static_cast<int32_t>(number()));
        case VK::Int64: return Value::int64(number());
        case VK::Float32:
        case VK::Float64: {
          double d = 0;
          try {
            d = text::parse_java_double(rep);
          } catch (const text::NumberFormatError&) {
            throw DataException("Unable to convert " + rep + " (class java.lang.String) to a number");
          }
          return v.kind() == VK::Float32 ? Value::float32(static_cast<float>(d)) : Value::float64(d);
        }
        case VK::String: return Value::string(rep);
        default: break;
      }
    }
    throw DataException("Cannot mask value of type class " + java_class(s, v) + " with custom replacement.");
  }

  std::set<std::string> fields_;
  std::optional<std::string> replacement_;
  bool replace_null_ = true;
};

// ---- ValueToKey ----------------------------------------------------------------------------

class ValueToKey final : public Base {
 public:
  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("fields", ConfigType::List, std::nullopt, Importance::High,
                        "Field names on the record value to extract as the record key.", non_empty_list()));
    d.define(replace_null_with_default_key());
    return d;
  }

  void configure(const Config& c) override {
    check_config(config_def(), c);
    fields_ = cv::get_list(c, "fields");
    replace_null_ = cv::get_bool(c, "replace.null.with.default", true);
    cache_.clear();
  }

  void apply(SourceRecord& r, bool&) override {
    if (!r.value_schema) {
      const api::Map& in = require_map(r.value, kPurpose);
      api::Map key;
      for (auto& f : fields_) {
        const Value* v = map_get(in, f);
        map_put(key, f, v ? *v : Value());
      }
      r.key_schema = nullptr;
      r.key = Value::map(std::move(key));
      return;
    }
    const Struct& in = require_struct(r.value, kPurpose);
    const SchemaPtr* key_schema = cache_.get(in.schema().get());
    if (!key_schema) {
      SchemaBuilder b = SchemaBuilder::structure();
      for (auto& f : fields_) {
        const api::Field* field = in.schema()->field(f);
        if (!field) throw DataException("Field does not exist: " + f);
        b.field(f, field->schema);
      }
      key_schema = &cache_.put(in.schema().get(), {in.schema()}, b.build());
    }
    Struct key(*key_schema);
    for (size_t i = 0; i < fields_.size(); ++i) {
      const api::Field& f = *in.schema()->field(fields_[i]);
      const Value& v = struct_get(in, f, replace_null_);
      if (v.is_null() && !f.schema->optional()) validate_value(&f.name, *f.schema, v);
      key.put(i, v);
    }
    r.key_schema = *key_schema;
    r.key = Value::structure(std::move(key));
  }

 private:
  static constexpr const char* kPurpose = "copying fields from value to key";
  std::vector<std::string> fields_;
  bool replace_null_ = true;
  SchemaCache<> cache_{kSchemaCacheSize};
};

// ---- ExtractField --------------------------------------------------------------------------

// SingleFieldPath (KIP-821): V1 is one step; V2 splits on dots, with `backquoted` steps.
std::vector<std::string> field_path(const std::string& path, bool v2) {
  if (!v2) return {path};
  std::vector<std::string> steps;
  size_t idx = 0;
  auto incomplete = [&](size_t at) -> void {
    throw ConfigException("Incomplete backtick pair in path: [" + path + "], consider adding a backslash before "
                          "backtick at position " + std::to_string(at) + " to escape it");
  };
  while (idx < path.size()) {
    if (path[idx] != '`') {
      size_t dot = path.find('.', idx);
      if (dot == std::string::npos) {
        steps.push_back(path.substr(idx));
        idx = path.size();
      } else {
        steps.push_back(path.substr(idx, dot - idx));
        idx = dot + 1;
      }
      continue;
    }
    size_t backtick_at = idx++;
    std::string field;
    size_t start = idx;
    while (true) {
      size_t close = path.find('`', idx);
      if (close == std::string::npos) incomplete(backtick_at);
      idx = close;
      bool escaped = path[idx - 1] == '\\';
      if (idx >= path.size() - 1) {
        if (escaped) incomplete(backtick_at);
        field += path.substr(start, idx - start);
        steps.push_back(field);
        ++idx;
        break;
      }
      if (path[idx + 1] != '.') {
        ++idx;
        continue;
      }
      if (escaped) {
        field += path.substr(start, idx - 1 - start) + "`";
        start = ++idx;
        continue;
      }
      field += path.substr(start, idx - start);
      steps.push_back(field);
      idx += 2;
      break;
    }
  }
  if (!path.empty() && path.back() == '.') steps.emplace_back();
  return steps;
}

template <Operand O>
class ExtractField final : public Base {
 public:
  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("field", ConfigType::String, std::nullopt, Importance::Medium, "Field name to extract."));
    d.define(replace_null_with_default_key());
    d.define(config_key(
        "field.syntax.version", ConfigType::String, "V1", Importance::High,
        "Defines the version of the syntax to access fields. If set to `V1`, then the field paths are limited to "
        "access the elements at the root level of the struct or map. If set to `V2`, the syntax will support "
        "accessing nested elements. To access nested elements, dotted notation is used. If dots are already "
        "included in the field name, then backtick pairs can be used to wrap field names containing dots. E.g. to "
        "access the subfield `baz` from a field named \"foo.bar\" in a struct/map the following format can be used "
        "to access its elements: \"`foo.bar`.baz\".",
        case_insensitive_valid_string({"V1", "V2"})));
    return d;
  }

  void configure(const Config& c) override {
    check_config(config_def(), c);
    field_ = c.at("field");
    std::string version = get_string(c, "field.syntax.version", "V1");
    steps_ = field_path(field_, version == "V2" || version == "v2");
    replace_null_ = cv::get_bool(c, "replace.null.with.default", true);
  }

  void apply(SourceRecord& r, bool&) override {
    Value& value = Side<O>::value(r);
    SchemaPtr& schema = Side<O>::schema(r);
    if (!schema) {
      const api::Map* m = require_map_or_null(value, kPurpose);
      Value out;
      for (size_t i = 0; m && i < steps_.size(); ++i) {
        const Value* v = map_get(*m, steps_[i]);
        if (i + 1 == steps_.size()) {
          if (v) out = *v;
        } else {
          m = v ? require_map_or_null(*v, "nested field access") : nullptr;
        }
      }
      value = std::move(out);
      return;
    }
    const Struct* s = require_struct_or_null(value, kPurpose);
    // fieldFrom(schema): the field at the path in the schema.
    const Schema* cur = schema.get();
    const api::Field* field = nullptr;
    for (size_t i = 0; i < steps_.size() && cur; ++i) {
      field = cur->type() == Type::Struct ? cur->field(steps_[i]) : nullptr;
      if (!field) break;
      if (i + 1 < steps_.size()) {
        if (field->schema->type() != Type::Struct) throw DataException("Cannot look up fields on non-struct type");
        cur = field->schema.get();
        field = nullptr;
      }
    }
    if (!field) throw ConfigLessArgument("Unknown field: " + field_);
    SchemaPtr out_schema = field->schema;
    Value out;
    for (size_t i = 0; s && i < steps_.size(); ++i) {
      const api::Field* f = s->schema()->field(steps_[i]);
      if (!f) break;
      const Value& v = struct_get(*s, *f, replace_null_);
      if (i + 1 == steps_.size()) out = v;
      else s = require_struct_or_null(v, "nested field access");
    }
    schema = std::move(out_schema);
    value = std::move(out);
  }

 private:
  // Java throws IllegalArgumentException here, which Connect reports like any other error.
  using ConfigLessArgument = std::invalid_argument;
  static constexpr const char* kPurpose = "field extraction";
  std::string field_;
  std::vector<std::string> steps_;
  bool replace_null_ = true;
};

// ---- HoistField ----------------------------------------------------------------------------

template <Operand O>
class HoistField final : public Base {
 public:
  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("field", ConfigType::String, std::nullopt, Importance::Medium,
                        "Field name for the single field that will be created in the resulting Struct or Map."));
    return d;
  }
  void configure(const Config& c) override {
    check_config(config_def(), c);
    field_ = c.at("field");
    cache_.clear();
  }
  void apply(SourceRecord& r, bool&) override {
    Value& value = Side<O>::value(r);
    SchemaPtr& schema = Side<O>::schema(r);
    if (!schema) {
      api::Map m;
      m.emplace_back(Value::string(field_), std::move(value));
      value = Value::map(std::move(m));
      return;
    }
    const SchemaPtr* out = cache_.get(schema.get());
    if (!out) out = &cache_.put(schema.get(), {schema}, SchemaBuilder::structure().field(field_, schema).build());
    validate_value(&field_, *schema, value);
    Struct s(*out);
    s.put(0, std::move(value));
    schema = *out;
    value = Value::structure(std::move(s));
  }

 private:
  std::string field_;
  SchemaCache<> cache_{kSchemaCacheSize};
};

// ---- Flatten -------------------------------------------------------------------------------

template <Operand O>
class Flatten final : public Base {
 public:
  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("delimiter", ConfigType::String, ".", Importance::Medium,
                        "Delimiter to insert between field names from the input record when generating field names "
                        "for the output record"));
    return d;
  }
  void configure(const Config& c) override {
    check_config(config_def(), c);
    delimiter_ = get_string(c, "delimiter", ".");
    cache_.clear();
  }
  void apply(SourceRecord& r, bool&) override {
    Value& value = Side<O>::value(r);
    if (value.is_null()) return;
    SchemaPtr& schema = Side<O>::schema(r);
    if (!schema) {
      const api::Map& in = require_map(value, kPurpose);
      api::Map out;
      flatten_map(in, "", out);
      value = Value::map(std::move(out));
      return;
    }
    const Struct& in = require_struct(value, kPurpose);
    const SchemaPtr* out_schema = cache_.get(in.schema().get());
    if (!out_schema) {
      SchemaBuilder b = SchemaBuilder::structure();
      copy_schema_basics(*in.schema(), b);
      const Struct* dflt = in.schema()->default_value() && in.schema()->default_value()->kind() == VK::Struct
                               ? &in.schema()->default_value()->as_struct()
                               : nullptr;
      build_schema(*in.schema(), "", b, in.schema()->optional(), dflt);
      out_schema = &cache_.put(in.schema().get(), {in.schema()}, b.build());
    }
    Struct out(*out_schema);
    size_t next = 0;
    fill(&in, *in.schema(), out, next);
    schema = *out_schema;
    value = Value::structure(std::move(out));
  }

 private:
  static constexpr const char* kPurpose = "flattening";

  std::string name(const std::string& prefix, const std::string& field) const {
    return prefix.empty() ? field : prefix + delimiter_ + field;
  }

  void flatten_map(const api::Map& in, const std::string& prefix, api::Map& out) const {
    for (auto& [k, v] : in) {
      if (k.kind() != VK::String)
        throw std::runtime_error("class " + java_class_name(k) + " cannot be cast to class java.lang.String");
      std::string n = name(prefix, k.as_string());
      switch (v.kind()) {
        case VK::Map: flatten_map(v.as_map(), n, out); break;
        case VK::Struct:
          throw DataException("Flatten transformation does not support class org.apache.kafka.connect.data.Struct "
                              "for record without schemas (for field " + n + ").");
        default: map_put(out, n, v); break;
      }
    }
  }

  void build_schema(const Schema& s, const std::string& prefix, SchemaBuilder& out, bool optional,
                    const Struct* parent_default) const {
    for (auto& f : s.fields()) {
      std::string n = name(prefix, f.name);
      bool field_optional = optional || f.schema->optional();
      const Value* dflt = f.schema->default_value();
      if (!dflt && parent_default) {
        const Value& pv = struct_get(*parent_default, f);
        if (!pv.is_null()) dflt = &pv;
      }
      switch (f.schema->type()) {
        case Type::Struct:
          build_schema(*f.schema, n, out, field_optional, dflt && dflt->kind() == VK::Struct ? &dflt->as_struct() : nullptr);
          break;
        case Type::Map:
          throw DataException("Flatten transformation does not support MAP for record with schemas (for field " + n + ").");
        default: {
          SchemaBuilder b = copy_schema_basics(*f.schema);
          if (field_optional) b.optional();
          if (dflt) b.default_value(*dflt);
          out.field(n, b.build());
        }
      }
    }
  }

  void fill(const Struct* in, const Schema& s, Struct& out, size_t& next) const {
    for (auto& f : s.fields()) {
      if (f.schema->type() == Type::Struct) {
        const Value* v = in ? &struct_get(*in, f) : nullptr;
        fill(v && v->kind() == VK::Struct ? &v->as_struct() : nullptr, *f.schema, out, next);
        continue;
      }
      if (in) out.put(next, struct_get(*in, f));
      ++next;
    }
  }

  std::string delimiter_ = ".";
  SchemaCache<> cache_{kSchemaCacheSize};
};

// ---- SetSchemaMetadata ---------------------------------------------------------------------

template <Operand O>
class SetSchemaMetadata final : public Base {
 public:
  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(null_default_key("schema.name", ConfigType::String, Importance::High, "Schema name to set."));
    d.define(null_default_key("schema.version", ConfigType::Int, Importance::High, "Schema version to set."));
    d.define(replace_null_with_default_key());
    return d;
  }
  void configure(const Config& c) override {
    check_config(config_def(), c);
    name_.reset();
    version_.reset();
    if (has_value(c, "schema.name")) name_ = c.at("schema.name");
    if (has_value(c, "schema.version")) version_ = static_cast<int32_t>(cv::get_long(c, "schema.version", 0));
    if (!name_ && !version_) throw ConfigException("Neither schema name nor version configured");
    replace_null_ = cv::get_bool(c, "replace.null.with.default", true);
    cache_.clear();
  }
  void apply(SourceRecord& r, bool&) override {
    Value& value = Side<O>::value(r);
    SchemaPtr& schema = Side<O>::schema(r);
    if (value.is_null() && !schema) return;
    require_schema(schema, "updating schema metadata");
    if (schema->type() != Type::Struct) throw DataException("Cannot list fields on non-struct type");
    const SchemaPtr* out = cache_.get(schema.get());
    if (!out) {
      SchemaBuilder b = SchemaBuilder::structure();
      const Schema& s = *schema;
      if (name_) b.name(*name_);
      else if (!s.name().empty()) b.name(s.name());
      if (version_) b.version(*version_);
      else if (s.version()) b.version(*s.version());
      if (s.doc()) b.doc(*s.doc());
      for (auto& [k, v] : s.parameters()) b.parameter(k, v);
      if (s.optional()) b.optional();
      if (s.default_value()) b.default_value(*s.default_value());
      for (auto& f : s.fields()) b.field(f.name, f.schema);
      out = &cache_.put(schema.get(), {schema}, b.build());
    }
    if (value.kind() == VK::Struct) {
      const Struct& in = value.as_struct();
      Struct s(*out);
      const auto& fields = in.schema()->fields();
      for (size_t i = 0; i < fields.size() && i < (*out)->fields().size(); ++i) s.put(i, struct_get(in, fields[i], replace_null_));
      value = Value::structure(std::move(s));
    }
    schema = *out;
  }

 private:
  std::optional<std::string> name_;
  std::optional<int32_t> version_;
  bool replace_null_ = true;
  SchemaCache<> cache_{kSchemaCacheSize};
};

}  // namespace

void add_field_transforms(api::PluginBuilder& p) {
  const std::string k = "org.apache.kafka.connect.transforms.";
  p.transformation<InsertField<Operand::Key>>(k + "InsertField$Key");
  p.transformation<InsertField<Operand::Value>>(k + "InsertField$Value");
  p.transformation<ReplaceField<Operand::Key>>(k + "ReplaceField$Key");
  p.transformation<ReplaceField<Operand::Value>>(k + "ReplaceField$Value");
  p.transformation<MaskField<Operand::Key>>(k + "MaskField$Key");
  p.transformation<MaskField<Operand::Value>>(k + "MaskField$Value");
  p.transformation<ValueToKey>(k + "ValueToKey");
  p.transformation<ExtractField<Operand::Key>>(k + "ExtractField$Key");
  p.transformation<ExtractField<Operand::Value>>(k + "ExtractField$Value");
  p.transformation<HoistField<Operand::Key>>(k + "HoistField$Key");
  p.transformation<HoistField<Operand::Value>>(k + "HoistField$Value");
  p.transformation<Flatten<Operand::Key>>(k + "Flatten$Key");
  p.transformation<Flatten<Operand::Value>>(k + "Flatten$Value");
  p.transformation<SetSchemaMetadata<Operand::Key>>(k + "SetSchemaMetadata$Key");
  p.transformation<SetSchemaMetadata<Operand::Value>>(k + "SetSchemaMetadata$Value");
}

}  // namespace sluice::transforms
