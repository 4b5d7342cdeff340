// TypeCatalog: the built-in types, the rows the connector loads, and Debezium's config values.
#include <algorithm>

#include "plugins/postgres/decode/text_values.h"
#include "plugins/postgres/decode/types.h"

namespace sluice::postgres {

namespace {

struct Builtin {
  uint32_t oid;
  const char* name;
  char category;
  uint32_t array_oid;  // 0: no array type seeded
};

// pg_type.dat of PostgreSQL 15: the types Debezium maps plus a few common unmapped ones, so
// errors can name them.
constexpr Builtin kBuiltins[] = {
    {16, "bool", 'B', 1000},       {17, "bytea", 'U', 1001},      {18, "char", 'Z', 1002},
    {19, "name", 'S', 1003},       {20, "int8", 'N', 1016},       {21, "int2", 'N', 1005},
    {22, "int2vector", 'A', 1006}, {23, "int4", 'N', 1007},       {24, "regproc", 'N', 1008},
    {25, "text", 'S', 1009},       {26, "oid", 'N', 1028},        {27, "tid", 'U', 1010},
    {28, "xid", 'U', 1011},        {29, "cid", 'U', 1012},        {30, "oidvector", 'A', 1013},
    {114, "json", 'U', 199},       {142, "xml", 'U', 143},        {600, "point", 'G', 1017},
    {601, "lseg", 'G', 1018},      {602, "path", 'G', 1019},      {603, "box", 'G', 1020},
    {604, "polygon", 'G', 1027},   {628, "line", 'G', 629},       {650, "cidr", 'I', 651},
    {700, "float4", 'N', 1021},    {701, "float8", 'N', 1022},    {718, "circle", 'G', 719},
    {774, "macaddr8", 'U', 775},   {790, "money", 'N', 791},      {829, "macaddr", 'U', 1040},
    {869, "inet", 'I', 1041},      {1042, "bpchar", 'S', 1014},   {1043, "varchar", 'S', 1015},
    {1082, "date", 'D', 1182},     {1083, "time", 'D', 1183},     {1114, "timestamp", 'D', 1115},
    {1184, "timestamptz", 'D', 1185}, {1186, "interval", 'T', 1187}, {1266, "timetz", 'D', 1270},
    {1560, "bit", 'V', 1561},      {1562, "varbit", 'V', 1563},   {1700, "numeric", 'N', 1231},
    {2205, "regclass", 'N', 2210}, {2950, "uuid", 'U', 2951},     {2970, "txid_snapshot", 'U', 2949},
    {3220, "pg_lsn", 'U', 3221},   {3614, "tsvector", 'U', 3643}, {3615, "tsquery", 'U', 3645},
    {3802, "jsonb", 'U', 3807},    {4072, "jsonpath", 'U', 4073}, {5038, "pg_snapshot", 'U', 5039},
};

struct BuiltinRange {
  uint32_t oid, array_oid;
  const char* name;
};
constexpr BuiltinRange kRanges[] = {
    {3904, 3905, "int4range"}, {3906, 3907, "numrange"},  {3908, 3909, "tsrange"},
    {3910, 3911, "tstzrange"}, {3912, 3913, "daterange"}, {3926, 3927, "int8range"},
};

}  // namespace

TypeCatalog::TypeCatalog() {
  auto add_with_array = [this](uint32_t oid, std::string name, char typtype, char category,
                               uint32_t array_oid) {
    PgType t;
    t.oid = oid;
    t.schema = "pg_catalog";
    t.name = name;
    t.typtype = typtype;
    t.category = category;
    add(t);
    if (array_oid != 0) {
      PgType a;
      a.oid = array_oid;
      a.schema = "pg_catalog";
      a.name = "_" + name;
      a.typtype = 'b';
      a.category = 'A';
      a.element_oid = oid;
      add(a);
    }
  };
  for (const Builtin& b : kBuiltins) {
    // int2vector and oidvector are array-like base types, not arrays Debezium maps.
    char category = b.category == 'A' ? 'U' : b.category;
    add_with_array(b.oid, b.name, 'b', category, b.array_oid);
  }
  for (const BuiltinRange& r : kRanges) add_with_array(r.oid, r.name, 'r', 'R', r.array_oid);
}

void TypeCatalog::add(PgType type) {
  uint32_t oid = type.oid;
  by_oid_[oid] = std::move(type);
}

const PgType* TypeCatalog::find(uint32_t oid) const {
  auto it = by_oid_.find(oid);
  return it == by_oid_.end() ? nullptr : &it->second;
}

const PgType* TypeCatalog::find_by_name(std::string_view schema, std::string_view name) const {
  const PgType* best = nullptr;
  for (const auto& [oid, t] : by_oid_) {
    if (t.name != name || (!schema.empty() && t.schema != schema)) continue;
    if (!best || t.oid < best->oid) best = &t;  // deterministic when several schemas match
  }
  return best;
}

std::string_view type_catalog_query() {
  // Everything above the built-in OID range (FirstNormalObjectId = 16384) plus the ranges;
  // the connector may run it again when a Relation message names an unknown OID.
  return "SELECT t.oid, n.nspname, t.typname, t.typtype, t.typcategory, t.typelem, "
         "t.typbasetype, t.typtypmod, "
         "CASE WHEN t.typtype = 'e' THEN (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder) "
         "FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid) END "
         "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
         "WHERE t.oid >= 16384 ORDER BY t.oid";
}

Result<PgType> type_from_catalog_row(const std::vector<std::optional<std::string_view>>& cells) {
  if (cells.size() != 9) {
    return malformed("pg_type row: expected 9 columns (see type_catalog_query), got " +
                     std::to_string(cells.size()));
  }
  auto text = [&cells](size_t i) { return cells[i] ? *cells[i] : std::string_view(); };
  auto number = [&](size_t i, int64_t min, int64_t max) { return text::parse_int(text(i), min, max); };
  auto oid = number(0, 0, UINT32_MAX);
  auto elem = number(5, 0, UINT32_MAX);
  auto base = number(6, 0, UINT32_MAX);
  auto typmod = number(7, INT32_MIN, INT32_MAX);
  if (!oid || !elem || !base || !typmod || text(3).size() != 1 || text(4).size() != 1) {
    return malformed("pg_type row for type '" + std::string(text(2)) +
                     "': oid, typtype, typcategory, typelem, typbasetype or typtypmod unreadable");
  }
  PgType t;
  t.oid = uint32_t(*oid);
  t.schema = std::string(text(1));
  t.name = std::string(text(2));
  t.typtype = text(3)[0];
  t.category = text(4)[0];
  t.element_oid = t.category == 'A' ? uint32_t(*elem) : 0;
  t.base_oid = uint32_t(*base);
  t.base_typmod = int32_t(*typmod);
  if (cells[8]) {
    auto labels = text::parse_array(*cells[8]);
    if (!labels || labels->multi_dimensional) {
      return malformed("pg_type row for enum '" + t.name + "': labels are not a text[] literal");
    }
    for (auto& l : labels->elements) t.enum_labels.push_back(l.value_or(""));
  }
  return t;
}

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}
}  // namespace

