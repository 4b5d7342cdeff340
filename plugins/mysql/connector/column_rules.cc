#include "plugins/mysql/connector/column_rules.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace sluice::mysql::cdc {

using sluice::api::Value;

namespace {

// MaskStrings acts on JDBC CHAR, VARCHAR, LONGVARCHAR, CLOB, NCLOB, NCHAR, NVARCHAR,
// LONGNVARCHAR and DATALINK columns; other columns pass through (the schema is still marked).
bool is_character(const sluice::mysql::Column& c) {
  switch (c.jdbc_type) {
    case 1: case 12: case -1: case 2005: case 2011: case -15: case -9: case -16: case 70:
      return true;
    default:
      return false;
  }
}

int column_length(const sluice::mysql::Column& c) { return c.length ? *c.length : -1; }

// One UTF-8 sequence at s[i]: its length and code point (a stray byte is taken as itself).
size_t decode(const std::string& s, size_t i, uint32_t& cp) {
  unsigned char b = static_cast<unsigned char>(s[i]);
  size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
  if (i + len > s.size()) len = 1;
  cp = len == 1 ? b : len == 2 ? (b & 0x1f) : len == 3 ? (b & 0x0f) : (b & 0x07);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
  return len;
}

void put3(std::string& out, uint32_t u) {
  out += static_cast<char>(0xe0 | (u >> 12));
  out += static_cast<char>(0x80 | ((u >> 6) & 0x3f));
  out += static_cast<char>(0x80 | (u & 0x3f));
}

}  // namespace

std::vector<sluice::api::JavaPatternPtr> compile_java_regexes(const std::vector<std::string>& patterns,
                                                              const std::string& key) {
  std::vector<sluice::api::JavaPatternPtr> out;
  for (auto& p : patterns) {
    std::string error;
    auto re = sluice::api::compile_java_regex(p, error, sluice::api::kRegexCaseInsensitive);
    if (!re) throw std::invalid_argument(key + ": " + error);
    out.push_back(std::move(re));
  }
  return out;
}

bool any_matches(const std::vector<sluice::api::JavaPatternPtr>& patterns, const std::string& s) {
  for (auto& r : patterns)
    if (r->matches(s)) return true;
  return false;
}

ColumnRules::Patterns ColumnRules::compile(const std::vector<std::string>& patterns, const std::string& key) {
  return compile_java_regexes(patterns, key);
}

bool ColumnRules::any(const Patterns& ps, const std::string& s) { return any_matches(ps, s); }

ColumnRules::ColumnRules(const Options& o)
    : include_(compile(o.column_include, "column.include.list")),
      exclude_(compile(o.column_exclude, "column.exclude.list")) {
  using K = ColumnEdit::Kind;
  for (auto& [n, ps] : o.truncate_columns)
    rules_.push_back({K::kTruncate, compile(ps, "column.truncate.to." + std::to_string(n) + ".chars"), n});
  for (auto& [n, ps] : o.mask_columns)
    rules_.push_back({K::kMask, compile(ps, "column.mask.with." + std::to_string(n) + ".chars"), n});
  rules_.push_back({K::kPropagate, compile(o.propagate_columns, "column.propagate.source.type")});
  rules_.push_back({K::kPropagate, compile(o.propagate_datatypes, "datatype.propagate.source.type")});
  rules_.back().v2 = true;  // marks "match the datatype"
  for (bool v2 : {false, true})
    for (auto& h : o.hash_columns) {
      if (h.v2 != v2) continue;
      std::string key = std::string(v2 ? "column.mask.hash.v2." : "column.mask.hash.") + h.algorithm +
                        ".with.salt." + h.salt;
      try {
        hex_digest(h.algorithm, "", "");
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(key + ": " + e.what());
      }
      Rule r{K::kHash, compile(h.patterns, key)};
      r.algorithm = h.algorithm;
      r.salt = h.salt;
      r.v2 = v2;
      rules_.push_back(std::move(r));
    }
  // "<table regex>:<col>,<col>;<table regex>:<col>" -> one pattern "<table regex>.<col>" per
  // column, as Debezium's CustomKeyMapper builds them.
  std::vector<std::string> key_patterns;
  const std::string& spec = o.message_key_columns;
  size_t start = 0;
  while (!spec.empty() && start <= spec.size()) {
    size_t end = spec.find(';', start);
    std::string entry = spec.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? spec.size() + 1 : end + 1;
    size_t first = entry.find_first_not_of(" \t"), last = entry.find_last_not_of(" \t");
    if (first == std::string::npos) continue;
    entry = entry.substr(first, last - first + 1);  // Debezium trims each pattern
    size_t colon = entry.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= entry.size())
      throw std::invalid_argument("message.key.columns: \"" + entry +
                                  "\" must look like <db>.<table>:<column>[,<column>...]");
    std::string table = entry.substr(0, colon);
    for (auto& col : sluice::api::config_value::split_list(entry.substr(colon + 1)))
      key_patterns.push_back(table + "." + col);
  }
  key_ = compile(key_patterns, "message.key.columns");
}

bool ColumnRules::included(const std::string& db, const std::string& table, const std::string& column) const {
  std::string full = db + "." + table + "." + column;
  if (!include_.empty()) return any(include_, full);
  return !any(exclude_, full);
}

