// Statements that change the catalog. Each statement is applied to a working copy of the
// catalog (cheap: tables are shared), which replaces the caller's only when the whole text
// parsed, so an error leaves the caller's catalog as it was.
#include "plugins/mysql/schema/ddl_parser.h"

#include <algorithm>
#include <exception>
#include <string>

#include "plugins/mysql/schema/ddl_cursor.h"
#include "plugins/mysql/schema/ddl_lexer.h"

namespace sluice::mysql {
namespace {

using ddl::Cursor;
using ddl::iequals;
using ddl::lower;
using ddl::Tok;
using ddl::Token;
using Kind = DdlChange::Kind;

bool same_name(std::string_view a, std::string_view b) { return iequals(a, b); }

// Keeps positions and the table charset of every column current after an edit.
// Text columns without their own charset get the table's when they are defined (Debezium
// records it in charsetName then, and keeps it when the table default changes later).
void finish_table(Table& t, bool include_comments) {
  for (size_t i = 0; i < t.columns.size(); ++i) {
    Column& col = t.columns[i];
    col.position = int32_t(i + 1);
    col.table_charset = t.default_charset;
    if (col.is_string() && !col.charset_name) col.charset_name = t.default_charset;
    if (!include_comments) col.comment.reset();
  }
  if (!include_comments) t.comment.reset();
}

// A primary key column is NOT NULL, and loses the implicit NULL default (as in Debezium).
void mark_key_column(Column& col) {
  if (col.optional) {
    col.optional = false;
    if (col.has_default_value && !col.default_value_expression) col.has_default_value = false;
  }
}

void set_primary_key(Table& t, const std::vector<std::string>& names) {
  t.primary_key_columns.clear();
  for (const auto& n : names) {
    int i = t.column_index(n);
    if (i >= 0) {
      mark_key_column(t.columns[size_t(i)]);
      t.primary_key_columns.push_back(t.columns[size_t(i)].name);
    } else {
      t.primary_key_columns.push_back(n);
    }
  }
}

// A UNIQUE key stands in for a missing primary key when all its columns exist and are NOT
// NULL (Debezium does the same).
void maybe_unique_as_key(Table& t, const std::vector<std::string>& names) {
  if (!t.primary_key_columns.empty() || names.empty()) return;
  for (const auto& n : names) {
    const Column* col = t.column(n);
    if (!col || col->optional) return;
  }
  set_primary_key(t, names);
}

class StatementParser {
 public:
  StatementParser(Cursor& c, Schemas& s, std::string& db, DdlResult& r) : c_(c), s_(s), db_(db), r_(r) {}

  bool statement() {
    if (c_.at_end()) return ignore();
    if (c_.accept("CREATE")) return create();
    if (c_.accept("ALTER")) return alter();
    if (c_.accept("DROP")) return drop();
    if (c_.accept("RENAME")) return rename();
    if (c_.accept("TRUNCATE")) return truncate();
    if (c_.accept("SET")) return set_variables();
    if (c_.accept("USE")) {
      auto name = c_.identifier("database name");
      if (!name) return false;
      db_ = *name;
      return ignore();
    }
    return ignore();
  }

 private:
  bool ignore() {
    c_.skip_to_end();
    return true;
  }

  // SET character_set_server = x, collation_server = y (Debezium's snapshot history starts
  // with this): the default charset of databases created without one.
  bool set_variables() {
    r_.ignored = true;
    while (!c_.at_end()) {
      c_.accept("GLOBAL") || c_.accept("SESSION") || c_.accept("LOCAL") || c_.accept("PERSIST");
      const Token& name = c_.peek();
      std::string var = lower(name.text);
      for (std::string_view prefix : {"@@global.", "@@session.", "@@local.", "@@"}) {
        if (var.rfind(prefix, 0) == 0) {
          var = var.substr(prefix.size());
          break;
        }
      }
      c_.next();
      if (!(c_.accept_sym("=") || c_.accept_sym(":="))) return c_.skip_element(), ignore();
      const Token& v = c_.peek();
      std::string value = lower(v.text);
      if (var == "character_set_server" && !value.empty()) s_.set_server_charset(value, s_.server_collation());
      if (var == "collation_server" && !value.empty()) {
        s_.set_server_charset(s_.server_charset(), value);
      }
      if (!c_.skip_element()) return false;
      if (!c_.accept_sym(",")) break;
    }
    return ignore();
  }

  void change(Kind k, TableId id, std::optional<TableId> old = std::nullopt) {
    r_.changes.push_back(DdlChange{k, std::move(id), std::move(old)});
  }

  TableId norm(TableId id) const {
    id.catalog = s_.normalize(id.catalog);
    id.table = s_.normalize(id.table);
    return id;
  }

  bool need_db(const TableId& id) {
    if (id.catalog.empty()) return c_.fail("no database selected for table " + id.table);
    return true;
  }

