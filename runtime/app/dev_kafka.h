#pragma once
// `sluice dev-kafka`: an embedded, in-memory development broker (librdkafka's mock cluster)
// on loopback, with fault injection through commands on stdin or a control FIFO.

namespace sluice {

// argv[0] is "dev-kafka". Returns the process exit code: 0 after SIGINT/SIGTERM (or Ctrl-D
// on an interactive terminal), 1 if the broker cannot start, 2 on bad arguments.
int run_dev_kafka(int argc, char** argv);

}  // namespace sluice
