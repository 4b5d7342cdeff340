#pragma once
// The settings every source connector has, as Connect's SourceConnectorConfig declares them
// (groups Common, Transforms, Predicates, Error Handling, Topic Creation, Exactly Once Support,
// offsets.topic). Validation and GET /connector-plugins/{p}/config come from this table.

#include "plugins/api/config_def.h"
#include "runtime/plugin_host/registry.h"

namespace sluice::worker {

api::ConfigDef connector_framework_def(const plugin_host::Registry& registry);
// The table above enriched with a config's transforms and predicates, and its validation, are
// in transform_chain.h (enriched_connector_def, validate_connector_framework).

}  // namespace sluice::worker
