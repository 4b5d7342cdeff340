#include "plugins/mysql/binlog/events.h"

#include <zstd.h>

#include <cstdio>
#include <cstring>

#include "plugins/mysql/binlog/crc32.h"
#include "plugins/mysql/binlog/inflate.h"

namespace sluice::mysql {
namespace {

constexpr size_t kMaxDecompressed = size_t(1) << 30;  // 1 GiB: the servers' event size limit

std::string hex_uuid(const uint8_t* p) {
  std::string s;
  static const char* hex = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(hex[p[i] >> 4]);
    s.push_back(hex[p[i] & 15]);
  }
  return s;
}

// The v4 defaults (MySQL 8.0 / MariaDB 10.x) for types a server's table does not list.
uint8_t default_post_header_length(uint8_t type) {
  using namespace event_type;
  switch (type) {
    case kQuery: case kMariaQueryCompressed: return 13;
    case kRotate: return 8;
    case kFormatDescription: return 84;
    case kTableMap: return 8;
    case kWriteRowsV0: case kUpdateRowsV0: case kDeleteRowsV0: return 8;
    case kWriteRowsV1: case kUpdateRowsV1: case kDeleteRowsV1: return 8;
    case kMariaWriteRowsCompressedV1: case kMariaUpdateRowsCompressedV1: case kMariaDeleteRowsCompressedV1: return 8;
    case kWriteRowsV2: case kUpdateRowsV2: case kDeleteRowsV2: case kPartialUpdateRows: return 10;
    case kMariaWriteRowsCompressed: case kMariaUpdateRowsCompressed: case kMariaDeleteRowsCompressed: return 10;
    case kIncident: return 2;
    case kGtid: case kAnonymousGtid: return 42;
    case kMariaBinlogCheckpoint: return 4;
    case kMariaGtid: return 19;
    case kMariaGtidList: return 4;
    case kBeginLoadQuery: return 4;
    case kExecuteLoadQuery: return 26;
    default: return 0;
  }
}

bool is_rows_type(uint8_t t) {
  using namespace event_type;
  return (t >= kWriteRowsV0 && t <= kDeleteRowsV1) || (t >= kWriteRowsV2 && t <= kDeleteRowsV2) ||
         t == kPartialUpdateRows || (t >= kMariaWriteRowsCompressedV1 && t <= kMariaDeleteRowsCompressed);
}

}  // namespace

std::string_view event_type_name(uint8_t type) {
  using namespace event_type;
  switch (type) {
    case kStartV3: return "START_EVENT_V3";
    case kQuery: return "QUERY_EVENT";
    case kStop: return "STOP_EVENT";
    case kRotate: return "ROTATE_EVENT";
    case kIntvar: return "INTVAR_EVENT";
    case kLoad: return "LOAD_EVENT";
    case kSlave: return "SLAVE_EVENT";
    case kCreateFile: return "CREATE_FILE_EVENT";
    case kAppendBlock: return "APPEND_BLOCK_EVENT";
    case kExecLoad: return "EXEC_LOAD_EVENT";
    case kDeleteFile: return "DELETE_FILE_EVENT";
    case kNewLoad: return "NEW_LOAD_EVENT";
    case kRand: return "RAND_EVENT";
    case kUserVar: return "USER_VAR_EVENT";
    case kFormatDescription: return "FORMAT_DESCRIPTION_EVENT";
    case kXid: return "XID_EVENT";
    case kBeginLoadQuery: return "BEGIN_LOAD_QUERY_EVENT";
    case kExecuteLoadQuery: return "EXECUTE_LOAD_QUERY_EVENT";
    case kTableMap: return "TABLE_MAP_EVENT";
    case kWriteRowsV0: return "PRE_GA_WRITE_ROWS_EVENT";
    case kUpdateRowsV0: return "PRE_GA_UPDATE_ROWS_EVENT";
    case kDeleteRowsV0: return "PRE_GA_DELETE_ROWS_EVENT";
    case kWriteRowsV1: return "WRITE_ROWS_EVENT_V1";
    case kUpdateRowsV1: return "UPDATE_ROWS_EVENT_V1";
    case kDeleteRowsV1: return "DELETE_ROWS_EVENT_V1";
    case kIncident: return "INCIDENT_EVENT";
    case kHeartbeat: return "HEARTBEAT_LOG_EVENT";
    case kIgnorable: return "IGNORABLE_LOG_EVENT";
    case kRowsQuery: return "ROWS_QUERY_LOG_EVENT";
    case kWriteRowsV2: return "WRITE_ROWS_EVENT";
    case kUpdateRowsV2: return "UPDATE_ROWS_EVENT";
    case kDeleteRowsV2: return "DELETE_ROWS_EVENT";
    case kGtid: return "GTID_LOG_EVENT";
    case kAnonymousGtid: return "ANONYMOUS_GTID_LOG_EVENT";
    case kPreviousGtids: return "PREVIOUS_GTIDS_LOG_EVENT";
    case kTransactionContext: return "TRANSACTION_CONTEXT_EVENT";
    case kViewChange: return "VIEW_CHANGE_EVENT";
    case kXaPrepare: return "XA_PREPARE_LOG_EVENT";
    case kPartialUpdateRows: return "PARTIAL_UPDATE_ROWS_EVENT";
    case kTransactionPayload: return "TRANSACTION_PAYLOAD_EVENT";
    case kHeartbeatV2: return "HEARTBEAT_LOG_EVENT_V2";
    case kGtidTagged: return "GTID_TAGGED_LOG_EVENT";
    case kMariaAnnotateRows: return "ANNOTATE_ROWS_EVENT";
    case kMariaBinlogCheckpoint: return "BINLOG_CHECKPOINT_EVENT";
    case kMariaGtid: return "GTID_EVENT";
    case kMariaGtidList: return "GTID_LIST_EVENT";
    case kMariaStartEncryption: return "START_ENCRYPTION_EVENT";
    case kMariaQueryCompressed: return "QUERY_COMPRESSED_EVENT";
    case kMariaWriteRowsCompressedV1: return "WRITE_ROWS_COMPRESSED_EVENT_V1";
    case kMariaUpdateRowsCompressedV1: return "UPDATE_ROWS_COMPRESSED_EVENT_V1";
    case kMariaDeleteRowsCompressedV1: return "DELETE_ROWS_COMPRESSED_EVENT_V1";
    case kMariaWriteRowsCompressed: return "WRITE_ROWS_COMPRESSED_EVENT";
    case kMariaUpdateRowsCompressed: return "UPDATE_ROWS_COMPRESSED_EVENT";
    case kMariaDeleteRowsCompressed: return "DELETE_ROWS_COMPRESSED_EVENT";
    default: return {};
  }
}