ColumnEdit ColumnRules::mapper(const std::string& db, const std::string& table,
                               const sluice::mysql::Column& c) const {
  using K = ColumnEdit::Kind;
  std::string prefix = db + "." + table + ".";
  for (auto& r : rules_) {
    bool datatype = r.kind == K::kPropagate && r.v2;
    if (!any(r.patterns, prefix + (datatype ? c.type_name : c.name))) continue;
    ColumnEdit e;
    e.kind = r.kind;
    e.n = r.n;
    if (r.kind == K::kTruncate) {
      int len = column_length(c);
      e.changes_values = len < 0 || len > r.n;  // TruncateColumn.isTruncationPossible
    } else if (r.kind == K::kMask || r.kind == K::kHash) {
      e.changes_values = is_character(c);
      e.algorithm = r.algorithm;
      e.salt = r.salt;
      e.hash_v2 = r.v2;
      e.cut = column_length(c) > 0 ? column_length(c) : 0;
    }
    return e;  // the first matching rule only
  }
  return {};
}

std::vector<size_t> ColumnRules::key_columns(const sluice::mysql::Table& t) const {
  std::vector<size_t> out;
  if (key_.empty()) return out;
  std::string prefix = t.id.catalog + "." + t.id.table + ".";
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (any(key_, prefix + t.columns[i].name)) out.push_back(i);
  return out;
}

sluice::api::SchemaPtr ColumnRules::alter_schema(const ColumnEdit& e, const sluice::api::SchemaPtr& s) {
  using K = ColumnEdit::Kind;
  std::string key, value;
  if (e.kind == K::kMask || e.kind == K::kHash) { key = "masked"; value = "true"; }
  else if (e.kind == K::kTruncate && e.changes_values) { key = "truncateLength"; value = std::to_string(e.n); }
  if (key.empty() || !s) return s;
  sluice::api::SchemaBuilder b(s->type());
  if (s->optional()) b.optional();
  if (!s->name().empty()) b.name(s->name());
  if (s->version()) b.version(*s->version());
  if (s->doc()) b.doc(*s->doc());
  for (auto& [k, v] : s->parameters()) b.parameter(k, v);
  b.parameter(key, value);
  if (s->default_value()) b.default_value(*s->default_value());
  return b.build();
}

Value ColumnRules::apply(const ColumnEdit& e, Value v) {
  using K = ColumnEdit::Kind;
  if (!e.changes_values) return v;
  switch (e.kind) {
    case K::kMask:  // MaskingValueConverter returns the mask for every value, null included
      return Value::string(std::string(static_cast<size_t>(e.n), '*'));
    case K::kTruncate:
      // Strings only: Debezium's MySQL/MariaDB converters give byte[] (not the ByteBuffer its
      // TruncatingValueConverter cuts) for binary, Decimal and BIT values: checked side by side.
      if (v.kind() == Value::Kind::String && utf16_length(v.as_string()) > static_cast<size_t>(e.n))
        return Value::string(truncate_utf16(v.as_string(), static_cast<size_t>(e.n)));
      return v;
    case K::kHash: {
      if (v.kind() != Value::Kind::String) return v;  // null stays null (not Serializable)
      std::string data = e.hash_v2 ? v.as_string() : java_serialized_string(v.as_string());
      std::string hex = hex_digest(e.algorithm, e.salt, data);
      if (e.cut > 0 && hex.size() > static_cast<size_t>(e.cut)) hex.resize(static_cast<size_t>(e.cut));
      return Value::string(std::move(hex));
    }
    default:
      return v;
  }
}

size_t utf16_length(const std::string& s) {
  size_t units = 0;
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    i += decode(s, i, cp);
    units += cp >= 0x10000 ? 2 : 1;
  }
  return units;
}

std::string truncate_utf16(const std::string& s, size_t n) {
  size_t units = 0, i = 0;
  while (i < s.size()) {
    uint32_t cp;
    size_t len = decode(s, i, cp);
    size_t u = cp >= 0x10000 ? 2 : 1;
    if (units + u > n) break;
    units += u;
    i += len;
  }
  return s.substr(0, i);
}

std::string java_serialized_string(const std::string& utf8) {
  std::string m;  // modified UTF-8: NUL as C0 80, supplementary characters as surrogate pairs
  for (size_t i = 0; i < utf8.size();) {
    uint32_t cp;
    i += decode(utf8, i, cp);
    if (cp != 0 && cp < 0x80) {
      m += static_cast<char>(cp);
    } else if (cp < 0x800) {
      m += static_cast<char>(0xc0 | (cp >> 6));
      m += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      put3(m, cp);
    } else {
      cp -= 0x10000;
      put3(m, 0xd800 | (cp >> 10));
      put3(m, 0xdc00 | (cp & 0x3ff));
    }
  }
  std::string out("\xac\xed\x00\x05", 4);
  if (m.size() <= 0xffff) {
    out += '\x74';  // TC_STRING, u16 length
    out += static_cast<char>(m.size() >> 8);
    out += static_cast<char>(m.size() & 0xff);
  } else {
    out += '\x7c';  // TC_LONGSTRING, u64 length
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((uint64_t(m.size()) >> shift) & 0xff);
  }
  return out + m;
}

std::string hex_digest(const std::string& algorithm, const std::string& salt, const std::string& data) {
  std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md(EVP_MD_fetch(nullptr, algorithm.c_str(), nullptr), EVP_MD_free);
  if (!md)
    throw std::invalid_argument("unknown hash algorithm \"" + algorithm + "\" (use a Java MessageDigest name such as "
                                "SHA-256, SHA-512 or MD5)");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!ctx || !EVP_DigestInit_ex(ctx.get(), md.get(), nullptr) ||
      !EVP_DigestUpdate(ctx.get(), salt.data(), salt.size()) ||
      !EVP_DigestUpdate(ctx.get(), data.data(), data.size()) || !EVP_DigestFinal_ex(ctx.get(), out, &len))
    throw std::runtime_error("hashing with " + algorithm + " failed");
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += digits[out[i] >> 4];
    hex += digits[out[i] & 0xf];
  }
  return hex;
}

}  // namespace sluice::mysql::cdc
