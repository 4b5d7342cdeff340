#include "plugins/mysql/schema/table_check.h"

#include <string>

#include "plugins/mysql/binlog/constants.h"
#include "plugins/mysql/schema/ddl_lexer.h"

namespace sluice::mysql {
namespace {

namespace ct = column_type;

struct CollationEntry {
  uint16_t id;
  std::string_view charset;
  std::string_view name;  // "" for a charset's default (first entry of that charset)
};

// Collation ids both servers give the same meaning (the compiled-in ones); the first entry of
// a charset is its default collation. Ids above 255 (MySQL 8 utf8mb4_0900_*, MariaDB 11 UCA
// 14.0) are recognized by their charset prefix in `charset_of_id`.
constexpr CollationEntry kCollations[] = {
    {8, "latin1", "latin1_swedish_ci"}, {5, "latin1", "latin1_german1_ci"}, {15, "latin1", "latin1_danish_ci"},
    {31, "latin1", "latin1_german2_ci"}, {47, "latin1", "latin1_bin"}, {48, "latin1", "latin1_general_ci"},
    {49, "latin1", "latin1_general_cs"}, {94, "latin1", "latin1_spanish_ci"},
    {45, "utf8mb4", "utf8mb4_general_ci"}, {46, "utf8mb4", "utf8mb4_bin"}, {224, "utf8mb4", "utf8mb4_unicode_ci"},
    {255, "utf8mb4", "utf8mb4_0900_ai_ci"}, {245, "utf8mb4", "utf8mb4_croatian_ci"},
    {33, "utf8mb3", "utf8mb3_general_ci"}, {83, "utf8mb3", "utf8mb3_bin"}, {192, "utf8mb3", "utf8mb3_unicode_ci"},
    {11, "ascii", "ascii_general_ci"}, {65, "ascii", "ascii_bin"},
    {63, "binary", "binary"},
    {1, "big5", "big5_chinese_ci"}, {84, "big5", "big5_bin"},
    {3, "dec8", "dec8_swedish_ci"}, {4, "cp850", "cp850_general_ci"}, {6, "hp8", "hp8_english_ci"},
    {7, "koi8r", "koi8r_general_ci"}, {9, "latin2", "latin2_general_ci"}, {10, "swe7", "swe7_swedish_ci"},
    {12, "ujis", "ujis_japanese_ci"}, {13, "sjis", "sjis_japanese_ci"}, {16, "hebrew", "hebrew_general_ci"},
    {18, "tis620", "tis620_thai_ci"}, {19, "euckr", "euckr_korean_ci"}, {22, "koi8u", "koi8u_general_ci"},
    {24, "gb2312", "gb2312_chinese_ci"}, {25, "greek", "greek_general_ci"}, {26, "cp1250", "cp1250_general_ci"},
    {28, "gbk", "gbk_chinese_ci"}, {30, "latin5", "latin5_turkish_ci"}, {32, "armscii8", "armscii8_general_ci"},
    {35, "ucs2", "ucs2_general_ci"}, {36, "cp866", "cp866_general_ci"}, {37, "keybcs2", "keybcs2_general_ci"},
    {38, "macce", "macce_general_ci"}, {39, "macroman", "macroman_general_ci"}, {40, "cp852", "cp852_general_ci"},
    {41, "latin7", "latin7_general_ci"}, {51, "cp1251", "cp1251_general_ci"}, {54, "utf16", "utf16_general_ci"},
    {56, "utf16le", "utf16le_general_ci"}, {57, "cp1256", "cp1256_general_ci"}, {59, "cp1257", "cp1257_general_ci"},
    {60, "utf32", "utf32_general_ci"}, {92, "geostd8", "geostd8_general_ci"}, {95, "cp932", "cp932_japanese_ci"},
    {97, "eucjpms", "eucjpms_japanese_ci"}, {248, "gb18030", "gb18030_chinese_ci"},
};

std::string normalize_charset(std::string_view cs) {
  std::string l = ddl::lower(cs);
  if (l == "utf8") return "utf8mb3";
  return l;
}

// The charset of a collation id: from the table, else by ranges the servers assign.
std::string charset_of_id(uint16_t id) {
  for (const auto& e : kCollations)
    if (e.id == id) return std::string(e.charset);
  if (id >= 192 && id <= 215) return "utf8mb3";   // *_unicode_ci family
  if (id >= 224 && id <= 247) return "utf8mb4";
  if (id >= 255 && id <= 323) return "utf8mb4";   // MySQL 8 utf8mb4_0900_*
  if (id >= 101 && id <= 124) return "utf16";
  if (id >= 128 && id <= 151) return "ucs2";
  if (id >= 160 && id <= 183) return "utf32";
  if (id >= 2048 && id < 4096) return "";          // MariaDB 11 UCA-14 ids: charset in the id
  return "";
}

bool is_integer_kind(ColumnKind k) {
  return k == ColumnKind::kTinyInt || k == ColumnKind::kSmallInt || k == ColumnKind::kMediumInt ||
         k == ColumnKind::kInt || k == ColumnKind::kBigInt || k == ColumnKind::kBoolean;
}

uint32_t blob_length_bytes(ColumnKind k) {
  switch (k) {
    case ColumnKind::kTinyText: case ColumnKind::kTinyBlob: return 1;
    case ColumnKind::kText: case ColumnKind::kBlob: return 2;
    case ColumnKind::kMediumText: case ColumnKind::kMediumBlob: return 3;
    case ColumnKind::kLongText: case ColumnKind::kLongBlob: return 4;
    default: return 0;
  }
}

std::string describe(const Column& c) {
  std::string s = c.type_name.empty() ? std::string(column_kind_name(c.kind)) : c.type_name;
  if (c.length) {
    s += "(" + std::to_string(*c.length);
    if (c.scale && c.kind == ColumnKind::kDecimal) s += "," + std::to_string(*c.scale);
    s += ")";
  }
  return s;
}

}  // namespace

std::optional<uint16_t> collation_id(std::string_view charset, std::string_view collation) {
  std::string cs = normalize_charset(charset);
  std::string co = ddl::lower(collation);
  if (co.rfind("utf8_", 0) == 0) co = "utf8mb3_" + co.substr(5);
  if (!co.empty()) {
    for (const auto& e : kCollations)
      if (e.name == co) return e.id;
  }
  for (const auto& e : kCollations)
    if (e.charset == cs) return e.id;
  return std::nullopt;
}

bool binlog_type_fits(const Column& col, uint8_t type, uint8_t real_type) {
  using K = ColumnKind;
  switch (col.kind) {
    case K::kTinyInt: case K::kBoolean: return type == ct::kTiny;
    case K::kSmallInt: return type == ct::kShort;
    case K::kMediumInt: return type == ct::kInt24;
    case K::kInt: return type == ct::kLong;
    case K::kBigInt: return type == ct::kLongLong;
    case K::kDecimal: return type == ct::kNewDecimal || type == ct::kDecimal;
    case K::kFloat: return type == ct::kFloat;
    case K::kDouble: return type == ct::kDouble;
    case K::kBit: return type == ct::kBit;
    case K::kYear: return type == ct::kYear;
    case K::kDate: return type == ct::kDate || type == ct::kNewDate;
    case K::kTime: return type == ct::kTime || type == ct::kTime2;
    case K::kDateTime: return type == ct::kDateTime || type == ct::kDateTime2;
    case K::kTimestamp: return type == ct::kTimestamp || type == ct::kTimestamp2;
    case K::kChar: case K::kBinary: case K::kUuid: case K::kInet4: case K::kInet6:
      return type == ct::kString && real_type == ct::kString;
    case K::kVarChar: case K::kVarBinary: return type == ct::kVarchar || type == ct::kVarString;
    case K::kTinyText: case K::kText: case K::kMediumText: case K::kLongText:
    case K::kTinyBlob: case K::kBlob: case K::kMediumBlob: case K::kLongBlob:
      return type == ct::kBlob || type == ct::kTinyBlob || type == ct::kMediumBlob || type == ct::kLongBlob;
    case K::kEnum: return (type == ct::kString && real_type == ct::kEnum) || type == ct::kEnum;
    case K::kSet: return (type == ct::kString && real_type == ct::kSet) || type == ct::kSet;
    case K::kJson: return type == ct::kJson || type == ct::kBlob;  // MariaDB: LONGTEXT
    case K::kGeometry: case K::kPoint: case K::kLineString: case K::kPolygon: case K::kMultiPoint:
    case K::kMultiLineString: case K::kMultiPolygon: case K::kGeometryCollection:
      return type == ct::kGeometry;
    case K::kVector: return type == ct::kVector;
    case K::kUnknown: return false;
  }
  return false;
}

Status check_table_map(const TableMap& map, const Table& table) {
  std::vector<std::string> diffs;
  auto add = [&](std::string d) {
    if (diffs.size() < 6) diffs.push_back(std::move(d));
  };
  if (map.columns.size() != table.columns.size()) {
    add("the binlog has " + std::to_string(map.columns.size()) + " columns, the tracked schema " +
        std::to_string(table.columns.size()));
  } else {
    for (size_t i = 0; i < map.columns.size(); ++i) {
      const ColumnDef& d = map.columns[i];
      const Column& c = table.columns[i];
      std::string where = "column " + std::to_string(i + 1) + " (" + c.name + ")";
      if (!binlog_type_fits(c, d.type, d.real_type)) {
        add(where + ": tracked " + describe(c) + ", binlog type " + std::string(column_type_name(d.type)) +
            (d.type == ct::kString ? "/" + std::string(column_type_name(d.real_type)) : ""));
        continue;
      }
      if (uint32_t lb = blob_length_bytes(c.kind); lb && d.type == ct::kBlob && d.meta != lb) {
        add(where + ": tracked " + describe(c) + ", binlog BLOB with " + std::to_string(d.meta) + " length bytes");
      }
      if (c.kind == ColumnKind::kDecimal && d.type == ct::kNewDecimal && c.length && c.scale) {
        int precision = d.meta >> 8, scale = d.meta & 0xff;
        if (precision != *c.length || scale != *c.scale) {
          add(where + ": tracked " + describe(c) + ", binlog DECIMAL(" + std::to_string(precision) + "," +
              std::to_string(scale) + ")");
        }
      }
      if (c.kind == ColumnKind::kBit && c.length) {
        int bits = (d.meta >> 8) * 8 + (d.meta & 0xff);
        if (bits != *c.length) add(where + ": tracked BIT(" + std::to_string(*c.length) + "), binlog BIT(" + std::to_string(bits) + ")");
      }
      if (!d.name.empty() && !ddl::iequals(d.name, c.name)) {
        add(where + ": the binlog names it " + std::string(d.name));
      }
      if (d.is_unsigned && is_integer_kind(c.kind) && *d.is_unsigned != c.is_unsigned) {
        add(where + ": tracked " + (c.is_unsigned ? "UNSIGNED" : "signed") + ", binlog " +
            (*d.is_unsigned ? "UNSIGNED" : "signed"));
      }
      if (d.collation != 0 && (c.is_string() || c.is_binary())) {
        std::string binlog_cs = charset_of_id(d.collation);
        std::string tracked = c.is_binary() ? "binary" : normalize_charset(c.effective_charset());
        if (!binlog_cs.empty() && !tracked.empty() && binlog_cs != tracked) {
          add(where + ": tracked charset " + tracked + ", binlog " + binlog_cs);
        }
      }
      if (d.has_labels && (c.kind == ColumnKind::kEnum || c.kind == ColumnKind::kSet) && d.labels != c.labels) {
        add(where + ": tracked " + std::to_string(c.labels.size()) + " ENUM/SET values, binlog " +
            std::to_string(d.labels.size()) + " different ones");
      }
    }
    if (!map.primary_key.empty()) {
      std::vector<uint32_t> tracked;
      for (const auto& k : table.primary_key_columns) {
        int i = table.column_index(k);
        tracked.push_back(i < 0 ? UINT32_MAX : uint32_t(i));
      }
      if (tracked != map.primary_key) add("the primary key differs");
    }
  }
  if (diffs.empty()) return {};
  std::string msg = "table " + table.id.dotted() + ": the tracked schema does not match the binlog's TABLE_MAP: ";
  for (size_t i = 0; i < diffs.size(); ++i) {
    if (i) msg += "; ";
    msg += diffs[i];
  }
  return Status::error(msg);
}

TableSchema to_binlog_schema(const Table& table) {
  TableSchema s;
  s.columns.reserve(table.columns.size());
  for (const Column& c : table.columns) {
    ColumnSchema cs;
    cs.name = c.name;
    if (is_integer_kind(c.kind) || c.kind == ColumnKind::kDecimal || c.kind == ColumnKind::kFloat ||
        c.kind == ColumnKind::kDouble) {
      cs.is_unsigned = c.is_unsigned;
    }
    if (c.is_binary() || c.kind == ColumnKind::kUuid || c.kind == ColumnKind::kInet4 || c.kind == ColumnKind::kInet6) {
      cs.collation = 63;
    } else if (c.is_string() || c.kind == ColumnKind::kJson) {
      cs.collation = collation_id(c.effective_charset(), c.collation.value_or("")).value_or(0);
    }
    if (c.kind == ColumnKind::kEnum) cs.enum_values = c.labels;
    if (c.kind == ColumnKind::kSet) cs.set_values = c.labels;
    switch (c.kind) {
      case ColumnKind::kUuid: cs.logical = LogicalType::kUuid; break;
      case ColumnKind::kInet4: cs.logical = LogicalType::kInet4; break;
      case ColumnKind::kInet6: cs.logical = LogicalType::kInet6; break;
      case ColumnKind::kBoolean: cs.logical = LogicalType::kBoolean; break;
      default: break;
    }
    if (c.kind == ColumnKind::kTime || c.kind == ColumnKind::kDateTime || c.kind == ColumnKind::kTimestamp) {
      cs.fsp = c.fsp.value_or(0);
    }
    s.columns.push_back(std::move(cs));
  }
  return s;
}

}  // namespace sluice::mysql
