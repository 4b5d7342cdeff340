#pragma once
// org.apache.kafka.connect.storage.StringConverter: writes the value's string form (Java's
// toString(), see values::append_java_to_string) in UTF-8; reads any bytes as an optional
// string (invalid UTF-8 replaced by U+FFFD, as Java decodes). converter.encoding accepts only
// UTF-8 (or its alias UTF8); anything else fails configure() naming the setting. Also a header
// converter, as in Java.

#include <string>
#include <string_view>

#include "plugins/api/converter.h"

namespace sluice::converters {

class StringConverter final : public api::Converter, public api::HeaderConverter {
 public:
  static constexpr const char* kEncoding = "converter.encoding";

  std::string version() const override;
  api::ConfigDef config_def() const override;
  void configure(const api::Config& config, bool is_key) override;
  void configure(const api::Config& config) override;

  void from_connect(std::string_view topic, const api::SchemaPtr& schema, const api::Value& value,
                    std::string& out, bool& is_null) override;
  api::SchemaAndValue to_connect(std::string_view topic, const char* data, size_t size) override;

  void from_connect_header(std::string_view topic, std::string_view header_key,
                           const api::SchemaPtr& schema, const api::Value& value, std::string& out,
                           bool& is_null) override;
  api::SchemaAndValue to_connect_header(std::string_view topic, std::string_view header_key,
                                        const char* data, size_t size) override;
};

}  // namespace sluice::converters
