#include "plugins/mysql/binlog/rows.h"

#include <cstring>

#include "plugins/mysql/binlog/constants.h"

namespace sluice::mysql {
namespace {

constexpr const char* kHiresHint =
    " (a MariaDB TIME/DATETIME(n) column in the pre-10.1.2 format? its precision must come from the schema)";
constexpr int64_t kTimefIntOfs = 0x800000;
constexpr int64_t kTimefOfs = 0x800000000000LL;
constexpr int64_t kDatetimefIntOfs = 0x8000000000LL;

inline uint32_t frac_micros(const uint8_t* p, int fsp_bytes) {
  switch (fsp_bytes) {
    case 1: return uint32_t(p[0]) * 10000;
    case 2: return uint32_t(be_n(p, 2)) * 100;
    case 3: return uint32_t(be_n(p, 3));
    default: return 0;
  }
}

constexpr int64_t kPow10[7] = {1, 10, 100, 1000, 10000, 100000, 1000000};
// MariaDB's hires formats (sql/field.cc: Field_time_hires, Field_datetime_hires,
// Field_timestamp_hires): big-endian integers of these sizes per precision.
constexpr size_t kTimeHiresBytes[7] = {3, 4, 4, 5, 5, 5, 6};
constexpr size_t kDatetimeHiresBytes[7] = {5, 6, 6, 7, 7, 7, 8};
constexpr size_t kSecPartBytes[7] = {0, 1, 1, 2, 2, 3, 3};

bool valid_date(const TemporalParts& t) { return t.month <= 12 && t.day <= 31 && t.year <= 9999; }
bool valid_time_of_day(const TemporalParts& t) { return t.hour <= 23 && t.minute <= 59 && t.second <= 59; }

inline void unpack_time(int64_t packed, TemporalParts& t) {
  t.negative = packed < 0;
  uint64_t v = t.negative ? uint64_t(-packed) : uint64_t(packed);
  uint64_t hms = v >> 24;
  t.hours = uint32_t((hms >> 12) % (1u << 10));
  t.hour = uint8_t(t.hours % 24);
  t.minute = uint8_t((hms >> 6) % 64);
  t.second = uint8_t(hms % 64);
  t.micros = uint32_t(v % (1u << 24));
}

}  // namespace

Status RowIterator::reset(const RowsEvent& ev, const TableSchema* schema) {
  status_ = Status();
  started_ = false;
  row_index_ = 0;
  if (ev.partial_json) {
    return status_ = Status::error(
               "PARTIAL_UPDATE_ROWS_EVENT: the server logs JSON updates as partial diffs "
               "(binlog_row_value_options=PARTIAL_JSON); set binlog_row_value_options='' to get full "
               "row images");
  }
  if (!ev.table) return status_ = Status::error("rows event without a mapped table");
  const TableMap& tm = *ev.table;
  kind_ = ev.kind;
  bitmap_before_ = ev.columns_before;
  bitmap_after_ = ev.columns_after;
  size_t n = tm.columns.size();
  if (schema && schema->columns.size() != n) {
    return status_ = Status::error("schema of " + std::string(tm.database) + "." + std::string(tm.table) +
                                   " has " + std::to_string(schema->columns.size()) +
                                   " columns, the binlog " + std::to_string(n));
  }
  columns_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const ColumnDef& d = tm.columns[i];
    const ColumnSchema* s = schema ? &schema->columns[i] : nullptr;
    ResolvedColumn& r = columns_[i];
    r.def = &d;
    r.name = !d.name.empty() ? d.name : (s ? std::string_view(s->name) : std::string_view());
    r.is_unsigned = d.is_unsigned.has_value() ? d.is_unsigned : (s ? s->is_unsigned : std::nullopt);
    r.collation = d.collation != 0 ? d.collation : (s ? s->collation : 0);
    r.labels = nullptr;
    if (d.has_labels) {
      r.labels = &d.labels;
    } else if (s) {
      if (d.real_type == column_type::kEnum && !s->enum_values.empty()) r.labels = &s->enum_values;
      if (d.real_type == column_type::kSet && !s->set_values.empty()) r.labels = &s->set_values;
    }
    r.logical = s ? s->logical : LogicalType::kDefault;
    r.legacy_fsp = 0;
    if (s && s->fsp && *s->fsp <= 6 &&
        (d.type == column_type::kTime || d.type == column_type::kDateTime || d.type == column_type::kTimestamp)) {
      r.legacy_fsp = *s->fsp;
    }
  }
  before_.resize(n);
  after_.resize(n);
  begin_ = pos_ = as_bytes(ev.rows);
  end_ = begin_ + ev.rows.size();
  return {};
}