  std::optional<TableId> table_name() {
    auto id = c_.table_name(db_);
    if (!id) return std::nullopt;
    if (!need_db(*id)) return std::nullopt;
    return norm(*id);
  }

  // ---- CREATE ----------------------------------------------------------------------------
  bool create() {
    bool or_replace = c_.accept_seq({"OR", "REPLACE"});
    bool temporary = c_.accept("TEMPORARY");
    if (c_.accept("TABLE")) return create_table(temporary, or_replace);
    if (c_.accept("DATABASE") || c_.accept("SCHEMA")) return create_database(or_replace);
    // CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX name [USING x] ON t (cols)
    bool unique = c_.accept("UNIQUE");
    if (!unique) c_.accept("FULLTEXT") || c_.accept("SPATIAL");
    c_.accept("ONLINE") || c_.accept("OFFLINE");
    if (c_.accept("INDEX") || (unique && c_.accept("KEY"))) return create_index(unique);
    return ignore();  // VIEW, PROCEDURE, FUNCTION, TRIGGER, EVENT, USER, SEQUENCE, ...
  }

  bool create_index(bool unique) {
    c_.accept_seq({"IF", "NOT", "EXISTS"});
    if (!c_.identifier("index name")) return false;
    while (!c_.at_end() && !c_.is("ON")) c_.next();
    if (!c_.expect("ON")) return false;
    auto id = table_name();
    if (!id) return false;
    std::vector<std::string> cols;
    if (!key_columns(cols)) return false;
    c_.skip_to_end();
    auto table = s_.find(*id);
    if (!unique || !table || !table->primary_key_columns.empty()) {
      r_.ignored = true;
      return true;
    }
    Table t = *table;
    maybe_unique_as_key(t, cols);
    if (t.primary_key_columns.empty()) {
      r_.ignored = true;
      return true;
    }
    finish_table(t, s_.include_comments());
    s_.put(std::move(t));
    change(Kind::Alter, *id);
    return true;
  }

  bool create_database(bool or_replace) {
    bool if_not_exists = c_.accept_seq({"IF", "NOT", "EXISTS"});
    auto name = c_.identifier("database name");
    if (!name) return false;
    Database db;
    db.name = *name;
    if (!database_options(db)) return false;
    if (if_not_exists && !or_replace && s_.database(*name)) {
      change(Kind::None, TableId{s_.normalize(*name), ""});
      return true;
    }
    if (!db.default_charset) db.default_charset = s_.server_charset();
    s_.put_database(db);
    change(Kind::CreateDatabase, TableId{s_.normalize(*name), ""});
    return true;
  }

  bool database_options(Database& db) {
    while (!c_.at_end()) {
      c_.accept("DEFAULT");
      std::string v;
      if (c_.accept_seq({"CHARACTER", "SET"}) || c_.accept("CHARSET")) {
        if (!option_value(v)) return false;
        db.default_charset = lower(v);
      } else if (c_.accept("COLLATE")) {
        if (!option_value(v)) return false;
        db.default_collation = lower(v);
        if (!db.default_charset) db.default_charset = ddl::charset_of_collation(v);
      } else {
        c_.next();  // COMMENT, ENCRYPTION, READ ONLY, ...
      }
    }
    return true;
  }

  bool option_value(std::string& out) {
    c_.accept_sym("=");
    const Token& t = c_.peek();
    if (t.kind == Tok::kWord || t.kind == Tok::kQuoted || t.kind == Tok::kString || t.kind == Tok::kNumber) {
      c_.next();
      out = t.text;
      return true;
    }
    return c_.fail("expected an option value");
  }

  bool create_table(bool temporary, bool or_replace) {
    bool if_not_exists = c_.accept_seq({"IF", "NOT", "EXISTS"});
    auto id = table_name();
    if (!id) return false;
    if (temporary) {
      r_.ignored = true;
      return ignore();
    }
    auto existing = s_.find(*id);
    // LIKE other / (LIKE other)
    if (c_.is("LIKE") || (c_.is_sym("(") && c_.is("LIKE", 1))) {
      bool paren = c_.accept_sym("(");
      c_.next();
      auto src = table_name();
      if (!src) return false;
      if (paren && !c_.expect_sym(")")) return false;
      if (if_not_exists && existing && !or_replace) {
        change(Kind::None, *id);
        return true;
      }
      auto from = s_.find(*src);
      if (!from) return c_.fail("CREATE TABLE ... LIKE: unknown table " + src->to_string());
      Table t = *from;
      t.id = *id;
      finish_table(t, s_.include_comments());
      s_.put(std::move(t));
      change(Kind::Create, *id);
      return true;
    }
    Table t;
    t.id = *id;
    if (c_.is_sym("(") && !(c_.is("SELECT", 1) || c_.is("WITH", 1) || c_.is_sym("(", 1))) {
      c_.next();
      if (!table_elements(t)) return false;
    }
    if (!table_options(t, /*in_alter=*/false)) return false;
    if (if_not_exists && existing && !or_replace) {
      change(Kind::None, *id);
      return true;
    }
    if (!t.default_charset) t.default_charset = default_charset_for(t.id.catalog);
    finish_table(t, s_.include_comments());
    s_.put(std::move(t));
    change(Kind::Create, *id);
    return true;
  }

