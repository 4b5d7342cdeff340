#include "plugins/converters/simple_header_converter.h"

#include <exception>

#include "plugins/converters/text_format.h"
#include "plugins/converters/values.h"
#include "plugins/converters/version.h"

namespace sluice::converters {

std::string SimpleHeaderConverter::version() const { return kVersion; }

void SimpleHeaderConverter::from_connect_header(std::string_view, std::string_view,
                                                const api::SchemaPtr& schema,
                                                const api::Value& value, std::string& out,
                                                bool& is_null) {
  is_null = value.is_null();
  if (is_null) return;
  values::append_connect_string(out, schema.get(), value, false);
}

api::SchemaAndValue SimpleHeaderConverter::to_connect_header(std::string_view, std::string_view,
                                                             const char* data, size_t size) {
  if (!data) return {};
  std::string_view raw(data, size);
  try {
    if (detail::is_valid_utf8(raw)) return values::parse_string(raw);
    return values::parse_string(detail::sanitize_utf8(raw));
  } catch (const std::exception&) {
    return {api::schemas::bytes(), api::Value::bytes(std::string(raw))};
  }
}

}  // namespace sluice::converters
