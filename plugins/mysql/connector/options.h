#pragma once
// The connector's settings (Debezium 2.7 names and defaults), declared once as a ConfigDef and
// read into a plain struct the task uses.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "plugins/api/config_def.h"

namespace sluice::mysql::cdc {

enum class SnapshotMode { kInitial, kInitialOnly, kNoData, kNever, kWhenNeeded, kRecovery, kAlways };
enum class DecimalMode { kPrecise, kDouble, kString };
enum class BinaryMode { kBytes, kBase64, kBase64UrlSafe, kHex };

struct Options {
  std::string name;             // connector name
  std::string flavor;           // "mysql" or "mariadb": source.connector and the Source schema name
  std::string topic_prefix;
  std::string host = "localhost";
  int port = 3306;
  std::string user, password;
  uint32_t server_id = 0;
  std::string ssl_mode = "preferred";
  std::string ssl_ca, ssl_cert, ssl_key;
  int connect_timeout_ms = 30000;
  std::vector<std::string> database_include, database_exclude, table_include, table_exclude;
  SnapshotMode snapshot_mode = SnapshotMode::kInitial;
  int snapshot_max_threads = 1;        // snapshot.max.threads: reader connections
  int64_t snapshot_chunk_rows = 500000;  // sluice.snapshot.chunk.rows: primary-key chunk size (estimated rows)
  DecimalMode decimal_mode = DecimalMode::kPrecise;
  BinaryMode binary_mode = BinaryMode::kBytes;
  bool time_connect = false;        // time.precision.mode=connect
  bool bigint_precise = false;      // bigint.unsigned.handling.mode=precise
  bool tombstones_on_delete = true;
  bool include_query = false;
  bool include_schema_changes = true;
  bool provide_transaction_metadata = false;
  std::string skipped_operations = "t";
  int max_batch_size = 2048;
  int max_queue_size = 8192;
  int poll_interval_ms = 500;
  int64_t heartbeat_interval_ms = 0;
  std::string heartbeat_topic_prefix = "__debezium-heartbeat";
  std::string heartbeat_action_query;
  std::string event_failure_mode = "fail";
  int read_timeout_s = 30;          // binlog socket; server heartbeats come 6x as often
  // Per-column options (column_rules.h): regex lists and message.key.columns as written.
  std::vector<std::string> column_include, column_exclude, propagate_columns, propagate_datatypes;
  std::vector<std::pair<int, std::vector<std::string>>> mask_columns;      // column.mask.with.<n>.chars
  std::vector<std::pair<int, std::vector<std::string>>> truncate_columns;  // column.truncate.to.<n>.chars
  struct HashRule {  // column.mask.hash[.v2].<algorithm>.with.salt.<salt>
    bool v2 = false;
    std::string algorithm, salt;
    std::vector<std::string> patterns;
  };
  std::vector<HashRule> hash_columns;
  std::string message_key_columns;
};

sluice::api::ConfigDef mysql_config_def();

// Reads and checks a task/connector config; throws std::invalid_argument naming the key.
// `warnings` collects deprecation notes (database.server.name, schema_only, ...).
Options parse_options(const sluice::api::Config& config, const std::string& flavor,
                      std::vector<std::string>& warnings);

}  // namespace sluice::mysql::cdc
