// libFuzzer target for the PostgreSQL decoder: pgoutput messages, replication frames and the
// text-to-Connect value converters. Any input must decode or fail with a message: no crash,
// no sanitizer report.
//
// Input forms (corpus/pgoutput has each):
//   'F' + frame     a replication CopyData payload; an XLogData's payload is parsed as pgoutput;
//   'P' + message   one pgoutput message; every text column of a tuple is converted with
//                   mapping (column index % number of mappings);
//   'V' i + text    the text converted with mapping i % number of mappings.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "plugins/postgres/decode/pgoutput.h"
#include "plugins/postgres/decode/types.h"

using namespace sluice::postgres;

namespace {

const std::vector<ColumnMapping>& mappings() {
  static const std::vector<ColumnMapping> all = [] {
    TypeCatalog catalog;
    catalog.add(PgType{16400, "public", "mood", 'e', 'E', 0, 0, -1, {"a", "b"}});
    catalog.add(PgType{16410, "public", "hstore", 'b', 'U', 0, 0, -1, {}});
    catalog.add(PgType{16440, "public", "geometry", 'b', 'U', 0, 0, -1, {}});
    const uint32_t oids[] = {oid::kBool, oid::kInt2, oid::kInt4, oid::kInt8, oid::kFloat4, oid::kFloat8,
                             oid::kNumeric, oid::kMoney, oid::kText, oid::kBytea, oid::kDate, oid::kTime,
                             oid::kTimetz, oid::kTimestamp, oid::kTimestamptz, oid::kInterval, oid::kUuid,
                             oid::kJsonb, oid::kBit, oid::kVarbit, oid::kPoint, 1007, 1009, 1231, 1185,
                             1001, 16400, 16410, 16440};
    std::vector<ColumnMapping> out;
    for (int variant = 0; variant < 2; ++variant) {
      MappingOptions opt;
      if (variant == 1) {
        opt.decimal = DecimalMode::String;
        opt.time_precision = TimePrecisionMode::Connect;
        opt.binary = BinaryMode::Base64;
        opt.interval = IntervalMode::String;
        opt.hstore = HstoreMode::Map;
      }
      for (uint32_t o : oids) {
        int32_t typmod = o == oid::kBit ? 12 : (o == oid::kNumeric && variant == 1) ? ((10 << 16) | 3) + 4 : -1;
        auto m = map_column(ColumnInfo{"c", o, typmod, variant == 0, std::nullopt, false}, catalog, opt);
        if (m.ok()) out.push_back(*m);
      }
    }
    return out;
  }();
  return all;
}

void convert(size_t index, std::string_view text) {
  const ColumnMapping& m = mappings()[index % mappings().size()];
  auto v = m.from_text(text);
  (void)v;
  (void)m.fallback();
  (void)m.unavailable(text.substr(0, 8));
}

void convert_tuple(const TupleData& t) {
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i].kind == TupleDatum::Kind::Text) convert(i, t.columns[i].bytes);
}

void message(std::string_view data) {
  auto r = parse_pgoutput(data);
  if (!r.ok()) return;
  (void)message_tag(*r);
  if (auto* i = std::get_if<InsertMsg>(&*r)) convert_tuple(i->new_tuple);
  if (auto* u = std::get_if<UpdateMsg>(&*r)) {
    convert_tuple(u->old_tuple);
    convert_tuple(u->new_tuple);
  }
  if (auto* d = std::get_if<DeleteMsg>(&*r)) convert_tuple(d->old_tuple);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view rest = in.substr(1);
  switch (in[0]) {
    case 'F': {
      auto f = parse_copy_data(rest);
      if (f.ok())
        if (auto* x = std::get_if<XLogData>(&*f)) message(x->payload);
      break;
    }
    case 'P': message(rest); break;
    case 'V':
      if (!rest.empty()) convert(uint8_t(rest[0]), rest.substr(1));
      break;
    default: message(in); break;
  }
  return 0;
}
