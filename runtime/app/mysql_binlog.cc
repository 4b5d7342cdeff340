#include "runtime/app/mysql_binlog.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/mysql/binlog/events.h"
#include "plugins/mysql/binlog/framing.h"
#include "plugins/mysql/binlog/json_binary.h"
#include "plugins/mysql/binlog/rows.h"
#include "plugins/mysql/binlog/values.h"

namespace sluice::app {
namespace {

using namespace sluice::mysql;

constexpr const char* kUsage =
    "usage: sluice mysql-binlog [--events | --stats] [--no-checksum] FILE...\n"
    "\n"
    "Decodes MySQL (5.0-9.x) and MariaDB binlog files. Prints one JSON line per row change:\n"
    "  {\"table\":\"db.t\",\"op\":\"c|u|d\",\"before\":{...}|null,\"after\":{...}|null,\n"
    "   \"position\":\"FILE:POS\",\"row\":N,\"gtid\":\"...\"|null,\"timestamp\":SECONDS,\"server_id\":N}\n"
    "or, with --events, one JSON line per event. Columns are named from the binlog's metadata\n"
    "(binlog_row_metadata=FULL) or @1, @2, ... Values: integers as numbers ({\"signed\":..,\n"
    "\"unsigned\":..} when the binlog does not say which), DECIMAL as exact strings, dates and\n"
    "times as text, TIMESTAMP in UTC ISO-8601, text as strings, binary data as {\"base64\":..},\n"
    "JSON as its compact text, ENUM/SET as labels (or {\"index\":N}/{\"bits\":N}), BIT as a\n"
    "string of bits, geometry as {\"srid\":N,\"wkb\":base64}.\n"
    "--stats decodes every row to typed values but prints only one line of counts.\n"
    "--no-checksum skips CRC32 verification. A truncated or corrupt file stops with an error\n"
    "naming the file offset, after what was complete has been printed; exit code 1.\n";

class Output {
 public:
  ~Output() { flush(); }
  std::string& buf() { return buf_; }
  void line_done() {
    buf_.push_back('\n');
    if (buf_.size() > (1 << 20)) flush();
  }
  void flush() {
    if (!buf_.empty()) {
      std::fwrite(buf_.data(), 1, buf_.size(), stdout);
      buf_.clear();
    }
    std::fflush(stdout);
  }