std::string_view column_type_name(uint8_t type) {
  using namespace column_type;
  switch (type) {
    case kDecimal: return "DECIMAL";
    case kTiny: return "TINY";
    case kShort: return "SHORT";
    case kLong: return "LONG";
    case kFloat: return "FLOAT";
    case kDouble: return "DOUBLE";
    case kNull: return "NULL";
    case kTimestamp: return "TIMESTAMP";
    case kLongLong: return "LONGLONG";
    case kInt24: return "INT24";
    case kDate: return "DATE";
    case kTime: return "TIME";
    case kDateTime: return "DATETIME";
    case kYear: return "YEAR";
    case kNewDate: return "NEWDATE";
    case kVarchar: return "VARCHAR";
    case kBit: return "BIT";
    case kTimestamp2: return "TIMESTAMP2";
    case kDateTime2: return "DATETIME2";
    case kTime2: return "TIME2";
    case kTypedArray: return "TYPED_ARRAY";
    case kVector: return "VECTOR";
    case kBool: return "BOOL";
    case kJson: return "JSON";
    case kNewDecimal: return "NEWDECIMAL";
    case kEnum: return "ENUM";
    case kSet: return "SET";
    case kTinyBlob: return "TINY_BLOB";
    case kMediumBlob: return "MEDIUM_BLOB";
    case kLongBlob: return "LONG_BLOB";
    case kBlob: return "BLOB";
    case kVarString: return "VAR_STRING";
    case kString: return "STRING";
    case kGeometry: return "GEOMETRY";
    default: return "UNKNOWN";
  }
}

uint8_t FormatDescription::post_header_length(uint8_t type) const {
  if (type >= 1 && size_t(type - 1) < post_header_lengths.size()) return post_header_lengths[type - 1];
  return default_post_header_length(type);
}

bool FormatDescription::version_at_least(int a, int b, int c) const {
  if (version[0] != a) return version[0] > a;
  if (version[1] != b) return version[1] > b;
  return version[2] >= c;
}

bool read_event_header(const uint8_t* p, size_t size, EventHeader& h) {
  if (size < kCommonHeaderLength) return false;
  h.timestamp = le32(p);
  h.type = p[4];
  h.server_id = le32(p + 5);
  h.event_size = le32(p + 9);
  h.log_pos = le32(p + 13);
  h.flags = le16(p + 17);
  return true;
}

