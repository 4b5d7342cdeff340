// libFuzzer target for the MySQL/MariaDB binlog decoder, over whole files and over event
// bytes. Any input must decode or fail with a message: no crash, no sanitizer report, no
// allocation beyond what the input announces within the decoder's limits.
//
// Input forms (the committed corpus in corpus/binlog has both):
//   "\xfebin..."      a whole binlog file: framed, parsed, rows decoded, payloads expanded;
//   F + events        F % 4 picks a format description (MySQL 8 with CRC32, MariaDB 10.11
//                     with CRC32, MySQL 5.1 without checksums, MySQL 8 without checksums), F & 4
//                     a caller schema; the rest is a run of events (TABLE_MAP then rows events,
//                     typically); whole files of odd length are decoded with a schema too;
//   'J' + document    MySQL binary JSON rendered to text;
//   'D' p s + bytes   a NEWDECIMAL(p, s) value rendered to text.
// Checksums are not verified, so mutations reach the body parsers.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "plugins/mysql/binlog/events.h"
#include "plugins/mysql/binlog/framing.h"
#include "plugins/mysql/binlog/json_binary.h"
#include "plugins/mysql/binlog/rows.h"
#include "plugins/mysql/binlog/values.h"

using namespace sluice::mysql;

namespace {

void put_le(std::vector<uint8_t>& b, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) b.push_back(uint8_t(v >> (8 * i)));
}

std::vector<uint8_t> make_fde(int flavour) {
  const char* version = flavour == 1 ? "10.11.6-MariaDB-log" : flavour == 2 ? "5.1.73-log" : "8.0.36";
  std::vector<uint8_t> ph(flavour == 1 ? 171 : flavour == 2 ? 27 : 42, 0);
  ph[1] = 13;  // QUERY
  ph[3] = 8;   // ROTATE
  ph[18] = 8;  // TABLE_MAP
  for (int t = 20; t <= 25; ++t) ph[t - 1] = 8;
  if (ph.size() >= 42) {
    for (int t : {30, 31, 32, 39}) ph[t - 1] = 10;
    ph[32] = ph[33] = 42;
  }
  if (flavour == 1) {
    ph[160] = 4;
    ph[161] = 19;
    ph[162] = 4;
    ph[164] = 13;
    ph[165] = ph[166] = ph[167] = 8;
    ph[168] = ph[169] = ph[170] = 10;
  }
  std::vector<uint8_t> body;
  put_le(body, 4, 2);
  std::string v(version);
  v.resize(50, '\0');
  body.insert(body.end(), v.begin(), v.end());
  put_le(body, 0, 4);
  body.push_back(19);
  body.insert(body.end(), ph.begin(), ph.end());
  if (flavour != 2) body.push_back(flavour == 3 ? 0 : 1);  // checksum algorithm
  std::vector<uint8_t> e;
  uint32_t size = uint32_t(19 + body.size() + (flavour != 2 ? 4 : 0));
  put_le(e, 0, 4);
  e.push_back(15);
  put_le(e, 1, 4);
  put_le(e, size, 4);
  put_le(e, 0, 4);
  put_le(e, 0, 2);
  e.insert(e.end(), body.begin(), body.end());
  if (flavour != 2) put_le(e, 0, 4);  // checksum slot (not verified here)
  return e;
}

void consume_cell(const CellView& c, std::string& scratch) {
  scratch.clear();
  switch (c.kind) {
    case CellKind::kDecimal:
      (void)decimal_to_string(c.bytes, c.precision, c.scale, scratch);
      (void)decimal_to_unscaled(c.bytes, c.precision, c.scale, scratch);
      break;
    case CellKind::kJson:
      (void)json_binary_to_text(c.bytes, scratch);
      break;
    case CellKind::kTime:
      append_time(c.t, c.fsp, scratch);
      break;
    case CellKind::kDateTime:
    case CellKind::kDate:
      append_datetime(c.t, c.fsp, scratch);
      if (!is_zero_or_partial_date(c.t)) (void)datetime_epoch_micros(c.t);
      break;
    case CellKind::kTimestamp:
      append_timestamp_utc(c.i, c.t.micros, c.fsp, scratch);
      break;
    case CellKind::kDouble:
      append_java_double(c.d, scratch);
      break;
    case CellKind::kInet6:
    case CellKind::kUuid:
      if (c.bytes.size() == 16) append_inet6(c.bytes, scratch);
      break;
    default:
      break;
  }
}

