// A small JSON reader and writer for schema history records (internal to the schema library;
// plugins do not link a JSON library). Writes strings escaped as Jackson does, which Debezium's
// DocumentWriter uses, so records are byte-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::mysql::json {

struct Value {
  enum class Type : uint8_t { kNull, kBool, kInt, kDouble, kString, kArray, kObject };
  Type type = Type::kNull;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string s;  // strings; for numbers: the text as written
  std::vector<Value> arr;
  std::vector<std::pair<std::string, Value>> obj;

  bool is_null() const { return type == Type::kNull; }
  const Value* get(std::string_view key) const;  // objects; nullptr if absent
};

// Parses one JSON document (RFC 8259; nesting limited to 64). On error returns false with a
// message naming the byte offset.
bool parse(std::string_view text, Value& out, std::string& error);

// "text" with Jackson's escaping: \" \\ \b \t \n \f \r, other control characters as \u00XX.
void append_string(std::string_view s, std::string& out);

}  // namespace sluice::mysql::json