bool RowIterator::fail(size_t col, const std::string& what) {
  if (status_.ok()) {
    std::string name;
    if (columns_.size() > col && !columns_[col].name.empty()) {
      name = columns_[col].name;
    } else {
      name = '@';
      name += std::to_string(col + 1);
    }
    status_ = Status::error("row " + std::to_string(row_index_) + ", column " + name + " (" +
                            std::string(column_type_name(columns_[col].def->real_type)) + "): " + what +
                            " at row data offset " + std::to_string(offset()));
  }
  return false;
}

bool RowIterator::next() {
  if (!status_.ok() || pos_ >= end_) return false;
  if (started_) ++row_index_;
  started_ = true;
  const uint8_t* start = pos_;
  if (kind_ != RowsKind::kInsert && !decode_image(bitmap_before_, before_)) return false;
  if (kind_ != RowsKind::kDelete && !decode_image(bitmap_after_, after_)) return false;
  if (pos_ == start) {  // images naming no columns: the servers never write them
    status_ = Status::error("row " + std::to_string(row_index_) + ": row image holds no columns at row data offset " +
                            std::to_string(offset()));
    return false;
  }
  return true;
}

bool RowIterator::decode_image(std::string_view bitmap, std::vector<CellView>& cells) {
  const size_t n = columns_.size();
  const uint8_t* bm = as_bytes(bitmap);
  size_t present = 0;
  for (size_t i = 0; i < n; ++i) present += (bm[i >> 3] >> (i & 7)) & 1;
  size_t null_bytes = (present + 7) / 8;
  if (size_t(end_ - pos_) < null_bytes) {
    status_ = Status::error("row " + std::to_string(row_index_) + ": truncated null bitmap at row data offset " +
                            std::to_string(offset()));
    return false;
  }
  const uint8_t* nulls = pos_;
  pos_ += null_bytes;
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    CellView& c = cells[i];
    if (!((bm[i >> 3] >> (i & 7)) & 1)) {
      c.kind = CellKind::kAbsent;
      c.bytes = {};
      continue;
    }
    bool is_null = (nulls[k >> 3] >> (k & 7)) & 1;
    ++k;
    if (is_null) {
      c.kind = CellKind::kNull;
      c.type = columns_[i].def->real_type;
      c.bytes = {};
      continue;
    }
    if (!decode_cell(i, c)) return false;
  }
  return true;
}

