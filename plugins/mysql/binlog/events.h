// Binlog events: the common header, the format description state, and a typed view of every
// event the servers write. EventParser takes one complete event at a time, as it comes from a
// file or from the replication stream (without the protocol's leading OK byte), checks its
// checksum, keeps the format description and the table maps, and fills an Event whose views
// point into the caller's bytes (or, for decompressed MariaDB events, into the parser's own
// buffer, valid until the next call).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "plugins/mysql/binlog/bytes.h"
#include "plugins/mysql/binlog/constants.h"
#include "plugins/mysql/binlog/table_map.h"

namespace sluice::mysql {

struct EventHeader {
  uint32_t timestamp = 0;
  uint8_t type = 0;
  uint32_t server_id = 0;
  uint32_t event_size = 0;
  uint32_t log_pos = 0;  // end position of this event in its file (0 for artificial events)
  uint16_t flags = 0;
};

enum class ChecksumAlg : uint8_t { kOff = 0, kCrc32 = 1, kUndefined = 255 };

struct FormatDescription {
  uint16_t binlog_version = 4;
  std::string server_version;
  int version[3] = {0, 0, 0};  // parsed from server_version
  bool mariadb = false;
  uint32_t create_timestamp = 0;
  uint8_t header_length = kCommonHeaderLength;
  std::vector<uint8_t> post_header_lengths;  // index = event type - 1
  ChecksumAlg checksum = ChecksumAlg::kOff;

  // Post-header length for an event type (the server's table, or the v4 default if absent).
  uint8_t post_header_length(uint8_t type) const;
  bool version_at_least(int a, int b, int c) const;
};

struct FormatDescriptionEvent {
  const FormatDescription* format;  // the parser's new current format
};

struct RotateEvent {
  uint64_t position = 0;
  std::string_view next_file;
};

// Status variables of a QUERY event, those a reader of the stream cares about; `raw` holds
// them all.
struct QueryStatusVars {
  bool has_flags2 = false;
  uint32_t flags2 = 0;
  bool has_sql_mode = false;
  uint64_t sql_mode = 0;
  std::string_view catalog;
  bool has_charset = false;
  uint16_t charset_client = 0, collation_connection = 0, collation_server = 0;
  std::string_view time_zone;
  uint16_t lc_time_names = 0;
  uint16_t collation_database = 0;
  bool has_microseconds = false;
  uint32_t microseconds = 0;
  bool has_ddl_xid = false;
  uint64_t ddl_xid = 0;
  uint16_t default_collation_for_utf8mb4 = 0;
  std::string_view invoker_user, invoker_host;
  std::vector<std::string_view> updated_databases;
  std::string_view raw;
  bool complete = true;  // false when an unknown variable stopped the walk
};

struct QueryEvent {
  uint32_t thread_id = 0;
  uint32_t exec_time = 0;
  uint16_t error_code = 0;
  std::string_view database;
  std::string_view query;
  QueryStatusVars vars;
  bool compressed = false;  // MariaDB QUERY_COMPRESSED_EVENT (query decompressed)
};

struct XidEvent {
  uint64_t xid = 0;
};

// MySQL GTID_LOG_EVENT (33), ANONYMOUS_GTID_LOG_EVENT (34) and GTID_TAGGED_LOG_EVENT (42).
struct GtidEvent {
  bool anonymous = false;
  bool tagged = false;
  uint8_t flags = 0;  // 1 = may have been committed (commit flag)
  std::array<uint8_t, 16> sid{};
  std::string_view tag;
  int64_t gno = 0;
  bool has_logical_clock = false;
  int64_t last_committed = 0, sequence_number = 0;
  bool has_commit_timestamps = false;
  uint64_t immediate_commit_timestamp = 0;  // microseconds since the epoch
  uint64_t original_commit_timestamp = 0;
  bool has_transaction_length = false;
  uint64_t transaction_length = 0;
  uint32_t immediate_server_version = 0, original_server_version = 0;

  // "3e11fa47-71ca-11e1-9e33-c80aa9429562:23" (":tag:" between for tagged GTIDs).
  std::string to_string() const;
};

// MySQL PREVIOUS_GTIDS_LOG_EVENT: a GTID set.
struct PreviousGtidsEvent {
  std::string_view raw;
  // "uuid:1-5:7,uuid2:tag:1-3"; fails on malformed data.
  Status to_string(std::string& out) const;
};

// MariaDB GTID_EVENT (162).
struct MariaGtidEvent {
  uint64_t sequence = 0;
  uint32_t domain_id = 0;
  uint32_t server_id = 0;  // from the event header
  uint8_t flags = 0;       // 1 = standalone (no BEGIN), 2 = group commit id present, ...
  bool has_commit_id = false;
  uint64_t commit_id = 0;
  bool has_xa = false;
  uint32_t xa_format_id = 0;
  std::string_view xa_gtrid, xa_bqual;
  uint8_t flags_extra = 0;

