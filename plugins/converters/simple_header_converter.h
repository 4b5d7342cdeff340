#pragma once
// org.apache.kafka.connect.storage.SimpleHeaderConverter, the worker's default header
// converter: writes a header value as UTF-8 text in Connect's Values.convertToString form and
// infers a schema when reading it back as Values.parseString does (see values.h for the exact
// rules and where they differ from Java). Text that cannot be read falls back to the raw bytes
// with a BYTES schema, as Java does.

#include <string>
#include <string_view>

#include "plugins/api/converter.h"

namespace sluice::converters {

class SimpleHeaderConverter final : public api::HeaderConverter {
 public:
  std::string version() const override;
  api::ConfigDef config_def() const override { return {}; }
  void configure(const api::Config&) override {}

  void from_connect_header(std::string_view topic, std::string_view header_key,
                           const api::SchemaPtr& schema, const api::Value& value, std::string& out,
                           bool& is_null) override;
  api::SchemaAndValue to_connect_header(std::string_view topic, std::string_view header_key,
                                        const char* data, size_t size) override;
};

}  // namespace sluice::converters
