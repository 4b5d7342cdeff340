#pragma once
// The connector's settings (Debezium 2.7 names and defaults, shared/spec/debezium.md §9.1,
// §9.3), parsed once at task start.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "plugins/api/config_def.h"
#include "plugins/postgres/decode/types.h"

namespace sluice::postgres {

enum class SnapshotMode { Initial, Always, InitialOnly, NoData, Never, WhenNeeded };
enum class AutocreateMode { AllTables, Filtered, Disabled };

struct PgConfig {
  std::string connector_name;
  std::string topic_prefix;
  std::map<std::string, std::string> conn;  // libpq keywords
  std::string dbname;
  std::string slot_name = "debezium";
  bool slot_drop_on_stop = false;
  std::string publication_name = "dbz_publication";
  AutocreateMode autocreate = AutocreateMode::AllTables;
  SnapshotMode snapshot_mode = SnapshotMode::Initial;
  int64_t snapshot_max_threads = 1;  // parallel snapshot readers (snapshot_reader.cc)
  std::vector<std::string> schema_include, schema_exclude, table_include, table_exclude,
      column_include, column_exclude;
  std::string message_key_columns;
  std::vector<std::pair<std::string, int>> column_masks;  // regex, number of '*'
  std::set<char> skipped_ops{'t'};
  bool tombstones_on_delete = true;
  bool provide_transaction_metadata = false;
  int64_t heartbeat_interval_ms = 0;
  std::string heartbeat_action_query;
  std::string heartbeat_topic_prefix = "__debezium-heartbeat";
  std::string unavailable_placeholder = "__debezium_unavailable_value";
  int64_t max_batch_size = 2048;
  int64_t max_queue_size = 8192;
  int64_t poll_interval_ms = 500;
  int64_t status_update_interval_ms = 10000;
  int64_t retry_delay_ms = 10000;
  int64_t max_retries = 6;
  bool flush_lsn_source = true;
  std::vector<std::string> message_prefix_include, message_prefix_exclude;
  MappingOptions mapping;
  std::vector<std::string> warnings;  // e.g. database.server.name used as topic.prefix
};

// The ConfigDef of the connector (what validate and the docs show).
api::ConfigDef postgres_config_def();
// Cross-field checks and the database.server.name alias: errors per key, plus warnings.
api::ConfigInfos validate_postgres_config(const std::string& name, const api::Config& config);
// Throws std::invalid_argument naming the key when a value is unusable.
PgConfig parse_config(const api::Config& config);

}  // namespace sluice::postgres
