#pragma once

namespace sluice::app {

// sluice standalone WORKER.properties [CONNECTOR.properties|CONNECTOR.json ...]
int run_standalone(int argc, char** argv);
// sluice plugins [WORKER.properties]
int run_plugins(int argc, char** argv);

}  // namespace sluice::app