std::optional<DecimalMode> parse_decimal_mode(std::string_view text) {
  std::string s = lower(text);
  if (s == "precise") return DecimalMode::Precise;
  if (s == "double") return DecimalMode::Double;
  if (s == "string") return DecimalMode::String;
  return std::nullopt;
}

std::optional<TimePrecisionMode> parse_time_precision_mode(std::string_view text) {
  std::string s = lower(text);
  if (s == "adaptive") return TimePrecisionMode::Adaptive;
  if (s == "adaptive_time_microseconds") return TimePrecisionMode::AdaptiveTimeMicroseconds;
  if (s == "connect") return TimePrecisionMode::Connect;
  return std::nullopt;
}

std::optional<BinaryMode> parse_binary_mode(std::string_view text) {
  std::string s = lower(text);
  if (s == "bytes") return BinaryMode::Bytes;
  if (s == "base64") return BinaryMode::Base64;
  if (s == "base64-url-safe") return BinaryMode::Base64UrlSafe;
  if (s == "hex") return BinaryMode::Hex;
  return std::nullopt;
}

std::optional<IntervalMode> parse_interval_mode(std::string_view text) {
  std::string s = lower(text);
  if (s == "numeric") return IntervalMode::Numeric;
  if (s == "string") return IntervalMode::String;
  return std::nullopt;
}

std::optional<HstoreMode> parse_hstore_mode(std::string_view text) {
  std::string s = lower(text);
  if (s == "json") return HstoreMode::Json;
  if (s == "map") return HstoreMode::Map;
  return std::nullopt;
}

}  // namespace sluice::postgres
