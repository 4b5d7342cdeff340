// Row images of WRITE/UPDATE/DELETE_ROWS events decoded to typed cells.
//
//   RowIterator rows;                       // reuse across events: no allocation once warm
//   if (auto st = rows.reset(ev, schema); !st.ok()) ...
//   while (rows.next()) {
//     const CellView& c = rows.after()[i];  // kAbsent where the image leaves a column out
//   }
//   if (!rows.status().ok()) ...            // corrupt row data
//
// Signedness, charsets, names and ENUM/SET labels come from the TABLE_MAP's optional metadata
// when present, otherwise from the caller's TableSchema; when neither says, integers are
// kInteger (both readings available) and strings have collation 0: nothing is guessed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/mysql/binlog/bytes.h"
#include "plugins/mysql/binlog/events.h"
#include "plugins/mysql/binlog/table_map.h"
#include "plugins/mysql/binlog/values.h"

namespace sluice::mysql {

// What is known about a column after merging the TABLE_MAP metadata and the caller's schema.
struct ResolvedColumn {
  const ColumnDef* def = nullptr;
  std::string_view name;  // empty if unknown
  std::optional<bool> is_unsigned;
  uint16_t collation = 0;  // 0 if unknown
  const std::vector<std::string>* labels = nullptr;  // ENUM/SET labels if known
  LogicalType logical = LogicalType::kDefault;
  uint8_t legacy_fsp = 0;  // MariaDB hires TIME/DATETIME/TIMESTAMP precision (from the schema)
};

class RowIterator {
 public:
  // Prepares to iterate `ev` (whose table must be mapped). `schema`, when given, must describe
  // the table's columns in order and stay alive while iterating. Fails for PARTIAL_UPDATE_ROWS
  // (binlog_row_value_options=PARTIAL_JSON) events, which carry JSON diffs, not values.
  Status reset(const RowsEvent& ev, const TableSchema* schema = nullptr);

  // Decodes the next row change; false at the end of the event or on corrupt data.
  bool next();
  const Status& status() const { return status_; }

  RowsKind kind() const { return kind_; }
  bool has_before() const { return kind_ != RowsKind::kInsert; }
  bool has_after() const { return kind_ != RowsKind::kDelete; }
  const std::vector<CellView>& before() const { return before_; }
  const std::vector<CellView>& after() const { return after_; }
  size_t column_count() const { return columns_.size(); }
  const ResolvedColumn& column(size_t i) const { return columns_[i]; }
  size_t row_index() const { return row_index_; }
  // Byte offset of the current position within the event's row data.
  size_t offset() const { return size_t(pos_ - begin_); }

 private:
  bool decode_image(std::string_view bitmap, std::vector<CellView>& cells);
  bool decode_cell(size_t col, CellView& cell);
  bool fail(size_t col, const std::string& what);

  RowsKind kind_ = RowsKind::kInsert;
  std::string_view bitmap_before_, bitmap_after_;
  std::vector<ResolvedColumn> columns_;
  std::vector<CellView> before_, after_;
  const uint8_t* begin_ = nullptr;
  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  size_t row_index_ = 0;
  bool started_ = false;
  Status status_;
};

}  // namespace sluice::mysql