Status parse_format_description(const uint8_t* body, size_t size, FormatDescription& f) {
  constexpr size_t kFixed = 2 + 50 + 4 + 1;
  if (size < kFixed) return Status::error("FORMAT_DESCRIPTION_EVENT too short");
  f = FormatDescription{};
  f.binlog_version = le16(body);
  const char* sv = reinterpret_cast<const char*>(body + 2);
  f.server_version.assign(sv, strnlen(sv, 50));
  f.create_timestamp = le32(body + 52);
  f.header_length = body[56];
  if (f.binlog_version != 4) {
    return Status::error("binlog version " + std::to_string(f.binlog_version) +
                         " not supported (only v4, MySQL 5.0 and later)");
  }
  if (f.header_length < kCommonHeaderLength) return Status::error("FORMAT_DESCRIPTION_EVENT header length too small");
  int n = std::sscanf(f.server_version.c_str(), "%d.%d.%d", &f.version[0], &f.version[1], &f.version[2]);
  if (n < 2) f.version[0] = f.version[1] = f.version[2] = 0;
  f.mariadb = f.server_version.find("MariaDB") != std::string::npos;
  // Servers that know checksums (MySQL 5.6.1+, MariaDB 5.3+) end the event with the
  // algorithm byte and a 4-byte checksum slot.
  bool checksum_aware = f.mariadb ? f.version_at_least(5, 3, 0) : f.version_at_least(5, 6, 1);
  size_t tail = 0;
  if (checksum_aware) {
    if (size < kFixed + 5) return Status::error("FORMAT_DESCRIPTION_EVENT too short for its checksum");
    uint8_t alg = body[size - 5];
    if (alg == 0) f.checksum = ChecksumAlg::kOff;
    else if (alg == 1) f.checksum = ChecksumAlg::kCrc32;
    else if (alg == 255) f.checksum = ChecksumAlg::kUndefined;
    else return Status::error("unknown binlog checksum algorithm " + std::to_string(alg));
    tail = 5;
  }
  f.post_header_lengths.assign(body + kFixed, body + size - tail);
  return {};
}

std::string GtidEvent::to_string() const {
  std::string s = hex_uuid(sid.data());
  s.push_back(':');
  if (tagged && !tag.empty()) {
    s.append(tag);
    s.push_back(':');
  }
  s += std::to_string(gno);
  return s;
}

Status PreviousGtidsEvent::to_string(std::string& out) const {
  Cursor c(raw);
  uint64_t header = c.u64();
  bool tagged = (header >> 56) != 0;
  uint64_t n = tagged ? (header >> 8) & ((uint64_t(1) << 48) - 1) : header & ((uint64_t(1) << 56) - 1);
  if (!c.ok() || n > c.left() / 24) return Status::error("malformed GTID set");
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view uuid = c.bytes(16);
    std::string_view tag;
    if (tagged) tag = c.bytes(size_t(c.varlen()));
    uint64_t intervals = c.u64();
    if (!c.ok() || intervals > c.left() / 16) return Status::error("malformed GTID set");
    if (i) out.push_back(',');
    out += hex_uuid(as_bytes(uuid));
    if (!tag.empty()) {
      out.push_back(':');
      out.append(tag);
    }
    for (uint64_t k = 0; k < intervals; ++k) {
      int64_t start = int64_t(c.u64()), end = int64_t(c.u64());
      out.push_back(':');
      out += std::to_string(start);
      if (end - 1 > start) {
        out.push_back('-');
        out += std::to_string(end - 1);
      }
    }
  }
  if (!c.ok()) return Status::error("malformed GTID set");
  return {};
}

std::string MariaGtidEvent::to_string() const {
  return std::to_string(domain_id) + "-" + std::to_string(server_id) + "-" + std::to_string(sequence);
}

MariaGtidListEvent::Entry MariaGtidListEvent::entry(uint32_t i) const {
  const uint8_t* p = as_bytes(raw) + size_t(i) * 16;
  return Entry{le32(p), le32(p + 4), le64(p + 8)};
}

std::string MariaGtidListEvent::to_string() const {
  std::string s;
  for (uint32_t i = 0; i < count; ++i) {
    Entry e = entry(i);
    if (i) s.push_back(',');
    s += std::to_string(e.domain_id) + "-" + std::to_string(e.server_id) + "-" + std::to_string(e.sequence);
  }
  return s;
}

EventParser::EventParser() {
  // Until a FORMAT_DESCRIPTION_EVENT arrives: binlog v4 with the defaults, no checksum.
  format_.server_version = "";
}

Status EventParser::parse(const uint8_t* data, size_t size, Event& out) {
  return parse_impl(data, size, out, false);
}

Status EventParser::parse_embedded(const uint8_t* data, size_t size, Event& out) {
  return parse_impl(data, size, out, true);
}

