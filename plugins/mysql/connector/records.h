#pragma once
// Debezium's records: topic names, key/value/envelope schemas per table (built once per table
// version and shared), the MySQL source block (spec/debezium.md §1-§2), and the offset map (§3.2).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plugins/api/record.h"
#include "plugins/mysql/binlog/table_map.h"
#include "plugins/mysql/connector/column_rules.h"
#include "plugins/mysql/connector/options.h"
#include "plugins/mysql/schema/schema_model.h"
#include "plugins/mysql/schema/value_mapping.h"

namespace sluice::mysql::cdc {

inline constexpr const char* kDebeziumVersion = "2.7.3.Final";

// Where the stream is (Debezium's MySqlOffsetContext): `pos` is where a restart begins (a
// transaction's first event, or the event after the last commit), `event` the events after
// it already processed, `row` the rows of the next rows event already emitted.
struct BinlogPosition {
  std::string file;
  uint64_t pos = 4;
  int64_t event = 0;
  int64_t row = 0;
  uint32_t server_id = 0;
  int64_t ts_sec = 0;
  std::string gtids;
  bool snapshot = false;  // a snapshot not yet complete
};

sluice::api::OffsetMap to_offset(const BinlogPosition& p);
// nullopt for an offset without "file" (not one of ours); throws on a malformed one.
std::optional<BinlogPosition> from_offset(const sluice::api::OffsetMap& offset);

// Everything derived from one table version, made once and shared by its records.
struct TableSchemas {
  std::shared_ptr<const sluice::mysql::Table> table;
  sluice::mysql::TableSchema binlog_schema;           // for the row decoder
  std::vector<sluice::mysql::ColumnMapping> mappings;  // per table column
  std::string topic;
  std::vector<size_t> value_columns;  // mapped and included columns, in table order
  std::vector<ColumnEdit> value_edits;  // mask/truncate per value column (parallel)
  std::vector<size_t> key_columns;    // indexes into table->columns (PK or message.key.columns)
  sluice::api::SchemaPtr key, value, envelope;
};
using TableSchemasPtr = std::shared_ptr<const TableSchemas>;

// What the source block says about one event.
struct SourceFields {
  int64_t ts_ms = 0;
  const char* snapshot = nullptr;  // null: streaming (the field is left unset)
  std::string db, table;
  uint32_t server_id = 0;
  std::optional<std::string> gtid;
  std::string file;
  uint64_t pos = 0;
  int32_t row = 0;
  std::optional<int64_t> thread;
  std::optional<std::string> query;
};

class RecordBuilder {
 public:
  explicit RecordBuilder(const Options& o);

  TableSchemasPtr schemas(std::shared_ptr<const sluice::mysql::Table> table,
                          std::vector<std::string>& warnings) const;
  const sluice::api::SchemaPtr& source_schema() const { return source_; }
  sluice::api::Value source(const SourceFields& f) const;

  // Row struct from per-value-column values.
  sluice::api::Value row(const TableSchemas& t, std::vector<sluice::api::Value> values) const;
  // Key struct from the row values (indexes into table->columns); null without a key.
  sluice::api::Value key(const TableSchemas& t, const std::vector<sluice::api::Value>& full_row) const;

  sluice::api::SourceRecord change(const TableSchemas& t, char op, sluice::api::Value key,
                                   sluice::api::Value before, sluice::api::Value after,
                                   sluice::api::Value source, sluice::api::OffsetMap offset,
                                   sluice::api::Value transaction = {}) const;
  // provide.transaction.metadata: the envelope's event.block, and the BEGIN/END records.
  sluice::api::Value transaction_block(const std::string& id, int64_t total_order, int64_t collection_order) const;
  sluice::api::SourceRecord transaction_event(bool begin, const std::string& id, int64_t ts_ms,
                                              const std::vector<std::pair<std::string, int64_t>>& collections,
                                              sluice::api::OffsetMap offset) const;
  sluice::api::SourceRecord tombstone(const sluice::api::SourceRecord& deleted) const;
  // A heartbeat on __debezium-heartbeat.<prefix> carrying `offset` (heartbeat.interval.ms).
  sluice::api::SourceRecord heartbeat(sluice::api::OffsetMap offset, int64_t now_ms) const;

  const std::shared_ptr<const sluice::api::OffsetMap>& partition() const { return partition_; }
  std::string topic_for(const std::string& db, const std::string& table) const;
  const sluice::mysql::MappingOptions& mapping_options() const { return mapping_; }

 private:
  const Options& o_;
  ColumnRules rules_;
  sluice::mysql::MappingOptions mapping_;
  sluice::api::SchemaPtr source_, transaction_, heartbeat_key_, heartbeat_value_;
  sluice::api::SchemaPtr tx_key_, tx_value_, tx_collection_;
  std::shared_ptr<const sluice::api::OffsetMap> partition_;
};

}  // namespace sluice::mysql::cdc