  std::string default_charset_for(const std::string& db) const {
    const Database* d = s_.database(db);
    if (d && d->default_charset) return *d->default_charset;
    return s_.server_charset();
  }

  // The parenthesized list of a CREATE TABLE: columns, keys and constraints.
  bool table_elements(Table& t) {
    std::vector<std::vector<std::string>> uniques;  // candidates for a missing primary key
    bool has_pk = false;
    if (c_.accept_sym(")")) return true;
    while (true) {
      if (!table_element(t, uniques, has_pk)) return false;
      if (c_.accept_sym(")")) break;
      if (!c_.expect_sym(",")) return false;
    }
    if (!has_pk) {
      for (const auto& u : uniques) {
        maybe_unique_as_key(t, u);
        if (!t.primary_key_columns.empty()) break;
      }
    }
    return true;
  }

  // (a, b(10), `c` DESC, (expr)) -> names; expressions are skipped.
  bool key_columns(std::vector<std::string>& out) {
    if (!c_.expect_sym("(")) return false;
    while (true) {
      if (c_.is_sym("(")) {
        if (!c_.skip_parens()) return false;
      } else {
        const Token& t = c_.peek();
        if (t.kind == Tok::kString && t.raw.size() && t.raw[0] == '\'') {
          c_.next();
          out.push_back(t.text);
        } else {
          auto n = c_.identifier("key column");
          if (!n) return false;
          out.push_back(*n);
        }
        if (c_.is_sym("(") && !c_.skip_parens()) return false;
      }
      c_.accept("ASC") || c_.accept("DESC");
      if (c_.accept_sym(")")) return true;
      if (!c_.expect_sym(",")) return false;
    }
  }

  // Index options after the key columns (USING BTREE, COMMENT '', KEY_BLOCK_SIZE=, VISIBLE, ...).
  bool skip_index_rest() { return c_.skip_element(); }

  bool table_element(Table& t, std::vector<std::vector<std::string>>& uniques, bool& has_pk) {
    // Constraints and keys.
    if (c_.accept("CONSTRAINT")) {
      if (!c_.is("PRIMARY") && !c_.is("UNIQUE") && !c_.is("FOREIGN") && !c_.is("CHECK")) {
        if (!c_.identifier("constraint name")) return false;
      }
    }
    if (c_.accept("PRIMARY")) {
      if (!c_.expect("KEY")) return false;
      skip_index_name_and_type();
      std::vector<std::string> cols;
      if (!key_columns(cols)) return false;
      set_primary_key(t, cols);
      has_pk = true;
      return skip_index_rest();
    }
    if (c_.accept("UNIQUE")) {
      c_.accept("KEY") || c_.accept("INDEX");
      skip_index_name_and_type();
      std::vector<std::string> cols;
      if (!key_columns(cols)) return false;
      uniques.push_back(std::move(cols));
      return skip_index_rest();
    }
    // KEY, INDEX, FULLTEXT and SPATIAL are reserved words: a column of that name is quoted
    // (and lexed as a quoted identifier, which `is` does not match).
    if (c_.is_any({"KEY", "INDEX", "FULLTEXT", "SPATIAL"})) {
      c_.next();
      c_.accept("KEY") || c_.accept("INDEX");
      skip_index_name_and_type();
      std::vector<std::string> cols;
      if (!key_columns(cols)) return false;
      return skip_index_rest();
    }
    if (c_.is("FOREIGN") && c_.is("KEY", 1)) return c_.skip_element();
    if (c_.is("CHECK") && c_.is_sym("(", 1)) return c_.skip_element();
    if (c_.is("PERIOD") && c_.is("FOR", 1)) return c_.skip_element();  // MariaDB system time
    // A column.
    auto name = c_.identifier("column name");
    if (!name) return false;
    Column col;
    col.name = *name;
    bool pk = false, unique = false;
    if (!ddl::parse_column_definition(c_, col, pk, unique)) return false;
    if (t.column(col.name)) return c_.fail("duplicate column " + col.name);
    t.columns.push_back(std::move(col));
    if (pk) {
      set_primary_key(t, {*name});
      has_pk = true;
    } else if (unique) {
      uniques.push_back({*name});
    }
    return true;
  }

  void skip_index_name_and_type() {
    // [index_name] [USING BTREE|HASH]
    if (!c_.is_sym("(") && !c_.is("USING")) {
      const Token& t = c_.peek();
      if (t.kind == Tok::kWord || t.kind == Tok::kQuoted) c_.next();
    }
    if (c_.accept("USING")) c_.next();
  }