bool RowIterator::decode_cell(size_t col, CellView& c) {
  const ResolvedColumn& rc = columns_[col];
  const ColumnDef& d = *rc.def;
  const size_t left = size_t(end_ - pos_);
  const uint8_t* p = pos_;
  c.type = d.real_type;
  c.collation = rc.collation;
  c.bytes = {};
  auto need = [&](size_t n) { return n <= left ? true : fail(col, "value runs past the end of the event"); };
  auto integer = [&](size_t width) {
    if (!need(width)) return false;
    uint64_t raw = le_n(p, width);
    c.width = uint8_t(width);
    if (rc.is_unsigned.has_value()) {
      if (*rc.is_unsigned) {
        c.kind = CellKind::kUnsigned;
        c.u = raw;
      } else {
        c.kind = CellKind::kSigned;
        int shift = 64 - int(8 * width);
        c.i = shift ? int64_t(raw << shift) >> shift : int64_t(raw);
      }
    } else {
      c.kind = CellKind::kInteger;
      c.u = raw;
    }
    pos_ += width;
    return true;
  };
  // A length-prefixed value with an `lb`-byte little-endian length.
  auto prefixed = [&](size_t lb, CellKind kind) {
    if (lb < 1 || lb > 4) return fail(col, "bad length size " + std::to_string(lb));
    if (!need(lb)) return false;
    size_t len = size_t(le_n(p, lb));
    if (len > left - lb) return fail(col, "value of " + std::to_string(len) + " bytes runs past the end of the event");
    c.kind = kind;
    c.bytes = as_view(p + lb, len);
    pos_ += lb + len;
    return true;
  };
  using namespace column_type;
  switch (d.real_type) {
    case kTiny: return integer(1);
    case kShort: return integer(2);
    case kInt24: return integer(3);
    case kLong: return integer(4);
    case kLongLong: return integer(8);
    case kFloat:
      if (!need(4)) return false;
      c.kind = CellKind::kFloat;
      std::memcpy(&c.f, p, 4);
      pos_ += 4;
      return true;
    case kDouble:
      if (!need(8)) return false;
      c.kind = CellKind::kDouble;
      std::memcpy(&c.d, p, 8);
      pos_ += 8;
      return true;
    case kYear:
      if (!need(1)) return false;
      c.kind = CellKind::kYear;
      c.i = p[0] ? 1900 + p[0] : 0;
      pos_ += 1;
      return true;
    case kDate: case kNewDate: {
      if (!need(3)) return false;
      uint32_t v = le24(p);
      c.kind = CellKind::kDate;
      c.t = TemporalParts{};
      c.t.day = uint8_t(v & 31);
      c.t.month = uint8_t((v >> 5) & 15);
      c.t.year = int32_t(v >> 9);
      if (!valid_date(c.t)) return fail(col, "invalid DATE value");
      pos_ += 3;
      return true;
    }
    case kTime: {  // pre-5.6: HHMMSS as a signed 3-byte integer
      if (rc.legacy_fsp) {  // MariaDB TIME(n): (seconds * 10^n + fraction) + the zero point
        int fsp = rc.legacy_fsp;
        size_t n = kTimeHiresBytes[fsp];
        if (!need(n)) return false;
        int64_t zero = (int64_t(3020399 + 1) * 1000000) / kPow10[6 - fsp];
        int64_t v = (int64_t(be_n(p, n)) - zero) * kPow10[6 - fsp];
        c.kind = CellKind::kTime;
        c.fsp = uint8_t(fsp);
        c.t = TemporalParts{};
        c.t.negative = v < 0;
        uint64_t a = uint64_t(v < 0 ? -v : v);
        c.t.micros = uint32_t(a % 1000000);
        a /= 1000000;
        c.t.second = uint8_t(a % 60);
        c.t.minute = uint8_t(a / 60 % 60);
        c.t.hours = uint32_t(a / 3600);
        c.t.hour = uint8_t(c.t.hours % 24);
        if (c.t.hours > 838) return fail(col, "TIME value out of range");
        pos_ += n;
        return true;
      }
      if (!need(3)) return false;
      int32_t v = int32_t(le24(p) << 8) >> 8;
      c.kind = CellKind::kTime;
      c.fsp = 0;
      c.t = TemporalParts{};
      c.t.negative = v < 0;
      uint32_t a = uint32_t(v < 0 ? -v : v);
      c.t.hours = a / 10000;
      c.t.hour = uint8_t(c.t.hours % 24);
      c.t.minute = uint8_t(a / 100 % 100);
      c.t.second = uint8_t(a % 100);
      if (c.t.minute > 59 || c.t.second > 59) return fail(col, "invalid TIME value" + std::string(kHiresHint));
      pos_ += 3;
      return true;
    }
    case kTime2: {
      int fsp = d.meta;
      if (fsp > 6) return fail(col, "bad TIME precision");
      size_t fb = size_t(fsp + 1) / 2;
      if (!need(3 + fb)) return false;
      int64_t packed;
      if (fb == 3) {
        packed = int64_t(be_n(p, 6)) - kTimefOfs;
      } else {
        int64_t intpart = int64_t(be_n(p, 3)) - kTimefIntOfs;
        int64_t frac = 0;
        if (fb == 1) {
          frac = p[3];
          if (intpart < 0 && frac) {
            ++intpart;
            frac -= 0x100;
          }
          frac *= 10000;
        } else if (fb == 2) {
          frac = int64_t(be_n(p + 3, 2));
          if (intpart < 0 && frac) {
            ++intpart;
            frac -= 0x10000;
          }
          frac *= 100;
        }
        packed = intpart * (int64_t(1) << 24) + frac;
      }
      c.kind = CellKind::kTime;
      c.fsp = uint8_t(fsp);
      c.t = TemporalParts{};
      unpack_time(packed, c.t);
      if (c.t.minute > 59 || c.t.second > 59 || c.t.micros > 999999) return fail(col, "invalid TIME value");
      pos_ += 3 + fb;
      return true;
    }
    case kDateTime: {  // pre-5.6: YYYYMMDDhhmmss as an 8-byte integer
      if (rc.legacy_fsp) {  // MariaDB DATETIME(n): packed calendar number * 10^n + fraction
        int fsp = rc.legacy_fsp;
        size_t n = kDatetimeHiresBytes[fsp];
        if (!need(n)) return false;
        uint64_t v = be_n(p, n) * uint64_t(kPow10[6 - fsp]);
        c.kind = CellKind::kDateTime;
        c.fsp = uint8_t(fsp);
        c.t = TemporalParts{};
        c.t.micros = uint32_t(v % 1000000);
        v /= 1000000;
        c.t.second = uint8_t(v % 60);
        v /= 60;
        c.t.minute = uint8_t(v % 60);
        v /= 60;
        c.t.hour = uint8_t(v % 24);
        v /= 24;
        c.t.day = uint8_t(v % 32);
        v /= 32;
        c.t.month = uint8_t(v % 13);
        c.t.year = int32_t(v / 13);
        if (!valid_date(c.t)) return fail(col, "invalid DATETIME value");
        pos_ += n;
        return true;
      }
      if (!need(8)) return false;
      uint64_t v = le64(p);
      uint64_t date = v / 1000000, time = v % 1000000;
      c.kind = CellKind::kDateTime;
      c.fsp = 0;
      c.t = TemporalParts{};
      c.t.year = int32_t(date / 10000);
      c.t.month = uint8_t(date / 100 % 100);
      c.t.day = uint8_t(date % 100);
      c.t.hour = uint8_t(time / 10000);
      c.t.minute = uint8_t(time / 100 % 100);
      c.t.second = uint8_t(time % 100);
      if (!valid_date(c.t) || !valid_time_of_day(c.t)) return fail(col, "invalid DATETIME value" + std::string(kHiresHint));
      pos_ += 8;
      return true;
    }
    case kDateTime2: {
      int fsp = d.meta;
      if (fsp > 6) return fail(col, "bad DATETIME precision");
      size_t fb = size_t(fsp + 1) / 2;
      if (!need(5 + fb)) return false;
      int64_t intpart = int64_t(be_n(p, 5)) - kDatetimefIntOfs;
      if (intpart < 0) return fail(col, "negative DATETIME");
      uint64_t ymd = uint64_t(intpart) >> 17, ym = ymd >> 5, hms = uint64_t(intpart) % (1u << 17);
      c.kind = CellKind::kDateTime;
      c.fsp = uint8_t(fsp);
      c.t = TemporalParts{};
      c.t.year = int32_t(ym / 13);
      c.t.month = uint8_t(ym % 13);
      c.t.day = uint8_t(ymd % 32);
      c.t.hour = uint8_t(hms >> 12);
      c.t.minute = uint8_t((hms >> 6) % 64);
      c.t.second = uint8_t(hms % 64);
      c.t.micros = frac_micros(p + 5, int(fb));
      if (!valid_date(c.t) || !valid_time_of_day(c.t) || c.t.micros > 999999) return fail(col, "invalid DATETIME value");
      pos_ += 5 + fb;
      return true;
    }
    case kTimestamp: {
      if (rc.legacy_fsp) {  // MariaDB TIMESTAMP(n): big-endian seconds + scaled fraction
        int fsp = rc.legacy_fsp;
        size_t fb = kSecPartBytes[fsp];
        if (!need(4 + fb)) return false;
        c.kind = CellKind::kTimestamp;
        c.fsp = uint8_t(fsp);
        c.i = int64_t(be_n(p, 4));
        c.t = TemporalParts{};
        c.t.micros = uint32_t(be_n(p + 4, fb) * uint64_t(kPow10[6 - fsp]));
        if (c.t.micros > 999999) return fail(col, "invalid TIMESTAMP fraction");
        pos_ += 4 + fb;
        return true;
      }
      if (!need(4)) return false;
      c.kind = CellKind::kTimestamp;
      c.fsp = 0;
      c.i = le32(p);
      c.t = TemporalParts{};
      pos_ += 4;
      return true;
    }
    case kTimestamp2: {
      int fsp = d.meta;
      if (fsp > 6) return fail(col, "bad TIMESTAMP precision");
      size_t fb = size_t(fsp + 1) / 2;
      if (!need(4 + fb)) return false;
      c.kind = CellKind::kTimestamp;
      c.fsp = uint8_t(fsp);
      c.i = int64_t(be_n(p, 4));
      c.t = TemporalParts{};
      c.t.micros = frac_micros(p + 4, int(fb));
      if (c.t.micros > 999999) return fail(col, "invalid TIMESTAMP fraction");
      pos_ += 4 + fb;
      return true;
    }
    case kNewDecimal: {
      int precision = d.meta >> 8, scale = d.meta & 0xff;
      size_t size = decimal_binary_size(precision, scale);
      if (size == 0) return fail(col, "bad DECIMAL precision/scale");
      if (!need(size)) return false;
      c.kind = CellKind::kDecimal;
      c.precision = uint8_t(precision);
      c.scale = uint8_t(scale);
      c.bytes = as_view(p, size);
      pos_ += size;
      return true;
    }
    case kVarchar: case kVarString:
      if (!prefixed(d.length > 255 ? 2 : 1, rc.collation == kBinaryCollation ? CellKind::kBytes : CellKind::kString)) {
        return false;
      }
      return true;
    case kBit: {
      size_t nbytes = size_t(d.meta >> 8) + ((d.meta & 0xff) ? 1 : 0);
      if (!need(nbytes)) return false;
      c.kind = CellKind::kBit;
      c.bits = uint16_t((d.meta >> 8) * 8 + (d.meta & 0xff));
      c.width = uint8_t(c.bits);
      c.bytes = as_view(p, nbytes);
      pos_ += nbytes;
      return true;
    }
    case kEnum: {
      size_t w = d.length;
      if (w != 1 && w != 2) return fail(col, "bad ENUM size " + std::to_string(w));
      if (!need(w)) return false;
      c.kind = CellKind::kEnum;
      c.u = le_n(p, w);
      c.width = uint8_t(w);
      pos_ += w;
      return true;
    }
    case kSet: {
      size_t w = d.length;
      if (w < 1 || w > 8) return fail(col, "bad SET size " + std::to_string(w));
      if (!need(w)) return false;
      c.kind = CellKind::kSet;
      c.u = le_n(p, w);
      c.width = uint8_t(w);
      pos_ += w;
      return true;
    }
    case kString: {
      CellKind kind = rc.collation == kBinaryCollation ? CellKind::kBytes : CellKind::kString;
      if (rc.logical == LogicalType::kUuid) kind = CellKind::kUuid;
      if (rc.logical == LogicalType::kInet4) kind = CellKind::kInet4;
      if (rc.logical == LogicalType::kInet6) kind = CellKind::kInet6;
      if (!prefixed(d.length > 255 ? 2 : 1, kind)) return false;
      // BINARY(n) loses trailing zero bytes in the row image; `width` keeps n (<= 255) so a
      // consumer can pad back.
      c.width = uint8_t(d.length > 255 ? 0 : d.length);
      return true;
    }
    case kTinyBlob: case kMediumBlob: case kLongBlob: case kBlob:
      return prefixed(d.meta, rc.collation == kBinaryCollation ? CellKind::kBytes : CellKind::kString);
    case kJson:
      return prefixed(d.meta, CellKind::kJson);
    case kGeometry:
      return prefixed(d.meta, CellKind::kGeometry);
    case kVector:
      return prefixed(d.meta, CellKind::kVector);
    case kNull:
      c.kind = CellKind::kNull;
      return true;
    default:
      return fail(col, "column type " + std::to_string(d.real_type) + " cannot be decoded");
  }
}

}  // namespace sluice::mysql
