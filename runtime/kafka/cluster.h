#pragma once
// A first contact with the cluster at start, as Connect does before anything else: an
// unreachable or misconfigured bootstrap.servers fails fast with a message that says so,
// instead of tasks waiting on it forever.

#include <string>

#include "runtime/common/error.h"
#include "runtime/kafka/client_config.h"

namespace sluice::kafka {

// The cluster id, or an error naming bootstrap.servers after `timeout_ms`.
Result<std::string> describe_cluster(const RdProps& props, int timeout_ms);

}  // namespace sluice::kafka
