#include "plugins/postgres/connector/copy_text.h"

#include <catch2/catch.hpp>

using sluice::postgres::split_copy_row;
using Cells = std::vector<std::optional<std::string_view>>;

namespace {
std::vector<std::optional<std::string>> split(std::string_view row) {
  Cells cells;
  std::string scratch;
  split_copy_row(row, cells, scratch);
  std::vector<std::optional<std::string>> out;
  for (auto& c : cells) out.push_back(c ? std::optional<std::string>(std::string(*c)) : std::nullopt);
  return out;
}
using V = std::vector<std::optional<std::string>>;
}  // namespace

TEST_CASE("COPY text rows: fields, NULL, the trailing newline") {
  CHECK(split("1\tabc\t\\N\t\n") == V{"1", "abc", std::nullopt, ""});
  CHECK(split("only") == V{"only"});
  CHECK(split("\n") == V{""});
  // \N is NULL only as a whole field.
  CHECK(split("\\\\N\tx\\N") == V{"\\N", "xN"});
}

TEST_CASE("COPY text rows: every escape PostgreSQL writes or reads") {
  CHECK(split("a\\tb\\nc\\rd\\\\e") == V{"a\tb\nc\rd\\e"});
  CHECK(split("\\b\\f\\v") == V{"\b\f\v"});
  CHECK(split("\\101\\7\\0601") == V{"A\a01"});  // octal: at most 3 digits
  CHECK(split("\\x41\\x4a2\\xz") == V{"AJ2xz"});   // hex: at most 2 digits; \x alone is x
  CHECK(split("\\q") == V{"q"});                   // any other character is itself
  CHECK(split("{\"a\\\\tb\",c}") == V{"{\"a\\tb\",c}"});  // an array's own escapes survive
}

TEST_CASE("COPY text rows: views into the row and the scratch stay valid together") {
  Cells cells;
  std::string scratch;
  std::string row = "plain\tesc\\taped\tmore\\\\x\t\\N\tlast";
  split_copy_row(row, cells, scratch);
  REQUIRE(cells.size() == 5);
  CHECK(*cells[0] == "plain");
  CHECK(*cells[1] == "esc\taped");
  CHECK(*cells[2] == "more\\x");
  CHECK_FALSE(cells[3].has_value());
  CHECK(*cells[4] == "last");
  CHECK(cells[0]->data() == row.data());  // no copy for a field without escapes
}
