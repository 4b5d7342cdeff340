#pragma once
// `sluice mysql-binlog [--events] FILE...`: decodes MySQL/MariaDB binlog files into one JSON
// line per row change (or per event with --events), for debugging replication and for tests.

namespace sluice::app {

// argv[0] is "mysql-binlog". Exit code 0 when every file decoded completely; 1 on a
// truncated or corrupt file (after printing what was complete) or an unreadable one; 2 on bad
// arguments.
int run_mysql_binlog(int argc, char** argv);

}  // namespace sluice::app
