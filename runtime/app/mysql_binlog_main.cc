// `sluice-mysql-binlog`: `sluice mysql-binlog` alone (the same code, mysql_binlog.cc) without
// the worker, so the binlog benchmark (tests/bench/binlog_bench.py) can build an optimised
// decoder without building the whole tree. Usage as `sluice mysql-binlog`.
#include "runtime/app/mysql_binlog.h"

int main(int argc, char** argv) { return sluice::app::run_mysql_binlog(argc, argv); }
