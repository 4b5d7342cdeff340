// Column definitions: data types as MySQL and MariaDB write them, and column attributes.
// The Debezium-visible facts (typeName, jdbcType, length, scale, charsetName, default
// expression, optional, autoIncremented/generated) follow what Debezium 2.7's MySQL DDL parser
// records for the same text, so history records match.
#include <algorithm>
#include <cstdint>
#include <string>

#include "plugins/mysql/schema/ddl_cursor.h"

namespace sluice::mysql::ddl {
namespace {

enum class Dims : uint8_t { kNone, kOne, kTwo, kLabels };

struct TypeInfo {
  std::string_view name;  // upper-case type name as Debezium records it
  ColumnKind kind;
  int32_t jdbc;
  Dims dims;
  bool numeric = false;   // takes SIGNED/UNSIGNED/ZEROFILL
};

// Single-word types.
const TypeInfo* find_type(std::string_view word) {
  static const TypeInfo kTypes[] = {
      {"TINYINT", ColumnKind::kTinyInt, jdbc::kSmallInt, Dims::kOne, true},
      {"INT1", ColumnKind::kTinyInt, jdbc::kSmallInt, Dims::kOne, true},
      {"SMALLINT", ColumnKind::kSmallInt, jdbc::kSmallInt, Dims::kOne, true},
      {"INT2", ColumnKind::kSmallInt, jdbc::kSmallInt, Dims::kOne, true},
      {"MEDIUMINT", ColumnKind::kMediumInt, jdbc::kInteger, Dims::kOne, true},
      {"INT3", ColumnKind::kMediumInt, jdbc::kInteger, Dims::kOne, true},
      {"MIDDLEINT", ColumnKind::kMediumInt, jdbc::kInteger, Dims::kOne, true},
      {"INT", ColumnKind::kInt, jdbc::kInteger, Dims::kOne, true},
      {"INTEGER", ColumnKind::kInt, jdbc::kInteger, Dims::kOne, true},
      {"INT4", ColumnKind::kInt, jdbc::kInteger, Dims::kOne, true},
      {"BIGINT", ColumnKind::kBigInt, jdbc::kBigInt, Dims::kOne, true},
      {"INT8", ColumnKind::kBigInt, jdbc::kBigInt, Dims::kOne, true},
      {"REAL", ColumnKind::kDouble, jdbc::kReal, Dims::kTwo, true},
      {"DOUBLE", ColumnKind::kDouble, jdbc::kDouble, Dims::kTwo, true},
      {"FLOAT8", ColumnKind::kDouble, jdbc::kDouble, Dims::kTwo, true},
      {"FLOAT", ColumnKind::kFloat, jdbc::kFloat, Dims::kTwo, true},
      {"FLOAT4", ColumnKind::kFloat, jdbc::kFloat, Dims::kTwo, true},
      {"DECIMAL", ColumnKind::kDecimal, jdbc::kDecimal, Dims::kTwo, true},
      {"DEC", ColumnKind::kDecimal, jdbc::kDecimal, Dims::kTwo, true},
      {"FIXED", ColumnKind::kDecimal, jdbc::kDecimal, Dims::kTwo, true},
      {"NUMERIC", ColumnKind::kDecimal, jdbc::kNumeric, Dims::kTwo, true},
      {"BIT", ColumnKind::kBit, jdbc::kBit, Dims::kOne},
      {"BOOL", ColumnKind::kBoolean, jdbc::kBoolean, Dims::kNone},
      {"BOOLEAN", ColumnKind::kBoolean, jdbc::kBoolean, Dims::kNone},
      {"SERIAL", ColumnKind::kBigInt, jdbc::kBigInt, Dims::kNone},
      {"DATE", ColumnKind::kDate, jdbc::kDate, Dims::kNone},
      {"TIME", ColumnKind::kTime, jdbc::kTime, Dims::kOne},
      {"DATETIME", ColumnKind::kDateTime, jdbc::kTimestamp, Dims::kOne},
      {"TIMESTAMP", ColumnKind::kTimestamp, jdbc::kTimestampWithTimezone, Dims::kOne},
      {"YEAR", ColumnKind::kYear, jdbc::kInteger, Dims::kOne},
      {"CHAR", ColumnKind::kChar, jdbc::kChar, Dims::kOne},
      {"CHARACTER", ColumnKind::kChar, jdbc::kChar, Dims::kOne},
      {"VARCHAR", ColumnKind::kVarChar, jdbc::kVarChar, Dims::kOne},
      {"VARCHAR2", ColumnKind::kVarChar, jdbc::kVarChar, Dims::kOne},
      {"TINYTEXT", ColumnKind::kTinyText, jdbc::kVarChar, Dims::kNone},
      {"TEXT", ColumnKind::kText, jdbc::kVarChar, Dims::kOne},
      {"MEDIUMTEXT", ColumnKind::kMediumText, jdbc::kVarChar, Dims::kNone},
      {"LONGTEXT", ColumnKind::kLongText, jdbc::kVarChar, Dims::kNone},
      {"NCHAR", ColumnKind::kChar, jdbc::kNChar, Dims::kOne},
      {"NVARCHAR", ColumnKind::kVarChar, jdbc::kNVarChar, Dims::kOne},
      {"BINARY", ColumnKind::kBinary, jdbc::kBinary, Dims::kOne},
      {"VARBINARY", ColumnKind::kVarBinary, jdbc::kVarBinary, Dims::kOne},
      {"TINYBLOB", ColumnKind::kTinyBlob, jdbc::kBlob, Dims::kNone},
      {"BLOB", ColumnKind::kBlob, jdbc::kBlob, Dims::kOne},
      {"MEDIUMBLOB", ColumnKind::kMediumBlob, jdbc::kBlob, Dims::kNone},
      {"LONGBLOB", ColumnKind::kLongBlob, jdbc::kBlob, Dims::kNone},
      {"ENUM", ColumnKind::kEnum, jdbc::kChar, Dims::kLabels},
      {"SET", ColumnKind::kSet, jdbc::kChar, Dims::kLabels},
      {"JSON", ColumnKind::kJson, jdbc::kOther, Dims::kNone},
      {"GEOMETRY", ColumnKind::kGeometry, jdbc::kOther, Dims::kNone},
      {"POINT", ColumnKind::kPoint, jdbc::kOther, Dims::kNone},
      {"LINESTRING", ColumnKind::kLineString, jdbc::kOther, Dims::kNone},
      {"POLYGON", ColumnKind::kPolygon, jdbc::kOther, Dims::kNone},
      {"MULTIPOINT", ColumnKind::kMultiPoint, jdbc::kOther, Dims::kNone},
      {"MULTILINESTRING", ColumnKind::kMultiLineString, jdbc::kOther, Dims::kNone},
      {"MULTIPOLYGON", ColumnKind::kMultiPolygon, jdbc::kOther, Dims::kNone},
      {"GEOMETRYCOLLECTION", ColumnKind::kGeometryCollection, jdbc::kOther, Dims::kNone},
      {"GEOMCOLLECTION", ColumnKind::kGeometryCollection, jdbc::kOther, Dims::kNone},
      {"UUID", ColumnKind::kUuid, jdbc::kOther, Dims::kNone},
      {"INET4", ColumnKind::kInet4, jdbc::kOther, Dims::kNone},
      {"INET6", ColumnKind::kInet6, jdbc::kOther, Dims::kNone},
      {"VECTOR", ColumnKind::kVector, jdbc::kOther, Dims::kOne},
  };
  for (const auto& t : kTypes)
    if (iequals(t.name, word)) return &t;
  return nullptr;
}

// Multi-word spellings, tried before single words: {words..., canonical single word, name}.
struct MultiWord {
  std::initializer_list<std::string_view> words;
  std::string_view as;    // the single-word type it behaves as
  std::string_view name;  // Debezium's type name
  int32_t jdbc;
};

bool parse_int(std::string_view s, int64_t& v) {
  if (s.empty() || s.size() > 18) return false;
  v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
    v = v * 10 + (ch - '0');
  }
  return true;
}

int32_t clamp32(int64_t v) { return int32_t(std::min<int64_t>(v, INT32_MAX)); }

// (n) or (n, m); FLOAT/DECIMAL also accept (.n)-like reals, read as Debezium does (10).
bool parse_dims(Cursor& c, Column& col, Dims dims) {
  if (!c.is_sym("(")) return true;
  c.next();
  const Token& a = c.next();
  int64_t len = 0;
  if (a.kind != Tok::kNumber) return c.fail("expected a size");
  if (!parse_int(a.text, len)) {
    // "(10.2)": digits before the dot, 10 when none.
    std::string_view s = a.text;
    size_t dot = s.find('.');
    if (dot == std::string_view::npos || !parse_int(s.substr(0, dot), len) || len == 0) len = 10;
  }
  col.length = clamp32(len);
  if (c.accept_sym(",")) {
    if (dims != Dims::kTwo) return c.fail("unexpected second size");
    const Token& b = c.next();
    int64_t scale = 0;
    if (b.kind != Tok::kNumber || !parse_int(b.text, scale)) return c.fail("expected a scale");
    col.scale = clamp32(scale);
  }
  return c.expect_sym(")");
}

// ENUM('a','b') / SET(...): Debezium keeps the literals as written (quotes included).
bool parse_labels(Cursor& c, Column& col) {
  if (!c.expect_sym("(")) return false;
  if (c.accept_sym(")")) return true;
  while (true) {
    const Token& t = c.peek();
    if (t.kind != Tok::kString) return c.fail("expected an ENUM/SET label");
    c.next();
    col.enum_values.emplace_back(t.raw);
    col.labels.push_back(t.text);
    if (c.accept_sym(")")) break;
    if (!c.expect_sym(",")) return false;
  }
  if (col.kind == ColumnKind::kSet) {
    col.length = int32_t(std::max<size_t>(1, col.labels.size() * 2) - 1);
  } else {
    col.length = 1;
  }
  return true;
}

bool charset_name(Cursor& c, std::string& out) {
  c.accept_sym("=");
  const Token& t = c.peek();
  if (t.kind == Tok::kWord || t.kind == Tok::kQuoted || t.kind == Tok::kString) {
    c.next();
    out = lower(t.text);
    return true;
  }
  return c.fail("expected a character set or collation name");
}

// CHARACTER SET x / CHARSET x / COLLATE y / BINARY / ASCII / UNICODE after a string type.
bool string_options(Cursor& c, Column& col) {
  while (true) {
    std::string name;
    if (c.accept_seq({"CHARACTER", "SET"}) || c.accept("CHARSET") || c.accept_seq({"CHAR", "SET"})) {
      if (!charset_name(c, name)) return false;
      col.charset_name = name;
    } else if (c.accept("COLLATE")) {
      if (!charset_name(c, name)) return false;
      col.collation = name;
    } else if (c.accept("ASCII")) {
      col.charset_name = "latin1";
    } else if (c.accept("UNICODE")) {
      col.charset_name = "ucs2";
    } else if (c.is("BINARY") && !c.is_sym("(", 1)) {
      c.next();  // the charset's _bin collation: still text
    } else if (c.accept("BYTE")) {
      col.charset_name = "binary";
    } else {
      return true;
    }
  }
}

// CHAR(n) CHARACTER SET binary is BINARY(n), and so on: the server converts them.
void binary_charset_to_binary_kind(Column& col) {
  if (!col.charset_name || *col.charset_name != "binary") return;
  switch (col.kind) {
    case ColumnKind::kChar: col.kind = ColumnKind::kBinary; break;
    case ColumnKind::kVarChar: col.kind = ColumnKind::kVarBinary; break;
    case ColumnKind::kTinyText: col.kind = ColumnKind::kTinyBlob; break;
    case ColumnKind::kText: col.kind = ColumnKind::kBlob; break;
    case ColumnKind::kMediumText: col.kind = ColumnKind::kMediumBlob; break;
    case ColumnKind::kLongText: col.kind = ColumnKind::kLongBlob; break;
    default: break;
  }
}

bool parse_type(Cursor& c, Column& col) {
  static const MultiWord kMulti[] = {
      {{"DOUBLE", "PRECISION"}, "DOUBLE", "DOUBLE PRECISION", jdbc::kDouble},
      {{"CHARACTER", "VARYING"}, "VARCHAR", "CHARACTER VARYING", jdbc::kVarChar},
      {{"CHAR", "VARYING"}, "VARCHAR", "CHAR VARYING", jdbc::kVarChar},
      {{"NATIONAL", "CHARACTER", "VARYING"}, "VARCHAR", "NATIONAL CHARACTER VARYING", jdbc::kNVarChar},
      {{"NATIONAL", "CHAR", "VARYING"}, "VARCHAR", "NATIONAL CHAR VARYING", jdbc::kNVarChar},
      {{"NATIONAL", "VARCHAR"}, "VARCHAR", "NATIONAL VARCHAR", jdbc::kNVarChar},
      {{"NATIONAL", "CHARACTER"}, "CHAR", "NATIONAL CHARACTER", jdbc::kNChar},
      {{"NATIONAL", "CHAR"}, "CHAR", "NATIONAL CHAR", jdbc::kNChar},
      {{"NCHAR", "VARCHAR"}, "VARCHAR", "NCHAR VARCHAR", jdbc::kNVarChar},
      {{"NCHAR", "VARYING"}, "VARCHAR", "NCHAR VARYING", jdbc::kNVarChar},
      {{"LONG", "VARBINARY"}, "MEDIUMBLOB", "LONG VARBINARY", jdbc::kBlob},
      {{"LONG", "VARCHAR"}, "MEDIUMTEXT", "LONG VARCHAR", jdbc::kVarChar},
      {{"LONG", "CHARACTER", "VARYING"}, "MEDIUMTEXT", "LONG CHARACTER VARYING", jdbc::kVarChar},
      {{"LONG", "CHAR", "VARYING"}, "MEDIUMTEXT", "LONG CHAR VARYING", jdbc::kVarChar},
  };
  const TypeInfo* info = nullptr;
  std::string name;
  int32_t jdbc_type = 0;
  for (const auto& m : kMulti) {
    if (c.accept_seq(m.words)) {
      info = find_type(m.as);
      name = m.name;
      jdbc_type = m.jdbc;
      break;
    }
  }
  if (!info) {
    const Token& t = c.peek();
    if (t.kind != Tok::kWord) return c.fail("expected a column type");
    if (iequals(t.text, "LONG")) {
      c.next();
      info = find_type("MEDIUMTEXT");
      name = "LONG";
      jdbc_type = jdbc::kVarChar;
    } else {
      info = find_type(t.text);
      if (!info) return c.fail("unknown column type " + upper(t.text));
      c.next();
      name = upper(t.text);
      jdbc_type = info->jdbc;
    }
  }
  col.kind = info->kind;
  col.jdbc_type = jdbc_type;
  if (info->dims == Dims::kLabels) {
    if (!parse_labels(c, col)) return false;
  } else if (info->dims != Dims::kNone) {
    if (!parse_dims(c, col, info->dims)) return false;
  }

  // Per-type adjustments, as the server and Debezium see them.
  switch (col.kind) {
    case ColumnKind::kDecimal:
      if (!col.length) col.length = 10;
      if (!col.scale) col.scale = 0;
      break;
    case ColumnKind::kBit:
      if (!col.length) col.length = 1;
      break;
    case ColumnKind::kVector:
      if (!col.length) col.length = 2048;
      break;
    case ColumnKind::kFloat:
      // FLOAT(p) with p > 24 is stored as DOUBLE.
      if (col.length && !col.scale && *col.length > 24) col.kind = ColumnKind::kDouble;
      break;
    case ColumnKind::kTime:
    case ColumnKind::kDateTime:
    case ColumnKind::kTimestamp:
      if (col.length) col.fsp = uint8_t(std::min(*col.length, 6));
      break;
    default:
      break;
  }
  if (iequals(name, "SERIAL")) {
    name = "BIGINT UNSIGNED";
    col.is_unsigned = true;
    col.auto_incremented = col.generated = true;
    col.optional = false;
  }

  // Numeric suffixes, recorded in the type name as written.
  if (info->numeric) {
    while (true) {
      if (c.accept("UNSIGNED")) {
        col.is_unsigned = true;
        name += " UNSIGNED";
      } else if (c.accept("SIGNED")) {
        name += " SIGNED";
      } else if (c.accept("ZEROFILL")) {
        col.zerofill = true;
        col.is_unsigned = true;  // ZEROFILL implies UNSIGNED
        name += " ZEROFILL";
      } else {
        break;
      }
    }
  }
  if (col.is_string()) {
    if (!string_options(c, col)) return false;
    if (col.jdbc_type == jdbc::kNChar || col.jdbc_type == jdbc::kNVarChar) col.charset_name = "utf8";
    if (!col.charset_name && col.collation) col.charset_name = charset_of_collation(*col.collation);
    binary_charset_to_binary_kind(col);
  }
  col.type_name = name;
  col.type_expression = name;
  return true;
}

bool is_current_timestamp_word(const Token& t) {
  return t.kind == Tok::kWord && (iequals(t.text, "CURRENT_TIMESTAMP") || iequals(t.text, "NOW") ||
                                  iequals(t.text, "LOCALTIME") || iequals(t.text, "LOCALTIMESTAMP"));
}

// CURRENT_TIMESTAMP[(n)] / NOW([n]) / LOCALTIME[(n)] / LOCALTIMESTAMP[(n)].
bool skip_current_timestamp(Cursor& c) {
  c.next();
  if (c.is_sym("(")) return c.skip_parens();
  return true;
}

// The DEFAULT clause. Debezium records: string literals without their quotes (escapes as
// written), numbers with their sign, b'..' as its digits, TRUE/FALSE as written,
// CURRENT_TIMESTAMP/NOW as "1970-01-01 00:00:00", expressions as a default without text,
// NULL as nothing.
bool parse_default(Cursor& c, Column& col) {
  const Token& t = c.peek();
  std::string sign;
  if (t.kind == Tok::kWord && iequals(t.text, "NULL")) {
    c.next();
    return true;
  }
  if (c.is_sym("(")) {  // (expression)
    col.has_default_value = true;
    col.default_value_expression.reset();
    col.default_is_expression = true;
    return c.skip_parens();
  }
  if (is_current_timestamp_word(t)) {
    bool now_like = iequals(t.text, "CURRENT_TIMESTAMP") || iequals(t.text, "NOW");
    size_t from = c.index();
    if (!skip_current_timestamp(c)) return false;
    col.has_default_value = true;
    col.default_is_expression = true;
    col.default_value_expression = now_like ? std::string("1970-01-01 00:00:00") : std::string(c.text_from(from));
    return true;
  }
  if (c.is_sym("-") || c.is_sym("+")) {
    sign = c.is_sym("-") ? "-" : "";
    c.next();
  }
  const Token& v = c.peek();
  switch (v.kind) {
    case Tok::kString: {
      c.next();
      // A charset introducer before it was lexed as a word; strings may be followed by COLLATE.
      std::string_view raw = v.raw;
      if (raw.size() >= 2 && (raw[0] == 'N' || raw[0] == 'n')) raw.remove_prefix(1);
      col.has_default_value = true;
      col.default_value_expression = sign + std::string(raw.substr(1, raw.size() - 2));
      while (c.peek().kind == Tok::kString) c.next();  // 'a' 'b' concatenation: keep the first
      if (c.accept("COLLATE")) c.next();
      return true;
    }
    case Tok::kNumber:
      c.next();
      col.has_default_value = true;
      col.default_value_expression = sign + v.text;
      return true;
    case Tok::kBits:
      c.next();
      col.has_default_value = true;
      col.default_value_expression = v.text;
      return true;
    case Tok::kHex:
      // Debezium's parser records nothing for a hex default.
      c.next();
      return true;
    case Tok::kWord:
      if (iequals(v.text, "TRUE") || iequals(v.text, "FALSE")) {
        c.next();
        col.has_default_value = true;
        col.default_value_expression = v.text;
        return true;
      }
      if (v.text.size() > 1 && v.text[0] == '_' && c.peek(1).kind == Tok::kString) {
        // _utf8mb4'x': Debezium records the literal with its introducer (its value converter
        // strips it later).
        c.next();
        const Token& str = c.next();
        col.has_default_value = true;
        col.default_value_expression = v.text + std::string(str.raw);
        if (c.accept("COLLATE")) c.next();
        return true;
      }
      // A function call or other expression (MariaDB prints them unparenthesized).
      c.next();
      if (c.is_sym("(") && !c.skip_parens()) return false;
      col.has_default_value = true;
      col.default_value_expression.reset();
      col.default_is_expression = true;
      return true;
    default:
      return c.fail("cannot read the DEFAULT value");
  }
}

// GENERATED ALWAYS AS (expr) [VIRTUAL|STORED|PERSISTENT] / AS (expr) ...
bool parse_generated(Cursor& c, Column& col) {
  size_t from = c.index();
  if (!c.skip_parens()) return false;
  std::string_view text = c.text_from(from);
  if (text.size() >= 2) text = text.substr(1, text.size() - 2);
  col.generation_expression = std::string(text);
  if (c.accept("STORED") || c.accept("PERSISTENT")) col.generated_stored = true;
  else c.accept("VIRTUAL");
  return true;
}

}  // namespace