  // Table options after the element list (and table-option specs of ALTER TABLE): charset,
  // collation and comment are kept, partitions and the rest skipped. A SELECT makes this a
  // CREATE TABLE ... SELECT, whose columns the text does not give.
  bool table_options(Table& t, bool in_alter) {
    while (!c_.at_end()) {
      if (in_alter && (c_.is_sym(","))) return true;
      std::string v;
      bool dflt = c_.accept("DEFAULT");
      if (c_.accept_seq({"CHARACTER", "SET"}) || c_.accept("CHARSET")) {
        if (!option_value(v)) return false;
        t.default_charset = lower(v);
        t.default_collation.reset();
      } else if (c_.accept("COLLATE")) {
        if (!option_value(v)) return false;
        t.default_collation = lower(v);
        if (!t.default_charset || ddl::charset_of_collation(v) != *t.default_charset)
          t.default_charset = ddl::charset_of_collation(v);
      } else if (dflt) {
        continue;
      } else if (c_.accept("COMMENT")) {
        if (!option_value(v)) return false;
        t.comment = v;
      } else if (c_.is("PARTITION") && c_.is("BY", 1)) {
        if (in_alter) return c_.fail("PARTITION BY must be the last ALTER TABLE clause");
        return skip_partitions();
      } else if (!in_alter && (c_.is_any({"AS", "SELECT", "IGNORE", "REPLACE", "WITH", "TABLE", "VALUES"}) ||
                               (c_.is_sym("(") && c_.is("SELECT", 1)))) {
        if (c_.is_any({"IGNORE", "REPLACE"}) && !(c_.is("AS", 1) || c_.is("SELECT", 1) || c_.is_sym("(", 1)))
          return c_.fail("unexpected " + std::string(c_.peek().raw));
        return c_.fail("CREATE TABLE ... SELECT: the columns come from the query; read the table with "
                       "SHOW CREATE TABLE");
      } else if (c_.accept_seq({"START", "TRANSACTION"})) {
      } else if (c_.is_sym("(")) {
        if (!c_.skip_parens()) return false;
      } else {
        c_.next();
      }
    }
    return true;
  }

  bool skip_partitions() {
    // Everything after PARTITION BY belongs to it (a SELECT can follow only in CTAS).
    while (!c_.at_end()) {
      if (c_.is("AS") || c_.is("SELECT")) {
        return c_.fail("CREATE TABLE ... SELECT: the columns come from the query; read the table with "
                       "SHOW CREATE TABLE");
      }
      if (c_.is_sym("(")) {
        if (!c_.skip_parens()) return false;
      } else {
        c_.next();
      }
    }
    return true;
  }

  // ---- ALTER -----------------------------------------------------------------------------
  bool alter() {
    c_.accept("ONLINE") || c_.accept("OFFLINE");
    c_.accept("IGNORE");
    if (c_.accept("TABLE")) return alter_table();
    if (c_.accept("DATABASE") || c_.accept("SCHEMA")) return alter_database();
    return ignore();  // VIEW, USER, EVENT, INSTANCE, ...
  }

  bool alter_database() {
    // ALTER DATABASE [name] options | ALTER DATABASE name UPGRADE DATA DIRECTORY NAME
    std::string name = db_;
    if (!c_.is_any({"DEFAULT", "CHARACTER", "CHARSET", "COLLATE", "ENCRYPTION", "READ", "COMMENT"})) {
      auto n = c_.identifier("database name");
      if (!n) return false;
      name = *n;
    }
    if (name.empty()) return c_.fail("ALTER DATABASE without a database");
    Database db;
    if (const Database* d = s_.database(name)) db = *d;
    db.name = name;
    auto charset = db.default_charset;
    db.default_charset.reset();
    if (!database_options(db)) return false;
    if (!db.default_charset) db.default_charset = charset ? charset : std::optional<std::string>(s_.server_charset());
    s_.put_database(db);
    change(Kind::AlterDatabase, TableId{s_.normalize(name), ""});
    return true;
  }

  bool alter_table() {
    auto id = table_name();
    if (!id) return false;
    if (c_.accept("WAIT")) c_.next();
    else c_.accept("NOWAIT");
    auto existing = s_.find(*id);
    if (!existing) return c_.fail("ALTER TABLE of unknown table " + id->to_string());
    Table t = *existing;
    std::optional<TableId> renamed;
    bool changed = false;
    while (!c_.at_end()) {
      if (!alter_spec(t, renamed, changed)) return false;
      if (!c_.accept_sym(",")) break;
    }
    if (!c_.at_end()) return c_.fail("unexpected '" + std::string(c_.peek().raw) + "' in ALTER TABLE");
    finish_table(t, s_.include_comments());
    if (renamed) {
      s_.remove(*id);
      t.id = *renamed;
      s_.put(std::move(t));
      change(Kind::Alter, *renamed, *id);
      return true;
    }
    s_.put(std::move(t));
    change(Kind::Alter, *id);
    return true;
  }

