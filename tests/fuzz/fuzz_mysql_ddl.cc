// libFuzzer target for the MySQL schema library: DDL text applied to a small catalog, and
// schema history records read back. Any input must apply or fail with a message: no crash, no
// sanitizer report; a failure leaves the catalog unchanged; whatever the catalog becomes can be
// written as a history record, read back and mapped to Connect schemas.
//
// Input forms (corpus/mysql_ddl has both):
//   'H' + JSON   a schema history record (Debezium's or ours), applied to the catalog;
//   anything else: SQL text, applied with the default database "shop".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "plugins/mysql/schema/ddl_parser.h"
#include "plugins/mysql/schema/history_record.h"
#include "plugins/mysql/schema/value_mapping.h"

using namespace sluice::mysql;

namespace {

const Schemas& base() {
  static const Schemas s = [] {
    Schemas x;
    auto r = apply_ddl(
        "CREATE DATABASE shop; CREATE TABLE shop.t (id INT NOT NULL AUTO_INCREMENT, v VARCHAR(10) DEFAULT 'x', "
        "e ENUM('a','b'), d DECIMAL(8,3), ts TIMESTAMP(3) NULL, PRIMARY KEY (id)); "
        "CREATE TABLE shop.u (a BIT(3), b BLOB, j JSON, p POINT)",
        "", x);
    if (!r.ok()) std::abort();
    return x;
  }();
  return s;
}

// Everything the catalog holds, as text: a failed input must leave it unchanged.
std::string digest(const Schemas& s) {
  std::string out = s.server_charset();
  for (const auto& name : s.database_names()) out += "|db:" + name;
  for (const auto& id : s.table_ids()) out += "|" + id.to_string() + table_json(*s.find(id));
  return out;
}

void exercise(const Schemas& s) {
  for (const auto& id : s.table_ids()) {
    auto t = s.find(id);
    if (!t) std::abort();
    HistoryRecord h;
    h.table_changes.push_back(TableChange{TableChange::Type::Create, id, std::nullopt, t});
    std::string json = write_history_record(h);
    Schemas back;
    auto r = apply_history_record(json, back);
    if (!r.ok() || !back.find(id)) std::abort();  // what we write, we read
    for (const auto& c : t->columns) {
      auto m = map_column(c, MappingOptions{});
      if (!m.ok()) continue;
      for (std::string_view text : {"1", "-1.5", "2024-01-02 03:04:05.6", "12:00:00", "a,b", ""}) {
        (void)from_text(text, *m);
      }
      (void)null_value(*m);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  Schemas s = base();
  uint64_t version = s.version();
  static const std::string before = digest(base());
  if (!in.empty() && in[0] == 'H') {
    auto r = apply_history_record(in.substr(1), s);
    if (!r.ok() && (s.version() != version || digest(s) != before)) std::abort();
  } else {
    auto r = apply_ddl(in, "shop", s);
    if (!r.ok() && (s.version() != version || digest(s) != before)) std::abort();
    (void)split_statements(in);
  }
  exercise(s);
  return 0;
}
