// org.apache.kafka.connect.transforms.TimestampConverter$Key / $Value and TimestampRouter, as in
// connect-transforms 3.9. Dates are formatted and parsed in UTC (Connect sets the formats' zone
// to UTC); see text.h for the SimpleDateFormat subset.

#include <cmath>
#include <limits>
#include <memory>

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

enum class TsType { String, Unix, Date, Time, Timestamp };
enum class Precision { Seconds, Millis, Micros, Nanos };

std::optional<TsType> ts_type(const std::string& s) {
  if (s == "string") return TsType::String;
  if (s == "unix") return TsType::Unix;
  if (s == "Date") return TsType::Date;
  if (s == "Time") return TsType::Time;
  if (s == "Timestamp") return TsType::Timestamp;
  return std::nullopt;
}

SchemaPtr type_schema(TsType t, bool optional) {
  switch (t) {
    case TsType::String: return api::schemas::of(Type::String, optional);
    case TsType::Unix: return api::schemas::of(Type::Int64, optional);
    case TsType::Date: {
      SchemaBuilder b = api::logical::date();
      if (optional) b.optional();
      return b.build();
    }
    case TsType::Time: {
      SchemaBuilder b = api::logical::time();
      if (optional) b.optional();
      return b.build();
    }
    case TsType::Timestamp: {
      SchemaBuilder b = api::logical::timestamp();
      if (optional) b.optional();
      return b.build();
    }
  }
  return nullptr;
}

std::string schema_string(const Schema& s) {
  // ConnectSchema.toString(): "Schema{name:TYPE}" or "Schema{TYPE}".
  return "Schema{" + (s.name().empty() ? "" : s.name() + ":") + schema_type_name(s.type()) + "}";
}

TsType type_from_schema(const Schema& s) {
  if (s.name() == api::logical::kTimestamp) return TsType::Timestamp;
  if (s.name() == api::logical::kDate) return TsType::Date;
  if (s.name() == api::logical::kTime) return TsType::Time;
  if (s.type() == Type::String) return TsType::String;
  if (s.type() == Type::Int64) return TsType::Unix;
  throw std::runtime_error("Schema " + schema_string(s) + " does not correspond to a known timestamp type format");
}