  // FIRST / AFTER col: where a column goes; -1 = unchanged/end.
  bool position(const Table& t, int& at) {
    at = -1;
    if (c_.accept("FIRST")) {
      at = 0;
      return true;
    }
    if (c_.accept("AFTER")) {
      auto n = c_.identifier("column name");
      if (!n) return false;
      int i = t.column_index(*n);
      if (i < 0) return c_.fail("AFTER unknown column " + *n);
      at = i + 1;
    }
    return true;
  }

  bool add_column(Table& t, const std::string& name, bool if_not_exists, bool allow_position) {
    Column col;
    col.name = name;
    bool pk = false, unique = false;
    if (!ddl::parse_column_definition(c_, col, pk, unique)) return false;
    int at = -1;
    if (allow_position && !position(t, at)) return false;
    if (t.column(name)) {
      if (if_not_exists) return true;
      return c_.fail("ADD COLUMN: column " + name + " exists");
    }
    if (at < 0) t.columns.push_back(std::move(col));
    else t.columns.insert(t.columns.begin() + at, std::move(col));
    if (pk) set_primary_key(t, {name});
    else if (unique) maybe_unique_as_key(t, {name});
    return true;
  }

  // MODIFY (old == new name) and CHANGE.
  bool replace_column(Table& t, const std::string& old_name, const std::string& new_name, bool if_exists) {
    Column col;
    col.name = new_name;
    bool pk = false, unique = false;
    if (!ddl::parse_column_definition(c_, col, pk, unique)) return false;
    int i = t.column_index(old_name);
    if (i < 0) {
      int ignored_at = -1;
      if (!position(t, ignored_at)) return false;
      if (if_exists) return true;
      return c_.fail("unknown column " + old_name + " in " + t.id.to_string());
    }
    if (!same_name(old_name, new_name) && t.column(new_name)) return c_.fail("column " + new_name + " exists");
    bool was_key = t.is_primary_key(old_name);
    t.columns.erase(t.columns.begin() + i);
    int at = -1;
    if (!position(t, at)) return false;  // FIRST / AFTER, among the other columns
    if (at < 0) at = i;
    if (at > int(t.columns.size())) at = int(t.columns.size());
    t.columns.insert(t.columns.begin() + at, std::move(col));
    for (auto& k : t.primary_key_columns)
      if (same_name(k, old_name)) k = new_name;
    if (was_key) mark_key_column(*const_cast<Column*>(t.column(new_name)));
    if (pk) set_primary_key(t, {new_name});
    else if (unique) maybe_unique_as_key(t, {new_name});
    return true;
  }

  bool drop_column(Table& t, const std::string& name, bool if_exists) {
    int i = t.column_index(name);
    if (i < 0) {
      if (if_exists) return true;
      return c_.fail("DROP COLUMN: unknown column " + name + " in " + t.id.to_string());
    }
    t.columns.erase(t.columns.begin() + i);
    auto& pk = t.primary_key_columns;
    pk.erase(std::remove_if(pk.begin(), pk.end(), [&](const std::string& k) { return same_name(k, name); }), pk.end());
    return true;
  }

