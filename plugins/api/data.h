#pragma once
// Connect's data model: schemas and the values they describe.
//
// Schemas are immutable and shared (SchemaPtr); build them with SchemaBuilder. Values are
// small tagged unions; composite values (Struct, Array, Map) are held by shared pointer so a
// transformation that leaves part of a record alone shares it instead of copying.
// Logical types (Decimal, Date, Time, Timestamp) and Debezium's semantic types are named
// schemas over a base type, exactly as in Connect:
//   Decimal   -> BYTES holding the unscaled value, big-endian two's complement; scale in the
//                "scale" parameter
//   Date      -> INT32 days since the epoch
//   Time      -> INT32 milliseconds since midnight
//   Timestamp -> INT64 milliseconds since the epoch

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sluice::api {

enum class Type : uint8_t { Int8, Int16, Int32, Int64, Float32, Float64, Boolean, String, Bytes,
                            Array, Map, Struct };

// Connect's lower-case type name ("int32", "struct", ...), as JsonConverter writes it.
const char* type_name(Type t);
bool is_primitive(Type t);

class Schema;
class Value;
class Struct;
using SchemaPtr = std::shared_ptr<const Schema>;
using Parameters = std::vector<std::pair<std::string, std::string>>;  // insertion order

struct Field {
  std::string name;
  size_t index = 0;
  SchemaPtr schema;
};

// Bytes are kept apart from strings so a schemaless value still knows which it is.
struct Bytes {
  std::string data;
  bool operator==(const Bytes&) const = default;
};

using Array = std::vector<Value>;
using Map = std::vector<std::pair<Value, Value>>;

class Value {
 public:
  enum class Kind : uint8_t { Null, Boolean, Int8, Int16, Int32, Int64, Float32, Float64, String,
                              Bytes, Array, Map, Struct };

  Value() = default;
  static Value boolean(bool v) { return Value(v); }
  static Value int8(int8_t v) { return Value(v); }
  static Value int16(int16_t v) { return Value(v); }
  static Value int32(int32_t v) { return Value(v); }
  static Value int64(int64_t v) { return Value(v); }
  static Value float32(float v) { return Value(v); }
  static Value float64(double v) { return Value(v); }
  static Value string(std::string v) { return Value(std::move(v)); }
  static Value bytes(std::string v) { return Value(Bytes{std::move(v)}); }
  static Value array(Array v) { return Value(std::make_shared<const Array>(std::move(v))); }
  static Value map(Map v) { return Value(std::make_shared<const Map>(std::move(v))); }
  static Value structure(Struct v);
  static Value structure(std::shared_ptr<const Struct> v) { return Value(std::move(v)); }

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_null() const { return v_.index() == 0; }

  bool as_bool() const { return std::get<bool>(v_); }
  int8_t as_int8() const { return std::get<int8_t>(v_); }
  int16_t as_int16() const { return std::get<int16_t>(v_); }
  int32_t as_int32() const { return std::get<int32_t>(v_); }
  int64_t as_int64() const { return std::get<int64_t>(v_); }
  float as_float32() const { return std::get<float>(v_); }
  double as_float64() const { return std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const std::string& as_bytes() const { return std::get<Bytes>(v_).data; }
  const Array& as_array() const { return *std::get<std::shared_ptr<const Array>>(v_); }
  const Map& as_map() const { return *std::get<std::shared_ptr<const Map>>(v_); }
  const Struct& as_struct() const { return *std::get<std::shared_ptr<const Struct>>(v_); }
  const std::shared_ptr<const Struct>& struct_ptr() const {
    return std::get<std::shared_ptr<const Struct>>(v_);
  }

  // Any integer kind widened to 64 bits; false when the value is not an integer.
  bool get_integer(int64_t& out) const;

  bool operator==(const Value& other) const;

 private:
  template <class T>
  explicit Value(T v) : v_(std::move(v)) {}
  std::variant<std::monostate, bool, int8_t, int16_t, int32_t, int64_t, float, double, std::string,
               Bytes, std::shared_ptr<const Array>, std::shared_ptr<const Map>,
               std::shared_ptr<const Struct>>
      v_;
};

class Schema {
 public:
  Type type() const { return type_; }
  bool optional() const { return optional_; }
  const std::string& name() const { return name_; }  // empty: no name
  const std::optional<int32_t>& version() const { return version_; }
  const std::optional<std::string>& doc() const { return doc_; }
  const Parameters& parameters() const { return parameters_; }
  const std::string* parameter(std::string_view key) const;
  const Value* default_value() const { return default_.get(); }
  const std::vector<Field>& fields() const { return fields_; }  // Struct only
  const Field* field(std::string_view name) const;
  const SchemaPtr& key_schema() const { return key_; }      // Map only
  const SchemaPtr& value_schema() const { return value_; }  // Map and Array

  // Structural equality, as Connect's ConnectSchema.equals.
  bool operator==(const Schema& other) const;

 private:
  friend class SchemaBuilder;
  Type type_ = Type::Struct;
  bool optional_ = false;
  std::string name_;
  std::optional<int32_t> version_;
  std::optional<std::string> doc_;
  Parameters parameters_;
  std::shared_ptr<const Value> default_;
  std::vector<Field> fields_;
  SchemaPtr key_;
  SchemaPtr value_;
};

class SchemaBuilder {
 public:
  explicit SchemaBuilder(Type t) { s_.type_ = t; }
  static SchemaBuilder structure() { return SchemaBuilder(Type::Struct); }
  static SchemaBuilder array(SchemaPtr items);
  static SchemaBuilder map(SchemaPtr keys, SchemaPtr values);

  SchemaBuilder& optional() { s_.optional_ = true; return *this; }
  SchemaBuilder& required() { s_.optional_ = false; return *this; }
  SchemaBuilder& name(std::string n) { s_.name_ = std::move(n); return *this; }
  SchemaBuilder& version(int32_t v) { s_.version_ = v; return *this; }
  SchemaBuilder& doc(std::string d) { s_.doc_ = std::move(d); return *this; }
  SchemaBuilder& parameter(std::string k, std::string v);
  SchemaBuilder& default_value(Value v);
  SchemaBuilder& field(std::string name, SchemaPtr schema);
  SchemaPtr build() const { return std::make_shared<const Schema>(s_); }

 private:
  Schema s_;
};

// The shared primitive schemas, as Connect's Schema.INT32_SCHEMA and friends.
namespace schemas {
SchemaPtr of(Type t, bool optional);
inline SchemaPtr int8() { return of(Type::Int8, false); }
inline SchemaPtr int16() { return of(Type::Int16, false); }
inline SchemaPtr int32() { return of(Type::Int32, false); }
inline SchemaPtr int64() { return of(Type::Int64, false); }
inline SchemaPtr float32() { return of(Type::Float32, false); }
inline SchemaPtr float64() { return of(Type::Float64, false); }
inline SchemaPtr boolean() { return of(Type::Boolean, false); }
inline SchemaPtr string() { return of(Type::String, false); }
inline SchemaPtr bytes() { return of(Type::Bytes, false); }
inline SchemaPtr optional_string() { return of(Type::String, true); }
}  // namespace schemas

namespace logical {
inline constexpr std::string_view kDecimal = "org.apache.kafka.connect.data.Decimal";
inline constexpr std::string_view kDate = "org.apache.kafka.connect.data.Date";
inline constexpr std::string_view kTime = "org.apache.kafka.connect.data.Time";
inline constexpr std::string_view kTimestamp = "org.apache.kafka.connect.data.Timestamp";
SchemaBuilder decimal(int32_t scale);
SchemaBuilder date();
SchemaBuilder time();
SchemaBuilder timestamp();
}  // namespace logical

class Struct {
 public:
  explicit Struct(SchemaPtr schema);
  const SchemaPtr& schema() const { return schema_; }
  // Throws std::out_of_range for a field the schema lacks: a bug in the caller.
  Struct& put(std::string_view field, Value v);
  Struct& put(size_t index, Value v) { values_.at(index) = std::move(v); return *this; }
  const Value& get(size_t index) const { return values_.at(index); }
  const Value* get(std::string_view field) const;  // nullptr for an unknown field
  const std::vector<Value>& values() const { return values_; }
  bool operator==(const Struct& other) const;

 private:
  SchemaPtr schema_;
  std::vector<Value> values_;
};

inline Value Value::structure(Struct v) { return Value(std::make_shared<const Struct>(std::move(v))); }

struct SchemaAndValue {
  SchemaPtr schema;
  Value value;
};

}  // namespace sluice::api

namespace sluice::api {
// Java's Double.toString / Float.toString, which Jackson and Connect's Values use:
// "1.0", "0.001", "1.0E7", "1.5E-4", "NaN", "Infinity", "-Infinity".
std::string java_double_string(double v);
std::string java_float_string(float v);
}  // namespace sluice::api
