#include "plugins/mysql/schema/ddl_lexer.h"

#include <cctype>

namespace sluice::mysql::ddl {
namespace {

bool is_word_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || c >= 0x80;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Backslash escapes inside MySQL string literals.
char unescape(char c) {
  switch (c) {
    case '0': return '\0';
    case 'b': return '\b';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'Z': return '\x1a';
    default: return c;  // \\ \' \" and unknown: the character itself (\% and \_ keep the \ in
                        // LIKE only, which DDL does not have)
  }
}

class Lexer {
 public:
  Lexer(std::string_view s, std::vector<Token>& out, std::string& error) : s_(s), out_(out), error_(error) {}

  bool run() {
    out_.clear();
    bool space = false;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (is_space(c)) {
        ++i_;
        space = true;
        continue;
      }
      if (c == '#' || (c == '-' && at("--") && (i_ + 2 >= s_.size() || is_space(s_[i_ + 2])))) {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
        space = true;
        continue;
      }
      if (at("/*")) {
        if (!comment()) return false;
        space = true;
        continue;
      }
      if (in_versioned_ && at("*/")) {
        in_versioned_ = false;
        i_ += 2;
        space = true;
        continue;
      }
      Token t;
      t.pos = i_;
      t.space_before = space;
      space = false;
      if (!token(t)) return false;
      t.raw = s_.substr(t.pos, i_ - t.pos);
      out_.push_back(std::move(t));
    }
    if (in_versioned_) return fail(s_.size(), "unterminated /*! comment");
    Token end;
    end.pos = s_.size();
    out_.push_back(end);
    return true;
  }

 private:
  bool at(std::string_view p) const { return s_.substr(i_, p.size()) == p; }

  bool fail(size_t pos, std::string_view what) {
    error_ = std::string(what) + " at offset " + std::to_string(pos);
    return false;
  }

  bool comment() {
    size_t start = i_;
    // Versioned comments: /*!NNNNN code */ and MariaDB's /*M!NNNNNN code */ are code.
    if (at("/*!") || at("/*M!")) {
      if (in_versioned_) return fail(start, "nested /*! comment");
      i_ += at("/*!") ? 3 : 4;
      size_t digits = 0;
      while (i_ < s_.size() && is_digit(s_[i_]) && digits < 6) ++i_, ++digits;
      in_versioned_ = true;
      return true;
    }
    size_t end = s_.find("*/", i_ + 2);
    if (end == std::string_view::npos) return fail(start, "unterminated comment");
    i_ = end + 2;
    return true;
  }

  bool token(Token& t) {
    char c = s_[i_];
    if (c == '`') return quoted_ident(t);
    if (c == '\'' || c == '"') return string(t, c);
    // X'..', B'..', N'..' and charset introducers are handled by the parser for _cs'..';
    // X and B prefixes are lexed here.
    if ((c == 'x' || c == 'X') && i_ + 1 < s_.size() && s_[i_ + 1] == '\'') return prefixed(t, Tok::kHex);
    if ((c == 'b' || c == 'B') && i_ + 1 < s_.size() && s_[i_ + 1] == '\'') return prefixed(t, Tok::kBits);
    if ((c == 'n' || c == 'N') && i_ + 1 < s_.size() && s_[i_ + 1] == '\'') {
      ++i_;
      return string(t, '\'');
    }
    if (c == '0' && i_ + 2 < s_.size() && (s_[i_ + 1] == 'x' || s_[i_ + 1] == 'b')) {
      size_t j = i_ + 2;
      bool hex = s_[i_ + 1] == 'x';
      while (j < s_.size() && (hex ? std::isxdigit(static_cast<unsigned char>(s_[j])) : (s_[j] == '0' || s_[j] == '1'))) ++j;
      if (j > i_ + 2 && (j == s_.size() || !is_word_char(static_cast<unsigned char>(s_[j])))) {
        t.kind = hex ? Tok::kHex : Tok::kBits;
        t.text = std::string(s_.substr(i_ + 2, j - i_ - 2));
        i_ = j;
        return true;
      }
    }
    if (is_digit(c) || (c == '.' && i_ + 1 < s_.size() && is_digit(s_[i_ + 1]) &&
                        (out_.empty() || out_.back().kind != Tok::kWord))) {
      return number_or_word(t);
    }
    if (is_word_char(static_cast<unsigned char>(c))) return word(t);
    if (c == '@') {
      size_t j = i_ + 1;
      if (j < s_.size() && s_[j] == '@') ++j;
      while (j < s_.size() && (is_word_char(static_cast<unsigned char>(s_[j])) || s_[j] == '.')) ++j;
      t.kind = Tok::kVariable;
      t.text = std::string(s_.substr(i_, j - i_));
      i_ = j;
      return true;
    }
    static constexpr std::string_view kTwo[] = {"<=>", "<=", ">=", "<>", "!=", "||", "&&", ":=", "<<", ">>", "->>", "->"};
    for (auto op : kTwo) {
      if (at(op)) {
        t.kind = Tok::kSymbol;
        t.text = std::string(op);
        i_ += op.size();
        return true;
      }
    }
    t.kind = Tok::kSymbol;
    t.text = std::string(1, c);
    ++i_;
    return true;
  }

