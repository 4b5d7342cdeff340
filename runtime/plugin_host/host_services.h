#pragma once
// The services the host lends plugins (sluice_host_services, plugins/api/regex.h): today the
// Java regex engine, runtime/config/java_regex.h. The registry hands them to every plugin it
// loads; install_host_services() sets them in the host's own copy of the plugin API, which the
// plugins linked into the binary (transforms, converters) share.

#include "plugins/api/regex.h"

namespace sluice::plugin_host {

// The host's services; lives for the whole process.
const sluice_host_services* host_services();

// Sets host_services() in the host's copy of the plugin API. Idempotent.
void install_host_services();

}  // namespace sluice::plugin_host
