// A cursor over the tokens of one statement, with the small helpers the DDL parser uses
// (internal to the schema library).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/mysql/schema/ddl_lexer.h"
#include "plugins/mysql/schema/schema_model.h"

namespace sluice::mysql::ddl {

class Cursor {
 public:
  Cursor(const std::vector<Token>& toks, std::string_view sql) : t_(toks), sql_(sql) {}

  const Token& peek(size_t ahead = 0) const {
    size_t i = i_ + ahead;
    return i < t_.size() ? t_[i] : t_.back();
  }
  const Token& next() {
    const Token& t = peek();
    if (i_ + 1 < t_.size()) ++i_;
    return t;
  }
  size_t index() const { return i_; }
  void seek(size_t i) { i_ = i; }
  // The end of the statement: no tokens left, or a ';'.
  bool at_end() const { return peek().kind == Tok::kEnd || is_sym(";"); }

  bool is(std::string_view kw, size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == Tok::kWord && iequals(t.text, kw);
  }
  bool is_sym(std::string_view s, size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == Tok::kSymbol && t.text == s;
  }
  bool is_any(std::initializer_list<std::string_view> kws) const {
    for (auto k : kws)
      if (is(k)) return true;
    return false;
  }
  bool accept(std::string_view kw) {
    if (!is(kw)) return false;
    next();
    return true;
  }
  bool accept_sym(std::string_view s) {
    if (!is_sym(s)) return false;
    next();
    return true;
  }
  // All of the words in order, or nothing consumed.
  bool accept_seq(std::initializer_list<std::string_view> kws) {
    size_t k = 0;
    for (auto w : kws)
      if (!is(w, k++)) return false;
    for (size_t j = 0; j < kws.size(); ++j) next();
    return true;
  }
  bool expect(std::string_view kw) {
    if (accept(kw)) return true;
    return fail("expected " + std::string(kw));
  }
  bool expect_sym(std::string_view s) {
    if (accept_sym(s)) return true;
    return fail("expected '" + std::string(s) + "'");
  }

  // An identifier: bare word, `quoted`, or "quoted" (ANSI_QUOTES). nullopt (and an error)
  // otherwise.
  std::optional<std::string> identifier(std::string_view what = "identifier") {
    const Token& t = peek();
    if (t.kind == Tok::kWord || t.kind == Tok::kQuoted || (t.kind == Tok::kString && t.raw.size() && t.raw[0] == '"')) {
      next();
      return t.text;
    }
    fail("expected " + std::string(what));
    return std::nullopt;
  }
  // db.table or table (default_db then).
  std::optional<TableId> table_name(std::string_view default_db) {
    auto a = identifier("table name");
    if (!a) return std::nullopt;
    if (is_sym(".")) {
      next();
      auto b = identifier("table name");
      if (!b) return std::nullopt;
      return TableId{*a, *b};
    }
    return TableId{std::string(default_db), *a};
  }

  // At '(': consumes through the matching ')'.
  bool skip_parens() {
    if (!expect_sym("(")) return false;
    int depth = 1;
    while (depth > 0) {
      if (peek().kind == Tok::kEnd) return fail("unbalanced parentheses");
      const Token& t = next();
      if (t.kind == Tok::kSymbol) {
        if (t.text == "(") ++depth;
        else if (t.text == ")") --depth;
      }
    }
    return true;
  }
  // Consumes tokens up to (not including) a ',' or ')' at this nesting level, or the end.
  bool skip_element() {
    while (!at_end() && !is_sym(",") && !is_sym(")")) {
      if (is_sym("(")) {
        if (!skip_parens()) return false;
      } else {
        next();
      }
    }
    return true;
  }
  void skip_to_end() {
    while (!at_end()) next();
  }

  // The source text from token `from` up to (not including) the current token.
  std::string_view text_from(size_t from) const {
    size_t a = t_[from].pos;
    size_t b = peek().pos;
    while (b > a && (sql_[b - 1] == ' ' || sql_[b - 1] == '\n' || sql_[b - 1] == '\t' || sql_[b - 1] == '\r')) --b;
    return sql_.substr(a, b - a);
  }

  bool fail(std::string what) {
    if (error_.empty()) {
      error_ = std::move(what);
      error_pos_ = peek().pos;
    }
    return false;
  }
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  size_t error_pos() const { return error_pos_; }

 private:
  const std::vector<Token>& t_;
  std::string_view sql_;
  size_t i_ = 0;
  std::string error_;
  size_t error_pos_ = 0;
};

// Parses a column's data type and attributes (after its name) into `col`; stops before a
// top-level ',' or ')', FIRST/AFTER (ALTER), or the end. `col.name` is set by the caller.
// `inline_pk` / `inline_unique` report PRIMARY KEY / UNIQUE written on the column.
bool parse_column_definition(Cursor& c, Column& col, bool& inline_pk, bool& inline_unique);

// The value after DEFAULT (the keyword already read), recorded as Debezium does.
bool parse_default_clause(Cursor& c, Column& col);

// Kind, signedness, fsp... of a column from Debezium's typeName ("INT UNSIGNED ZEROFILL",
// "NATIONAL CHAR", "ENUM" with its literals): for columns read back from schema history.
// Leaves type_name/type_expression/length/scale/charset to the caller.
bool resolve_type_name(std::string_view type_name, const std::vector<std::string>& enum_values, Column& col,
                       std::string& error);

// The charset a collation belongs to ("utf8mb4_general_ci" -> "utf8mb4").
std::string charset_of_collation(std::string_view collation);

}  // namespace sluice::mysql::ddl
