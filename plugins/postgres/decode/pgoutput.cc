#include "plugins/postgres/decode/pgoutput.h"

#include <algorithm>
#include <cstdio>

#include "plugins/postgres/decode/reader.h"

namespace sluice::postgres {

std::string lsn_to_string(Lsn lsn) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%X/%X", unsigned(lsn >> 32), unsigned(lsn & 0xffffffffu));
  return buf;
}

namespace {

// 1 to 8 hex digits, as pg_lsn's input function allows.
std::optional<uint32_t> hex32(std::string_view s) {
  if (s.empty() || s.size() > 8) return std::nullopt;
  uint32_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return std::nullopt;
    v = (v << 4) | uint32_t(d);
  }
  return v;
}

int64_t to_unix_micros(int64_t pg_micros) {
  // Saturate instead of overflowing on garbage input.
  if (pg_micros > INT64_MAX - kPgEpochUnixMicros) return INT64_MAX;
  return pg_micros + kPgEpochUnixMicros;
}

Error reader_error(const Reader& r, const char* message_name) {
  return malformed(std::string("pgoutput ") + message_name + " message: field " + r.failed_field() +
                   " at byte " + std::to_string(r.failed_offset()) + ": " + r.failed_reason());
}

// The namespace of a relation or type: pgoutput sends "" for pg_catalog.
std::string namespace_name(std::string_view s) {
  return s.empty() ? std::string("pg_catalog") : std::string(s);
}

void read_tuple(Reader& r, TupleData& out) {
  uint16_t n = r.u16("tuple column count");
  if (!r.ok()) return;
  out.columns.reserve(std::min<size_t>(n, r.left()));
  for (uint16_t i = 0; i < n && r.ok(); ++i) {
    TupleDatum d;
    char kind = char(r.u8("tuple column kind"));
    switch (kind) {
      case 'n': d.kind = TupleDatum::Kind::Null; break;
      case 'u': d.kind = TupleDatum::Kind::Unchanged; break;
      case 't':
      case 'b': {
        d.kind = kind == 't' ? TupleDatum::Kind::Text : TupleDatum::Kind::Binary;
        uint32_t len = r.u32("tuple column length");
        d.bytes = r.bytes("tuple column value", len);
        break;
      }
      default:
        if (r.ok()) {
          r.fail("tuple column kind", "not one of n, u, t, b");
        }
    }
    out.columns.push_back(d);
  }
}

// A tuple introduced by its marker byte ('N', 'K' or 'O').
void read_marked_tuple(Reader& r, const char* field, std::string_view allowed, char& marker,
                       TupleData& out) {
  marker = char(r.u8(field));
  if (!r.ok()) return;
  if (allowed.find(marker) == std::string_view::npos) {
    r.fail(field, "unexpected tuple marker");  // the offset is just past the marker
    return;
  }
  read_tuple(r, out);
}

Result<PgOutputMessage> finish(Reader& r, const char* name, PgOutputMessage msg) {
  if (!r.ok()) return reader_error(r, name);
  if (r.left() != 0) {
    return malformed(std::string("pgoutput ") + name + " message: " + std::to_string(r.left()) +
                     " unexpected bytes after the message at byte " + std::to_string(r.offset()));
  }
  return msg;
}

Result<PgOutputMessage> parse_begin(Reader& r) {
  BeginMsg m;
  m.final_lsn = r.u64("final_lsn");
  m.commit_time_us = to_unix_micros(r.i64("commit_time"));
  m.xid = r.u32("xid");
  return finish(r, "Begin", m);
}

Result<PgOutputMessage> parse_commit(Reader& r) {
  CommitMsg m;
  m.flags = r.u8("flags");
  m.commit_lsn = r.u64("commit_lsn");
  m.end_lsn = r.u64("end_lsn");
  m.commit_time_us = to_unix_micros(r.i64("commit_time"));
  return finish(r, "Commit", m);
}

Result<PgOutputMessage> parse_origin(Reader& r) {
  OriginMsg m;
  m.commit_lsn = r.u64("commit_lsn");
  m.name = std::string(r.cstring("name"));
  return finish(r, "Origin", std::move(m));
}

Result<PgOutputMessage> parse_relation(Reader& r) {
  RelationMsg m;
  m.oid = r.u32("relation oid");
  m.nspname = namespace_name(r.cstring("namespace"));
  m.relname = std::string(r.cstring("relation name"));
  m.replica_identity = char(r.u8("replica identity"));
  if (r.ok() && std::string_view("dnfi").find(m.replica_identity) == std::string_view::npos) {
    r.fail("replica identity", "not one of d, n, f, i");
  }
  uint16_t n = r.u16("column count");
  if (r.ok()) m.columns.reserve(std::min<size_t>(n, r.left()));
  for (uint16_t i = 0; i < n && r.ok(); ++i) {
    RelationColumn c;
    c.key = (r.u8("column flags") & 1) != 0;
    c.name = std::string(r.cstring("column name"));
    c.type_oid = r.u32("column type oid");
    c.type_modifier = r.i32("column type modifier");
    m.columns.push_back(std::move(c));
  }
  return finish(r, "Relation", std::move(m));
}

Result<PgOutputMessage> parse_type(Reader& r) {
  TypeMsg m;
  m.oid = r.u32("type oid");
  m.nspname = namespace_name(r.cstring("namespace"));
  m.typname = std::string(r.cstring("type name"));
  return finish(r, "Type", std::move(m));
}

Result<PgOutputMessage> parse_insert(Reader& r) {
  InsertMsg m;
  m.relation_oid = r.u32("relation oid");
  char marker = 0;
  read_marked_tuple(r, "new tuple marker", "N", marker, m.new_tuple);
  return finish(r, "Insert", std::move(m));
}