Status EventParser::parse_impl(const uint8_t* data, size_t size, Event& out, bool embedded) {
  if (!read_event_header(data, size, out.header)) {
    return Status::error("truncated event header (" + std::to_string(size) + " of 19 bytes)");
  }
  const EventHeader& h = out.header;
  if (h.event_size != size) {
    return Status::error("event size " + std::to_string(h.event_size) + " does not match the " +
                         std::to_string(size) + " bytes given");
  }
  size_t header_len = format_.header_length;
  if (size < header_len) return Status::error("event shorter than its header");
  if (h.type == event_type::kFormatDescription) {
    if (embedded) return Status::error("FORMAT_DESCRIPTION_EVENT inside a transaction payload");
    FormatDescription f;
    Status st = parse_format_description(data + kCommonHeaderLength, size - kCommonHeaderLength, f);
    if (!st.ok()) return st;
    if (f.checksum == ChecksumAlg::kCrc32 && verify_checksums_) {
      uint32_t stored = le32(data + size - 4);
      uint32_t crc = crc32(0, data, size - 4);
      if (crc != stored && (h.flags & event_flag::kBinlogInUse)) {
        // The server sets LOG_EVENT_BINLOG_IN_USE_F after computing the checksum.
        uint8_t flags0 = uint8_t(data[17] & ~event_flag::kBinlogInUse);
        crc = crc32(0, data, 17);
        crc = crc32(crc, &flags0, 1);
        crc = crc32(crc, data + 18, size - 4 - 18);
      }
      if (crc != stored) return Status::error("checksum mismatch in FORMAT_DESCRIPTION_EVENT");
    }
    format_ = std::move(f);
    tables_.clear();
    out.body = as_view(data + kCommonHeaderLength, size - kCommonHeaderLength);
    out.data = FormatDescriptionEvent{&format_};
    return {};
  }
  size_t end = size;
  if (!embedded && format_.checksum == ChecksumAlg::kCrc32) {
    if (size < header_len + kChecksumLength) return Status::error("event too short for its checksum");
    end -= kChecksumLength;
    if (verify_checksums_) {
      uint32_t stored = le32(data + end);
      if (crc32(0, data, end) != stored) return Status::error("checksum mismatch");
    }
  }
  out.body = as_view(data + header_len, end - header_len);
  return decode(data + header_len, end - header_len, out);
}

Status EventParser::maria_uncompress(const uint8_t* p, size_t n, std::vector<uint8_t>& out) {
  if (n < 1) return Status::error("empty compressed data");
  uint8_t hdr = p[0];
  size_t lenlen = hdr & 0x07;
  if ((hdr & 0x70) != 0) return Status::error("unknown MariaDB compression algorithm");
  if (lenlen < 1 || lenlen > 4 || n < 1 + lenlen) return Status::error("bad MariaDB compressed header");
  size_t len = size_t(be_n(p + 1, lenlen));
  if (len > kMaxDecompressed) return Status::error("compressed event announces too much data");
  std::string err;
  if (!zlib_inflate(p + 1 + lenlen, n - 1 - lenlen, len, out, err)) {
    return Status::error("MariaDB compressed event: " + err);
  }
  if (out.size() != len) return Status::error("MariaDB compressed event: inflated size differs from the header");
  return {};
}