 private:
  std::string buf_;
};

void append_str(std::string& o, std::string_view s) {
  o.push_back('"');
  append_json_escaped(s, o);
  o.push_back('"');
}

bool valid_utf8(std::string_view s) {
  size_t i = 0, n = s.size();
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (len == 0 || i + len > n || (len == 2 && c < 0xc2)) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

bool is_latin1(uint16_t collation) {
  switch (collation) {
    case 5: case 8: case 15: case 31: case 47: case 48: case 49: case 94: return true;
    default: return false;
  }
}

void append_base64_obj(std::string& o, std::string_view data) {
  o += "{\"base64\":\"";
  append_base64(data, o);
  o += "\"}";
}

void append_text(std::string& o, std::string_view s, uint16_t collation) {
  if (is_latin1(collation)) {
    std::string u;
    for (unsigned char c : s) {
      if (c < 0x80) {
        u.push_back(char(c));
      } else {
        u.push_back(char(0xc0 | (c >> 6)));
        u.push_back(char(0x80 | (c & 0x3f)));
      }
    }
    append_str(o, u);
  } else if (valid_utf8(s)) {
    append_str(o, s);
  } else {
    append_base64_obj(o, s);
  }
}

// Returns false (with `err`) only for data the decoder found corrupt (DECIMAL, JSON).
bool append_cell(std::string& o, const CellView& c, const ResolvedColumn& col, std::string& err) {
  switch (c.kind) {
    case CellKind::kAbsent:
    case CellKind::kNull:
      o += "null";
      return true;
    case CellKind::kSigned:
      o += std::to_string(c.i);
      return true;
    case CellKind::kUnsigned:
      o += std::to_string(c.u);
      return true;
    case CellKind::kInteger: {
      int64_t s = c.as_signed();
      if (s >= 0) {
        o += std::to_string(s);
      } else {
        o += "{\"signed\":" + std::to_string(s) + ",\"unsigned\":" + std::to_string(c.as_unsigned()) + "}";
      }
      return true;
    }
    case CellKind::kFloat:
      append_shortest(c.f, o);
      return true;
    case CellKind::kDouble:
      append_shortest(c.d, o);
      return true;
    case CellKind::kDecimal: {
      o.push_back('"');
      Status st = decimal_to_string(c.bytes, c.precision, c.scale, o);
      o.push_back('"');
      if (!st.ok()) err = st.message();
      return st.ok();
    }
    case CellKind::kYear:
      o += std::to_string(c.i);
      return true;
    case CellKind::kDate:
      o.push_back('"');
      append_date(c.t, o);
      o.push_back('"');
      return true;
    case CellKind::kTime:
      o.push_back('"');
      append_time(c.t, c.fsp, o);
      o.push_back('"');
      return true;
    case CellKind::kDateTime:
      o.push_back('"');
      append_datetime(c.t, c.fsp, o);
      o.push_back('"');
      return true;
    case CellKind::kTimestamp:
      o.push_back('"');
      if (c.i == 0 && c.t.micros == 0) {
        o += "0000-00-00T00:00:00Z";
      } else {
        append_timestamp_utc(c.i, c.t.micros, c.fsp, o);
      }
      o.push_back('"');
      return true;
    case CellKind::kString:
      append_text(o, c.bytes, c.collation);
      return true;
    case CellKind::kBytes:
      if (c.type == column_type::kString && c.width > c.bytes.size()) {
        // BINARY(n): the row image drops trailing zero bytes; the value has n bytes.
        std::string padded(c.bytes);
        padded.resize(c.width, '\0');
        append_base64_obj(o, padded);
      } else {
        append_base64_obj(o, c.bytes);
      }
      return true;
    case CellKind::kEnum:
      if (col.labels && c.u >= 1 && c.u <= col.labels->size()) {
        append_str(o, (*col.labels)[c.u - 1]);
      } else if (col.labels && c.u == 0) {
        o += "\"\"";
      } else {
        o += "{\"index\":" + std::to_string(c.u) + "}";
      }
      return true;
    case CellKind::kSet:
      if (col.labels) {
        std::string s;
        for (size_t b = 0; b < 64 && b < col.labels->size(); ++b) {
          if (c.u >> b & 1) {
            if (!s.empty()) s.push_back(',');
            s += (*col.labels)[b];
          }
        }
        append_str(o, s);
      } else {
        o += "{\"bits\":" + std::to_string(c.u) + "}";
      }
      return true;
    case CellKind::kBit: {
      o.push_back('"');
      size_t nbits = c.bits;
      size_t total = c.bytes.size() * 8;
      for (size_t b = total - nbits; b < total; ++b) {
        uint8_t byte = uint8_t(c.bytes[b / 8]);
        o.push_back(((byte >> (7 - b % 8)) & 1) ? '1' : '0');
      }
      o.push_back('"');
      return true;
    }
    case CellKind::kJson: {
      std::string text;
      Status st = json_binary_to_text(c.bytes, text);
      if (!st.ok()) {
        err = st.message();
        return false;
      }
      append_str(o, text);
      return true;
    }
    case CellKind::kGeometry: {
      if (c.bytes.size() < 4) {
        err = "geometry value shorter than its SRID";
        return false;
      }
      o += "{\"srid\":" + std::to_string(le32(as_bytes(c.bytes))) + ",\"wkb\":\"";
      append_base64(c.bytes.substr(4), o);
      o += "\"}";
      return true;
    }
    case CellKind::kVector: {
      o.push_back('[');
      for (size_t k = 0; k + 4 <= c.bytes.size(); k += 4) {
        if (k) o.push_back(',');
        float f;
        std::memcpy(&f, c.bytes.data() + k, 4);
        append_shortest(f, o);
      }
      o.push_back(']');
      return true;
    }
    case CellKind::kUuid: {
      std::string raw(c.bytes);
      raw.resize(16, '\0');
      o.push_back('"');
      append_uuid(raw, o);
      o.push_back('"');
      return true;
    }
    case CellKind::kInet4: {
      std::string raw(c.bytes);
      raw.resize(4, '\0');
      o.push_back('"');
      append_inet4(raw, o);
      o.push_back('"');
      return true;
    }
    case CellKind::kInet6: {
      std::string raw(c.bytes);
      raw.resize(16, '\0');
      o.push_back('"');
      append_inet6(raw, o);
      o.push_back('"');
      return true;
    }
  }
  return true;
}

bool append_image(std::string& o, const RowIterator& rows, const std::vector<CellView>& cells, std::string& err) {
  o.push_back('{');
  bool first = true;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].kind == CellKind::kAbsent) continue;
    if (!first) o.push_back(',');
    first = false;
    const ResolvedColumn& col = rows.column(i);
    if (!col.name.empty()) {
      append_str(o, col.name);
    } else {
      o += "\"@" + std::to_string(i + 1) + "\"";
    }
    o.push_back(':');
    if (!append_cell(o, cells[i], col, err)) {
      err = "column " + (col.name.empty() ? "@" + std::to_string(i + 1) : std::string(col.name)) + ": " + err;
      return false;
    }
  }
  o.push_back('}');
  return true;
}

