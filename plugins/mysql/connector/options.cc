#include "plugins/mysql/connector/options.h"

#include "plugins/mysql/connector/column_rules.h"

#include <stdexcept>

namespace sluice::mysql::cdc {

using namespace sluice::api;

namespace {

void def(ConfigDef& d, const char* name, ConfigType t, std::optional<std::string> dflt, Importance imp,
         const char* doc, Validator v = {}) {
  ConfigKey k;
  k.name = name;
  k.type = t;
  if (dflt) k.default_value = *dflt; else k.null_default = true;
  k.importance = imp;
  k.documentation = doc;
  k.validator = std::move(v);
  d.define(std::move(k));
}

std::string get(const Config& c, const std::string& key, const std::string& fallback = "") {
  auto it = c.find(key);
  return it == c.end() ? fallback : it->second;
}

template <class E>
E pick(const Config& c, const std::string& key, const std::string& dflt,
       std::initializer_list<std::pair<const char*, E>> choices) {
  std::string v = get(c, key, dflt);
  for (auto& [n, e] : choices)
    if (v == n) return e;
  std::string allowed;
  for (auto& [n, e] : choices) allowed += (allowed.empty() ? "" : ", ") + std::string(n);
  throw std::invalid_argument("Invalid value " + v + " for configuration " + key +
                              ": must be one of " + allowed);
}

// "column.mask.with.12.chars" with prefix "column.mask.with." -> 12; -1 if the key is not one.
int numbered_key(const std::string& key, const std::string& prefix) {
  const std::string suffix = ".chars";
  if (key.size() <= prefix.size() + suffix.size() || key.compare(0, prefix.size(), prefix) != 0 ||
      key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0)
    return -1;
  std::string n = key.substr(prefix.size(), key.size() - prefix.size() - suffix.size());
  if (n.empty() || n.size() > 9 || n.find_first_not_of("0123456789") != std::string::npos)
    throw std::invalid_argument(key + ": the number of characters must be a non-negative integer");
  return std::stoi(n);
}

// column.mask.hash.<alg>.with.salt.<salt> or column.mask.hash.v2.<alg>.with.salt.<salt>; the
// algorithm has no '.', the salt is the rest (Debezium's pattern).
Options::HashRule parse_hash_key(const std::string& key, const std::string& value) {
  Options::HashRule h;
  std::string rest = key.substr(std::string("column.mask.hash.").size());
  if (rest.rfind("v2.", 0) == 0) {
    h.v2 = true;
    rest = rest.substr(3);
  }
  size_t dot = rest.find('.');
  const std::string with = ".with.salt.";
  if (dot == 0 || dot == std::string::npos || rest.compare(dot, with.size(), with) != 0 || rest.size() == dot + with.size())
    throw std::invalid_argument(key + ": must look like column.mask.hash[.v2].<algorithm>.with.salt.<salt>");
  h.algorithm = rest.substr(0, dot);
  h.salt = rest.substr(dot + with.size());
  h.patterns = config_value::split_list(value);
  return h;
}

void parse_column_options(const Config& c, Options& o) {
  o.column_include = config_value::get_list(c, "column.include.list");
  o.column_exclude = config_value::get_list(c, "column.exclude.list");
  if (!o.column_include.empty() && !o.column_exclude.empty())
    throw std::invalid_argument("column.include.list and column.exclude.list cannot both be set: use one of them");
  o.propagate_columns = config_value::get_list(c, "column.propagate.source.type");
  o.propagate_datatypes = config_value::get_list(c, "datatype.propagate.source.type");
  o.message_key_columns = get(c, "message.key.columns");
  for (auto& [key, value] : c) {
    if (key.rfind("column.mask.hash.", 0) == 0) {
      o.hash_columns.push_back(parse_hash_key(key, value));
      continue;
    }
    if (int n = numbered_key(key, "column.mask.with."); n >= 0)
      o.mask_columns.emplace_back(n, config_value::split_list(value));
    else if (int m = numbered_key(key, "column.truncate.to."); m >= 0)
      o.truncate_columns.emplace_back(m, config_value::split_list(value));
  }
  ColumnRules check(o);  // throws on a bad pattern, naming the key
}

}  // namespace

ConfigDef mysql_config_def() {
  ConfigDef d;
  def(d, "topic.prefix", ConfigType::String, std::nullopt, Importance::High,
      "Prefix of every topic name and the logical server name in the source partition");
  def(d, "database.hostname", ConfigType::String, std::nullopt, Importance::High, "Database host");
  def(d, "database.port", ConfigType::Int, "3306", Importance::High, "Database port");
  def(d, "database.user", ConfigType::String, std::nullopt, Importance::High, "Database user");
  def(d, "database.password", ConfigType::Password, std::nullopt, Importance::High, "Password");
  def(d, "database.server.id", ConfigType::Long, std::nullopt, Importance::High,
      "Replica server id of the binlog connection; unique among the server's replicas",
      validators::range(1, 4294967295LL));
  def(d, "database.ssl.mode", ConfigType::String, "preferred", Importance::Medium,
      "disabled, preferred, required, verify_ca or verify_identity",
      validators::one_of({"disabled", "preferred", "required", "verify_ca", "verify_identity"}));
  def(d, "database.ssl.truststore", ConfigType::String, std::nullopt, Importance::Low,
      "Sluice: a PEM CA file (Debezium takes a JKS trust store)");
  def(d, "database.include.list", ConfigType::List, std::nullopt, Importance::Medium, "Databases to capture (regexes)");
  def(d, "database.exclude.list", ConfigType::List, std::nullopt, Importance::Medium, "Databases not to capture");
  def(d, "table.include.list", ConfigType::List, std::nullopt, Importance::Medium, "Tables to capture (db.table regexes)");
  def(d, "table.exclude.list", ConfigType::List, std::nullopt, Importance::Medium, "Tables not to capture");
  def(d, "column.include.list", ConfigType::List, std::nullopt, Importance::Medium,
      "Columns to put in change event values (db.table.column regexes)");
  def(d, "column.exclude.list", ConfigType::List, std::nullopt, Importance::Medium,
      "Columns left out of change event values (db.table.column regexes)");
  def(d, "column.propagate.source.type", ConfigType::List, std::nullopt, Importance::Low,
      "Columns (db.table.column regexes) whose value schema gets __debezium.source.column.* parameters");
  def(d, "datatype.propagate.source.type", ConfigType::List, std::nullopt, Importance::Low,
      "Column types (db.table.TYPE regexes) whose value schema gets __debezium.source.column.* parameters");
  def(d, "message.key.columns", ConfigType::String, std::nullopt, Importance::Low,
      "Record key columns per table: <db>.<table regex>:<column>,<column>;...");
  def(d, "snapshot.mode", ConfigType::String, "initial", Importance::Medium,
      "initial, initial_only, no_data (schema_only), never, when_needed, recovery (schema_only_recovery), always");
  def(d, "snapshot.max.threads", ConfigType::Int, "1", Importance::Medium,
      "Reader connections of the snapshot; each sees the same consistent point", validators::range(1, 64));
  def(d, "sluice.snapshot.chunk.rows", ConfigType::Long, "500000", Importance::Low,
      "Sluice: with snapshot.max.threads > 1, tables estimated larger than this with a one-column integer "
      "primary key are read in primary-key ranges of about this many rows, shared by the readers",
      validators::at_least(1));
  def(d, "decimal.handling.mode", ConfigType::String, "precise", Importance::Medium, "precise, double or string",
      validators::one_of({"precise", "double", "string"}));
  def(d, "binary.handling.mode", ConfigType::String, "bytes", Importance::Low,
      "bytes, base64, base64-url-safe or hex",
      validators::one_of({"bytes", "base64", "base64-url-safe", "hex"}));
  def(d, "time.precision.mode", ConfigType::String, "adaptive_time_microseconds", Importance::Medium,
      "adaptive_time_microseconds or connect", validators::one_of({"adaptive_time_microseconds", "connect"}));
  def(d, "bigint.unsigned.handling.mode", ConfigType::String, "long", Importance::Medium, "long or precise",
      validators::one_of({"long", "precise"}));
  def(d, "tombstones.on.delete", ConfigType::Boolean, "true", Importance::Medium, "A tombstone after each delete");
  def(d, "include.query", ConfigType::Boolean, "false", Importance::Low,
      "source.query from MariaDB ANNOTATE_ROWS / MySQL ROWS_QUERY events");
  def(d, "include.schema.changes", ConfigType::Boolean, "true", Importance::Medium,
      "Schema change events (the binlog's DDL) on the <topic.prefix> topic");
  def(d, "provide.transaction.metadata", ConfigType::Boolean, "false", Importance::Low,
      "Transaction boundaries on <topic.prefix>.transaction and a transaction block in each event");
  def(d, "skipped.operations", ConfigType::List, "t", Importance::Low, "Operations not emitted: c, u, d, t or none");
  def(d, "max.batch.size", ConfigType::Int, "2048", Importance::Medium, "Records per poll", validators::at_least(1));
  def(d, "max.queue.size", ConfigType::Int, "8192", Importance::Medium, "Records queued between reader and poll",
      validators::at_least(1));
  def(d, "poll.interval.ms", ConfigType::Long, "500", Importance::Low, "Longest wait of one poll",
      validators::at_least(0));
  def(d, "heartbeat.interval.ms", ConfigType::Int, "0", Importance::Low, "Heartbeat records; 0 = off");
  def(d, "heartbeat.action.query", ConfigType::String, std::nullopt, Importance::Low,
      "SQL run on the database at every heartbeat");
  def(d, "topic.heartbeat.prefix", ConfigType::String, "__debezium-heartbeat", Importance::Low, "Heartbeat topic prefix");
  def(d, "event.processing.failure.handling.mode", ConfigType::String, "fail", Importance::Low,
      "fail, warn, skip or ignore", validators::one_of({"fail", "warn", "skip", "ignore"}));
  def(d, "connect.timeout.ms", ConfigType::Long, "30000", Importance::Low, "Connection timeout");
  return d;
}

Options parse_options(const Config& c, const std::string& flavor, std::vector<std::string>& warnings) {
  Options o;
  o.flavor = flavor;
  o.name = get(c, "name");
  o.topic_prefix = get(c, "topic.prefix");
  if (o.topic_prefix.empty() && !get(c, "database.server.name").empty()) {
    o.topic_prefix = get(c, "database.server.name");
    warnings.push_back("database.server.name is deprecated: use topic.prefix");
  }
  if (o.topic_prefix.empty()) throw std::invalid_argument("Missing required configuration \"topic.prefix\"");
  for (char ch : o.topic_prefix)
    if (!isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '_' && ch != '-')
      throw std::invalid_argument("topic.prefix \"" + o.topic_prefix +
                                  "\" may contain only letters, digits, '.', '_' and '-'");
  o.host = get(c, "database.hostname", "localhost");
  o.port = static_cast<int>(config_value::get_long(c, "database.port", 3306));
  o.user = get(c, "database.user");
  o.password = get(c, "database.password");
  if (get(c, "database.server.id").empty())
    throw std::invalid_argument("Missing required configuration \"database.server.id\": a replica id "
                                "unique among the server's replicas, e.g. 184054");
  int64_t sid = config_value::get_long(c, "database.server.id", 0);
  if (sid <= 0 || sid > 4294967295LL)
    throw std::invalid_argument("database.server.id must be between 1 and 4294967295");
  o.server_id = static_cast<uint32_t>(sid);
  o.ssl_mode = get(c, "database.ssl.mode", "preferred");
  o.ssl_ca = get(c, "database.ssl.truststore");
  o.connect_timeout_ms = static_cast<int>(config_value::get_long(c, "connect.timeout.ms", 30000));
  o.database_include = config_value::get_list(c, "database.include.list");
  o.database_exclude = config_value::get_list(c, "database.exclude.list");
  o.table_include = config_value::get_list(c, "table.include.list");
  o.table_exclude = config_value::get_list(c, "table.exclude.list");
  std::string mode = get(c, "snapshot.mode", "initial");
  if (mode == "schema_only") { warnings.push_back("snapshot.mode schema_only is deprecated: use no_data"); mode = "no_data"; }
  if (mode == "schema_only_recovery") { warnings.push_back("snapshot.mode schema_only_recovery is deprecated: use recovery"); mode = "recovery"; }
  Config m{{"snapshot.mode", mode}};
  o.snapshot_mode = pick<SnapshotMode>(m, "snapshot.mode", "initial",
      {{"initial", SnapshotMode::kInitial}, {"initial_only", SnapshotMode::kInitialOnly},
       {"no_data", SnapshotMode::kNoData}, {"never", SnapshotMode::kNever},
       {"when_needed", SnapshotMode::kWhenNeeded}, {"recovery", SnapshotMode::kRecovery},
       {"always", SnapshotMode::kAlways}});
  o.snapshot_max_threads = static_cast<int>(config_value::get_long(c, "snapshot.max.threads", 1));
  if (o.snapshot_max_threads < 1 || o.snapshot_max_threads > 64)
    throw std::invalid_argument("snapshot.max.threads must be between 1 and 64");
  o.snapshot_chunk_rows = config_value::get_long(c, "sluice.snapshot.chunk.rows", 500000);
  if (o.snapshot_chunk_rows < 1) throw std::invalid_argument("sluice.snapshot.chunk.rows must be at least 1");
  o.decimal_mode = pick<DecimalMode>(c, "decimal.handling.mode", "precise",
      {{"precise", DecimalMode::kPrecise}, {"double", DecimalMode::kDouble}, {"string", DecimalMode::kString}});
  o.binary_mode = pick<BinaryMode>(c, "binary.handling.mode", "bytes",
      {{"bytes", BinaryMode::kBytes}, {"base64", BinaryMode::kBase64},
       {"base64-url-safe", BinaryMode::kBase64UrlSafe}, {"hex", BinaryMode::kHex}});
  o.time_connect = pick<bool>(c, "time.precision.mode", "adaptive_time_microseconds",
      {{"adaptive_time_microseconds", false}, {"connect", true}});
  o.bigint_precise = pick<bool>(c, "bigint.unsigned.handling.mode", "long", {{"long", false}, {"precise", true}});
  o.tombstones_on_delete = config_value::get_bool(c, "tombstones.on.delete", true);
  o.include_query = config_value::get_bool(c, "include.query", false);
  o.include_schema_changes = config_value::get_bool(c, "include.schema.changes", true);
  o.provide_transaction_metadata = config_value::get_bool(c, "provide.transaction.metadata", false);
  o.skipped_operations.clear();
  auto skipped = c.count("skipped.operations") ? config_value::get_list(c, "skipped.operations")
                                               : std::vector<std::string>{"t"};
  for (auto& s : skipped) {
    if (s == "none") continue;
    if (s != "c" && s != "u" && s != "d" && s != "t")
      throw std::invalid_argument("skipped.operations: unknown operation \"" + s + "\" (c, u, d, t or none)");
    o.skipped_operations += s;
  }
  o.max_batch_size = static_cast<int>(config_value::get_long(c, "max.batch.size", 2048));
  o.max_queue_size = static_cast<int>(config_value::get_long(c, "max.queue.size", 8192));
  if (o.max_queue_size <= o.max_batch_size) {
    warnings.push_back("max.queue.size must be larger than max.batch.size; using max.batch.size + 1");
    o.max_queue_size = o.max_batch_size + 1;
  }
  o.poll_interval_ms = static_cast<int>(config_value::get_long(c, "poll.interval.ms", 500));
  o.heartbeat_interval_ms = config_value::get_long(c, "heartbeat.interval.ms", 0);
  o.heartbeat_topic_prefix = get(c, "topic.heartbeat.prefix", "__debezium-heartbeat");
  o.heartbeat_action_query = get(c, "heartbeat.action.query");
  o.event_failure_mode = get(c, "event.processing.failure.handling.mode", "fail");
  parse_column_options(c, o);
  return o;
}

}  // namespace sluice::mysql::cdc