bool parse_default_clause(Cursor& c, Column& col) { return parse_default(c, col); }

bool resolve_type_name(std::string_view type_name, const std::vector<std::string>& enum_values, Column& col,
                       std::string& error) {
  std::string text(type_name);
  if (iequals(type_name, "ENUM") || iequals(type_name, "SET")) {
    text += '(';
    for (size_t i = 0; i < enum_values.size(); ++i) {
      if (i) text += ',';
      text += enum_values[i];
    }
    text += ')';
  }
  std::vector<Token> tokens;
  if (!tokenize(text, tokens, error)) return false;
  Cursor c(tokens, text);
  Column probe;
  if (!parse_type(c, probe) || !c.at_end()) {
    error = "unknown column type '" + std::string(type_name) + "'" + (c.failed() ? ": " + c.error() : "");
    return false;
  }
  col.kind = probe.kind;
  col.is_unsigned = probe.is_unsigned;
  col.zerofill = probe.zerofill;
  col.labels = probe.labels;
  return true;
}

std::string charset_of_collation(std::string_view collation) {
  std::string l = lower(collation);
  if (l == "binary") return l;
  size_t us = l.find('_');
  if (us == std::string::npos) return l;
  // MariaDB 11's charset-less names ("uca1400_ai_ci") belong to utf8mb4.
  if (l.rfind("uca1400", 0) == 0) return "utf8mb4";
  return l.substr(0, us);
}

