#include "plugins/converters/string_converter.h"

#include <cctype>
#include <stdexcept>

#include "plugins/converters/text_format.h"
#include "plugins/converters/values.h"
#include "plugins/converters/version.h"

namespace sluice::converters {

namespace {

bool is_utf8_name(const std::string& raw) {
  std::string n;
  for (char c : raw)
    if (!std::isspace(static_cast<unsigned char>(c)))
      n.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return n == "UTF-8" || n == "UTF8";
}

}  // namespace

std::string StringConverter::version() const { return kVersion; }

api::ConfigDef StringConverter::config_def() const {
  api::ConfigDef def;
  api::ConfigKey k;
  k.name = kEncoding;
  k.type = api::ConfigType::String;
  k.default_value = "UTF-8";
  k.importance = api::Importance::High;
  k.documentation = "The name of the Java character set to use for encoding strings as byte arrays.";
  k.width = api::Width::Medium;
  k.display_name = "Encoding";
  k.validator = [](const std::string&, const std::string& v) -> std::optional<std::string> {
    if (is_utf8_name(v)) return std::nullopt;
    return "Only UTF-8 is supported";
  };
  def.define(std::move(k));
  return def;
}

void StringConverter::configure(const api::Config& config, bool) { configure(config); }

void StringConverter::configure(const api::Config& config) {
  std::string enc = api::config_value::get_string(config, kEncoding, "UTF-8");
  if (!is_utf8_name(enc))
    throw std::invalid_argument("Invalid value " + enc + " for configuration " + kEncoding +
                                ": Only UTF-8 is supported");
}

void StringConverter::from_connect(std::string_view, const api::SchemaPtr& schema,
                                   const api::Value& value, std::string& out, bool& is_null) {
  is_null = value.is_null();
  if (is_null) return;
  if (value.kind() == api::Value::Kind::String) {
    out.append(value.as_string());
    return;
  }
  values::append_java_to_string(out, schema.get(), value);
}

api::SchemaAndValue StringConverter::to_connect(std::string_view, const char* data, size_t size) {
  api::SchemaPtr schema = api::schemas::optional_string();
  if (!data) return {std::move(schema), api::Value()};
  std::string_view text(data, size);
  if (detail::is_valid_utf8(text))
    return {std::move(schema), api::Value::string(std::string(text))};
  return {std::move(schema), api::Value::string(detail::sanitize_utf8(text))};
}

void StringConverter::from_connect_header(std::string_view topic, std::string_view,
                                          const api::SchemaPtr& schema, const api::Value& value,
                                          std::string& out, bool& is_null) {
  from_connect(topic, schema, value, out, is_null);
}

api::SchemaAndValue StringConverter::to_connect_header(std::string_view topic, std::string_view,
                                                       const char* data, size_t size) {
  return to_connect(topic, data, size);
}

}  // namespace sluice::converters
