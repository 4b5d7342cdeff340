// The checker behind live_mariadb_test.py: real MariaDB output through the schema library.
//   1. SHOW CREATE TABLE texts parse;
//   2. the DDL in the binlog's QUERY events is followed from an empty catalog;
//   3. every TABLE_MAP (binlog_row_metadata=FULL) agrees with both catalogs (check_table_map);
//   4. every row of the `types` table decoded from the binlog (from_cell) equals the same row
//      read through the text protocol (from_text), column by column;
//   5. with a second argument (Debezium's values, one JsonConverter payload line per row, from
//      DebeziumLiveValues.java), each binlog row renders to the same JSON bytes (the MariaDB-only
//      UUID/INET columns, unknown to Debezium's grammar, left out).
// Exit status 0 when all hold; every failure is printed.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "plugins/converters/json_converter.h"
#include "plugins/mysql/binlog/events.h"
#include "plugins/mysql/binlog/framing.h"
#include "plugins/mysql/binlog/rows.h"
#include "plugins/mysql/schema/ddl_parser.h"
#include "plugins/mysql/schema/history_record.h"
#include "plugins/mysql/schema/table_check.h"
#include "plugins/mysql/schema/value_mapping.h"

using namespace sluice::mysql;

namespace {

int failures = 0;

void fail(const std::string& what) {
  ++failures;
  std::cerr << "FAIL: " << what << "\n";
}

std::string unhex(const std::string& h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) out += char(std::stoi(h.substr(i, 2), nullptr, 16));
  return out;
}

std::string show(const sluice::api::Value& v) {
  using K = sluice::api::Value::Kind;
  switch (v.kind()) {
    case K::Null: return "null";
    case K::Boolean: return v.as_bool() ? "true" : "false";
    case K::Int16: return std::to_string(v.as_int16());
    case K::Int32: return std::to_string(v.as_int32());
    case K::Int64: return std::to_string(v.as_int64());
    case K::Float32: return sluice::api::java_float_string(v.as_float32());
    case K::Float64: return sluice::api::java_double_string(v.as_float64());
    case K::String: return "\"" + v.as_string() + "\"";
    case K::Bytes: {
      std::string h;
      char buf[3];
      for (unsigned char c : v.as_bytes()) {
        std::snprintf(buf, sizeof buf, "%02x", c);
        h += buf;
      }
      return "0x" + h;
    }
    case K::Struct: {
      std::string s = "{";
      for (const auto& f : v.as_struct().schema()->fields()) s += f.name + ":" + show(v.as_struct().get(f.index)) + ",";
      return s + "}";
    }
    default: return "?";
  }
}

struct Fixture {
  std::vector<std::pair<TableId, std::string>> creates;
  std::vector<std::vector<std::optional<std::string>>> rows;  // of s1.types
  std::vector<std::string> binlogs;
};

