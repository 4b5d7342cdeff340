#include "plugins/api/data.h"

#include <array>
#include <stdexcept>

namespace sluice::api {

const char* type_name(Type t) {
  switch (t) {
    case Type::Int8: return "int8";
    case Type::Int16: return "int16";
    case Type::Int32: return "int32";
    case Type::Int64: return "int64";
    case Type::Float32: return "float";
    case Type::Float64: return "double";
    case Type::Boolean: return "boolean";
    case Type::String: return "string";
    case Type::Bytes: return "bytes";
    case Type::Array: return "array";
    case Type::Map: return "map";
    case Type::Struct: return "struct";
  }
  return "unknown";
}

bool is_primitive(Type t) { return t != Type::Array && t != Type::Map && t != Type::Struct; }

bool Value::get_integer(int64_t& out) const {
  switch (kind()) {
    case Kind::Int8: out = as_int8(); return true;
    case Kind::Int16: out = as_int16(); return true;
    case Kind::Int32: out = as_int32(); return true;
    case Kind::Int64: out = as_int64(); return true;
    default: return false;
  }
}

bool Value::operator==(const Value& o) const {
  if (kind() != o.kind()) return false;
  switch (kind()) {
    case Kind::Array: return as_array() == o.as_array();
    case Kind::Map: return as_map() == o.as_map();
    case Kind::Struct: return as_struct() == o.as_struct();
    default: return v_ == o.v_;
  }
}

const std::string* Schema::parameter(std::string_view key) const {
  for (auto& [k, v] : parameters_)
    if (k == key) return &v;
  return nullptr;
}

const Field* Schema::field(std::string_view n) const {
  for (auto& f : fields_)
    if (f.name == n) return &f;
  return nullptr;
}

static bool same_ptr(const SchemaPtr& a, const SchemaPtr& b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return *a == *b;
}

bool Schema::operator==(const Schema& o) const {
  if (this == &o) return true;
  if (type_ != o.type_ || optional_ != o.optional_ || name_ != o.name_ || version_ != o.version_ ||
      doc_ != o.doc_ || parameters_ != o.parameters_ || fields_.size() != o.fields_.size())
    return false;
  if (static_cast<bool>(default_) != static_cast<bool>(o.default_)) return false;
  if (default_ && !(*default_ == *o.default_)) return false;
  for (size_t i = 0; i < fields_.size(); ++i)
    if (fields_[i].name != o.fields_[i].name || !same_ptr(fields_[i].schema, o.fields_[i].schema))
      return false;
  return same_ptr(key_, o.key_) && same_ptr(value_, o.value_);
}

SchemaBuilder SchemaBuilder::array(SchemaPtr items) {
  SchemaBuilder b(Type::Array);
  b.s_.value_ = std::move(items);
  return b;
}

SchemaBuilder SchemaBuilder::map(SchemaPtr keys, SchemaPtr values) {
  SchemaBuilder b(Type::Map);
  b.s_.key_ = std::move(keys);
  b.s_.value_ = std::move(values);
  return b;
}

SchemaBuilder& SchemaBuilder::parameter(std::string k, std::string v) {
  for (auto& [key, val] : s_.parameters_)
    if (key == k) { val = std::move(v); return *this; }
  s_.parameters_.emplace_back(std::move(k), std::move(v));
  return *this;
}

SchemaBuilder& SchemaBuilder::default_value(Value v) {
  s_.default_ = std::make_shared<const Value>(std::move(v));
  return *this;
}

SchemaBuilder& SchemaBuilder::field(std::string name, SchemaPtr schema) {
  if (s_.type_ != Type::Struct) throw std::logic_error("field() on a schema that is not a struct");
  if (s_.field(name)) throw std::invalid_argument("duplicate field " + name);
  size_t index = s_.fields_.size();
  s_.fields_.push_back(Field{std::move(name), index, std::move(schema)});
  return *this;
}

namespace schemas {
SchemaPtr of(Type t, bool optional) {
  static const auto table = [] {
    std::array<std::array<SchemaPtr, 2>, 9> out;
    for (int i = 0; i < 9; ++i)
      for (int o = 0; o < 2; ++o) {
        SchemaBuilder b(static_cast<Type>(i));
        if (o) b.optional();
        out[i][o] = b.build();
      }
    return out;
  }();
  if (!is_primitive(t)) throw std::invalid_argument("schemas::of needs a primitive type");
  return table[static_cast<int>(t)][optional ? 1 : 0];
}
}  // namespace schemas

namespace logical {
SchemaBuilder decimal(int32_t scale) {
  SchemaBuilder b(Type::Bytes);
  b.name(std::string(kDecimal)).version(1).parameter("scale", std::to_string(scale));
  return b;
}
SchemaBuilder date() {
  SchemaBuilder b(Type::Int32);
  b.name(std::string(kDate)).version(1);
  return b;
}
SchemaBuilder time() {
  SchemaBuilder b(Type::Int32);
  b.name(std::string(kTime)).version(1);
  return b;
}
SchemaBuilder timestamp() {
  SchemaBuilder b(Type::Int64);
  b.name(std::string(kTimestamp)).version(1);
  return b;
}
}  // namespace logical

Struct::Struct(SchemaPtr schema) : schema_(std::move(schema)) {
  if (!schema_ || schema_->type() != Type::Struct)
    throw std::invalid_argument("Struct needs a struct schema");
  values_.resize(schema_->fields().size());
}

Struct& Struct::put(std::string_view n, Value v) {
  const Field* f = schema_->field(n);
  if (!f) throw std::out_of_range("no field '" + std::string(n) + "' in schema " + schema_->name());
  values_[f->index] = std::move(v);
  return *this;
}

const Value* Struct::get(std::string_view n) const {
  const Field* f = schema_->field(n);
  return f ? &values_[f->index] : nullptr;
}

bool Struct::operator==(const Struct& o) const {
  return same_ptr(schema_, o.schema_) && values_ == o.values_;
}

}  // namespace sluice::api

#include <charconv>
#include <cmath>

namespace sluice::api {
namespace {

// Formats the shortest round-trip digits of `v` the way Java does: plain notation with at
// least one fractional digit for 1e-3 <= |v| < 1e7, else d.dddE[-]n.
std::string java_format(const char* sci, size_t n) {
  // `sci` is std::to_chars scientific output such as "-1.2345e+07" or "5e-05".
  std::string s(sci, n);
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.erase(0, 1);
  size_t e = s.find('e');
  std::string mant = s.substr(0, e);
  int exp = std::stoi(s.substr(e + 1));
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out = neg ? "-" : "";
  if (exp >= -3 && exp < 7) {
    if (exp < 0) {
      out += "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
    } else {
      size_t int_len = static_cast<size_t>(exp) + 1;
      if (digits.size() <= int_len) {
        out += digits + std::string(int_len - digits.size(), '0') + ".0";
      } else {
        out += digits.substr(0, int_len) + "." + digits.substr(int_len);
      }
    }
  } else {
    out += digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0") + "E" +
           std::to_string(exp);
  }
  return out;
}

template <class F>
std::string java_string(F v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  return java_format(buf, static_cast<size_t>(r.ptr - buf));
}

}  // namespace

std::string java_double_string(double v) { return java_string(v); }
std::string java_float_string(float v) { return java_string(v); }

}  // namespace sluice::api