Status EventParser::decode_query(const uint8_t* body, size_t size, bool compressed, Event& out) {
  QueryEvent q;
  q.compressed = compressed;
  size_t php = format_.post_header_length(out.header.type);
  Cursor c(body, size);
  q.thread_id = c.u32();
  q.exec_time = c.u32();
  uint8_t db_len = c.u8();
  q.error_code = c.u16();
  uint16_t vars_len = php >= 13 ? c.u16() : 0;
  if (!c.ok() || php < 11) return Status::error("truncated QUERY_EVENT post-header");
  c.skip(php - (php >= 13 ? 13 : 11));
  q.vars.raw = c.bytes(vars_len);
  q.database = c.bytes(db_len);
  c.skip(1);
  std::string_view rest = c.rest();
  if (!c.ok()) return Status::error("truncated QUERY_EVENT");
  // Status variables: code byte then a value whose size the code fixes.
  Cursor v(q.vars.raw);
  auto& s = q.vars;
  while (v.ok() && !v.empty()) {
    uint8_t code = v.u8();
    switch (code) {
      case 0: s.has_flags2 = true; s.flags2 = v.u32(); break;
      case 1: s.has_sql_mode = true; s.sql_mode = v.u64(); break;
      case 2: { uint8_t n = v.u8(); s.catalog = v.bytes(n); v.skip(1); break; }
      case 3: v.skip(4); break;  // auto_increment increment, offset
      case 4: s.has_charset = true; s.charset_client = v.u16(); s.collation_connection = v.u16();
              s.collation_server = v.u16(); break;
      case 5: { uint8_t n = v.u8(); s.time_zone = v.bytes(n); break; }
      case 6: { uint8_t n = v.u8(); s.catalog = v.bytes(n); break; }
      case 7: s.lc_time_names = v.u16(); break;
      case 8: s.collation_database = v.u16(); break;
      case 9: v.skip(8); break;  // table_map_for_update
      case 10: v.skip(4); break;  // master_data_written
      case 11: { uint8_t n = v.u8(); s.invoker_user = v.bytes(n); n = v.u8(); s.invoker_host = v.bytes(n); break; }
      case 12: {
        uint8_t n = v.u8();
        if (n != 254) {  // 254 = more databases than listed
          for (uint8_t i = 0; i < n && v.ok(); ++i) {
            const uint8_t* start = v.pos();
            size_t len = 0;
            while (v.ok() && v.u8() != 0) ++len;
            s.updated_databases.push_back(as_view(start, len));
          }
        }
        break;
      }
      case 13: s.has_microseconds = true; s.microseconds = v.u24(); break;
      case 14: break;  // Q_COMMIT_TS: never written
      case 15: break;  // Q_COMMIT_TS2: never written
      case 16: v.skip(1); break;  // explicit_defaults_for_timestamp
      case 17: s.has_ddl_xid = true; s.ddl_xid = v.u64(); break;
      case 18: s.default_collation_for_utf8mb4 = v.u16(); break;
      case 19: v.skip(1); break;  // sql_require_primary_key
      case 20: v.skip(1); break;  // default_table_encryption
      case 128: s.has_microseconds = true; s.microseconds = v.u24(); break;  // MariaDB Q_HRNOW
      case 129: s.has_ddl_xid = true; s.ddl_xid = v.u64(); break;          // MariaDB Q_XID
      case 130: v.skip(1); break;                                           // MariaDB Q_GTID_FLAGS3
      default:
        s.complete = false;
        v = Cursor();  // stop: the size of an unknown variable is unknown
        break;
    }
    if (!s.complete) break;
  }
  if (s.complete && !v.ok()) return Status::error("malformed QUERY_EVENT status variables");
  if (compressed) {
    Status st = maria_uncompress(as_bytes(rest), rest.size(), inflated_);
    if (!st.ok()) return st;
    q.query = as_view(inflated_.data(), inflated_.size());
  } else {
    q.query = rest;
  }
  out.data = std::move(q);
  return {};
}

Status EventParser::decode_rows(const uint8_t* body, size_t size, uint8_t type, Event& out) {
  using namespace event_type;
  RowsEvent r;
  switch (type) {
    case kWriteRowsV0: case kWriteRowsV1: case kWriteRowsV2: case kMariaWriteRowsCompressedV1:
    case kMariaWriteRowsCompressed:
      r.kind = RowsKind::kInsert;
      break;
    case kUpdateRowsV0: case kUpdateRowsV1: case kUpdateRowsV2: case kPartialUpdateRows:
    case kMariaUpdateRowsCompressedV1: case kMariaUpdateRowsCompressed:
      r.kind = RowsKind::kUpdate;
      break;
    default:
      r.kind = RowsKind::kDelete;
  }
  bool v2 = (type >= kWriteRowsV2 && type <= kDeleteRowsV2) || type == kPartialUpdateRows ||
            (type >= kMariaWriteRowsCompressed && type <= kMariaDeleteRowsCompressed);
  r.version = v2 ? 2 : (type <= kDeleteRowsV0 ? 0 : 1);
  r.partial_json = type == kPartialUpdateRows;
  r.compressed = type >= kMariaWriteRowsCompressedV1;
  size_t php = format_.post_header_length(type);
  size_t id_len = php == 6 ? 4 : 6;
  Cursor c(body, size);
  r.table_id = c.uint_le(id_len);
  r.flags = c.u16();
  if (v2) {
    uint16_t extra_len = c.u16();
    if (extra_len < 2) c.fail();
    else r.extra = c.bytes(extra_len - 2);
  }
  uint64_t n = c.lenenc();
  if (!c.ok()) return Status::error("truncated rows event header");
  if (n == 0 || n > 4096) return Status::error("rows event column count " + std::to_string(n) + " out of range");
  r.column_count = uint32_t(n);
  size_t bitmap = (size_t(n) + 7) / 8;
  std::string_view first = c.bytes(bitmap);
  if (r.kind == RowsKind::kInsert) {
    r.columns_after = first;
  } else {
    r.columns_before = first;
    if (r.kind == RowsKind::kUpdate) r.columns_after = c.bytes(bitmap);
  }
  if (!c.ok()) return Status::error("truncated rows event column bitmaps");
  std::string_view rows = c.rest();
  if (r.compressed) {
    Status st = maria_uncompress(as_bytes(rows), rows.size(), inflated_);
    if (!st.ok()) return st;
    rows = as_view(inflated_.data(), inflated_.size());
  }
  r.rows = rows;
  r.table = tables_.find(r.table_id);
  // The servers end some statements with a dummy rows event for table id ~0 and no rows.
  bool dummy = (r.table_id == 0xffffff || r.table_id == 0xffffffffffffULL) && rows.empty();
  if (!r.table && !dummy) {
    return Status::error("rows event for table id " + std::to_string(r.table_id) +
                         " without a preceding TABLE_MAP_EVENT");
  }
  if (r.table && r.table->columns.size() != n) {
    return Status::error("rows event has " + std::to_string(n) + " columns but table " +
                         std::string(r.table->database) + "." + std::string(r.table->table) + " maps " +
                         std::to_string(r.table->columns.size()));
  }
  out.data = r;
  return {};
}

