#pragma once
// Internal: each source file of the library adds its components to the built-in plugin.

#include "plugins/api/plugin.h"

namespace sluice::transforms {

void add_field_transforms(api::PluginBuilder& p);   // InsertField ReplaceField MaskField ValueToKey
                                                    // ExtractField HoistField Flatten SetSchemaMetadata
void add_cast(api::PluginBuilder& p);               // Cast
void add_timestamp_transforms(api::PluginBuilder& p);  // TimestampConverter TimestampRouter
void add_routing(api::PluginBuilder& p);            // RegexRouter Filter and the three predicates
void add_header_transforms(api::PluginBuilder& p);  // HeaderFrom InsertHeader DropHeaders
void add_debezium_transforms(api::PluginBuilder& p);  // ExtractNewRecordState ByLogicalTableRouter

}  // namespace sluice::transforms
