#include "plugins/mysql/schema/schema_model.h"

#include <algorithm>

namespace sluice::mysql {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = x - 'A' + 'a';
    if (y >= 'A' && y <= 'Z') y = y - 'A' + 'a';
    if (x != y) return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

void append_quoted(std::string_view name, std::string& out) {
  out += '"';
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// Reads one "quoted" part starting at s[i] == '"'; advances i past it.
std::optional<std::string> read_quoted(std::string_view s, size_t& i) {
  std::string out;
  ++i;
  while (i < s.size()) {
    if (s[i] == '"') {
      if (i + 1 < s.size() && s[i + 1] == '"') {
        out += '"';
        i += 2;
        continue;
      }
      ++i;
      return out;
    }
    out += s[i++];
  }
  return std::nullopt;
}

}  // namespace

std::string TableId::to_string() const {
  std::string out;
  append_quoted(catalog, out);
  out += '.';
  append_quoted(table, out);
  return out;
}

std::optional<TableId> TableId::parse(std::string_view s) {
  if (!s.empty() && s[0] == '"') {
    size_t i = 0;
    auto db = read_quoted(s, i);
    if (!db || i >= s.size() || s[i] != '.' || i + 1 >= s.size() || s[i + 1] != '"') {
      // A single quoted part: a table without a catalog.
      if (db && i == s.size()) return TableId{"", *db};
      return std::nullopt;
    }
    ++i;
    auto t = read_quoted(s, i);
    if (!t || i != s.size()) return std::nullopt;
    return TableId{*db, *t};
  }
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return TableId{"", std::string(s)};
  if (s.find('.', dot + 1) != std::string_view::npos) return std::nullopt;
  return TableId{std::string(s.substr(0, dot)), std::string(s.substr(dot + 1))};
}

std::string_view column_kind_name(ColumnKind k) {
  switch (k) {
    case ColumnKind::kUnknown: return "unknown";
    case ColumnKind::kTinyInt: return "TINYINT";
    case ColumnKind::kSmallInt: return "SMALLINT";
    case ColumnKind::kMediumInt: return "MEDIUMINT";
    case ColumnKind::kInt: return "INT";
    case ColumnKind::kBigInt: return "BIGINT";
    case ColumnKind::kBoolean: return "BOOLEAN";
    case ColumnKind::kDecimal: return "DECIMAL";
    case ColumnKind::kFloat: return "FLOAT";
    case ColumnKind::kDouble: return "DOUBLE";
    case ColumnKind::kBit: return "BIT";
    case ColumnKind::kYear: return "YEAR";
    case ColumnKind::kDate: return "DATE";
    case ColumnKind::kTime: return "TIME";
    case ColumnKind::kDateTime: return "DATETIME";
    case ColumnKind::kTimestamp: return "TIMESTAMP";
    case ColumnKind::kChar: return "CHAR";
    case ColumnKind::kVarChar: return "VARCHAR";
    case ColumnKind::kTinyText: return "TINYTEXT";
    case ColumnKind::kText: return "TEXT";
    case ColumnKind::kMediumText: return "MEDIUMTEXT";
    case ColumnKind::kLongText: return "LONGTEXT";
    case ColumnKind::kBinary: return "BINARY";
    case ColumnKind::kVarBinary: return "VARBINARY";
    case ColumnKind::kTinyBlob: return "TINYBLOB";
    case ColumnKind::kBlob: return "BLOB";
    case ColumnKind::kMediumBlob: return "MEDIUMBLOB";
    case ColumnKind::kLongBlob: return "LONGBLOB";
    case ColumnKind::kEnum: return "ENUM";
    case ColumnKind::kSet: return "SET";
    case ColumnKind::kJson: return "JSON";
    case ColumnKind::kGeometry: return "GEOMETRY";
    case ColumnKind::kPoint: return "POINT";
    case ColumnKind::kLineString: return "LINESTRING";
    case ColumnKind::kPolygon: return "POLYGON";
    case ColumnKind::kMultiPoint: return "MULTIPOINT";
    case ColumnKind::kMultiLineString: return "MULTILINESTRING";
    case ColumnKind::kMultiPolygon: return "MULTIPOLYGON";
    case ColumnKind::kGeometryCollection: return "GEOMETRYCOLLECTION";
    case ColumnKind::kUuid: return "UUID";
    case ColumnKind::kInet4: return "INET4";
    case ColumnKind::kInet6: return "INET6";
    case ColumnKind::kVector: return "VECTOR";
  }
  return "unknown";
}

bool Column::is_string() const {
  return (kind >= ColumnKind::kChar && kind <= ColumnKind::kLongText) || kind == ColumnKind::kEnum ||
         kind == ColumnKind::kSet;
}
bool Column::is_binary() const { return kind >= ColumnKind::kBinary && kind <= ColumnKind::kLongBlob; }
bool Column::is_spatial() const {
  return kind >= ColumnKind::kGeometry && kind <= ColumnKind::kGeometryCollection;
}

std::string Column::effective_charset() const {
  if (!is_string()) return {};
  if (charset_name) return *charset_name;
  if (table_charset) return *table_charset;
  return {};
}

const Column* Table::column(std::string_view name) const {
  int i = column_index(name);
  return i < 0 ? nullptr : &columns[size_t(i)];
}

int Table::column_index(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (iequals(columns[i].name, name)) return int(i);
  return -1;
}

bool Table::is_primary_key(std::string_view name) const {
  return std::any_of(primary_key_columns.begin(), primary_key_columns.end(),
                     [&](const std::string& k) { return iequals(k, name); });
}

void Schemas::begin_changes() {
  undo_.clear();
  recording_ = true;
  undo_version_ = version_;
}

void Schemas::commit_changes() {
  undo_.clear();
  recording_ = false;
}

void Schemas::rollback_changes() {
  recording_ = false;
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) {
    switch (it->kind) {
      case Undo::Kind::kTable:
        if (it->table) tables_[it->table_key] = it->table;
        else tables_.erase(it->table_key);
        break;
      case Undo::Kind::kDatabase:
        if (it->database) databases_[it->db_name] = *it->database;
        else databases_.erase(it->db_name);
        break;
      case Undo::Kind::kServer:
        server_charset_ = it->charset;
        server_collation_ = it->collation;
        break;
    }
  }
  undo_.clear();
  version_ = undo_version_;
}