  bool alter_spec(Table& t, std::optional<TableId>& renamed, bool& changed) {
    changed = true;
    if (c_.accept("ADD")) return alter_add(t);
    if (c_.accept("DROP")) return alter_drop(t);
    if (c_.accept("MODIFY")) {
      c_.accept("COLUMN");
      bool if_exists = c_.accept_seq({"IF", "EXISTS"});
      auto n = c_.identifier("column name");
      return n && replace_column(t, *n, *n, if_exists);
    }
    if (c_.accept("CHANGE")) {
      c_.accept("COLUMN");
      bool if_exists = c_.accept_seq({"IF", "EXISTS"});
      auto old_name = c_.identifier("column name");
      if (!old_name) return false;
      auto new_name = c_.identifier("column name");
      return new_name && replace_column(t, *old_name, *new_name, if_exists);
    }
    if (c_.accept("RENAME")) {
      if (c_.accept("COLUMN")) {
        bool if_exists = c_.accept_seq({"IF", "EXISTS"});
        auto a = c_.identifier("column name");
        if (!a || !c_.expect("TO")) return false;
        auto b = c_.identifier("column name");
        if (!b) return false;
        int i = t.column_index(*a);
        if (i < 0) return if_exists ? true : c_.fail("RENAME COLUMN: unknown column " + *a);
        if (!same_name(*a, *b) && t.column(*b)) return c_.fail("column " + *b + " exists");
        t.columns[size_t(i)].name = *b;
        for (auto& k : t.primary_key_columns)
          if (same_name(k, *a)) k = *b;
        return true;
      }
      if (c_.accept("INDEX") || c_.accept("KEY")) {
        c_.accept_seq({"IF", "EXISTS"});
        if (!c_.identifier("index name") || !c_.expect("TO")) return false;
        return c_.identifier("index name").has_value();
      }
      c_.accept("TO") || c_.accept("AS");
      auto id = table_name();
      if (!id) return false;
      renamed = *id;
      return true;
    }
    if (c_.accept("ALTER")) {
      if (c_.accept("INDEX") || c_.accept("CHECK") || c_.accept("CONSTRAINT")) return c_.skip_element();
      c_.accept("COLUMN");
      c_.accept_seq({"IF", "EXISTS"});
      auto n = c_.identifier("column name");
      if (!n) return false;
      int i = t.column_index(*n);
      if (i < 0) return c_.fail("ALTER COLUMN: unknown column " + *n);
      Column& col = t.columns[size_t(i)];
      if (c_.accept_seq({"SET", "DEFAULT"})) {
        Column probe = col;
        probe.has_default_value = false;
        probe.default_value_expression.reset();
        probe.default_is_expression = false;
        if (!ddl::parse_default_clause(c_, probe)) return false;
        col.has_default_value = probe.has_default_value || col.optional;
        col.default_value_expression = probe.default_value_expression;
        col.default_is_expression = probe.default_is_expression;
        return true;
      }
      if (c_.accept_seq({"DROP", "DEFAULT"})) {
        col.default_value_expression.reset();
        col.default_is_expression = false;
        col.has_default_value = col.optional;
        return true;
      }
      if (c_.accept_seq({"SET", "VISIBLE"})) {
        col.invisible = false;
        return true;
      }
      if (c_.accept_seq({"SET", "INVISIBLE"})) {
        col.invisible = true;
        return true;
      }
      return c_.fail("unexpected ALTER COLUMN clause");
    }
    if (c_.accept("CONVERT")) {
      if (!c_.expect("TO")) return false;
      std::string v;
      if (!(c_.accept_seq({"CHARACTER", "SET"}) || c_.accept("CHARSET"))) return c_.fail("expected CHARACTER SET");
      if (!option_value(v)) return false;
      std::string charset = lower(v);
      std::optional<std::string> collation;
      if (c_.accept("COLLATE")) {
        if (!option_value(v)) return false;
        collation = lower(v);
      }
      if (charset == "default") charset = default_charset_for(t.id.catalog);
      t.default_charset = charset;
      t.default_collation = collation;
      for (auto& col : t.columns) {
        if (!col.is_string()) continue;
        if (col.charset_name) col.charset_name = charset;
        col.collation = collation;
      }
      return true;
    }
    // Options that change nothing the connector tracks.
    if (c_.is_any({"ALGORITHM", "LOCK"})) {
      c_.next();
      c_.accept_sym("=");
      c_.next();
      changed = false;
      return true;
    }
    if (c_.is_any({"FORCE", "ENABLE", "DISABLE", "DISCARD", "IMPORT", "ORDER", "WITH", "WITHOUT",
                   "TRUNCATE", "COALESCE", "REORGANIZE", "EXCHANGE", "ANALYZE", "CHECK", "OPTIMIZE",
                   "REBUILD", "REPAIR", "REMOVE", "UPGRADE", "PARTITION", "SECONDARY_LOAD",
                   "SECONDARY_UNLOAD"})) {
      if (c_.is("PARTITION") && c_.is("BY", 1)) {
        while (!c_.at_end()) {
          if (c_.is_sym("(")) {
            if (!c_.skip_parens()) return false;
          } else {
            c_.next();
          }
        }
        return true;
      }
      return c_.skip_element();
    }
    // Table options: [DEFAULT] CHARSET / COLLATE / COMMENT / ENGINE / AUTO_INCREMENT / ...
    const Token& tok = c_.peek();
    if (tok.kind == Tok::kWord || tok.kind == Tok::kQuoted) return table_options(t, /*in_alter=*/true);
    return c_.fail("unknown ALTER TABLE clause");
  }