int64_t saturating_mul(int64_t v, int64_t by) {
  __int128 r = static_cast<__int128>(v) * by;
  if (r > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (r < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(r);
}

template <Operand O>
class TimestampConverter final : public api::Transformation {
 public:
  std::string version() const override { return kVersion; }

  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("field", ConfigType::String, "", Importance::High,
                        "The field containing the timestamp, or empty if the entire value is a timestamp"));
    d.define(config_key("target.type", ConfigType::String, std::nullopt, Importance::High,
                        "The desired timestamp representation: string, unix, Date, Time, or Timestamp",
                        valid_string({"string", "unix", "Date", "Time", "Timestamp"})));
    d.define(config_key("format", ConfigType::String, "", Importance::Medium,
                        "A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when "
                        "type=string or used to parse the input if the input is a string."));
    d.define(config_key("unix.precision", ConfigType::String, "milliseconds", Importance::Low,
                        "The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or "
                        "nanoseconds. Used to generate the output when type=unix or used to parse the input if the "
                        "input is a Long.Note: This SMT will cause precision loss during conversions from, and to, "
                        "values with sub-millisecond components.",
                        valid_string({"nanoseconds", "microseconds", "milliseconds", "seconds"})));
    d.define(replace_null_with_default_key());
    return d;
  }

  void configure(const Config& c) override {
    check_config(config_def(), c);
    field_ = get_string(c, "field", "");
    target_ = *ts_type(c.at("target.type"));
    std::string format = get_string(c, "format", "");
    std::string precision = get_string(c, "unix.precision", "milliseconds");
    precision_ = precision == "seconds" ? Precision::Seconds
                 : precision == "microseconds" ? Precision::Micros
                 : precision == "nanoseconds" ? Precision::Nanos
                                               : Precision::Millis;
    replace_null_ = cv::get_bool(c, "replace.null.with.default", true);
    if (target_ == TsType::String && format.empty())
      throw ConfigException("TimestampConverter requires format option to be specified when using string timestamps");
    format_.reset();
    if (!format.empty()) {
      try {
        format_ = std::make_unique<text::DateFormat>(format);
      } catch (const std::invalid_argument&) {
        throw ConfigException("TimestampConverter requires a SimpleDateFormat-compatible pattern for string "
                              "timestamps: " + format);
      }
    }
    cache_.clear();
  }

  void apply(SourceRecord& r, bool&) override {
    Value& value = Side<O>::value(r);
    SchemaPtr& schema = Side<O>::schema(r);
    if (!schema) {
      if (value.is_null() || field_.empty()) {
        value = schemaless(convert(value, std::nullopt));
        return;
      }
      api::Map out = require_map(value, kPurpose);
      const Value* v = map_get(out, field_);
      Value converted = schemaless(convert(v ? *v : Value(), std::nullopt));
      map_put(out, field_, std::move(converted));
      value = Value::map(std::move(out));
      return;
    }
    if (field_.empty()) {
      TsType from = type_from_schema(*schema);
      value = convert(value, from);
      schema = type_schema(target_, schema->optional());
      return;
    }
    const Struct* in = require_struct_or_null(value, kPurpose);
    const SchemaPtr* out = cache_.get(schema.get());
    if (!out) {
      SchemaBuilder b = SchemaBuilder::structure();
      copy_schema_basics(*schema, b);
      for (auto& f : schema->fields())
        b.field(f.name, f.name == field_ ? type_schema(target_, f.schema->optional()) : f.schema);
      if (schema->optional()) b.optional();
      SchemaPtr without_default = b.build();
      if (schema->default_value() && schema->default_value()->kind() == VK::Struct) {
        Struct d = convert_struct(schema->default_value()->as_struct(), without_default);
        b.default_value(Value::structure(std::move(d)));
      }
      out = &cache_.put(schema.get(), {schema}, b.build());
    }
    if (in) value = Value::structure(convert_struct(*in, *out));
    schema = *out;
  }

 private:
  static constexpr const char* kPurpose = "converting timestamp formats";

  Struct convert_struct(const Struct& in, const SchemaPtr& out_schema) const {
    Struct out(out_schema);
    const auto& fields = in.schema()->fields();
    for (size_t i = 0; i < fields.size(); ++i) {
      const Value& v = struct_get(in, fields[i], replace_null_);
      Value next = fields[i].name == field_ ? convert(v, type_from_schema(*fields[i].schema)) : v;
      const api::Field& of = out_schema->fields()[i];
      if (next.is_null() && !of.schema->optional()) validate_value(&of.name, *of.schema, next);
      out.put(i, std::move(next));
    }
    return out;
  }

  // A Date/Time/Timestamp without a schema is a java.util.Date, which Connect's converters
  // cannot write; Java fails in the converter, Sluice here.
  Value schemaless(Value v) const {
    if (!v.is_null() && (target_ == TsType::Date || target_ == TsType::Time || target_ == TsType::Timestamp))
      throw DataException("Java class class java.util.Date does not have corresponding schema type.");
    return v;
  }

  Value convert(const Value& v, std::optional<TsType> from) const {
    if (v.is_null()) return v;
    if (!from) {
      if (v.kind() == VK::Int64) from = TsType::Unix;
      else if (v.kind() == VK::String) from = TsType::String;
      else throw DataException("TimestampConverter does not support " + java_class_string(v) + " objects as timestamps");
    }
    int64_t ms = 0;
    switch (*from) {
      case TsType::String: {
        if (!format_) throw std::runtime_error("Unsupported timestamp type: string without a format");
        auto parsed = v.kind() == VK::String ? format_->parse(v.as_string()) : std::nullopt;
        if (!parsed)
          throw DataException("Could not parse timestamp: value (" + (v.kind() == VK::String ? v.as_string() : "") +
                              ") does not match pattern (" + format_->pattern() + ")");
        ms = *parsed;
        break;
      }
      case TsType::Unix: {
        int64_t x = 0;
        if (!v.get_integer(x)) throw DataException("Expected Unix timestamp to be a Long, but found " + java_class_string(v));
        switch (precision_) {
          case Precision::Seconds: ms = saturating_mul(x, 1000); break;
          case Precision::Millis: ms = x; break;
          case Precision::Micros: ms = x / 1000; break;
          case Precision::Nanos: ms = x / 1000000; break;
        }
        break;
      }
      case TsType::Date: {
        int64_t x = 0;
        v.get_integer(x);
        ms = x * text::kMillisPerDay;
        break;
      }
      case TsType::Time:
      case TsType::Timestamp: {
        int64_t x = 0;
        v.get_integer(x);
        ms = x;
        break;
      }
    }
    switch (target_) {
      case TsType::String: return Value::string(format_->format(ms));
      case TsType::Unix:
        switch (precision_) {
          case Precision::Seconds: return Value::int64(ms / 1000);
          case Precision::Millis: return Value::int64(ms);
          case Precision::Micros: return Value::int64(saturating_mul(ms, 1000));
          case Precision::Nanos: return Value::int64(saturating_mul(ms, 1000000));
        }
        break;
      case TsType::Date: return Value::int32(static_cast<int32_t>(text::floor_div(ms, text::kMillisPerDay)));
      case TsType::Time:
        return Value::int32(static_cast<int32_t>(ms - text::floor_div(ms, text::kMillisPerDay) * text::kMillisPerDay));
      case TsType::Timestamp: return Value::int64(ms);
    }
    return {};
  }

  std::string field_;
  TsType target_ = TsType::Timestamp;
  Precision precision_ = Precision::Millis;
  std::unique_ptr<text::DateFormat> format_;
  bool replace_null_ = true;
  SchemaCache<> cache_{kSchemaCacheSize};
};

