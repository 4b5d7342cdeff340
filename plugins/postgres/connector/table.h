#pragma once
// One captured table: its columns' Debezium mappings, its key, and the Connect schemas of its
// records (key `<topic>.Key`, row `<topic>.Value`, envelope `<topic>.Envelope` v2). Built from
// the catalog (snapshot) or from a pgoutput Relation message plus the catalog (streaming), and
// rebuilt whenever the server sends a new Relation for the table.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/api/data.h"
#include "plugins/postgres/decode/pgoutput.h"
#include "plugins/postgres/decode/types.h"

namespace sluice::postgres {

class Filters;

struct CatalogColumn {
  ColumnInfo info;
  bool primary_key = false;
};

struct TableColumn {
  std::string name;
  ColumnMapping mapping;
  size_t source_index = 0;  // position in the relation / SELECT list
  bool in_value = true;     // column.include/exclude.list keep it in the row struct
  int mask = -1;            // column.mask.with.N.chars
};

class Table {
 public:
  // `columns` in table order; `source_index` of each is its position there. Columns whose
  // type Debezium does not map are left out (logged by the caller through `skipped`).
  static Table build(uint32_t oid, std::string schema, std::string name,
                     const std::vector<CatalogColumn>& columns, const std::string& topic_prefix,
                     const Filters& filters, const TypeCatalog& catalog,
                     const MappingOptions& options, std::vector<std::string>& skipped);

  uint32_t oid = 0;
  std::string schema, name, topic;
  char replica_identity = 'd';
  std::vector<TableColumn> columns;
  std::vector<size_t> key;  // indices into columns
  api::SchemaPtr key_schema, row_schema, envelope_schema;

  // A row from text cells (nullopt = SQL NULL) indexed by source position.
  api::Value row_from_text(const std::vector<std::optional<std::string_view>>& cells) const;
  // A row from a pgoutput tuple; `previous` supplies unchanged-TOAST values when known.
  api::Value row_from_tuple(const TupleData& tuple, const std::string& placeholder,
                            const api::Value* previous = nullptr) const;
  // The key struct of a row struct, or null when the table has no key.
  api::Value key_of(const api::Value& row) const;

 private:
  api::Value convert(const TableColumn& c, std::string_view text) const;
};

}  // namespace sluice::postgres
