#include "plugins/converters/builtin.h"

#include "plugins/converters/byte_array_converter.h"
#include "plugins/converters/json_converter.h"
#include "plugins/converters/simple_header_converter.h"
#include "plugins/converters/string_converter.h"
#include "plugins/converters/version.h"

const sluice_plugin_descriptor* sluice_builtin_converters_entry() {
  using namespace sluice::converters;
  static const sluice_plugin_descriptor* d = [] {
    static sluice::api::PluginBuilder plugin("sluice-converters", kVersion);
    plugin.converter<JsonConverter>("org.apache.kafka.connect.json.JsonConverter", {"JsonConverter"});
    plugin.converter<StringConverter>("org.apache.kafka.connect.storage.StringConverter",
                                      {"StringConverter"});
    plugin.converter<ByteArrayConverter>("org.apache.kafka.connect.converters.ByteArrayConverter",
                                         {"ByteArrayConverter"});
    plugin.header_converter<SimpleHeaderConverter>(
        "org.apache.kafka.connect.storage.SimpleHeaderConverter", {"SimpleHeaderConverter"});
    plugin.header_converter<JsonConverter>("org.apache.kafka.connect.json.JsonConverter",
                                           {"JsonConverter"});
    plugin.header_converter<StringConverter>("org.apache.kafka.connect.storage.StringConverter",
                                             {"StringConverter"});
    plugin.header_converter<ByteArrayConverter>(
        "org.apache.kafka.connect.converters.ByteArrayConverter", {"ByteArrayConverter"});
    return plugin.descriptor();
  }();
  return d;
}