void Schemas::remember_table(const std::pair<std::string, std::string>& key) {
  if (!recording_) return;
  auto it = tables_.find(key);
  undo_.push_back(Undo{Undo::Kind::kTable, key, it == tables_.end() ? nullptr : it->second, {}, {}, {}, {}});
}

void Schemas::remember_database(const std::string& name) {
  if (!recording_) return;
  auto it = databases_.find(name);
  Undo u{Undo::Kind::kDatabase, {}, nullptr, name, std::nullopt, {}, {}};
  if (it != databases_.end()) u.database = it->second;
  undo_.push_back(std::move(u));
}

void Schemas::set_server_charset(std::string charset, std::string collation) {
  if (recording_) undo_.push_back(Undo{Undo::Kind::kServer, {}, nullptr, {}, std::nullopt, server_charset_, server_collation_});
  server_charset_ = std::move(charset);
  server_collation_ = std::move(collation);
  ++version_;
}

std::string Schemas::normalize(std::string_view name) const {
  return lower_case_table_names_ != 0 ? lower(name) : std::string(name);
}

std::shared_ptr<const Table> Schemas::find(std::string_view db, std::string_view table) const {
  if (lower_case_table_names_ != 0) {
    std::string d = lower(db), t = lower(table);
    auto it = tables_.find(KeyView{d, t});
    return it == tables_.end() ? nullptr : it->second;
  }
  auto it = tables_.find(KeyView{db, table});
  return it == tables_.end() ? nullptr : it->second;
}

void Schemas::put(Table table) { put(std::make_shared<const Table>(std::move(table))); }

void Schemas::put(std::shared_ptr<const Table> table) {
  if (lower_case_table_names_ != 0 &&
      (table->id.catalog != lower(table->id.catalog) || table->id.table != lower(table->id.table))) {
    auto copy = std::make_shared<Table>(*table);
    copy->id.catalog = lower(copy->id.catalog);
    copy->id.table = lower(copy->id.table);
    table = std::move(copy);
  }
  auto k = std::make_pair(table->id.catalog, table->id.table);
  remember_table(k);
  tables_[std::move(k)] = std::move(table);
  ++version_;
}

bool Schemas::remove(const TableId& id) {
  auto k = std::make_pair(normalize(id.catalog), normalize(id.table));
  auto it = tables_.find(k);
  bool erased = it != tables_.end();
  if (erased) {
    remember_table(k);
    tables_.erase(k);
  }
  if (erased) ++version_;
  return erased;
}

std::vector<TableId> Schemas::table_ids() const {
  std::vector<TableId> out;
  out.reserve(tables_.size());
  for (const auto& [k, t] : tables_) out.push_back(t->id);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<TableId> Schemas::table_ids(std::string_view db) const {
  std::vector<TableId> out;
  std::string d = normalize(db);
  for (auto it = tables_.lower_bound(KeyView{d, std::string_view()}); it != tables_.end(); ++it) {
    if (it->second->id.catalog != d) break;
    out.push_back(it->second->id);
  }
  return out;
}

const Database* Schemas::database(std::string_view name) const {
  auto it = databases_.find(normalize(name));
  return it == databases_.end() ? nullptr : &it->second;
}

void Schemas::put_database(Database db) {
  db.name = normalize(db.name);
  std::string k = db.name;
  remember_database(k);
  databases_[k] = std::move(db);
  ++version_;
}

std::vector<TableId> Schemas::remove_database(std::string_view name) {
  std::vector<TableId> removed = table_ids(name);
  for (const auto& id : removed) {
    auto k = std::make_pair(id.catalog, id.table);
    remember_table(k);
    tables_.erase(k);
  }
  remember_database(normalize(name));
  databases_.erase(normalize(name));
  ++version_;
  return removed;
}

std::vector<std::string> Schemas::database_names() const {
  std::vector<std::string> out;
  for (const auto& [k, d] : databases_) out.push_back(k);
  return out;
}

}  // namespace sluice::mysql