  bool standalone() const { return flags & 1; }
  std::string to_string() const;  // "0-1-42"
};

struct MariaGtidListEvent {
  uint32_t count = 0;
  uint8_t flags = 0;
  std::string_view raw;  // count * (domain u32, server u32, seq u64)
  struct Entry {
    uint32_t domain_id, server_id;
    uint64_t sequence;
  };
  Entry entry(uint32_t i) const;
  std::string to_string() const;  // "0-1-42,1-2-7"
};

struct BinlogCheckpointEvent {
  std::string_view file;
};

// MariaDB ANNOTATE_ROWS (160) and MySQL ROWS_QUERY (29): the statement behind the rows.
struct RowsQueryEvent {
  std::string_view query;
};

struct HeartbeatEvent {
  std::string_view log_file;
  uint64_t log_position = 0;  // v2 carries it; v1 only has the header's log_pos
};

struct TableMapEvent {
  const TableMap* table = nullptr;
};

enum class RowsKind : uint8_t { kInsert, kUpdate, kDelete };

struct RowsEvent {
  RowsKind kind = RowsKind::kInsert;
  uint8_t version = 1;  // 0 (pre-GA), 1 or 2
  bool partial_json = false;  // PARTIAL_UPDATE_ROWS_EVENT: not decodable to full images
  bool compressed = false;    // MariaDB compressed rows (decompressed into the parser)
  uint64_t table_id = 0;
  uint16_t flags = 0;
  uint32_t column_count = 0;
  std::string_view columns_before;  // columns in the before image (updates, deletes)
  std::string_view columns_after;   // columns in the after image (inserts, updates)
  std::string_view extra;           // v2 extra row info
  std::string_view rows;            // the row images
  const TableMap* table = nullptr;  // the mapped table (null for the dummy end event)

  bool stmt_end() const { return flags & rows_flag::kStmtEnd; }
};

struct TransactionPayloadEvent {
  uint64_t payload_size = 0;
  uint64_t uncompressed_size = 0;
  uint8_t compression = 0;  // 0 = ZSTD, 255 = none
  std::string_view payload;
};

struct XaPrepareEvent {
  bool one_phase = false;
  uint32_t format_id = 0;
  std::string_view gtrid, bqual;
};

struct IntvarEvent {
  uint8_t kind = 0;  // 1 = LAST_INSERT_ID, 2 = INSERT_ID
  uint64_t value = 0;
};

struct RandEvent {
  uint64_t seed1 = 0, seed2 = 0;
};

struct UserVarEvent {
  std::string_view name;
  bool is_null = true;
  uint8_t value_type = 0;
  uint32_t charset = 0;
  std::string_view value;
  uint8_t flags = 0;
};

struct IncidentEvent {
  uint16_t incident = 0;
  std::string_view message;
};

// Events recognised but not decoded further (STOP, IGNORABLE, TRANSACTION_CONTEXT, ...), and
// unknown types skipped by their length (`known` false).
struct OtherEvent {
  bool known = true;
};

using EventData = std::variant<OtherEvent, FormatDescriptionEvent, RotateEvent, QueryEvent, XidEvent,
                               GtidEvent, PreviousGtidsEvent, MariaGtidEvent, MariaGtidListEvent,
                               BinlogCheckpointEvent, RowsQueryEvent, HeartbeatEvent, TableMapEvent,
                               RowsEvent, TransactionPayloadEvent, XaPrepareEvent, IntvarEvent,
                               RandEvent, UserVarEvent, IncidentEvent>;

struct Event {
  EventHeader header;
  std::string_view body;  // after the common header, without the checksum
  EventData data;
};

// Reads the 19-byte common header; false if fewer bytes are given.
bool read_event_header(const uint8_t* data, size_t size, EventHeader& out);

// Parses a FORMAT_DESCRIPTION_EVENT body (after the common header, checksum included).
Status parse_format_description(const uint8_t* body, size_t size, FormatDescription& out);

class EventParser {
 public:
  EventParser();

  // Decodes one complete event: header, body and (when the format says so) checksum.
  Status parse(const uint8_t* data, size_t size, Event& out);
  // Decodes an event from inside a TRANSACTION_PAYLOAD (no checksum; nesting refused).
  Status parse_embedded(const uint8_t* data, size_t size, Event& out);
  // Decompresses a TRANSACTION_PAYLOAD into `out`: a run of checksum-less events.
  Status decompress_payload(const TransactionPayloadEvent& ev, std::vector<uint8_t>& out) const;

  const FormatDescription& format() const { return format_; }
  const TableMapCache& tables() const { return tables_; }
  TableMapCache& tables() { return tables_; }
  void set_verify_checksums(bool on) { verify_checksums_ = on; }
  // Before the first FORMAT_DESCRIPTION_EVENT of a replication stream the server already sends
  // an artificial ROTATE (and heartbeats) with checksums when it uses them: a reader that asked
  // `SELECT @@binlog_checksum` says so here. A FORMAT_DESCRIPTION_EVENT replaces it.
  void assume_checksum(ChecksumAlg alg) { format_.checksum = alg; }
  // Table maps stay valid until the next TABLE_MAP of their id, ROTATE or FORMAT_DESCRIPTION.
  // Counts of events skipped because their type is unknown, and of checksum-less events.
  uint64_t unknown_events() const { return unknown_events_; }

 private:
  Status parse_impl(const uint8_t* data, size_t size, Event& out, bool embedded);
  Status decode(const uint8_t* body, size_t size, Event& out);
  Status decode_rows(const uint8_t* body, size_t size, uint8_t type, Event& out);
  Status decode_query(const uint8_t* body, size_t size, bool compressed, Event& out);
  Status maria_uncompress(const uint8_t* p, size_t n, std::vector<uint8_t>& out);

  FormatDescription format_;
  TableMapCache tables_;
  bool verify_checksums_ = true;
  uint64_t unknown_events_ = 0;
  std::vector<uint8_t> inflated_;
};

}  // namespace sluice::mysql
