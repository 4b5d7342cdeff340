#include "plugins/postgres/connector/catalog.h"

#include "plugins/postgres/connector/filters.h"

namespace sluice::postgres {

void load_types(PgConnection& conn, TypeCatalog& catalog) {
  auto r = conn.exec(std::string(type_catalog_query()));
  for (int i = 0; i < r.rows(); ++i) {
    std::vector<std::optional<std::string_view>> cells;
    for (int c = 0; c < r.columns(); ++c) {
      if (r.is_null(i, c)) cells.emplace_back(std::nullopt);
      else cells.emplace_back(r.get(i, c));
    }
    auto t = type_from_catalog_row(cells);
    if (t) catalog.add(std::move(t.value()));
  }
}

std::vector<TableRef> list_tables(PgConnection& conn, const Filters& filters) {
  auto r = conn.exec(
      "SELECT c.oid, n.nspname, c.relname, c.relreplident FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
      "ORDER BY n.nspname, c.relname");
  std::vector<TableRef> out;
  for (int i = 0; i < r.rows(); ++i) {
    TableRef t;
    t.oid = static_cast<uint32_t>(std::stoul(std::string(r.get(i, 0))));
    t.schema = r.get(i, 1);
    t.name = r.get(i, 2);
    t.replica_identity = r.get(i, 3).empty() ? 'd' : r.get(i, 3)[0];
    if (filters.table(t.schema, t.name)) out.push_back(std::move(t));
  }
  return out;
}

std::vector<CatalogColumn> table_columns(PgConnection& conn, uint32_t oid) {
  std::string o = std::to_string(oid);
  auto r = conn.exec(
      "SELECT a.attname, a.atttypid, a.atttypmod, NOT a.attnotnull, pg_get_expr(d.adbin, d.adrelid), "
      "  coalesce(a.attnum = ANY((SELECT i.indkey FROM pg_index i WHERE i.indrelid = a.attrelid "
      "    AND i.indisprimary LIMIT 1)::int2[]), false), "
      "  coalesce(a.attnum = ANY((SELECT i.indkey FROM pg_index i WHERE i.indrelid = a.attrelid "
      "    AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL ORDER BY i.indexrelid "
      "    LIMIT 1)::int2[]), false) "
      "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
      "WHERE a.attrelid = " + o + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum");
  std::vector<CatalogColumn> cols;
  bool has_pk = false;
  for (int i = 0; i < r.rows(); ++i) {
    CatalogColumn c;
    c.info.name = r.get(i, 0);
    c.info.type_oid = static_cast<uint32_t>(std::stoul(std::string(r.get(i, 1))));
    c.info.type_modifier = std::stoi(std::string(r.get(i, 2)));
    c.info.optional = r.get(i, 3) == "t";
    c.info.default_text = r.opt(i, 4);
    c.primary_key = r.get(i, 5) == "t";
    has_pk = has_pk || c.primary_key;
    cols.push_back(std::move(c));
  }
  if (!has_pk)  // Debezium falls back to the first unique index
    for (int i = 0; i < r.rows(); ++i) cols[static_cast<size_t>(i)].primary_key = r.get(i, 6) == "t";
  return cols;
}

}  // namespace sluice::postgres
