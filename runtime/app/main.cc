// The sluice command line.

#include <malloc.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "runtime/app/dev_kafka.h"
#include "runtime/app/distributed.h"
#include "runtime/app/mysql_binlog.h"
#include "runtime/app/signals.h"
#include "runtime/app/standalone.h"

namespace {

constexpr const char* kUsage =
    "usage: sluice COMMAND [ARGS]\n"
    "\n"
    "A native worker runtime compatible with Kafka Connect.\n"
    "\n"
    "commands:\n"
    "  standalone WORKER.properties [CONNECTOR.properties|CONNECTOR.json ...]\n"
    "                 run connectors in this process, as connect-standalone\n"
    "  distributed WORKER.properties\n"
    "                 run a worker of a Connect cluster, as connect-distributed\n"
    "  plugins [--plugin-path DIRS] [WORKER.properties]\n"
    "                 list the connectors, converters and transforms that load\n"
    "  dev-kafka [--brokers N] [--port N] [--topic NAME:PARTITIONS ...]\n"
    "                 an in-memory Kafka for trying Sluice and fast tests (see dev-kafka --help)\n"
    "  mysql-binlog [--events] FILE...\n"
    "                 decode MySQL/MariaDB binlog files into JSON lines (see mysql-binlog --help)\n"
    "  version        print the version\n";

}  // namespace

int main(int argc, char** argv) {
  // No glibc fastbins. A task frees its delivered records in bursts of thousands; each free
  // that merges into a large free chunk makes glibc consolidate every fastbin first, and that
  // consolidation was ~8% of a streaming task's thread (perf). Without fastbins, small frees
  // still go to the per-thread cache, and the task thread's CPU per record falls a few percent
  // (tests/bench/postgres_bench.py).
  mallopt(M_MXFAST, 0);
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (cmd == "version" || cmd == "--version") {
    std::printf("sluice %s\n", SLUICE_VERSION);
    return 0;
  }
  if (cmd == "standalone") {
    // Before any thread starts, so every thread inherits the blocked stop signals.
    sluice::app::block_stop_signals();
    return sluice::app::run_standalone(argc - 1, argv + 1);
  }
  if (cmd == "distributed") {
    sluice::app::block_stop_signals();
    return sluice::app::run_distributed(argc - 1, argv + 1);
  }
  if (cmd == "plugins") return sluice::app::run_plugins(argc - 1, argv + 1);
  if (cmd == "dev-kafka") return sluice::run_dev_kafka(argc - 1, argv + 1);
  if (cmd == "mysql-binlog") return sluice::app::run_mysql_binlog(argc - 1, argv + 1);
  std::fprintf(stderr, "sluice: unknown command '%s'\n\n%s", cmd.c_str(), kUsage);
  return 2;
}
