#pragma once
// The built-in converters as a plugin descriptor, registered by the host through the same
// registry as the .so plugins (it is linked into the sluice binary, so nothing is exported):
//
//   converters:        org.apache.kafka.connect.json.JsonConverter             (JsonConverter)
//                      org.apache.kafka.connect.storage.StringConverter        (StringConverter)
//                      org.apache.kafka.connect.converters.ByteArrayConverter  (ByteArrayConverter)
//   header converters: org.apache.kafka.connect.storage.SimpleHeaderConverter  (SimpleHeaderConverter)
//                      and the three above, which Connect also accepts as header converters.

#include "plugins/api/plugin.h"

// Name "sluice-converters", version "0.1.0". The descriptor lives for the whole process.
const sluice_plugin_descriptor* sluice_builtin_converters_entry();
