#pragma once
// Converters between Connect data and the bytes in Kafka, as Connect's Converter and
// HeaderConverter. Authors' classes may throw; the host calls them through plugin.h's guards.

#include <string>
#include <string_view>

#include "plugins/api/config_def.h"
#include "plugins/api/data.h"

namespace sluice::api {

class Converter {
 public:
  virtual ~Converter() = default;
  virtual std::string version() const { return "unknown"; }
  virtual ConfigDef config_def() const { return {}; }
  virtual void configure(const Config& config, bool is_key) = 0;
  // Appends the serialized form to `out` (cleared by the caller). Sets `is_null` for a null
  // message (a tombstone) instead of writing anything.
  virtual void from_connect(std::string_view topic, const SchemaPtr& schema, const Value& value,
                            std::string& out, bool& is_null) = 0;
  // `data` is null for a null message.
  virtual SchemaAndValue to_connect(std::string_view topic, const char* data, size_t size) = 0;
};

class HeaderConverter {
 public:
  virtual ~HeaderConverter() = default;
  virtual std::string version() const { return "unknown"; }
  virtual ConfigDef config_def() const { return {}; }
  virtual void configure(const Config& config) = 0;
  virtual void from_connect_header(std::string_view topic, std::string_view header_key,
                                   const SchemaPtr& schema, const Value& value, std::string& out,
                                   bool& is_null) = 0;
  virtual SchemaAndValue to_connect_header(std::string_view topic, std::string_view header_key,
                                           const char* data, size_t size) = 0;
};

}  // namespace sluice::api
