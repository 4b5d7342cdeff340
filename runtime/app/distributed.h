#pragma once

namespace sluice::app {

// sluice distributed WORKER.properties: a worker of a Connect cluster, as connect-distributed.
int run_distributed(int argc, char** argv);

}  // namespace sluice::app
