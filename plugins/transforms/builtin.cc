#include "plugins/transforms/builtin.h"

#include "plugins/transforms/common.h"
#include "plugins/transforms/transforms.h"

const sluice_plugin_descriptor* sluice_builtin_transforms_entry() {
  static const sluice_plugin_descriptor* d = [] {
    static sluice::api::PluginBuilder plugin("sluice-transforms", sluice::transforms::kVersion);
    sluice::transforms::add_debezium_transforms(plugin);
    sluice::transforms::add_routing(plugin);
    sluice::transforms::add_timestamp_transforms(plugin);
    sluice::transforms::add_field_transforms(plugin);
    sluice::transforms::add_cast(plugin);
    sluice::transforms::add_header_transforms(plugin);
    return plugin.descriptor();
  }();
  return d;
}