  bool alter_add(Table& t) {
    if (c_.accept("CONSTRAINT")) {
      if (!c_.is("PRIMARY") && !c_.is("UNIQUE") && !c_.is("FOREIGN") && !c_.is("CHECK")) {
        if (!c_.identifier("constraint name")) return false;
      }
    }
    if (c_.accept("PRIMARY")) {
      if (!c_.expect("KEY")) return false;
      skip_index_name_and_type();
      std::vector<std::string> cols;
      if (!key_columns(cols)) return false;
      set_primary_key(t, cols);
      return skip_index_rest();
    }
    if (c_.accept("UNIQUE")) {
      c_.accept("KEY") || c_.accept("INDEX");
      c_.accept_seq({"IF", "NOT", "EXISTS"});
      skip_index_name_and_type();
      std::vector<std::string> cols;
      if (!key_columns(cols)) return false;
      maybe_unique_as_key(t, cols);
      return skip_index_rest();
    }
    if (c_.is_any({"INDEX", "KEY", "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK", "PARTITION", "PERIOD",
                   "SYSTEM"})) {
      return c_.skip_element();
    }
    c_.accept("COLUMN");
    bool if_not_exists = c_.accept_seq({"IF", "NOT", "EXISTS"});
    if (c_.accept_sym("(")) {
      while (true) {
        auto n = c_.identifier("column name");
        if (!n || !add_column(t, *n, if_not_exists, /*allow_position=*/false)) return false;
        if (c_.accept_sym(")")) return true;
        if (!c_.expect_sym(",")) return false;
      }
    }
    auto n = c_.identifier("column name");
    return n && add_column(t, *n, if_not_exists, /*allow_position=*/true);
  }

  bool alter_drop(Table& t) {
    if (c_.accept_seq({"PRIMARY", "KEY"})) {
      t.primary_key_columns.clear();
      return true;
    }
    if (c_.accept("INDEX") || c_.accept("KEY")) {
      c_.accept_seq({"IF", "EXISTS"});
      auto n = c_.identifier("index name");
      if (!n) return false;
      if (iequals(*n, "PRIMARY")) t.primary_key_columns.clear();
      return true;
    }
    if (c_.is_any({"FOREIGN", "CHECK", "CONSTRAINT", "PARTITION", "SYSTEM", "PERIOD"})) return c_.skip_element();
    c_.accept("COLUMN");
    bool if_exists = c_.accept_seq({"IF", "EXISTS"});
    auto n = c_.identifier("column name");
    if (!n) return false;
    c_.accept("RESTRICT") || c_.accept("CASCADE");
    return drop_column(t, *n, if_exists);
  }

  // ---- DROP / RENAME / TRUNCATE ------------------------------------------------------------
  bool drop() {
    bool temporary = c_.accept("TEMPORARY");
    if (c_.accept("TABLE") || c_.accept("TABLES")) {
      // IF EXISTS or not: the server dropped what existed; unknown tables are reported too.
      c_.accept_seq({"IF", "EXISTS"});
      c_.accept("NOWAIT");
      std::vector<TableId> ids;
      while (true) {
        auto id = table_name();
        if (!id) return false;
        ids.push_back(*id);
        if (!c_.accept_sym(",")) break;
      }
      if (temporary) {
        r_.ignored = true;
        return ignore();
      }
      for (const auto& id : ids) {
        s_.remove(id);
        change(Kind::Drop, id);
      }
      return ignore();  // RESTRICT / CASCADE / WAIT n
    }
    if (c_.accept("DATABASE") || c_.accept("SCHEMA")) {
      c_.accept_seq({"IF", "EXISTS"});
      auto name = c_.identifier("database name");
      if (!name) return false;
      for (const auto& id : s_.remove_database(*name)) change(Kind::Drop, id);
      change(Kind::DropDatabase, TableId{s_.normalize(*name), ""});
      return true;
    }
    if (c_.accept("INDEX")) {
      c_.accept("ONLINE") || c_.accept("OFFLINE");
      c_.accept_seq({"IF", "EXISTS"});
      auto n = c_.identifier("index name");
      if (!n || !c_.expect("ON")) return false;
      auto id = table_name();
      if (!id) return false;
      c_.skip_to_end();
      auto table = s_.find(*id);
      if (!iequals(*n, "PRIMARY") || !table) {
        r_.ignored = true;
        return true;
      }
      Table t = *table;
      t.primary_key_columns.clear();
      s_.put(std::move(t));
      change(Kind::Alter, *id);
      return true;
    }
    return ignore();
  }

  bool rename() {
    if (!(c_.accept("TABLE") || c_.accept("TABLES"))) return ignore();  // RENAME USER
    while (true) {
      c_.accept_seq({"IF", "EXISTS"});
      auto from = table_name();
      if (!from) return false;
      if (c_.accept("WAIT")) c_.next();
      else c_.accept("NOWAIT");
      if (!c_.expect("TO")) return false;
      auto to = table_name();
      if (!to) return false;
      auto table = s_.find(*from);
      if (!table) return c_.fail("RENAME TABLE of unknown table " + from->to_string());
      Table t = *table;
      t.id = *to;
      s_.remove(*from);
      s_.put(std::move(t));
      change(Kind::Rename, *to, *from);
      if (!c_.accept_sym(",")) break;
    }
    return true;
  }

  bool truncate() {
    c_.accept("TABLE");
    auto id = table_name();
    if (!id) return false;
    change(Kind::Truncate, *id);
    return ignore();
  }