struct Driver {
  EventParser parser;
  RowIterator rows;
  TableSchema schema;
  bool with_schema = false;
  std::string scratch;
  int depth = 0;

  void walk(const uint8_t* data, size_t size, size_t start, bool embedded) {
    EventSplitter split(data, size, start);
    const uint8_t* ev;
    size_t n;
    while (split.next(ev, n)) {
      Event e;
      Status st = embedded ? parser.parse_embedded(ev, n, e) : parser.parse(ev, n, e);
      if (!st.ok()) {
        if (st.message().empty()) std::abort();
        return;
      }
      if (auto* r = std::get_if<RowsEvent>(&e.data)) {
        // Half the inputs decode with a caller schema (precisions, signedness, MariaDB types).
        const TableSchema* s = nullptr;
        if (with_schema && r->table) {
          schema.columns.resize(r->table->columns.size());
          for (size_t i = 0; i < schema.columns.size(); ++i) {
            auto& c = schema.columns[i];
            c.fsp = uint8_t(i % 7);
            c.is_unsigned = (i % 3) == 0;
            c.logical = LogicalType(i % 6);
            c.enum_values = {"a", "b"};
            c.set_values = {"x"};
          }
          s = &schema;
        }
        if (r->table && rows.reset(*r, s).ok()) {
          while (rows.next()) {
            for (const auto& c : rows.before()) consume_cell(c, scratch);
            for (const auto& c : rows.after()) consume_cell(c, scratch);
          }
          if (!rows.status().ok() && rows.status().message().empty()) std::abort();
        }
      } else if (auto* p = std::get_if<TransactionPayloadEvent>(&e.data)) {
        // Expand small payloads only: the library allows what the servers allow (1 GiB).
        if (!embedded && p->uncompressed_size > 0 && p->uncompressed_size <= (1u << 20)) {
          std::vector<uint8_t> inner;
          if (parser.decompress_payload(*p, inner).ok()) walk(inner.data(), inner.size(), 0, true);
        }
      } else if (auto* g = std::get_if<PreviousGtidsEvent>(&e.data)) {
        scratch.clear();
        (void)g->to_string(scratch);
      } else if (auto* l = std::get_if<MariaGtidListEvent>(&e.data)) {
        scratch = l->to_string();
      } else if (auto* t = std::get_if<GtidEvent>(&e.data)) {
        scratch = t->to_string();
      }
    }
    if (!split.status().ok() && split.status().message().empty()) std::abort();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if (size >= 4 && std::memcmp(data, kBinlogMagic, 4) == 0) {
    Driver d;
    d.with_schema = size & 1;
    d.parser.set_verify_checksums(false);
    d.walk(data, size, 4, false);
    return 0;
  }
  if (data[0] == 'J') {
    std::string out;
    (void)json_binary_to_text(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), out);
    return 0;
  }
  if (data[0] == 'D' && size >= 3) {
    std::string out;
    std::string_view raw(reinterpret_cast<const char*>(data + 3), size - 3);
    (void)decimal_to_string(raw, data[1], data[2], out);
    (void)decimal_to_unscaled(raw, data[1], data[2], out);
    return 0;
  }
  Driver d;
  d.with_schema = data[0] & 4;
  d.parser.set_verify_checksums(false);
  std::vector<uint8_t> fde = make_fde(data[0] % 4);
  Event e;
  if (!d.parser.parse(fde.data(), fde.size(), e).ok()) std::abort();
  d.walk(data, size, 1, false);
  return 0;
}