  bool quoted_ident(Token& t) {
    size_t start = i_++;
    t.kind = Tok::kQuoted;
    while (i_ < s_.size()) {
      if (s_[i_] == '`') {
        if (i_ + 1 < s_.size() && s_[i_ + 1] == '`') {
          t.text += '`';
          i_ += 2;
          continue;
        }
        ++i_;
        return true;
      }
      t.text += s_[i_++];
    }
    return fail(start, "unterminated `identifier`");
  }

  bool string(Token& t, char q) {
    size_t start = i_++;
    t.kind = Tok::kString;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\\' && i_ + 1 < s_.size()) {
        t.text += unescape(s_[i_ + 1]);
        i_ += 2;
        continue;
      }
      if (c == q) {
        if (i_ + 1 < s_.size() && s_[i_ + 1] == q) {
          t.text += q;
          i_ += 2;
          continue;
        }
        ++i_;
        return true;
      }
      t.text += c;
      ++i_;
    }
    return fail(start, "unterminated string");
  }

  bool prefixed(Token& t, Tok kind) {
    size_t start = i_;
    i_ += 2;
    size_t end = s_.find('\'', i_);
    if (end == std::string_view::npos) return fail(start, "unterminated literal");
    t.kind = kind;
    t.text = std::string(s_.substr(i_, end - i_));
    i_ = end + 1;
    return true;
  }

  bool number_or_word(Token& t) {
    size_t j = i_;
    while (j < s_.size() && is_digit(s_[j])) ++j;
    // 1abc is an identifier in MySQL.
    if (j < s_.size() && is_word_char(static_cast<unsigned char>(s_[j])) && s_[j] != 'e' && s_[j] != 'E') {
      return word(t);
    }
    if (j < s_.size() && s_[j] == '.') {
      ++j;
      while (j < s_.size() && is_digit(s_[j])) ++j;
    }
    if (j < s_.size() && (s_[j] == 'e' || s_[j] == 'E')) {
      size_t k = j + 1;
      if (k < s_.size() && (s_[k] == '+' || s_[k] == '-')) ++k;
      if (k < s_.size() && is_digit(s_[k])) {
        while (k < s_.size() && is_digit(s_[k])) ++k;
        j = k;
      } else if (k < s_.size() && is_word_char(static_cast<unsigned char>(s_[k]))) {
        return word(t);  // 1ea: an identifier
      }
    }
    t.kind = Tok::kNumber;
    t.text = std::string(s_.substr(i_, j - i_));
    i_ = j;
    return true;
  }

  bool word(Token& t) {
    size_t j = i_;
    while (j < s_.size() && is_word_char(static_cast<unsigned char>(s_[j]))) ++j;
    t.kind = Tok::kWord;
    t.text = std::string(s_.substr(i_, j - i_));
    i_ = j;
    return true;
  }

  std::string_view s_;
  std::vector<Token>& out_;
  std::string& error_;
  size_t i_ = 0;
  bool in_versioned_ = false;
};

}  // namespace

bool tokenize(std::string_view sql, std::vector<Token>& out, std::string& error) {
  return Lexer(sql, out, error).run();
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = x - 'a' + 'A';
    if (y >= 'a' && y <= 'z') y = y - 'a' + 'A';
    if (x != y) return false;
  }
  return true;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

}  // namespace sluice::mysql::ddl