Status EventParser::decode(const uint8_t* body, size_t size, Event& out) {
  using namespace event_type;
  const uint8_t type = out.header.type;
  if (is_rows_type(type)) return decode_rows(body, size, type, out);
  size_t php = format_.post_header_length(type);
  Cursor c(body, size);
  switch (type) {
    case kQuery:
      return decode_query(body, size, false, out);
    case kMariaQueryCompressed:
      return decode_query(body, size, true, out);
    case kRotate: {
      RotateEvent r;
      if (php >= 8) {
        r.position = c.u64();
        c.skip(php - 8);
      }
      r.next_file = c.rest();
      if (!c.ok()) return Status::error("truncated ROTATE_EVENT");
      out.data = r;
      tables_.clear();
      return {};
    }
    case kXid: {
      XidEvent x;
      x.xid = c.u64();
      if (!c.ok()) return Status::error("truncated XID_EVENT");
      out.data = x;
      return {};
    }
    case kIntvar: {
      IntvarEvent e;
      e.kind = c.u8();
      e.value = c.u64();
      if (!c.ok()) return Status::error("truncated INTVAR_EVENT");
      out.data = e;
      return {};
    }
    case kRand: {
      RandEvent e;
      e.seed1 = c.u64();
      e.seed2 = c.u64();
      if (!c.ok()) return Status::error("truncated RAND_EVENT");
      out.data = e;
      return {};
    }
    case kUserVar: {
      UserVarEvent e;
      uint32_t n = c.u32();
      e.name = c.bytes(n);
      e.is_null = c.u8() != 0;
      if (!e.is_null) {
        e.value_type = c.u8();
        e.charset = c.u32();
        uint32_t len = c.u32();
        e.value = c.bytes(len);
        if (!c.empty()) e.flags = c.u8();
      }
      if (!c.ok()) return Status::error("truncated USER_VAR_EVENT");
      out.data = e;
      return {};
    }
    case kTableMap: {
      TableMapEvent t;
      Status st = tables_.update(body, size, php == 6 ? 4 : 6, &t.table);
      if (!st.ok()) return st;
      out.data = t;
      return {};
    }
    case kIncident: {
      IncidentEvent e;
      e.incident = c.u16();
      c.skip(php > 2 ? php - 2 : 0);
      if (!c.empty()) {
        uint8_t n = c.u8();
        e.message = c.bytes(n);
      }
      if (!c.ok()) return Status::error("truncated INCIDENT_EVENT");
      out.data = e;
      return {};
    }
    case kHeartbeat: {
      HeartbeatEvent e;
      e.log_file = c.rest();
      e.log_position = out.header.log_pos;
      out.data = e;
      return {};
    }
    case kHeartbeatV2: {
      HeartbeatEvent e;
      while (c.ok() && !c.empty()) {
        uint64_t field = c.lenenc();
        std::string_view value = c.lenenc_bytes();
        if (field == 1) e.log_file = value;
        if (field == 2) {
          Cursor vc(value);
          e.log_position = vc.lenenc();
        }
      }
      if (!c.ok()) return Status::error("malformed HEARTBEAT_LOG_EVENT_V2");
      out.data = e;
      return {};
    }
    case kRowsQuery: {
      RowsQueryEvent e;
      c.skip(1);  // length byte, truncated to 255 by the server: the rest is the text
      e.query = c.rest();
      if (!c.ok()) return Status::error("truncated ROWS_QUERY_LOG_EVENT");
      out.data = e;
      return {};
    }
    case kMariaAnnotateRows: {
      out.data = RowsQueryEvent{c.rest()};
      return {};
    }
    case kGtid:
    case kAnonymousGtid: {
      GtidEvent g;
      g.anonymous = type == kAnonymousGtid;
      g.flags = c.u8();
      std::string_view sid = c.bytes(16);
      g.gno = int64_t(c.u64());
      if (!c.ok()) return Status::error("truncated GTID event");
      std::memcpy(g.sid.data(), sid.data(), 16);
      if (c.left() >= 17) {
        uint8_t lt_type = c.u8();
        if (lt_type == 2) {
          g.has_logical_clock = true;
          g.last_committed = int64_t(c.u64());
          g.sequence_number = int64_t(c.u64());
        } else {
          c.skip(16);
        }
      }
      if (c.left() >= 7) {
        uint64_t ts = c.uint_le(7);
        g.has_commit_timestamps = true;
        bool has_original = ts & (uint64_t(1) << 55);
        g.immediate_commit_timestamp = ts & ~(uint64_t(1) << 55);
        g.original_commit_timestamp = has_original ? c.uint_le(7) : g.immediate_commit_timestamp;
        if (!c.empty()) {
          g.has_transaction_length = true;
          g.transaction_length = c.lenenc();
        }
        if (c.left() >= 4) {
          uint32_t v = c.u32();
          g.immediate_server_version = v & 0x7fffffffu;
          g.original_server_version = (v & 0x80000000u) ? c.u32() : g.immediate_server_version;
        }
      }
      if (!c.ok()) return Status::error("truncated GTID event");
      out.data = g;
      return {};
    }
    case kGtidTagged: {
      // MySQL 8.4 serialization: format version, message size, last non-ignorable field id,
      // then (field id, value) pairs in id order.
      GtidEvent g;
      g.tagged = true;
      c.varlen();
      uint64_t msg_size = c.varlen();
      c.varlen();
      if (!c.ok() || msg_size > size) return Status::error("malformed GTID_TAGGED_LOG_EVENT header");
      Cursor m(body, size_t(msg_size));
      m.skip(size_t(c.pos() - body));
      bool has_original_ts = false, has_original_version = false;
      while (m.ok() && !m.empty()) {
        uint64_t id = m.varlen();
        bool known = true;
        switch (id) {
          case 0: g.flags = uint8_t(m.varlen()); break;
          case 1: for (auto& b : g.sid) b = uint8_t(m.varlen()); break;
          case 2: g.gno = m.varlen_signed(); break;
          case 3: g.tag = m.bytes(size_t(m.varlen())); break;
          case 4: g.has_logical_clock = true; g.last_committed = m.varlen_signed(); break;
          case 5: g.sequence_number = m.varlen_signed(); break;
          case 6: g.has_commit_timestamps = true; g.immediate_commit_timestamp = m.varlen(); break;
          case 7: has_original_ts = true; g.original_commit_timestamp = m.varlen(); break;
          case 8: g.has_transaction_length = true; g.transaction_length = m.varlen(); break;
          case 9: g.immediate_server_version = uint32_t(m.varlen()); break;
          case 10: has_original_version = true; g.original_server_version = uint32_t(m.varlen()); break;
          case 11: m.varlen(); break;  // commit_group_ticket
          default: known = false;
        }
        if (!known) break;  // later fields have sizes this reader cannot know
      }
      if (!m.ok()) return Status::error("malformed GTID_TAGGED_LOG_EVENT");
      if (!has_original_ts) g.original_commit_timestamp = g.immediate_commit_timestamp;
      if (!has_original_version) g.original_server_version = g.immediate_server_version;
      out.data = g;
      return {};
    }
    case kPreviousGtids: {
      out.data = PreviousGtidsEvent{c.rest()};
      return {};
    }
    case kXaPrepare: {
      XaPrepareEvent x;
      x.one_phase = c.u8() != 0;
      x.format_id = c.u32();
      uint32_t gl = c.u32(), bl = c.u32();
      if (gl > 64 || bl > 64) c.fail();
      x.gtrid = c.bytes(gl);
      x.bqual = c.bytes(bl);
      if (!c.ok()) return Status::error("malformed XA_PREPARE_LOG_EVENT");
      out.data = x;
      return {};
    }
    case kTransactionPayload: {
      TransactionPayloadEvent p;
      for (;;) {
        uint64_t field = c.lenenc();
        if (!c.ok()) return Status::error("malformed TRANSACTION_PAYLOAD_EVENT header");
        if (field == 0) break;
        std::string_view value = c.lenenc_bytes();
        Cursor vc(value);
        uint64_t v = vc.lenenc();
        if (field == 1) p.payload_size = v;
        else if (field == 2) p.compression = uint8_t(v);
        else if (field == 3) p.uncompressed_size = v;
        if (!c.ok() || !vc.ok()) return Status::error("malformed TRANSACTION_PAYLOAD_EVENT header");
      }
      p.payload = c.rest();
      if (p.payload_size != p.payload.size()) {
        return Status::error("TRANSACTION_PAYLOAD_EVENT payload size " + std::to_string(p.payload_size) +
                             " does not match the " + std::to_string(p.payload.size()) + " bytes present");
      }
      out.data = p;
      return {};
    }
    case kMariaBinlogCheckpoint: {
      BinlogCheckpointEvent e;
      uint32_t n = c.u32();
      c.skip(php > 4 ? php - 4 : 0);
      e.file = c.bytes(n);
      if (!c.ok()) return Status::error("truncated BINLOG_CHECKPOINT_EVENT");
      out.data = e;
      return {};
    }
    case kMariaGtid: {
      MariaGtidEvent g;
      g.server_id = out.header.server_id;
      g.sequence = c.u64();
      g.domain_id = c.u32();
      g.flags = c.u8();
      if (!c.ok()) return Status::error("truncated MariaDB GTID_EVENT");
      size_t used = 13;
      if (g.flags & 2) {
        g.has_commit_id = true;
        g.commit_id = c.u64();
        used += 8;
      }
      if (g.flags & (64 | 128)) {  // FL_PREPARED_XA, FL_COMPLETED_XA
        g.has_xa = true;
        g.xa_format_id = c.u32();
        uint8_t gl = c.u8(), bl = c.u8();
        g.xa_gtrid = c.bytes(gl);
        g.xa_bqual = c.bytes(bl);
        used = php;  // past the fixed part; extra flags follow the XID
      } else if (used < php) {
        c.skip(php - used);  // padding of the fixed post-header
      }
      if (!c.empty()) g.flags_extra = c.u8();
      if (!c.ok()) return Status::error("truncated MariaDB GTID_EVENT");
      out.data = g;
      return {};
    }
    case kMariaGtidList: {
      MariaGtidListEvent l;
      uint32_t v = c.u32();
      l.count = v & 0x0fffffffu;
      l.flags = uint8_t(v >> 28);
      if (l.count > c.left() / 16) return Status::error("truncated GTID_LIST_EVENT");
      l.raw = c.bytes(size_t(l.count) * 16);
      out.data = l;
      return {};
    }
    case kMariaStartEncryption:
      return Status::error("encrypted binlog (START_ENCRYPTION_EVENT): decryption is not supported");
    case kPartialUpdateRows:
      break;  // handled with the rows events
    case kStartV3:
      return Status::error("binlog v1-v3 (START_EVENT_V3) not supported");
    case kStop: case kIgnorable: case kTransactionContext: case kViewChange: case kLoad: case kSlave:
    case kCreateFile: case kAppendBlock: case kExecLoad: case kDeleteFile: case kNewLoad:
    case kBeginLoadQuery: case kExecuteLoadQuery:
      out.data = OtherEvent{true};
      return {};
    default:
      break;
  }
  ++unknown_events_;
  out.data = OtherEvent{false};
  return {};
}