// ---- TimestampRouter -----------------------------------------------------------------------

void replace_all(std::string& s, std::string_view what, std::string_view with) {
  size_t at = 0;
  while ((at = s.find(what, at)) != std::string::npos) {
    s.replace(at, what.size(), with);
    at += with.size();
  }
}

class TimestampRouter final : public api::Transformation {
 public:
  std::string version() const override { return kVersion; }

  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("topic.format", ConfigType::String, "${topic}-${timestamp}", Importance::High,
                        "Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as "
                        "placeholders for the topic and timestamp, respectively."));
    d.define(config_key("timestamp.format", ConfigType::String, "yyyyMMdd", Importance::High,
                        "Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.",
                        [](const std::string&, const std::string& v) -> std::optional<std::string> {
                          try {
                            text::DateFormat f(v);
                          } catch (const std::invalid_argument& e) {
                            return std::string(e.what());
                          }
                          return std::nullopt;
                        }));
    return d;
  }

  void configure(const Config& c) override {
    check_config(config_def(), c);
    topic_format_ = get_string(c, "topic.format", "${topic}-${timestamp}");
    format_ = std::make_unique<text::DateFormat>(get_string(c, "timestamp.format", "yyyyMMdd"));
  }

  void apply(SourceRecord& r, bool&) override {
    if (!r.timestamp)
      throw DataException("Timestamp missing on record: SourceRecord{topic='" + r.topic + "', timestamp=null}");
    std::string topic = topic_format_;
    replace_all(topic, "${topic}", r.topic);
    replace_all(topic, "${timestamp}", format_->format(*r.timestamp));
    r.topic = std::move(topic);
  }

 private:
  std::string topic_format_;
  std::unique_ptr<text::DateFormat> format_;
};

}  // namespace

void add_timestamp_transforms(api::PluginBuilder& p) {
  const std::string k = "org.apache.kafka.connect.transforms.";
  p.transformation<TimestampConverter<Operand::Key>>(k + "TimestampConverter$Key");
  p.transformation<TimestampConverter<Operand::Value>>(k + "TimestampConverter$Value");
  p.transformation<TimestampRouter>(k + "TimestampRouter");
}

}  // namespace sluice::transforms
