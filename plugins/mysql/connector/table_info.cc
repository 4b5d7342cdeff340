#include "plugins/mysql/connector/table_info.h"

#include <algorithm>
#include <cstdlib>

#include "plugins/mysql/connector/db_client.h"

namespace sluice::mysql::cdc {

namespace {

std::string literal(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

int to_int(const std::optional<std::string>& v) { return v ? std::atoi(v->c_str()) : 0; }

bool is_binary_type(const std::string& t) {
  return t == "binary" || t == "varbinary" || t == "tinyblob" || t == "blob" || t == "mediumblob" ||
         t == "longblob";
}

bool is_text_type(const std::string& t) {
  return t == "char" || t == "varchar" || t == "tinytext" || t == "text" || t == "mediumtext" ||
         t == "longtext" || t == "enum" || t == "set";
}

void fill_binlog_schema(TableInfo& t) {
  for (auto& c : t.columns) {
    sluice::mysql::ColumnSchema s;
    s.name = c.name;
    s.is_unsigned = c.is_unsigned;
    s.collation = c.collation;
    if (c.data_type == "enum") s.enum_values = c.enum_values;
    if (c.data_type == "set") s.set_values = c.enum_values;
    if (c.json) s.logical = sluice::mysql::LogicalType::kJsonText;
    if (c.data_type == "uuid") s.logical = sluice::mysql::LogicalType::kUuid;
    if (c.data_type == "inet4") s.logical = sluice::mysql::LogicalType::kInet4;
    if (c.data_type == "inet6") s.logical = sluice::mysql::LogicalType::kInet6;
    if (c.data_type == "time" || c.data_type == "datetime" || c.data_type == "timestamp")
      s.fsp = static_cast<uint8_t>(c.fsp);
    t.binlog_schema.columns.push_back(std::move(s));
  }
}

}  // namespace

std::vector<std::string> parse_enum_labels(const std::string& column_type) {
  std::vector<std::string> out;
  size_t i = column_type.find('(');
  if (i == std::string::npos) return out;
  for (++i; i < column_type.size();) {
    if (column_type[i] != '\'') { ++i; continue; }
    std::string label;
    for (++i; i < column_type.size(); ++i) {
      if (column_type[i] == '\'') {
        if (i + 1 < column_type.size() && column_type[i + 1] == '\'') { label += '\''; ++i; continue; }
        break;
      }
      label += column_type[i];
    }
    ++i;
    out.push_back(std::move(label));
  }
  return out;
}

std::vector<std::string> list_tables(DbClient& db, const std::string& database) {
  std::vector<std::string> out;
  for (auto& r : db.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA=" +
                          literal(database) + " AND TABLE_TYPE='BASE TABLE' ORDER BY TABLE_NAME"))
    if (r[0]) out.push_back(*r[0]);
  return out;
}

TableInfoPtr load_table(DbClient& db, const std::string& database, const std::string& table) {
  auto rows = db.query(
      "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, CHARACTER_MAXIMUM_LENGTH, "
      "NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, COLUMN_DEFAULT "
      "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=" + literal(database) +
      " AND TABLE_NAME=" + literal(table) + " ORDER BY ORDINAL_POSITION");
  if (rows.empty()) return nullptr;
  auto t = std::make_shared<TableInfo>();
  t->db = database;
  t->table = table;
  for (auto& r : rows) {
    ColumnInfo c;
    c.name = r[0].value_or("");
    c.data_type = r[1].value_or("");
    std::transform(c.data_type.begin(), c.data_type.end(), c.data_type.begin(), ::tolower);
    c.column_type = r[2].value_or("");
    c.nullable = r[3].value_or("YES") == "YES";
    c.is_unsigned = c.column_type.find("unsigned") != std::string::npos;
    c.length = r[4] ? std::atoll(r[4]->c_str()) : 0;
    c.precision = to_int(r[5]);
    c.scale = to_int(r[6]);
    c.fsp = to_int(r[7]);
    c.default_expr = r[8];
    if (c.data_type == "enum" || c.data_type == "set") c.enum_values = parse_enum_labels(c.column_type);
    if (c.data_type == "bit") c.length = c.precision;
    if (c.data_type == "binary" || c.data_type == "varbinary") {
      auto p = c.column_type.find('(');
      if (p != std::string::npos) c.length = std::atoll(c.column_type.c_str() + p + 1);
    }
    c.collation = is_binary_type(c.data_type) ? 63 : is_text_type(c.data_type) ? 45 : 0;
    t->columns.push_back(std::move(c));
  }
  for (auto& r : db.query("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA=" +
                          literal(database) + " AND TABLE_NAME=" + literal(table) +
                          " AND CONSTRAINT_NAME='PRIMARY' ORDER BY ORDINAL_POSITION")) {
    for (size_t i = 0; i < t->columns.size(); ++i)
      if (r[0] && t->columns[i].name == *r[0]) t->key.push_back(i);
  }
  // MariaDB's JSON is LONGTEXT with a json_valid() check: that check says the column is JSON.
  try {
    for (auto& r : db.query("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE "
                            "CONSTRAINT_SCHEMA=" + literal(database) + " AND TABLE_NAME=" + literal(table))) {
      if (!r[0]) continue;
      for (auto& c : t->columns)
        if (c.data_type == "longtext" && *r[0] == "json_valid(`" + c.name + "`)") c.json = true;
    }
  } catch (const DbError&) {
    // MySQL before 8.0.16 has no CHECK_CONSTRAINTS: no MariaDB JSON there either.
  }
  for (auto& c : t->columns)
    if (c.data_type == "json") c.json = true;
  fill_binlog_schema(*t);
  return t;
}

}  // namespace sluice::mysql::cdc
