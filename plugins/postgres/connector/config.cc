#include "plugins/postgres/connector/config.h"

#include "plugins/postgres/connector/filters.h"

#include <regex>
#include <stdexcept>

namespace sluice::postgres {

using namespace api;

namespace {

constexpr const char* kAliasWarning =
    "database.server.name is Debezium 1.x's name for topic.prefix; Sluice uses it as topic.prefix. "
    "Rename it to topic.prefix (Debezium 2.x rejects database.server.name)";

Validator regex_list() {  // Java regexes, through the host's engine (filters.h)
  return [](const std::string& name, const std::string& value) { return check_regex_list(name, value); };
}

Validator skipped_ops() {
  return [](const std::string&, const std::string& value) -> std::optional<std::string> {
    for (auto& op : config_value::split_list(value)) {
      if (op == "none" || op == "c" || op == "u" || op == "d" || op == "t") continue;
      return "The operation '" + op + "' is not a valid skipped operation: use c, u, d, t or none";
    }
    return std::nullopt;
  };
}

Validator slot_name() {
  return [](const std::string&, const std::string& value) -> std::optional<std::string> {
    static const std::regex re("[a-z0-9_]{1,63}");
    if (!std::regex_match(value, re))
      return "Slot names may only contain lower case letters, numbers and the underscore, "
             "1 to 63 characters";
    return std::nullopt;
  };
}

void def(ConfigDef& d, const char* name, ConfigType t, std::optional<std::string> dflt,
         Importance imp, const char* doc, Validator v = {}) {
  d.define(name, t, std::move(dflt), imp, doc, std::move(v));
}

void def_optional(ConfigDef& d, const char* name, ConfigType t, Importance imp, const char* doc,
                  Validator v = {}) {
  ConfigKey k;
  k.name = name;
  k.type = t;
  k.null_default = true;
  k.importance = imp;
  k.documentation = doc;
  k.validator = std::move(v);
  d.define(std::move(k));
}

}  // namespace

ConfigDef postgres_config_def() {
  ConfigDef d;
  def_optional(d, "topic.prefix", ConfigType::String, Importance::High,
               "Prefix of every topic name; also the source partition's server name",
               [](const std::string&, const std::string& v) -> std::optional<std::string> {
                 static const std::regex re("[A-Za-z0-9._-]+");
                 if (!std::regex_match(v, re))
                   return "topic.prefix may only contain A-Z, a-z, 0-9, '.', '_' and '-'";
                 return std::nullopt;
               });
  def_optional(d, "database.server.name", ConfigType::String, Importance::Low,
               "Deprecated (Debezium 1.x): used as topic.prefix when that is not set");
  def(d, "database.hostname", ConfigType::String, std::nullopt, Importance::High,
      "Host name or address of the PostgreSQL server");
  def(d, "database.port", ConfigType::Int, "5432", Importance::High, "Port of the server",
      validators::range(1, 65535));
  def(d, "database.user", ConfigType::String, std::nullopt, Importance::High,
      "User with the REPLICATION attribute (and SELECT on the captured tables)");
  def_optional(d, "database.password", ConfigType::Password, Importance::High, "Password of the user");
  def(d, "database.dbname", ConfigType::String, std::nullopt, Importance::High,
      "Database to capture");
  def(d, "database.sslmode", ConfigType::String, "prefer", Importance::Medium,
      "libpq sslmode", validators::one_of({"disable", "allow", "prefer", "require", "verify-ca",
                                           "verify-full"}));
  def_optional(d, "database.sslcert", ConfigType::String, Importance::Low, "Client certificate file");
  def_optional(d, "database.sslkey", ConfigType::String, Importance::Low, "Client key file");
  def_optional(d, "database.sslpassword", ConfigType::Password, Importance::Low, "Client key password");
  def_optional(d, "database.sslrootcert", ConfigType::String, Importance::Low, "Root certificate file");
  def(d, "database.tcpKeepAlive", ConfigType::Boolean, "true", Importance::Low, "TCP keepalives");
  def(d, "plugin.name", ConfigType::String, "decoderbufs", Importance::Medium,
      "Logical decoding plugin; Sluice supports pgoutput",
      [](const std::string&, const std::string& v) -> std::optional<std::string> {
        if (v != "pgoutput")
          return "Sluice supports plugin.name=pgoutput only (PostgreSQL's built-in plugin); "
                 "set plugin.name to pgoutput";
        return std::nullopt;
      });
  def(d, "slot.name", ConfigType::String, "debezium", Importance::Medium,
      "Logical replication slot name", slot_name());
  def(d, "slot.drop.on.stop", ConfigType::Boolean, "false", Importance::Low,
      "Drop the slot when the task stops gracefully");
  def(d, "slot.max.retries", ConfigType::Int, "6", Importance::Low, "Connection retries", validators::at_least(0));
  def(d, "slot.retry.delay.ms", ConfigType::Long, "10000", Importance::Low, "Delay between retries",
      validators::at_least(0));
  def(d, "publication.name", ConfigType::String, "dbz_publication", Importance::Medium,
      "Publication the pgoutput stream reads");
  def(d, "publication.autocreate.mode", ConfigType::String, "all_tables", Importance::Medium,
      "all_tables, filtered or disabled", validators::one_of({"all_tables", "filtered", "disabled"}));
  def(d, "snapshot.mode", ConfigType::String, "initial", Importance::Medium,
      "initial, always, initial_only, no_data, never, when_needed",
      validators::one_of({"initial", "always", "initial_only", "no_data", "never", "when_needed"}));
  def(d, "snapshot.fetch.size", ConfigType::Int, "10240", Importance::Low,
      "Accepted for Debezium compatibility; Sluice reads snapshot rows with COPY, in batches of 1024",
      validators::at_least(1));
  def(d, "snapshot.max.threads", ConfigType::Int, "1", Importance::Medium,
      "Snapshot reader threads; tables are read in ctid chunks in parallel", validators::at_least(1));
  for (auto* k : {"schema.include.list", "schema.exclude.list", "table.include.list",
                  "table.exclude.list", "column.include.list", "column.exclude.list",
                  "message.prefix.include.list", "message.prefix.exclude.list"})
    def_optional(d, k, ConfigType::List, Importance::Medium,
                 "Comma-separated Java regular expressions matched against whole names", regex_list());
  def_optional(d, "message.key.columns", ConfigType::String, Importance::Low,
               "<table regex>:<column>,<column>;... key columns per table",
               [](const std::string&, const std::string& v) { return check_message_key_columns(v); });
  def(d, "skipped.operations", ConfigType::List, "t", Importance::Low,
      "Operations not emitted: c, u, d, t or none", skipped_ops());
  def(d, "tombstones.on.delete", ConfigType::Boolean, "true", Importance::Medium,
      "A tombstone follows each delete");
  def(d, "provide.transaction.metadata", ConfigType::Boolean, "false", Importance::Low,
      "BEGIN/END records on <topic.prefix>.transaction and a transaction block in each change event");
  def(d, "heartbeat.interval.ms", ConfigType::Int, "0", Importance::Medium,
      "Heartbeat interval; 0 disables heartbeats", validators::at_least(0));
  def_optional(d, "heartbeat.action.query", ConfigType::String, Importance::Low,
               "SQL run on the source database at every heartbeat");
  def(d, "topic.heartbeat.prefix", ConfigType::String, "__debezium-heartbeat", Importance::Low,
      "Heartbeat topic prefix");
  def(d, "unavailable.value.placeholder", ConfigType::String, "__debezium_unavailable_value",
      Importance::Low, "Value of unchanged TOASTed columns");
  def(d, "max.batch.size", ConfigType::Int, "2048", Importance::Low, "Records per poll", validators::at_least(1));
  def(d, "max.queue.size", ConfigType::Int, "8192", Importance::Low, "Records queued before poll",
      validators::at_least(1));
  def(d, "poll.interval.ms", ConfigType::Long, "500", Importance::Low, "Longest wait of a poll",
      validators::at_least(0));
  def(d, "status.update.interval.ms", ConfigType::Int, "10000", Importance::Low,
      "Interval of standby status updates", validators::at_least(0));
  def(d, "flush.lsn.source", ConfigType::Boolean, "true", Importance::Low,
      "Confirm committed LSNs to the server");
  def(d, "decimal.handling.mode", ConfigType::String, "precise", Importance::Medium,
      "precise, double or string", validators::one_of({"precise", "double", "string"}));
  def(d, "time.precision.mode", ConfigType::String, "adaptive", Importance::Medium,
      "adaptive, adaptive_time_microseconds or connect",
      validators::one_of({"adaptive", "adaptive_time_microseconds", "connect"}));
  def(d, "binary.handling.mode", ConfigType::String, "bytes", Importance::Low,
      "bytes, base64, base64-url-safe or hex",
      validators::one_of({"bytes", "base64", "base64-url-safe", "hex"}));
  def(d, "interval.handling.mode", ConfigType::String, "numeric", Importance::Low,
      "numeric or string", validators::one_of({"numeric", "string"}));
  def(d, "hstore.handling.mode", ConfigType::String, "json", Importance::Low, "json or map",
      validators::one_of({"json", "map"}));
  def(d, "money.fraction.digits", ConfigType::Short, "2", Importance::Low, "Scale of money values");
  def(d, "include.unknown.datatypes", ConfigType::Boolean, "false", Importance::Low,
      "Emit columns of unmapped types as raw text");
  return d;
}

ConfigInfos validate_postgres_config(const std::string& name, const Config& config) {
  Config effective = config;
  bool alias = !config.count("topic.prefix") && config.count("database.server.name");
  if (alias) effective["topic.prefix"] = config.at("database.server.name");
  ConfigInfos infos = postgres_config_def().validate(name, effective);
  for (auto& c : infos.configs) {
    if (c.definition.name == "topic.prefix" && !effective.count("topic.prefix")) {
      c.value.errors.push_back("Missing required configuration \"topic.prefix\" which has no default value.");
      ++infos.error_count;
    }
    if (c.definition.name == "database.server.name" && alias)
      c.definition.documentation = kAliasWarning;  // the warning shows in the validate answer
    if (c.definition.name == "topic.prefix" && alias) c.value.value = effective["topic.prefix"];
  }
  return infos;
}

namespace {
std::string get(const Config& c, const std::string& k, const std::string& fallback = "") {
  return config_value::get_string(c, k, fallback);
}
std::vector<std::string> list(const Config& c, const std::string& k) {
  auto it = c.find(k);
  return it == c.end() ? std::vector<std::string>{} : config_value::split_list(it->second);
}
template <class T>
T mode(std::optional<T> v, const char* key) {
  if (!v) throw std::invalid_argument(std::string("Invalid value for ") + key);
  return *v;
}
}  // namespace

PgConfig parse_config(const Config& c) {
  auto infos = validate_postgres_config("PostgresConnector", c);
  for (auto& ci : infos.configs)
    if (!ci.value.errors.empty()) throw std::invalid_argument(ci.value.errors.front());
  PgConfig p;
  p.connector_name = get(c, "name");
  p.topic_prefix = get(c, "topic.prefix");
  if (p.topic_prefix.empty()) {
    p.topic_prefix = get(c, "database.server.name");
    p.warnings.push_back(kAliasWarning);
  }
  p.dbname = get(c, "database.dbname");
  p.conn = {{"host", get(c, "database.hostname")},
            {"port", get(c, "database.port", "5432")},
            {"user", get(c, "database.user")},
            {"password", get(c, "database.password")},
            {"dbname", p.dbname},
            {"sslmode", get(c, "database.sslmode", "prefer")},
            {"sslcert", get(c, "database.sslcert")},
            {"sslkey", get(c, "database.sslkey")},
            {"sslpassword", get(c, "database.sslpassword")},
            {"sslrootcert", get(c, "database.sslrootcert")},
            {"keepalives", config_value::get_bool(c, "database.tcpKeepAlive", true) ? "1" : "0"},
            {"connect_timeout", "30"},
            // Every session (the walsender's too: pgoutput prints values with its settings)
            // gets the text formats the value parsers read, whatever the server's defaults.
            {"client_encoding", "UTF8"},
            {"options", "-c DateStyle=ISO -c IntervalStyle=postgres -c TimeZone=UTC "
                        "-c bytea_output=hex -c extra_float_digits=1"}};
  p.slot_name = get(c, "slot.name", "debezium");
  p.slot_drop_on_stop = config_value::get_bool(c, "slot.drop.on.stop", false);
  p.publication_name = get(c, "publication.name", "dbz_publication");
  auto ac = get(c, "publication.autocreate.mode", "all_tables");
  p.autocreate = ac == "filtered" ? AutocreateMode::Filtered
                 : ac == "disabled" ? AutocreateMode::Disabled : AutocreateMode::AllTables;
  auto sm = get(c, "snapshot.mode", "initial");
  p.snapshot_mode = sm == "always" ? SnapshotMode::Always
                    : sm == "initial_only" ? SnapshotMode::InitialOnly
                    : sm == "no_data" ? SnapshotMode::NoData
                    : sm == "never" ? SnapshotMode::Never
                    : sm == "when_needed" ? SnapshotMode::WhenNeeded : SnapshotMode::Initial;
  p.snapshot_max_threads = config_value::get_long(c, "snapshot.max.threads", 1);
  p.schema_include = list(c, "schema.include.list");
  p.schema_exclude = list(c, "schema.exclude.list");
  p.table_include = list(c, "table.include.list");
  p.table_exclude = list(c, "table.exclude.list");
  p.column_include = list(c, "column.include.list");
  p.column_exclude = list(c, "column.exclude.list");
  p.message_prefix_include = list(c, "message.prefix.include.list");
  p.message_prefix_exclude = list(c, "message.prefix.exclude.list");
  p.message_key_columns = get(c, "message.key.columns");
  static const std::regex mask_key(R"(column\.mask\.with\.(\d+)\.chars)");
  for (auto& [k, v] : c) {
    std::smatch m;
    if (std::regex_match(k, m, mask_key))
      for (auto& r : config_value::split_list(v)) p.column_masks.emplace_back(r, std::stoi(m[1]));
  }
  p.skipped_ops.clear();
  for (auto& op : list(c, c.count("skipped.operations") ? "skipped.operations" : "")) {
    if (op != "none") p.skipped_ops.insert(op[0]);
  }
  if (!c.count("skipped.operations")) p.skipped_ops = {'t'};
  p.tombstones_on_delete = config_value::get_bool(c, "tombstones.on.delete", true);
  p.provide_transaction_metadata = config_value::get_bool(c, "provide.transaction.metadata", false);
  p.heartbeat_interval_ms = config_value::get_long(c, "heartbeat.interval.ms", 0);
  p.heartbeat_action_query = get(c, "heartbeat.action.query");
  p.heartbeat_topic_prefix = get(c, "topic.heartbeat.prefix", "__debezium-heartbeat");
  p.unavailable_placeholder = get(c, "unavailable.value.placeholder", "__debezium_unavailable_value");
  p.max_batch_size = config_value::get_long(c, "max.batch.size", 2048);
  p.max_queue_size = config_value::get_long(c, "max.queue.size", 8192);
  p.poll_interval_ms = config_value::get_long(c, "poll.interval.ms", 500);
  p.status_update_interval_ms = config_value::get_long(c, "status.update.interval.ms", 10000);
  p.retry_delay_ms = config_value::get_long(c, "slot.retry.delay.ms", 10000);
  p.max_retries = config_value::get_long(c, "slot.max.retries", 6);
  p.flush_lsn_source = config_value::get_bool(c, "flush.lsn.source", true);
  p.mapping.decimal = mode(parse_decimal_mode(get(c, "decimal.handling.mode", "precise")), "decimal.handling.mode");
  p.mapping.time_precision =
      mode(parse_time_precision_mode(get(c, "time.precision.mode", "adaptive")), "time.precision.mode");
  p.mapping.binary = mode(parse_binary_mode(get(c, "binary.handling.mode", "bytes")), "binary.handling.mode");
  p.mapping.interval =
      mode(parse_interval_mode(get(c, "interval.handling.mode", "numeric")), "interval.handling.mode");
  p.mapping.hstore = mode(parse_hstore_mode(get(c, "hstore.handling.mode", "json")), "hstore.handling.mode");
  p.mapping.money_fraction_digits =
      static_cast<int32_t>(config_value::get_long(c, "money.fraction.digits", 2));
  p.mapping.include_unknown_datatypes = config_value::get_bool(c, "include.unknown.datatypes", false);
  return p;
}

}  // namespace sluice::postgres
