#pragma once
// Debezium's PostgreSQL records: the change envelope with its source block, tombstones,
// truncate, logical-decoding message and heartbeat records, and the offset map each carries
// (shared/spec/debezium.md §1-§3).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "plugins/api/record.h"
#include "plugins/postgres/connector/table.h"

namespace sluice::postgres {

inline constexpr const char* kDebeziumVersion = "2.7.3.Final";

// Where the connector is: what goes into the offset map after a record (§3.3).
struct Position {
  std::optional<Lsn> lsn, lsn_proc, lsn_commit;
  std::optional<int64_t> tx_id, ts_usec;
  std::optional<std::string> message_type;  // INSERT, UPDATE, ... COMMIT
  bool snapshot = false;                    // during the snapshot
  bool last_snapshot_record = false;
};

api::OffsetMap offset_map(const Position& p);
Position position_from_offset(const api::OffsetMap& offset);

// What the source block of one event holds (§2.3).
struct SourceInfo {
  int64_t ts_us = 0;                    // commit time (snapshot: CURRENT_TIMESTAMP)
  std::optional<std::string> snapshot;  // true/first/last/...; none while streaming
  std::optional<std::string> sequence;  // ["<last commit lsn>","<lsn>"]
  std::string schema, table;
  std::optional<int64_t> tx_id;
  std::optional<Lsn> lsn;
};

class EventFactory {
 public:
  EventFactory(std::string topic_prefix, std::string dbname, std::string heartbeat_prefix);

  const std::shared_ptr<const api::OffsetMap>& partition() const { return partition_; }
  api::SchemaPtr source_schema() const { return source_schema_; }
  api::Value source(SourceInfo s) const;  // by value: its strings are moved in
  // The envelope schema of a table (cached in the table).
  api::SchemaPtr envelope_schema(const Table& t) const;

  // `transaction`: the envelope's event.block (null unless provide.transaction.metadata).
  api::SourceRecord change(const Table& t, char op, api::Value before, api::Value after,
                           SourceInfo s, const Position& pos,
                           api::Value transaction = {}) const;
  api::SourceRecord tombstone(const api::SourceRecord& del) const;
  api::SourceRecord truncate(const Table& t, SourceInfo s, const Position& pos,
                             api::Value transaction = {}) const;
  api::SourceRecord message(const std::string& prefix, api::Value content,
                            api::SchemaPtr content_schema, SourceInfo s,
                            const Position& pos) const;
  api::SourceRecord heartbeat(const Position& pos) const;

  // provide.transaction.metadata (§1.7): the envelope's event.block, and the BEGIN / END
  // records on <prefix>.transaction. `collections` is (schema.table, events) in first-seen
  // order; END only.
  api::Value transaction_block(const std::string& id, int64_t total_order,
                               int64_t collection_order) const;
  api::SourceRecord transaction_event(bool begin, const std::string& id, int64_t ts_ms,
                                      const std::vector<std::pair<std::string, int64_t>>& collections,
                                      const Position& pos) const;

 private:
  api::OffsetMap offset(const Position& p) const { return offset_map(p); }
  std::string prefix_, dbname_, heartbeat_topic_;
  std::shared_ptr<const api::OffsetMap> partition_;
  api::SchemaPtr source_schema_, heartbeat_key_schema_, heartbeat_value_schema_,
      message_key_schema_, tx_key_schema_, tx_value_schema_, tx_collection_schema_;
};

int64_t now_us();
// The source block's sequence: ["<last commit lsn>","<lsn>"] with decimal LSNs (null first
// element before any commit).
std::string sequence_text(std::optional<Lsn> last_commit, Lsn lsn);

}  // namespace sluice::postgres