std::string basename_of(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

class Decoder {
 public:
  Decoder(bool events, bool stats, bool verify, Output& out)
      : events_(events), stats_(stats), verify_(verify), out_(out) {}

  // Returns the exit code contribution: 0 ok, 1 error (already reported).
  int run(const std::string& path) {
    file_ = basename_of(path);
    path_ = path;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return report_plain(std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      ::close(fd);
      return report_plain(std::string("cannot stat: ") + std::strerror(errno));
    }
    size_t size = size_t(st.st_size);
    const uint8_t* data = nullptr;
    void* map = nullptr;
    if (size > 0) {
      map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (map == MAP_FAILED) {
        ::close(fd);
        return report_plain(std::string("cannot map: ") + std::strerror(errno));
      }
      ::madvise(map, size, MADV_SEQUENTIAL);
      data = static_cast<const uint8_t*>(map);
    }
    ::close(fd);
    static const uint8_t kEmpty[1] = {0};
    int rc = decode(data ? data : kEmpty, size);
    if (map) ::munmap(map, size);
    return rc;
  }

 private:
  int report_plain(const std::string& msg) {
    out_.flush();
    std::fprintf(stderr, "sluice mysql-binlog: %s: %s\n", path_.c_str(), msg.c_str());
    return 1;
  }
  int report(uint64_t offset, const std::string& msg) {
    out_.flush();
    std::fprintf(stderr, "sluice mysql-binlog: %s: offset %llu: %s\n", path_.c_str(),
                 static_cast<unsigned long long>(offset), msg.c_str());
    return 1;
  }

  int decode(const uint8_t* data, size_t size) {
    parser_ = EventParser();
    parser_.set_verify_checksums(verify_);
    Status st = check_binlog_magic(data, size);
    if (!st.ok()) return report(0, st.message());
    EventSplitter split(data, size, 4);
    const uint8_t* ev;
    size_t n;
    gtid_.clear();
    while (split.next(ev, n)) {
      int rc = handle(ev, n, split.offset(), false);
      if (rc) return rc;
    }
    if (!split.status().ok()) return report(split.offset(), split.status().message());
    if (parser_.unknown_events()) {
      out_.flush();
      std::fprintf(stderr, "sluice mysql-binlog: %s: warning: %llu event(s) of unknown type skipped\n",
                   path_.c_str(), static_cast<unsigned long long>(parser_.unknown_events()));
    }
    return 0;
  }

  void event_prefix(std::string& o, const Event& e, uint64_t offset, bool embedded) {
    o += "{\"position\":\"";
    append_json_escaped(file_, o);
    o += ':';
    o += std::to_string(offset);
    o += '"';
    if (embedded) o += ",\"in_payload\":true";
    std::string_view name = event_type_name(e.header.type);
    o += ",\"type\":";
    append_str(o, name.empty() ? "UNKNOWN" : name);
    o += ",\"code\":" + std::to_string(e.header.type) + ",\"timestamp\":" + std::to_string(e.header.timestamp) +
         ",\"server_id\":" + std::to_string(e.header.server_id) + ",\"size\":" + std::to_string(e.header.event_size) +
         ",\"end_position\":" + std::to_string(e.header.log_pos);
  }

  std::string table_name(const TableMap* t) {
    if (!t) return "";
    return std::string(t->database) + "." + std::string(t->table);
  }

  int handle(const uint8_t* data, size_t size, uint64_t offset, bool embedded) {
    Event e;
    Status st = embedded ? parser_.parse_embedded(data, size, e) : parser_.parse(data, size, e);
    if (!st.ok()) return report(offset, st.message());
    ++events_seen;
    if (!embedded) bytes += size;
    std::string& o = out_.buf();
    if (events_) {
      event_prefix(o, e, offset, embedded);
      std::string err;
      if (!describe(o, e, err)) {
        o += "}";
        out_.line_done();
        return report(offset, err);
      }
      o += "}";
      out_.line_done();
    }
    // Transaction context for row lines.
    if (auto* g = std::get_if<GtidEvent>(&e.data)) gtid_ = g->anonymous ? "" : g->to_string();
    if (auto* g = std::get_if<MariaGtidEvent>(&e.data)) gtid_ = g->to_string();
    if (auto* p = std::get_if<TransactionPayloadEvent>(&e.data)) {
      std::vector<uint8_t> inner;
      st = parser_.decompress_payload(*p, inner);
      if (!st.ok()) return report(offset, st.message());
      EventSplitter split(inner.data(), inner.size());
      const uint8_t* ev;
      size_t n;
      while (split.next(ev, n)) {
        // Embedded events report the payload event's offset.
        int rc = handle(ev, n, offset, true);
        if (rc) return rc;
      }
      if (!split.status().ok()) {
        return report(offset, "inside TRANSACTION_PAYLOAD_EVENT at payload offset " +
                                  std::to_string(split.offset()) + ": " + split.status().message());
      }
      return 0;
    }
    if (auto* r = std::get_if<RowsEvent>(&e.data)) {
      if (!r->table) return 0;  // the dummy end-of-statement event
      st = rows_.reset(*r);
      if (!st.ok()) return report(offset, st.message());
      if (events_) return drain_rows(offset);  // validates the rows; already described
      if (stats_) {
        while (rows_.next()) {
          ++row_changes;
          cells += rows_.column_count() * ((rows_.has_before() ? 1 : 0) + (rows_.has_after() ? 1 : 0));
        }
        if (!rows_.status().ok()) return report(offset, rows_.status().message());
        return 0;
      }
      const char* op = r->kind == RowsKind::kInsert ? "c" : r->kind == RowsKind::kUpdate ? "u" : "d";
      std::string table = table_name(r->table);
      while (rows_.next()) {
        o += "{\"table\":";
        append_str(o, table);
        o += ",\"op\":\"";
        o += op;
        o += "\",\"before\":";
        std::string err;
        if (rows_.has_before()) {
          if (!append_image(o, rows_, rows_.before(), err)) return bad_row(offset, err);
        } else {
          o += "null";
        }
        o += ",\"after\":";
        if (rows_.has_after()) {
          if (!append_image(o, rows_, rows_.after(), err)) return bad_row(offset, err);
        } else {
          o += "null";
        }
        o += ",\"position\":\"";
        append_json_escaped(file_, o);
        o += ":" + std::to_string(offset) + "\",\"row\":" + std::to_string(rows_.row_index()) + ",\"gtid\":";
        if (gtid_.empty()) {
          o += "null";
        } else {
          append_str(o, gtid_);
        }
        o += ",\"timestamp\":" + std::to_string(e.header.timestamp) +
             ",\"server_id\":" + std::to_string(e.header.server_id) + "}";
        out_.line_done();
      }
      if (!rows_.status().ok()) return report(offset, rows_.status().message());
    }
    return 0;
  }

  int bad_row(uint64_t offset, const std::string& err) {
    // Drop the partial line.
    std::string& o = out_.buf();
    size_t nl = o.rfind('\n');
    o.resize(nl == std::string::npos ? 0 : nl + 1);
    return report(offset, "row " + std::to_string(rows_.row_index()) + ": " + err);
  }

  int drain_rows(uint64_t offset) {
    while (rows_.next()) {
    }
    if (!rows_.status().ok()) return report(offset, rows_.status().message());
    return 0;
  }

  bool describe(std::string& o, const Event& e, std::string& err) {
    if (auto* f = std::get_if<FormatDescriptionEvent>(&e.data)) {
      o += ",\"server_version\":";
      append_str(o, f->format->server_version);
      o += ",\"binlog_version\":" + std::to_string(f->format->binlog_version) + ",\"checksum\":\"";
      o += f->format->checksum == ChecksumAlg::kCrc32 ? "CRC32" : "NONE";
      o += "\"";
      if (e.header.flags & event_flag::kBinlogInUse) o += ",\"in_use\":true";
    } else if (auto* r = std::get_if<RotateEvent>(&e.data)) {
      o += ",\"next_file\":";
      append_str(o, r->next_file);
      o += ",\"next_position\":" + std::to_string(r->position);
    } else if (auto* q = std::get_if<QueryEvent>(&e.data)) {
      o += ",\"thread_id\":" + std::to_string(q->thread_id) + ",\"exec_time\":" + std::to_string(q->exec_time) +
           ",\"error_code\":" + std::to_string(q->error_code) + ",\"database\":";
      append_text(o, q->database, 0);
      o += ",\"query\":";
      append_text(o, q->query, 0);
      if (q->compressed) o += ",\"compressed\":true";
    } else if (auto* x = std::get_if<XidEvent>(&e.data)) {
      o += ",\"xid\":" + std::to_string(x->xid);
    } else if (auto* g = std::get_if<GtidEvent>(&e.data)) {
      if (!g->anonymous) {
        o += ",\"gtid\":";
        append_str(o, g->to_string());
      }
      if (g->has_logical_clock) {
        o += ",\"last_committed\":" + std::to_string(g->last_committed) +
             ",\"sequence_number\":" + std::to_string(g->sequence_number);
      }
      if (g->has_commit_timestamps) {
        o += ",\"immediate_commit_timestamp\":" + std::to_string(g->immediate_commit_timestamp) +
             ",\"original_commit_timestamp\":" + std::to_string(g->original_commit_timestamp);
      }
      if (g->has_transaction_length) o += ",\"transaction_length\":" + std::to_string(g->transaction_length);
      if (g->immediate_server_version) o += ",\"server_version\":" + std::to_string(g->immediate_server_version);
    } else if (auto* p = std::get_if<PreviousGtidsEvent>(&e.data)) {
      std::string set;
      Status st = p->to_string(set);
      if (!st.ok()) {
        err = st.message();
        return false;
      }
      o += ",\"gtid_set\":";
      append_str(o, set);
    } else if (auto* mg = std::get_if<MariaGtidEvent>(&e.data)) {
      o += ",\"gtid\":";
      append_str(o, mg->to_string());
      o += ",\"standalone\":";
      o += mg->standalone() ? "true" : "false";
      if (mg->has_commit_id) o += ",\"commit_id\":" + std::to_string(mg->commit_id);
    } else if (auto* l = std::get_if<MariaGtidListEvent>(&e.data)) {
      o += ",\"gtid_list\":";
      append_str(o, l->to_string());
    } else if (auto* b = std::get_if<BinlogCheckpointEvent>(&e.data)) {
      o += ",\"file\":";
      append_str(o, b->file);
    } else if (auto* rq = std::get_if<RowsQueryEvent>(&e.data)) {
      o += ",\"query\":";
      append_text(o, rq->query, 0);
    } else if (auto* h = std::get_if<HeartbeatEvent>(&e.data)) {
      o += ",\"log_file\":";
      append_str(o, h->log_file);
      o += ",\"log_position\":" + std::to_string(h->log_position);
    } else if (auto* t = std::get_if<TableMapEvent>(&e.data)) {
      const TableMap& tm = *t->table;
      o += ",\"table_id\":" + std::to_string(tm.table_id) + ",\"table\":";
      append_str(o, table_name(&tm));
      o += ",\"columns\":[";
      for (size_t i = 0; i < tm.columns.size(); ++i) {
        const ColumnDef& c = tm.columns[i];
        if (i) o.push_back(',');
        o += "{\"name\":";
        if (c.name.empty()) o += "\"@" + std::to_string(i + 1) + "\"";
        else append_str(o, c.name);
        o += ",\"type\":\"";
        o += column_type_name(c.real_type);
        o += "\",\"meta\":" + std::to_string(c.meta) + ",\"nullable\":" + (c.nullable ? "true" : "false");
        if (c.is_unsigned) o += std::string(",\"unsigned\":") + (*c.is_unsigned ? "true" : "false");
        if (c.collation) o += ",\"collation\":" + std::to_string(c.collation);
        if (c.has_labels) {
          o += ",\"values\":[";
          for (size_t k = 0; k < c.labels.size(); ++k) {
            if (k) o.push_back(',');
            append_text(o, c.labels[k], 0);
          }
          o += "]";
        }
        if (c.geometry_type) o += ",\"geometry_type\":" + std::to_string(*c.geometry_type);
        if (c.visible) o += std::string(",\"visible\":") + (*c.visible ? "true" : "false");
        if (c.vector_dimensions) o += ",\"dimensions\":" + std::to_string(*c.vector_dimensions);
        o += "}";
      }
      o += "]";
      if (!tm.primary_key.empty()) {
        o += ",\"primary_key\":[";
        for (size_t i = 0; i < tm.primary_key.size(); ++i) {
          if (i) o.push_back(',');
          o += std::to_string(tm.primary_key[i]);
        }
        o += "]";
      }
    } else if (auto* r = std::get_if<RowsEvent>(&e.data)) {
      o += ",\"table_id\":" + std::to_string(r->table_id) + ",\"table\":";
      append_str(o, table_name(r->table));
      o += ",\"flags\":" + std::to_string(r->flags) + ",\"columns\":" + std::to_string(r->column_count) +
           ",\"row_bytes\":" + std::to_string(r->rows.size());
      if (r->compressed) o += ",\"compressed\":true";
    } else if (auto* p = std::get_if<TransactionPayloadEvent>(&e.data)) {
      o += ",\"compression\":";
      o += p->compression == 0 ? "\"ZSTD\"" : p->compression == 255 ? "\"NONE\"" : std::to_string(p->compression);
      o += ",\"payload_size\":" + std::to_string(p->payload_size) +
           ",\"uncompressed_size\":" + std::to_string(p->uncompressed_size);
    } else if (auto* x = std::get_if<XaPrepareEvent>(&e.data)) {
      o += ",\"one_phase\":";
      o += x->one_phase ? "true" : "false";
      o += ",\"format_id\":" + std::to_string(x->format_id) + ",\"gtrid\":";
      append_text(o, x->gtrid, 0);
      o += ",\"bqual\":";
      append_text(o, x->bqual, 0);
    } else if (auto* iv = std::get_if<IntvarEvent>(&e.data)) {
      o += ",\"kind\":" + std::to_string(iv->kind) + ",\"value\":" + std::to_string(iv->value);
    } else if (auto* rd = std::get_if<RandEvent>(&e.data)) {
      o += ",\"seed1\":" + std::to_string(rd->seed1) + ",\"seed2\":" + std::to_string(rd->seed2);
    } else if (auto* uv = std::get_if<UserVarEvent>(&e.data)) {
      o += ",\"name\":";
      append_text(o, uv->name, 0);
      o += ",\"is_null\":";
      o += uv->is_null ? "true" : "false";
    } else if (auto* inc = std::get_if<IncidentEvent>(&e.data)) {
      o += ",\"incident\":" + std::to_string(inc->incident) + ",\"message\":";
      append_text(o, inc->message, 0);
    } else if (auto* other = std::get_if<OtherEvent>(&e.data)) {
      if (!other->known) o += ",\"unknown\":true";
    }
    return true;
  }

  bool events_;
  bool stats_;
  bool verify_;
  Output& out_;
  EventParser parser_;
  RowIterator rows_;
  std::string file_, path_, gtid_;

 public:
  uint64_t events_seen = 0, row_changes = 0, cells = 0, bytes = 0;
};

}  // namespace

int run_mysql_binlog(int argc, char** argv) {
  bool events = false, stats = false, verify = true;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (a == "--events") {
      events = true;
    } else if (a == "--stats") {
      stats = true;
    } else if (a == "--no-checksum") {
      verify = false;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      std::fprintf(stderr, "sluice mysql-binlog: unknown option '%s'\n\n%s", a.c_str(), kUsage);
      return 2;
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  Output out;
  if (events && stats) {
    std::fprintf(stderr, "sluice mysql-binlog: --events and --stats exclude each other\n");
    return 2;
  }
  Decoder dec(events, stats, verify, out);
  for (const auto& f : files) {
    int rc = dec.run(f);
    if (rc) return rc;
  }
  if (stats) {
    out.buf() += "{\"files\":" + std::to_string(files.size()) + ",\"events\":" + std::to_string(dec.events_seen) +
                 ",\"row_changes\":" + std::to_string(dec.row_changes) + ",\"cells\":" + std::to_string(dec.cells) +
                 ",\"bytes\":" + std::to_string(dec.bytes) + "}";
    out.line_done();
  }
  return 0;
}

}  // namespace sluice::app
