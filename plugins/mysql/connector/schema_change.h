#pragma once
// Debezium's schema change events on the `<topic.prefix>` topic (include.schema.changes, on by
// default; spec/debezium.md §7.2): key io.debezium.connector.mysql.SchemaChangeKey, value
// io.debezium.connector.mysql.SchemaChangeValue with the DDL and its tableChanges.

#include <string>
#include <vector>

#include "plugins/api/record.h"
#include "plugins/mysql/schema/history_record.h"

namespace sluice::mysql::cdc {

class SchemaChangeBuilder {
 public:
  SchemaChangeBuilder(std::string topic, sluice::api::SchemaPtr source_schema);

  sluice::api::SourceRecord build(const std::string& database, const std::string& ddl,
                                  const std::vector<sluice::mysql::TableChange>& changes, int64_t ts_ms,
                                  sluice::api::Value source, sluice::api::OffsetMap offset,
                                  std::shared_ptr<const sluice::api::OffsetMap> partition) const;
  const sluice::api::SchemaPtr& key_schema() const { return key_; }
  const sluice::api::SchemaPtr& value_schema() const { return value_; }

 private:
  sluice::api::Value table_value(const sluice::mysql::Table& t) const;
  std::string topic_;
  sluice::api::SchemaPtr key_, value_, change_, table_, column_;
};

}  // namespace sluice::mysql::cdc