Result<PgOutputMessage> parse_update(Reader& r) {
  UpdateMsg m;
  m.relation_oid = r.u32("relation oid");
  char marker = 0;
  read_marked_tuple(r, "tuple marker", "KON", marker, m.old_tuple);
  if (r.ok() && marker != 'N') {
    m.old_kind = marker;
    read_marked_tuple(r, "new tuple marker", "N", marker, m.new_tuple);
  } else if (r.ok()) {
    m.new_tuple = std::move(m.old_tuple);  // the first tuple was the new one
    m.old_tuple = {};
  }
  return finish(r, "Update", std::move(m));
}

Result<PgOutputMessage> parse_delete(Reader& r) {
  DeleteMsg m;
  m.relation_oid = r.u32("relation oid");
  read_marked_tuple(r, "old tuple marker", "KO", m.old_kind, m.old_tuple);
  return finish(r, "Delete", std::move(m));
}

Result<PgOutputMessage> parse_truncate(Reader& r) {
  TruncateMsg m;
  uint32_t n = r.u32("relation count");
  uint8_t options = r.u8("options");
  m.cascade = (options & 1) != 0;
  m.restart_identity = (options & 2) != 0;
  if (r.ok()) m.relation_oids.reserve(std::min<size_t>(n, r.left() / 4));
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    uint32_t oid = r.u32("relation oid");
    if (r.ok()) m.relation_oids.push_back(oid);
  }
  return finish(r, "Truncate", std::move(m));
}

Result<PgOutputMessage> parse_message(Reader& r) {
  LogicalMessageMsg m;
  m.transactional = (r.u8("flags") & 1) != 0;
  m.lsn = r.u64("lsn");
  m.prefix = std::string(r.cstring("prefix"));
  uint32_t len = r.u32("content length");
  m.content = r.bytes("content", len);
  return finish(r, "Message", std::move(m));
}

}  // namespace

Result<PgOutputMessage> parse_pgoutput(std::string_view data) {
  if (data.empty()) return malformed("pgoutput message: empty (no message type byte)");
  Reader r(data);
  char tag = char(r.u8("type"));
  switch (tag) {
    case 'B': return parse_begin(r);
    case 'C': return parse_commit(r);
    case 'O': return parse_origin(r);
    case 'R': return parse_relation(r);
    case 'Y': return parse_type(r);
    case 'I': return parse_insert(r);
    case 'U': return parse_update(r);
    case 'D': return parse_delete(r);
    case 'T': return parse_truncate(r);
    case 'M': return parse_message(r);
    case 'S':
    case 'E':
    case 'c':
    case 'A':
      return malformed(std::string("pgoutput message type '") + tag +
                       "' is protocol 2 streaming of in-progress transactions, which is not "
                       "requested: start replication with proto_version '1' and without streaming");
    default: {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", unsigned(uint8_t(tag)));
      return malformed(std::string("pgoutput message: unknown type byte ") + hex +
                       " at byte 0 (is this pgoutput protocol 1?)");
    }
  }
}

char message_tag(const PgOutputMessage& message) {
  static constexpr char kTags[] = {'B', 'C', 'O', 'R', 'Y', 'I', 'U', 'D', 'T', 'M'};
  static_assert(sizeof kTags == std::variant_size_v<PgOutputMessage>);
  return kTags[message.index()];
}

Result<CopyDataMessage> parse_copy_data(std::string_view frame) {
  if (frame.empty()) return malformed("replication CopyData: empty (no message type byte)");
  Reader r(frame);
  char tag = char(r.u8("type"));
  if (tag == 'w') {
    XLogData x;
    x.wal_start = r.u64("wal_start");
    x.wal_end = r.u64("wal_end");
    x.send_time_us = to_unix_micros(r.i64("send_time"));
    if (!r.ok()) return reader_error(r, "XLogData");
    x.payload = frame.substr(r.offset());
    return CopyDataMessage(x);
  }
  if (tag == 'k') {
    PrimaryKeepalive k;
    k.wal_end = r.u64("wal_end");
    k.send_time_us = to_unix_micros(r.i64("send_time"));
    k.reply_requested = r.u8("reply_requested") != 0;
    if (!r.ok()) return reader_error(r, "primary keepalive");
    if (r.left() != 0) {
      return malformed("replication primary keepalive: " + std::to_string(r.left()) +
                       " unexpected bytes at byte " + std::to_string(r.offset()));
    }
    return CopyDataMessage(k);
  }
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", unsigned(uint8_t(tag)));
  return malformed(std::string("replication CopyData: unknown type byte ") + hex +
                   " at byte 0 (expected 'w' XLogData or 'k' keepalive)");
}

std::string build_standby_status_update(Lsn written, Lsn flushed, Lsn applied, int64_t now_unix_us,
                                        bool reply_requested) {
  std::string out;
  out.reserve(34);
  auto put = [&out](uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) out.push_back(char(uint8_t(v >> (8 * i))));
  };
  out.push_back('r');
  put(written, 8);
  put(flushed, 8);
  put(applied, 8);
  put(uint64_t(now_unix_us - kPgEpochUnixMicros), 8);
  out.push_back(reply_requested ? 1 : 0);
  return out;
}

std::optional<Lsn> parse_lsn(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto hi = hex32(text.substr(0, slash));
  auto lo = hex32(text.substr(slash + 1));
  if (!hi || !lo) return std::nullopt;
  return (Lsn(*hi) << 32) | *lo;
}

}  // namespace sluice::postgres
