#pragma once
// org.apache.kafka.connect.converters.ByteArrayConverter: the schema must be null or BYTES and
// the value bytes (or null); the bytes go through unchanged. Reads as optional bytes. Also a
// header converter, as in Java.

#include <string>
#include <string_view>

#include "plugins/api/converter.h"

namespace sluice::converters {

class ByteArrayConverter final : public api::Converter, public api::HeaderConverter {
 public:
  std::string version() const override;
  api::ConfigDef config_def() const override { return {}; }
  void configure(const api::Config&, bool) override {}
  void configure(const api::Config&) override {}

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
