// libFuzzer target for JsonConverter::to_connect, with schemas.enable true and false (and a
// NUMERIC-decimal converter): any bytes must give either a DataException or Connect data.
// Data that decodes and can be written again must reach a fixed point: writing it, reading
// that back and writing again gives the same bytes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "plugins/converters/json_converter.h"
#include "plugins/converters/text_format.h"

namespace {

using sluice::converters::DataException;
using sluice::converters::JsonConverter;

JsonConverter* make(const char* schemas_enable, const char* decimal_format) {
  auto* c = new JsonConverter();  // lives for the whole run
  c->configure({{"schemas.enable", schemas_enable}, {"decimal.format", decimal_format}}, false);
  return c;
}

void check(JsonConverter& c, const char* data, size_t size) {
  sluice::api::SchemaAndValue sv;
  try {
    sv = c.to_connect("fuzz", data, size);
  } catch (const DataException& e) {
    if (std::string(e.what()).empty()) std::abort();
    return;
  }
  std::string first;
  bool is_null = false;
  try {
    c.from_connect("fuzz", sv.schema, sv.value, first, is_null);
  } catch (const DataException&) {
    return;  // readable but not writable (e.g. a struct default of another schema)
  }
  if (is_null) {
    if (sv.schema || !sv.value.is_null()) std::abort();
    return;
  }
  sluice::api::SchemaAndValue again;
  try {
    again = c.to_connect("fuzz", first.data(), first.size());
  } catch (const std::exception&) {
    std::abort();  // what we write must read back
  }
  std::string second;
  c.from_connect("fuzz", again.schema, again.value, second, is_null);
  if (second != first) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static JsonConverter* with_schemas = make("true", "BASE64");
  static JsonConverter* without_schemas = make("false", "BASE64");
  static JsonConverter* numeric = make("true", "NUMERIC");
  const char* text = reinterpret_cast<const char*>(data);
  check(*with_schemas, text, size);
  check(*without_schemas, text, size);
  check(*numeric, text, size);
  return 0;
}
