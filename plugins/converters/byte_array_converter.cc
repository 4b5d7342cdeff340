#include "plugins/converters/byte_array_converter.h"

#include "plugins/converters/text_format.h"
#include "plugins/converters/version.h"

namespace sluice::converters {

std::string ByteArrayConverter::version() const { return kVersion; }

void ByteArrayConverter::from_connect(std::string_view, const api::SchemaPtr& schema,
                                      const api::Value& value, std::string& out, bool& is_null) {
  if (schema && schema->type() != api::Type::Bytes)
    throw DataException(std::string("Invalid schema type for ByteArrayConverter: ") +
                        detail::java_type_name(schema->type()));
  is_null = value.is_null();
  if (is_null) return;
  if (value.kind() != api::Value::Kind::Bytes)
    throw DataException(std::string("ByteArrayConverter is not compatible with objects of type ") +
                        detail::java_class_name(value.kind()));
  out.append(value.as_bytes());
}

api::SchemaAndValue ByteArrayConverter::to_connect(std::string_view, const char* data, size_t size) {
  api::SchemaPtr schema = api::schemas::of(api::Type::Bytes, true);
  if (!data) return {std::move(schema), api::Value()};
  return {std::move(schema), api::Value::bytes(std::string(data, size))};
}

void ByteArrayConverter::from_connect_header(std::string_view topic, std::string_view,
                                             const api::SchemaPtr& schema, const api::Value& value,
                                             std::string& out, bool& is_null) {
  from_connect(topic, schema, value, out, is_null);
}

api::SchemaAndValue ByteArrayConverter::to_connect_header(std::string_view topic, std::string_view,
                                                          const char* data, size_t size) {
  return to_connect(topic, data, size);
}

}  // namespace sluice::converters