Status EventParser::decompress_payload(const TransactionPayloadEvent& ev, std::vector<uint8_t>& out) const {
  out.clear();
  if (ev.compression == 255) {
    out.assign(as_bytes(ev.payload), as_bytes(ev.payload) + ev.payload.size());
    return {};
  }
  if (ev.compression != 0) {
    return Status::error("TRANSACTION_PAYLOAD_EVENT compression type " + std::to_string(ev.compression) +
                         " unknown");
  }
  size_t limit = kMaxDecompressed;
  if (ev.uncompressed_size != 0 && ev.uncompressed_size < limit) limit = size_t(ev.uncompressed_size);
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  if (!dctx) return Status::error("out of memory for zstd");
  ZSTD_inBuffer in{ev.payload.data(), ev.payload.size(), 0};
  Status st;
  size_t ret = 1;
  while (true) {
    size_t chunk = std::min<size_t>(limit - out.size() + 1, size_t(1) << 20);
    size_t old = out.size();
    out.resize(old + chunk);
    ZSTD_outBuffer ob{out.data() + old, chunk, 0};
    ret = ZSTD_decompressStream(dctx, &ob, &in);
    out.resize(old + ob.pos);
    if (ZSTD_isError(ret)) {
      st = Status::error(std::string("TRANSACTION_PAYLOAD_EVENT zstd: ") + ZSTD_getErrorName(ret));
      break;
    }
    if (out.size() > limit) {
      st = Status::error("TRANSACTION_PAYLOAD_EVENT inflates beyond its announced size");
      break;
    }
    if (ret == 0 && in.pos == in.size) break;
    if (in.pos == in.size && ob.pos < chunk) {
      st = Status::error("TRANSACTION_PAYLOAD_EVENT zstd stream truncated");
      break;
    }
  }
  ZSTD_freeDCtx(dctx);
  if (st.ok() && ev.uncompressed_size != 0 && out.size() != ev.uncompressed_size) {
    st = Status::error("TRANSACTION_PAYLOAD_EVENT inflated to " + std::to_string(out.size()) +
                       " bytes, header says " + std::to_string(ev.uncompressed_size));
  }
  return st;
}

}  // namespace sluice::mysql
