#include "plugins/postgres/connector/copy_text.h"

namespace sluice::postgres {

namespace {
int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes an escaped field into the end of `scratch`; returns a view of it.
std::string_view unescape(std::string_view f, std::string& scratch) {
  size_t start = scratch.size();
  for (size_t i = 0; i < f.size(); ++i) {
    char c = f[i];
    if (c != '\\' || i + 1 == f.size()) {
      scratch.push_back(c);
      continue;
    }
    char e = f[++i];
    switch (e) {
      case 'b': scratch.push_back('\b'); break;
      case 'f': scratch.push_back('\f'); break;
      case 'n': scratch.push_back('\n'); break;
      case 'r': scratch.push_back('\r'); break;
      case 't': scratch.push_back('\t'); break;
      case 'v': scratch.push_back('\v'); break;
      case 'x': {
        int v = 0, n = 0;
        while (n < 2 && i + 1 < f.size() && hex_digit(f[i + 1]) >= 0) v = v * 16 + hex_digit(f[++i]), ++n;
        if (n == 0) scratch.push_back('x');
        else scratch.push_back(static_cast<char>(v));
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          int v = e - '0', n = 1;
          while (n < 3 && i + 1 < f.size() && f[i + 1] >= '0' && f[i + 1] <= '7') v = v * 8 + (f[++i] - '0'), ++n;
          scratch.push_back(static_cast<char>(v & 0xFF));
        } else {
          scratch.push_back(e);
        }
    }
  }
  return std::string_view(scratch).substr(start);
}
}  // namespace

void split_copy_row(std::string_view row, std::vector<std::optional<std::string_view>>& cells,
                    std::string& scratch) {
  if (!row.empty() && row.back() == '\n') row.remove_suffix(1);
  scratch.clear();
  scratch.reserve(row.size());
  cells.clear();
  size_t from = 0;
  while (true) {
    size_t tab = row.find('\t', from);
    std::string_view f = row.substr(from, tab == std::string_view::npos ? std::string_view::npos : tab - from);
    if (f == "\\N") cells.emplace_back(std::nullopt);
    else if (f.find('\\') == std::string_view::npos) cells.emplace_back(f);
    else cells.emplace_back(unescape(f, scratch));
    if (tab == std::string_view::npos) break;
    from = tab + 1;
  }
}

}  // namespace sluice::postgres
