// `sluice mysql-binlog` alone (same code, runtime/app/mysql_binlog.cc) without the rest of the
// worker, so tests/bench/binlog_bench.py can measure an optimised decoder without building the
// whole tree in Release. Usage as `sluice mysql-binlog`: mysql_binlog_bench [--stats] FILE...
#include "runtime/app/mysql_binlog.h"

int main(int argc, char** argv) { return sluice::app::run_mysql_binlog(argc, argv); }