  Cursor& c_;
  Schemas& s_;
  std::string& db_;
  DdlResult& r_;
};

std::string shorten(std::string_view sql) {
  std::string s;
  for (char ch : sql) {
    if (s.size() >= 120) {
      s += "...";
      break;
    }
    s += (ch == '\n' || ch == '\r' || ch == '\t') ? ' ' : ch;
  }
  return s;
}

}  // namespace

std::string_view ddl_kind_name(DdlChange::Kind k) {
  switch (k) {
    case Kind::Create: return "CREATE";
    case Kind::Alter: return "ALTER";
    case Kind::Drop: return "DROP";
    case Kind::Truncate: return "TRUNCATE";
    case Kind::Rename: return "RENAME";
    case Kind::CreateDatabase: return "CREATE DATABASE";
    case Kind::DropDatabase: return "DROP DATABASE";
    case Kind::AlterDatabase: return "ALTER DATABASE";
    case Kind::None: return "NONE";
  }
  return "NONE";
}

std::vector<std::string_view> split_statements(std::string_view sql) {
  std::vector<std::string_view> out;
  size_t start = 0, i = 0;
  auto push = [&](size_t end) {
    std::string_view s = sql.substr(start, end - start);
    size_t a = s.find_first_not_of(" \t\r\n");
    if (a != std::string_view::npos) {
      size_t b = s.find_last_not_of(" \t\r\n");
      out.push_back(s.substr(a, b - a + 1));
    }
  };
  while (i < sql.size()) {
    char ch = sql[i];
    if (ch == '\'' || ch == '"' || ch == '`') {
      ++i;
      while (i < sql.size() && sql[i] != ch) {
        if (sql[i] == '\\' && ch != '`') ++i;
        ++i;
      }
      ++i;
    } else if (ch == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      bool versioned = i + 2 < sql.size() && (sql[i + 2] == '!' || sql[i + 2] == 'M');
      if (versioned) {
        i += 3;  // its content is code: keep scanning it
      } else {
        size_t e = sql.find("*/", i + 2);
        i = e == std::string_view::npos ? sql.size() : e + 2;
      }
    } else if (ch == '#' || (ch == '-' && i + 2 < sql.size() + 1 && sql.substr(i, 2) == "--" &&
                             (i + 2 >= sql.size() || sql[i + 2] == ' ' || sql[i + 2] == '\t' || sql[i + 2] == '\n'))) {
      size_t e = sql.find('\n', i);
      i = e == std::string_view::npos ? sql.size() : e + 1;
    } else if (ch == ';') {
      push(i);
      start = ++i;
    } else {
      ++i;
    }
  }
  push(sql.size());
  return out;
}

namespace {

// Keeps a text's changes only when all of it applied.
class ChangeGuard {
 public:
  explicit ChangeGuard(Schemas& s) : s_(s) { s_.begin_changes(); }
  ~ChangeGuard() {
    if (keep_) s_.commit_changes();
    else s_.rollback_changes();
  }
  void keep() { keep_ = true; }

 private:
  Schemas& s_;
  bool keep_ = false;
};

}  // namespace

Result<DdlResult> apply_ddl(std::string_view sql, std::string_view default_db, Schemas& schemas) try {
  ChangeGuard guard(schemas);
  Schemas& work = schemas;
  DdlResult result;
  std::string db(default_db);
  std::vector<ddl::Token> tokens;
  std::string error;
  if (!ddl::tokenize(sql, tokens, error)) {
    return Error{"cannot parse DDL: " + error + "; statement: \"" + shorten(sql) + "\""};
  }
  Cursor c(tokens, sql);
  bool any_relevant = false;
  while (true) {
    while (c.accept_sym(";")) {
    }
    if (c.peek().kind == Tok::kEnd) break;
    DdlResult one;
    StatementParser p(c, work, db, one);
    if (!p.statement() || c.failed()) {
      std::string near(c.peek().raw.substr(0, 40));
      return Error{"cannot parse DDL at offset " + std::to_string(c.error_pos()) +
                   (near.empty() ? std::string() : " near '" + near + "'") + ": " + c.error() + "; statement: \"" +
                   shorten(sql) + "\""};
    }
    if (!c.at_end()) {
      return Error{"cannot parse DDL at offset " + std::to_string(c.peek().pos) + ": unexpected '" +
                   std::string(c.peek().raw.substr(0, 40)) + "'; statement: \"" + shorten(sql) + "\""};
    }
    for (const auto& ch : one.changes)
      if (ch.kind != Kind::None) any_relevant = true;
    for (auto& ch : one.changes) result.changes.push_back(std::move(ch));
  }
  result.ignored = !any_relevant;
  guard.keep();
  return result;
} catch (const std::exception& e) {
  return Error{std::string("cannot apply DDL: ") + e.what() + "; statement: \"" + shorten(sql) + "\""};
}

}  // namespace sluice::mysql
