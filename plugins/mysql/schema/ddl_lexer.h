// Tokens of MySQL/MariaDB SQL text, for the DDL parser (internal to the schema library).
// Comments are dropped, except versioned ones (/*!50100 ... */, /*M!100100 ... */) whose
// content is code on every server this connector supports.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::mysql::ddl {

enum class Tok : uint8_t {
  kWord,     // bare word: keyword or identifier (text as written)
  kQuoted,   // `identifier` (text unescaped)
  kString,   // 'string' or "string" (text unescaped; raw = as written incl. quotes)
  kNumber,   // 123, 1.5, 1e3, .5
  kHex,      // X'0A' / 0x0A (text = hex digits)
  kBits,     // B'101' / 0b101 (text = binary digits)
  kSymbol,   // punctuation and operators: ( ) , ; . = + - * / < > ! etc. (text)
  kVariable, // @x, @@x
  kEnd,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;     // unescaped for strings and quoted identifiers
  std::string_view raw; // the source text of the token (for strings: with quotes)
  size_t pos = 0;       // byte offset in the statement
  bool space_before = false;
};

// Tokenizes `sql`. Returns false and sets `error` (with the byte offset) on an unterminated
// string, identifier or comment.
bool tokenize(std::string_view sql, std::vector<Token>& out, std::string& error);

bool iequals(std::string_view a, std::string_view b);
std::string upper(std::string_view s);
std::string lower(std::string_view s);

}  // namespace sluice::mysql::ddl
