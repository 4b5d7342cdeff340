#pragma once
// COPY ... TO STDOUT in text format: one row per line, fields separated by tabs, \N for NULL,
// and backslash escapes (\b \f \n \r \t \v, \\, octal \ooo, hex \xhh, any other character
// itself). The fields are then the same text a SELECT returns, so the snapshot converts them
// with the same code.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::postgres {

// Splits one row (its trailing newline optional) into `cells`, which it resizes to the fields
// found. A field without escapes is a view into `row`; one with escapes is decoded into
// `scratch` (reserved to the row's size, so earlier views stay valid: decoding never
// lengthens a field).
void split_copy_row(std::string_view row, std::vector<std::optional<std::string_view>>& cells,
                    std::string& scratch);

}  // namespace sluice::postgres