Fixture read_fixture(const char* path) {
  Fixture f;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string kind;
    ss >> kind;
    if (kind == "SHOW") {
      std::string db, t, text;
      ss >> db >> t >> text;
      f.creates.push_back({TableId{db, unhex(t)}, unhex(text)});
    } else if (kind == "ROW") {
      std::string db, t, v;
      ss >> db >> t;
      std::vector<std::optional<std::string>> row;
      while (ss >> v) row.push_back(v == "-" ? std::nullopt : std::optional<std::string>(unhex(v.substr(1))));
      f.rows.push_back(std::move(row));
    } else if (kind == "BINLOG") {
      std::string p;
      ss >> p;
      f.binlogs.push_back(p);
    }
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::cerr << "usage: " << argv[0] << " FIXTURE [DEBEZIUM_VALUES]\n";
    return 2;
  }
  Fixture fx = read_fixture(argv[1]);
  std::vector<std::string> debezium;
  if (argc == 3) {
    std::ifstream dv(argv[2]);
    for (std::string l; std::getline(dv, l);) debezium.push_back(l);
  }
  size_t debezium_rows = 0;
  Schemas shown;
  if (!apply_ddl("CREATE DATABASE s1", "", shown).ok()) return 3;
  for (const auto& [id, text] : fx.creates) {
    auto r = apply_ddl(text, id.catalog, shown);
    if (!r.ok()) fail("SHOW CREATE TABLE " + id.dotted() + ": " + r.error());
  }
  auto types = shown.find("s1", "types");
  if (!types) {
    fail("no s1.types from SHOW CREATE TABLE");
    return 1;
  }
  std::vector<ColumnMapping> mappings;
  for (const auto& c : types->columns) {
    auto m = map_column(c, MappingOptions{});
    if (!m.ok()) fail(m.error());
    mappings.push_back(m.ok() ? *m : ColumnMapping{});
  }
  TableSchema binlog_schema = to_binlog_schema(*types);
  // The row as Debezium's value struct (without the columns its MySQL grammar cannot read).
  auto mariadb_only = [](const Column& c) {
    return c.kind == ColumnKind::kUuid || c.kind == ColumnKind::kInet4 || c.kind == ColumnKind::kInet6;
  };
  auto struct_builder = sluice::api::SchemaBuilder::structure();
  for (const auto& m : mappings)
    if (m.schema && !mariadb_only(m.column)) struct_builder.field(m.column.name, m.schema);
  auto row_schema = struct_builder.build();
  sluice::converters::JsonConverterConfig jcfg;
  jcfg.schemas_enable = false;
  sluice::converters::JsonConverter json(jcfg);

  Schemas streamed;  // from the binlog's own DDL
  size_t table_maps = 0, rows_seen = 0, cells = 0, ddl = 0, named_maps = 0;
  for (const auto& path : fx.binlogs) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    if (!check_binlog_magic(data, bytes.size()).ok()) {
      fail("not a binlog: " + path);
      continue;
    }
    EventSplitter split(data, bytes.size(), 4);
    EventParser parser;
    RowIterator rows;
    const uint8_t* ev_data;
    size_t ev_size;
    while (split.next(ev_data, ev_size)) {
      Event ev;
      if (auto st = parser.parse(ev_data, ev_size, ev); !st.ok()) {
        fail("event: " + st.message());
        break;
      }
      if (auto* q = std::get_if<QueryEvent>(&ev.data)) {
        auto r = apply_ddl(q->query, q->database, streamed);
        if (!r.ok()) fail("binlog DDL: " + r.error());
        else if (!r->ignored) ++ddl;
      } else if (auto* tm = std::get_if<TableMapEvent>(&ev.data)) {
        (void)tm;
      } else if (auto* re = std::get_if<RowsEvent>(&ev.data)) {
        if (!re->table) continue;
        const TableMap& map = *re->table;
        if (map.database != "s1") continue;
        ++table_maps;
        if (!map.columns.empty() && !map.columns[0].name.empty()) ++named_maps;
        auto st_table = streamed.find("s1", map.table);
        auto sh_table = shown.find("s1", map.table);
        if (!st_table) fail("binlog DDL did not produce s1." + std::string(map.table));
        else if (auto st = check_table_map(map, *st_table); !st.ok()) fail("streamed: " + st.message());
        // The SHOW CREATE TABLE schema is the final one: it fits the rows written after the last ALTER.
        if (sh_table && map.table == "types") {
          if (auto st = check_table_map(map, *sh_table); !st.ok()) fail("shown: " + st.message());
        }
        if (map.table != "types") continue;
        if (auto st = rows.reset(*re, &binlog_schema); !st.ok()) {
          fail("rows: " + st.message());
          continue;
        }
        while (rows.next()) {
          size_t r = rows_seen++;
          if (r >= fx.rows.size()) {
            fail("more binlog rows than selected rows");
            break;
          }
          const auto& text_row = fx.rows[r];
          if (!debezium.empty()) {
            sluice::api::Struct st(row_schema);
            bool ok = true;
            for (size_t i = 0; i < mappings.size(); ++i) {
              if (!mappings[i].schema || mariadb_only(mappings[i].column)) continue;
              auto v = from_cell(rows.after()[i], mappings[i]);
              if (!v.ok()) {
                ok = false;
                break;
              }
              st.put(mappings[i].column.name, *v);
            }
            std::string out;
            bool is_null = false;
            json.from_connect("t", row_schema, sluice::api::Value::structure(std::move(st)), out, is_null);
            if (!ok || r >= debezium.size() || out != debezium[r]) {
              fail("row " + std::to_string(r + 1) + " differs from Debezium's:\n  sluice:   " + out +
                   "\n  debezium: " + (r < debezium.size() ? debezium[r] : std::string("(none)")));
            } else {
              ++debezium_rows;
            }
          }
          for (size_t i = 0; i < mappings.size() && i < text_row.size(); ++i) {
            if (!mappings[i].schema) continue;
            const ColumnMapping& m = mappings[i];
            auto a = from_cell(rows.after()[i], m);
            auto b = text_row[i] ? from_text(*text_row[i], m) : Result<sluice::api::Value>(null_value(m));
            std::string where = "row " + std::to_string(r + 1) + " column " + m.column.name;
            if (!a.ok()) fail(where + " from_cell: " + a.error());
            if (!b.ok()) fail(where + " from_text: " + b.error());
            if (a.ok() && b.ok() && !(*a == *b)) fail(where + ": binlog " + show(*a) + " != text " + show(*b));
            ++cells;
          }
        }
        if (!rows.status().ok()) fail("rows: " + rows.status().message());
      }
    }
    if (!split.status().ok()) fail("framing: " + split.status().message());
  }
  if (rows_seen != fx.rows.size()) fail("binlog rows " + std::to_string(rows_seen) + " != selected rows " + std::to_string(fx.rows.size()));
  // The streamed catalog has the same tables as the server, with the same shape.
  for (const auto& [id, text] : fx.creates) {
    auto a = streamed.find(id), b = shown.find(id);
    if (!a || !b) {
      fail("missing " + id.dotted() + " in the streamed catalog");
      continue;
    }
    if (a->columns.size() != b->columns.size()) fail(id.dotted() + ": column count differs between binlog DDL and SHOW CREATE TABLE");
    for (size_t i = 0; i < a->columns.size() && i < b->columns.size(); ++i) {
      const Column &x = a->columns[i], &y = b->columns[i];
      // The server rewrites BOOLEAN as tinyint(1) and (MariaDB) JSON as longtext: Debezium's
      // mapping then differs between streamed and snapshot schemas too (spec 4.1).
      auto same_kind = [](ColumnKind p, ColumnKind q) {
        auto norm = [](ColumnKind k) {
          return k == ColumnKind::kBoolean ? ColumnKind::kTinyInt : k == ColumnKind::kJson ? ColumnKind::kLongText : k;
        };
        return norm(p) == norm(q);
      };
      if (x.name != y.name || !same_kind(x.kind, y.kind) || x.is_unsigned != y.is_unsigned || x.optional != y.optional ||
          x.labels != y.labels ||
          (x.kind != ColumnKind::kJson && x.effective_charset() != y.effective_charset())) {
        fail(id.dotted() + " column " + x.name + ": binlog DDL " + column_json(x) + " vs SHOW CREATE TABLE " + column_json(y));
      }
    }
    if (a->primary_key_columns != b->primary_key_columns) fail(id.dotted() + ": primary keys differ");
  }
  std::cout << "tables " << fx.creates.size() << ", DDL statements " << ddl << ", rows events " << table_maps
            << " (" << named_maps << " with column names)"
            << ", rows " << rows_seen << ", cells compared " << cells << ", rows equal to Debezium's "
            << (debezium.empty() ? std::string("(not run)") : std::to_string(debezium_rows)) << ", failures " << failures
            << "\n";
  return failures == 0 && cells > 0 ? 0 : 1;
}
