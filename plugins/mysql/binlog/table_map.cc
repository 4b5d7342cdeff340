#include "plugins/mysql/binlog/table_map.h"

#include "plugins/mysql/binlog/constants.h"

namespace sluice::mysql {
namespace {

constexpr uint64_t kMaxColumns = 4096;  // the servers' limit per table

bool is_numeric(uint8_t t) {
  using namespace column_type;
  switch (t) {
    case kTiny: case kShort: case kInt24: case kLong: case kLongLong:
    case kNewDecimal: case kFloat: case kDouble:
      return true;
    default:
      return false;
  }
}

bool is_character(uint8_t real_type) {
  using namespace column_type;
  switch (real_type) {
    case kString: case kVarString: case kVarchar:
    case kBlob: case kTinyBlob: case kMediumBlob: case kLongBlob:
      return true;
    default:
      return false;
  }
}

bool is_enum_or_set(uint8_t real_type) {
  return real_type == column_type::kEnum || real_type == column_type::kSet;
}

// Applies a most-significant-bit-first bitmap over the columns `select` picks.
template <typename Select, typename Apply>
void apply_bitmap(std::string_view bits, std::vector<ColumnDef>& cols, Select select, Apply apply) {
  size_t bit = 0;
  for (auto& c : cols) {
    if (!select(c)) continue;
    if (bit / 8 >= bits.size()) return;
    bool set = (uint8_t(bits[bit / 8]) >> (7 - bit % 8)) & 1;
    apply(c, set);
    ++bit;
  }
}

Status charset_default(std::string_view v, std::vector<ColumnDef>& cols, bool (*select)(uint8_t)) {
  Cursor c(v);
  uint64_t def = c.lenenc();
  if (!c.ok()) return Status::error("bad default charset metadata");
  std::vector<ColumnDef*> selected;
  for (auto& col : cols) {
    if (select(col.real_type)) {
      col.collation = uint16_t(def);
      selected.push_back(&col);
    }
  }
  while (!c.empty()) {
    uint64_t index = c.lenenc();
    uint64_t coll = c.lenenc();
    if (!c.ok() || index >= selected.size()) return Status::error("bad column charset metadata");
    selected[index]->collation = uint16_t(coll);
  }
  return {};
}

Status charset_per_column(std::string_view v, std::vector<ColumnDef>& cols, bool (*select)(uint8_t)) {
  Cursor c(v);
  for (auto& col : cols) {
    if (!select(col.real_type)) continue;
    if (c.empty()) break;
    col.collation = uint16_t(c.lenenc());
  }
  if (!c.ok()) return Status::error("bad column charset metadata");
  return {};
}

Status labels(std::string_view v, std::vector<ColumnDef>& cols, uint8_t real_type) {
  Cursor c(v);
  for (auto& col : cols) {
    if (col.real_type != real_type) continue;
    if (c.empty()) break;
    uint64_t n = c.lenenc();
    if (!c.ok() || n > c.left()) return Status::error("bad ENUM/SET metadata");
    col.labels.clear();
    for (uint64_t i = 0; i < n; ++i) col.labels.emplace_back(c.lenenc_bytes());
    col.has_labels = true;
    if (!c.ok()) return Status::error("bad ENUM/SET metadata");
  }
  return {};
}

}  // namespace

int column_meta_size(uint8_t type) {
  using namespace column_type;
  switch (type) {
    case kFloat: case kDouble: case kTinyBlob: case kBlob: case kMediumBlob: case kLongBlob:
    case kGeometry: case kJson: case kVector: case kTime2: case kDateTime2: case kTimestamp2:
      return 1;
    case kVarchar: case kVarString: case kNewDecimal: case kBit: case kString: case kEnum: case kSet:
      return 2;
    case kDecimal: case kTiny: case kShort: case kLong: case kNull: case kTimestamp: case kLongLong:
    case kInt24: case kDate: case kTime: case kDateTime: case kYear: case kNewDate: case kBool:
      return 0;
    default:
      return -1;
  }
}

Status parse_table_map(const uint8_t* body, size_t size, size_t id_len, TableMap& out) {
  out.raw.assign(body, body + size);
  out.columns.clear();
  out.primary_key.clear();
  out.primary_key_prefixes.clear();
  out.has_optional_metadata = false;
  Cursor c(out.raw.data(), out.raw.size());
  out.table_id = c.uint_le(id_len);
  out.flags = c.u16();
  uint8_t db_len = c.u8();
  out.database = c.bytes(db_len);
  c.skip(1);
  uint8_t table_len = c.u8();
  out.table = c.bytes(table_len);
  c.skip(1);
  uint64_t n = c.lenenc();
  if (!c.ok()) return Status::error("truncated TABLE_MAP header");
  if (n == 0 || n > kMaxColumns || n > c.left()) {
    return Status::error("TABLE_MAP column count " + std::to_string(n) + " out of range");
  }
  std::string_view types = c.bytes(size_t(n));
  std::string_view meta = c.lenenc_bytes();
  std::string_view nulls = c.bytes((size_t(n) + 7) / 8);
  if (!c.ok()) return Status::error("truncated TABLE_MAP column data");
  out.columns.resize(size_t(n));
  Cursor m(meta);
  for (size_t i = 0; i < n; ++i) {
    ColumnDef& col = out.columns[i];
    col = ColumnDef{};
    col.type = uint8_t(types[i]);
    col.real_type = col.type;
    col.nullable = (uint8_t(nulls[i / 8]) >> (i % 8)) & 1;
    using namespace column_type;
    uint8_t t = col.type;
    if (t == kTypedArray) {  // functional index arrays: inner type + its metadata
      uint8_t inner = m.u8();
      int sz = column_meta_size(inner);
      if (sz < 0) return Status::error("TABLE_MAP typed array of unknown type");
      m.skip(size_t(sz == 2 && inner == kVarchar ? 3 : sz));
      continue;
    }
    int sz = column_meta_size(t);
    if (sz < 0) {
      return Status::error("TABLE_MAP column " + std::to_string(i + 1) + " has unknown type " +
                           std::to_string(t));
    }
    if (sz == 1) {
      col.meta = m.u8();
    } else if (sz == 2) {
      uint8_t b0 = m.u8(), b1 = m.u8();
      if (t == kVarchar || t == kVarString) {
        col.meta = uint16_t(b0 | (b1 << 8));
      } else if (t == kBit) {
        col.meta = uint16_t((b1 << 8) | b0);
      } else {  // NEWDECIMAL (precision, scale), STRING/ENUM/SET (real type, length)
        col.meta = uint16_t((b0 << 8) | b1);
      }
    }
    switch (t) {
      case kVarchar: case kVarString:
        col.length = col.meta;
        break;
      case kString: case kEnum: case kSet: {
        uint8_t b0 = uint8_t(col.meta >> 8), b1 = uint8_t(col.meta & 0xff);
        if (b0 != 0 && (b0 & 0x30) != 0x30) {
          // CHAR longer than 255 bytes: two high length bits hide in the type byte.
          col.real_type = uint8_t(b0 | 0x30);
          col.length = uint32_t(b1) | (uint32_t((b0 & 0x30) ^ 0x30) << 4);
        } else {
          col.real_type = b0 != 0 ? b0 : t;
          col.length = b1;
        }
        break;
      }
      default:
        col.length = col.meta;
    }
  }
  if (!m.ok()) return Status::error("truncated TABLE_MAP column metadata");

  // Optional metadata: type, length, value; unknown types are skipped.
  while (!c.empty()) {
    uint8_t type = c.u8();
    std::string_view v = c.lenenc_bytes();
    if (!c.ok()) return Status::error("truncated TABLE_MAP optional metadata");
    out.has_optional_metadata = true;
    Status st;
    switch (type) {
      case table_meta::kSignedness:
        apply_bitmap(v, out.columns, [](const ColumnDef& d) { return is_numeric(d.type); },
                     [](ColumnDef& d, bool set) { d.is_unsigned = set; });
        break;
      case table_meta::kDefaultCharset:
        st = charset_default(v, out.columns, is_character);
        break;
      case table_meta::kColumnCharset:
        st = charset_per_column(v, out.columns, is_character);
        break;
      case table_meta::kEnumAndSetDefaultCharset:
        st = charset_default(v, out.columns, is_enum_or_set);
        break;
      case table_meta::kEnumAndSetColumnCharset:
        st = charset_per_column(v, out.columns, is_enum_or_set);
        break;
      case table_meta::kColumnName: {
        Cursor nc(v);
        for (auto& col : out.columns) {
          if (nc.empty()) break;
          col.name = nc.lenenc_bytes();
        }
        if (!nc.ok()) st = Status::error("bad column name metadata");
        break;
      }
      case table_meta::kSetStrValue:
        st = labels(v, out.columns, column_type::kSet);
        break;
      case table_meta::kEnumStrValue:
        st = labels(v, out.columns, column_type::kEnum);
        break;
      case table_meta::kGeometryType: {
        Cursor gc(v);
        for (auto& col : out.columns) {
          if (col.type != column_type::kGeometry) continue;
          if (gc.empty()) break;
          col.geometry_type = uint32_t(gc.lenenc());
        }
        if (!gc.ok()) st = Status::error("bad geometry type metadata");
        break;
      }
      case table_meta::kSimplePrimaryKey: {
        Cursor kc(v);
        while (kc.ok() && !kc.empty()) {
          uint64_t idx = kc.lenenc();
          if (idx >= n) kc.fail();
          out.primary_key.push_back(uint32_t(idx));
          out.primary_key_prefixes.push_back(0);
        }
        if (!kc.ok()) st = Status::error("bad primary key metadata");
        break;
      }
      case table_meta::kPrimaryKeyWithPrefix: {
        Cursor kc(v);
        while (kc.ok() && !kc.empty()) {
          uint64_t idx = kc.lenenc();
          uint64_t prefix = kc.lenenc();
          if (idx >= n) kc.fail();
          out.primary_key.push_back(uint32_t(idx));
          out.primary_key_prefixes.push_back(uint32_t(prefix));
        }
        if (!kc.ok()) st = Status::error("bad primary key metadata");
        break;
      }
      case table_meta::kColumnVisibility:
        apply_bitmap(v, out.columns, [](const ColumnDef&) { return true; },
                     [](ColumnDef& d, bool set) { d.visible = set; });
        break;
      case table_meta::kVectorDimensionality: {
        Cursor vc(v);
        for (auto& col : out.columns) {
          if (col.type != column_type::kVector) continue;
          if (vc.empty()) break;
          col.vector_dimensions = uint32_t(vc.lenenc());
        }
        if (!vc.ok()) st = Status::error("bad vector dimensionality metadata");
        break;
      }
      default:
        break;
    }
    if (!st.ok()) return Status::error("TABLE_MAP " + st.message());
  }
  return {};
}

Status TableMapCache::update(const uint8_t* body, size_t size, size_t id_len, const TableMap** out) {
  if (size < id_len) return Status::error("truncated TABLE_MAP header");
  uint64_t id = le_n(body, id_len);
  auto it = maps_.find(id);
  if (it != maps_.end() && it->second.raw.size() == size &&
      std::memcmp(it->second.raw.data(), body, size) == 0) {
    *out = &it->second;
    return {};
  }
  Status st = parse_table_map(body, size, id_len, scratch_);
  if (!st.ok()) return st;
  if (maps_.size() >= 100000 && it == maps_.end()) maps_.clear();  // bound memory
  TableMap& slot = maps_[id];
  std::swap(slot, scratch_);
  *out = &slot;
  return {};
}

const TableMap* TableMapCache::find(uint64_t table_id) const {
  auto it = maps_.find(table_id);
  return it == maps_.end() ? nullptr : &it->second;
}

}  // namespace sluice::mysql