bool parse_column_definition(Cursor& c, Column& col, bool& inline_pk, bool& inline_unique) {
  inline_pk = inline_unique = false;
  if (!parse_type(c, col)) return false;
  std::optional<bool> optional;
  if (col.auto_incremented && !col.optional) optional = false;  // SERIAL
  if (col.auto_incremented) inline_unique = true;
  // Debezium's grammar reads `DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP` as one
  // default clause, but an ON UPDATE anywhere else as a column constraint that marks the column
  // autoIncremented and generated: recorded the same way here.
  bool after_now_default = false;
  while (!c.at_end() && !c.is_sym(",") && !c.is_sym(")") && !c.is("FIRST") && !c.is("AFTER")) {
    bool was_after_now_default = after_now_default;
    after_now_default = false;
    if (c.accept_seq({"NOT", "NULL"})) {
      optional = false;
    } else if (c.accept("NULL")) {
      optional = true;
    } else if (c.accept("DEFAULT")) {
      after_now_default = is_current_timestamp_word(c.peek());
      if (!parse_default(c, col)) return false;
    } else if (c.accept("AUTO_INCREMENT")) {
      col.auto_incremented = col.generated = true;
    } else if (c.accept_seq({"PRIMARY", "KEY"}) || (c.is("KEY") && (c.accept("KEY")))) {
      inline_pk = true;
    } else if (c.accept("UNIQUE")) {
      if (!c.accept("KEY")) c.accept("INDEX");
      inline_unique = true;
    } else if (c.accept("COMMENT")) {
      const Token& t = c.peek();
      if (t.kind != Tok::kString) return c.fail("expected the COMMENT string");
      c.next();
      col.comment = t.text;
    } else if (c.accept("COLLATE")) {
      std::string name;
      if (!charset_name(c, name)) return false;
      col.collation = name;
      if (col.is_string() && !col.charset_name) col.charset_name = charset_of_collation(name);
    } else if (c.accept_seq({"CHARACTER", "SET"}) || c.accept("CHARSET")) {
      std::string name;
      if (!charset_name(c, name)) return false;
      if (col.is_string()) col.charset_name = name;
    } else if (c.accept("ON")) {
      if (!c.expect("UPDATE")) return false;
      if (!is_current_timestamp_word(c.peek())) return c.fail("expected CURRENT_TIMESTAMP after ON UPDATE");
      if (!skip_current_timestamp(c)) return false;
      col.on_update_current_timestamp = true;
      if (!was_after_now_default) col.auto_incremented = col.generated = true;
    } else if (c.accept_seq({"GENERATED", "ALWAYS"})) {
      if (c.accept_seq({"AS", "IDENTITY"})) {
        col.auto_incremented = col.generated = true;
        continue;
      }
      if (!c.expect("AS") || !parse_generated(c, col)) return false;
    } else if (c.accept("AS")) {
      if (!parse_generated(c, col)) return false;
    } else if (c.accept("VIRTUAL") || c.accept("STORED") || c.accept("PERSISTENT")) {
      // after AS (...), handled there; tolerated alone
    } else if (c.accept("INVISIBLE")) {
      col.invisible = true;
    } else if (c.accept("VISIBLE")) {
      col.invisible = false;
    } else if (c.accept("COLUMN_FORMAT") || c.accept("STORAGE") || c.accept("SRID") ||
               c.accept("ENGINE_ATTRIBUTE") || c.accept("SECONDARY_ENGINE_ATTRIBUTE") ||
               c.accept("COMPRESSED") || c.accept("ENCRYPTED") || c.accept("ENCRYPTION_KEY_ID") ||
               c.accept("REF_SYSTEM_ID")) {
      if (c.accept_sym("=") || !c.at_end()) {
        // one value, unless the next token starts another attribute
        const Token& v = c.peek();
        if (v.kind == Tok::kNumber || v.kind == Tok::kString ||
            (v.kind == Tok::kWord && !c.is_any({"NOT", "NULL", "DEFAULT", "COMMENT", "AUTO_INCREMENT",
                                                 "PRIMARY", "KEY", "UNIQUE", "COLLATE", "ON"}))) {
          c.next();
        }
      }
    } else if (c.accept_seq({"WITH", "SYSTEM", "VERSIONING"}) ||
               c.accept_seq({"WITHOUT", "SYSTEM", "VERSIONING"})) {
    } else if (c.is("CONSTRAINT") || c.is("CHECK")) {
      c.accept("CONSTRAINT");
      if (!c.is("CHECK")) {
        if (!c.identifier("constraint name")) return false;
      }
      if (!c.expect("CHECK") || !c.skip_parens()) return false;
      if (c.accept("NOT")) {
        if (!c.expect("ENFORCED")) return false;
      } else {
        c.accept("ENFORCED");
      }
    } else if (c.accept("REFERENCES")) {
      // REFERENCES t (cols) [MATCH ..] [ON DELETE|UPDATE action]: no effect on the schema.
      if (!c.identifier("table name")) return false;
      if (c.accept_sym(".") && !c.identifier("table name")) return false;
      if (c.is_sym("(") && !c.skip_parens()) return false;
      while (c.accept("MATCH") || c.is("ON")) {
        if (c.is("ON") && !(c.is("DELETE", 1) || c.is("UPDATE", 1))) break;
        if (c.accept("ON")) c.next();  // DELETE/UPDATE
        if (c.accept("SET")) c.next();  // NULL/DEFAULT
        else if (c.accept("NO")) c.next();  // ACTION
        else c.next();  // RESTRICT/CASCADE/FULL/PARTIAL/SIMPLE
      }
    } else if (c.accept("SERIAL")) {
      // SERIAL DEFAULT VALUE = NOT NULL AUTO_INCREMENT UNIQUE
      if (!c.expect("DEFAULT") || !c.expect("VALUE")) return false;
      col.auto_incremented = col.generated = true;
      optional = false;
      inline_unique = true;
    } else {
      return c.fail("unexpected '" + std::string(c.peek().raw) + "' in the definition of column " + col.name);
    }
  }
  if (c.failed()) return false;
  if (optional.has_value()) col.optional = *optional;
  if (inline_pk) col.optional = false;
  // Debezium: a nullable column has an implicit NULL default.
  if (col.optional) col.has_default_value = true;
  return true;
}

}  // namespace sluice::mysql::ddl
