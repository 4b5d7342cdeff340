// pgoutput, protocol version 1: the logical replication messages PostgreSQL's built-in output
// plugin writes, and the streaming-replication CopyData frames that carry them.
//
// parse_pgoutput takes one whole message (the payload of an XLogData 'w' frame) and returns a
// typed view of it. String views (tuple bytes, message content) point into the caller's
// buffer and live as long as it does; names are copied. Malformed input never crashes and is
// never read out of bounds: the error names the message type, the field and the byte offset.
//
// Times: PostgreSQL sends microseconds since 2000-01-01; every time in these structs is
// converted to microseconds since the Unix epoch (what Debezium's ts_usec holds).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "plugins/postgres/decode/result.h"

namespace sluice::postgres {

using Lsn = uint64_t;

// "16/B374D848": high and low 32 bits in upper-case hex, as pg_lsn prints them.
std::string lsn_to_string(Lsn lsn);
// Accepts what pg_lsn accepts ("16/B374D848", lower case too); nullopt otherwise.
std::optional<Lsn> parse_lsn(std::string_view text);

// Microseconds between 1970-01-01 and 2000-01-01 (PostgreSQL's epoch).
inline constexpr int64_t kPgEpochUnixMicros = 946684800000000LL;

struct TupleDatum {
  enum class Kind : char { Null = 'n', Unchanged = 'u', Text = 't', Binary = 'b' };
  Kind kind = Kind::Null;
  std::string_view bytes;  // Text/Binary only: view into the message buffer
};

struct TupleData {
  std::vector<TupleDatum> columns;
};

struct BeginMsg {  // 'B'
  Lsn final_lsn = 0;
  int64_t commit_time_us = 0;  // unix epoch micros
  uint32_t xid = 0;
};

struct CommitMsg {  // 'C'
  uint8_t flags = 0;
  Lsn commit_lsn = 0;
  Lsn end_lsn = 0;
  int64_t commit_time_us = 0;  // unix epoch micros
};

struct OriginMsg {  // 'O'
  Lsn commit_lsn = 0;
  std::string name;
};

struct RelationColumn {
  bool key = false;  // part of the replica identity (flags bit 1)
  std::string name;
  uint32_t type_oid = 0;
  int32_t type_modifier = -1;
};

struct RelationMsg {  // 'R'
  uint32_t oid = 0;
  std::string nspname, relname;  // pgoutput's "" for pg_catalog is returned as "pg_catalog"
  char replica_identity = 'd';  // d default, n nothing, f full, i index
  std::vector<RelationColumn> columns;
};

// Sent before the first change that uses a non-built-in type. For a domain, oid is the
// domain's and the names are its base type's (seen on PostgreSQL 15).
struct TypeMsg {  // 'Y'
  uint32_t oid = 0;
  std::string nspname, typname;  // "" for pg_catalog is returned as "pg_catalog"
};

struct InsertMsg {  // 'I'
  uint32_t relation_oid = 0;
  TupleData new_tuple;
};

struct UpdateMsg {  // 'U'
  uint32_t relation_oid = 0;
  char old_kind = 0;  // 0 (no old tuple), 'K' (key columns) or 'O' (whole old row)
  TupleData old_tuple;
  TupleData new_tuple;
};

struct DeleteMsg {  // 'D'
  uint32_t relation_oid = 0;
  char old_kind = 'K';  // 'K' or 'O'
  TupleData old_tuple;
};

struct TruncateMsg {  // 'T'
  bool cascade = false;
  bool restart_identity = false;
  std::vector<uint32_t> relation_oids;
};

struct LogicalMessageMsg {  // 'M'
  bool transactional = false;
  Lsn lsn = 0;
  std::string prefix;
  std::string_view content;  // view into the message buffer
};

using PgOutputMessage = std::variant<BeginMsg, CommitMsg, OriginMsg, RelationMsg, TypeMsg,
                                     InsertMsg, UpdateMsg, DeleteMsg, TruncateMsg, LogicalMessageMsg>;

// Parses one whole pgoutput (protocol 1) message. Trailing bytes after a complete message are
// an error (they mean the layout was misread). Protocol 2 streaming messages (S/E/c/A) are
// rejected with an error that says streaming is not requested.
Result<PgOutputMessage> parse_pgoutput(std::string_view data);

// The message's type byte ('B', 'C', ...), for logs and counters.
char message_tag(const PgOutputMessage& message);

// ---- streaming replication framing (the CopyData payloads of a COPY BOTH stream) ----------

struct XLogData {  // 'w'
  Lsn wal_start = 0;
  Lsn wal_end = 0;
  int64_t send_time_us = 0;  // unix epoch micros
  std::string_view payload;  // one pgoutput message, view into the frame
};

struct PrimaryKeepalive {  // 'k'
  Lsn wal_end = 0;
  int64_t send_time_us = 0;  // unix epoch micros
  bool reply_requested = false;
};

using CopyDataMessage = std::variant<XLogData, PrimaryKeepalive>;

// Parses one CopyData payload from the server (what PQgetCopyData returns).
Result<CopyDataMessage> parse_copy_data(std::string_view frame);

// The 34-byte Standby Status Update ('r') frame: written, flushed and applied LSNs, the
// client's clock (unix epoch micros; converted to PostgreSQL's epoch) and whether the server
// should reply at once. Send it with PQputCopyData.
std::string build_standby_status_update(Lsn written, Lsn flushed, Lsn applied, int64_t now_unix_us,
                                        bool reply_requested);

}  // namespace sluice::postgres
