#pragma once
// Catalog reads on a plain connection: the database's own types, the captured tables, and a
// table's columns with nullability, defaults and primary key.

#include <cstdint>
#include <string>
#include <vector>

#include "plugins/postgres/connector/pg_client.h"
#include "plugins/postgres/connector/table.h"

namespace sluice::postgres {

struct TableRef {
  uint32_t oid = 0;
  std::string schema, name;
  char replica_identity = 'd';
};

void load_types(PgConnection& conn, TypeCatalog& catalog);
std::vector<TableRef> list_tables(PgConnection& conn, const Filters& filters);
// Columns in attnum order. With no primary key, the first unique index's columns are the key.
std::vector<CatalogColumn> table_columns(PgConnection& conn, uint32_t oid);

}  // namespace sluice::postgres
