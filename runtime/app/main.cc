// Minimal command dispatcher; the full command line replaces this file later and keeps the
// run_dev_kafka call.
#include <cstdio>
#include <cstring>

#include "runtime/app/dev_kafka.h"

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "dev-kafka") == 0) {
    return sluice::run_dev_kafka(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "usage: sluice dev-kafka [--help]\n");
  return 2;
}
