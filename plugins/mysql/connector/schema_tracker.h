#pragma once
// The connector's schema tracking on the schema library (plugins/mysql/schema): the catalog
// follows every DDL of the binlog (and SHOW CREATE TABLE at snapshot time), so each row event
// is decoded with the schema it was written under, also far behind the server. Every applied
// statement goes to Debezium's schema history (a Kafka topic or a file through the plugin
// API's durable log), in Debezium's record format; a restart (or a takeover from Debezium)
// rebuilds the catalog from the history up to the stored offset.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plugins/api/connector.h"
#include "plugins/mysql/schema/history_record.h"
#include "plugins/mysql/schema/schema_model.h"

namespace sluice::mysql::cdc {

class DbClient;

class SchemaTracker {
 public:
  explicit SchemaTracker(sluice::api::OffsetMap partition) : partition_(std::move(partition)) {}

  void set_history(std::unique_ptr<sluice::api::DurableLog> log) { history_ = std::move(log); }
  bool has_history() const { return history_ != nullptr; }

  // Replays the history records at or before `offset`; false when the history holds none.
  bool recover(const sluice::api::OffsetMap& offset);

  // Applies one QUERY text (several statements possible). Each statement that changes the
  // catalog is recorded in the history at `position`. Returns the schema changes made (for the
  // schema-change topic) and a warning text for a statement that could not be parsed.
  struct Applied {
    std::string ddl;
    std::string database;
    std::vector<sluice::mysql::TableChange> changes;
  };
  std::vector<Applied> apply(const std::string& sql, const std::string& default_db,
                             const sluice::api::OffsetMap& position, int64_t ts_ms,
                             std::vector<std::string>& warnings);

  // Reads a table from the server (SHOW CREATE TABLE) into the catalog and the history.
  // `applied`, when given, receives the statements recorded (for schema change events).
  std::shared_ptr<const sluice::mysql::Table> load_from_server(DbClient& db, const std::string& database,
                                                               const std::string& table,
                                                               const sluice::api::OffsetMap& position,
                                                               int64_t ts_ms, std::vector<Applied>* applied = nullptr);

  std::shared_ptr<const sluice::mysql::Table> find(const std::string& db, const std::string& table) const {
    return catalog_.find(db, table);
  }
  sluice::mysql::Schemas& catalog() { return catalog_; }
  void flush();

 private:
  void record(const Applied& a, const sluice::api::OffsetMap& position, int64_t ts_ms);
  sluice::api::OffsetMap partition_;
  sluice::mysql::Schemas catalog_;
  std::unique_ptr<sluice::api::DurableLog> history_;
};

// The durable-log spec of the connector's schema.history.internal.* settings.
sluice::api::DurableLogSpec history_spec(const sluice::api::Config& config);

}  // namespace sluice::mysql::cdc
