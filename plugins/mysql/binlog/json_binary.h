// MySQL's binary JSON (column type 245) rendered as JSON text the way Debezium renders binlog
// JSON: compact (no spaces), keys in stored order, strings escaped as JSON requires, integers
// in decimal, doubles as Java's Double.toString or, where that would use E-notation, the
// exact plain decimal expansion, DECIMAL as its plain exact digits, DATE/TIME/DATETIME/
// TIMESTAMP as quoted text with trimmed microseconds, other opaque values base64 in quotes.
#pragma once

#include <string>
#include <string_view>

#include "plugins/mysql/binlog/bytes.h"

namespace sluice::mysql {

// Appends the text of `doc` to `out`. An empty document renders as `null`. Fails on malformed
// input (bad type, offsets out of range, nesting deeper than 100, output blow-up).
Status json_binary_to_text(std::string_view doc, std::string& out);

}  // namespace sluice::mysql
