#include "runtime/config/properties.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using sluice::config::Properties;
using sluice::config::load_properties_file;
using sluice::config::parse_properties;

namespace {

Properties parse_ok(std::string_view text) {
  auto r = parse_properties(text, "test.properties");
  if (!r) FAIL("unexpected error: " << r.error().message);
  return r.value();
}

std::string parse_error(std::string_view text) {
  auto r = parse_properties(text, "test.properties");
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}

using Entries = std::vector<Properties::Entry>;

}  // namespace

TEST_CASE("properties: the three separators and the whitespace around them") {
  auto p = parse_ok(
      "a=1\n"
      "b:2\n"
      "c 3\n"
      "d\t4\n"
      "e = 5\n"
      "f : 6\n"
      "g   =   7\n"
      "h     8\n"
      "i= =9\n"
      "j==10\n"
      "k :=x\n"
      "l\f12\n");
  CHECK(p.entries() == Entries{{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}, {"e", "5"},
                               {"f", "6"}, {"g", "7"}, {"h", "8"}, {"i", "=9"}, {"j", "=10"},
                               {"k", "=x"}, {"l", "12"}});
}

TEST_CASE("properties: leading whitespace is dropped, trailing whitespace of a value kept") {
  auto p = parse_ok("   \t key = value  \n\f other=x\n");
  CHECK(p.entries() == Entries{{"key", "value  "}, {"other", "x"}});
}

TEST_CASE("properties: comments and blank lines") {
  auto p = parse_ok(
      "# hash comment\n"
      "! bang comment\n"
      "   # indented comment\n"
      "\n"
      "   \t \n"
      "a=b # not a comment\n"
      "c=d ! nor this\n"
      "# a comment ending in a backslash does not continue \\\n"
      "e=f\n");
  CHECK(p.entries() == Entries{{"a", "b # not a comment"}, {"c", "d ! nor this"}, {"e", "f"}});
}

TEST_CASE("properties: keys without values") {
  auto p = parse_ok("empty=\nbare\nspaced   \ncolon :\n");
  CHECK(p.entries() == Entries{{"empty", ""}, {"bare", ""}, {"spaced", ""}, {"colon", ""}});
}

TEST_CASE("properties: continuation lines") {
  SECTION("leading whitespace of continued lines is dropped") {
    auto p = parse_ok("fruits = apple, \\\n    banana, \\\n\tpear\nnext=1\n");
    CHECK(p.entries() == Entries{{"fruits", "apple, banana, pear"}, {"next", "1"}});
  }
  SECTION("an even number of backslashes is an escaped backslash, not a continuation") {
    auto p = parse_ok("path=c:\\\\\nnext=1\n");
    CHECK(p.entries() == Entries{{"path", "c:\\"}, {"next", "1"}});
  }
  SECTION("an odd number continues after the escaped pairs") {
    auto p = parse_ok("path=c:\\\\\\\n  dir\n");
    CHECK(p.entries() == Entries{{"path", "c:\\dir"}});
  }
  SECTION("a continued line starting with # is text, not a comment") {
    auto p = parse_ok("a=b\\\n  #c\n");
    CHECK(p.entries() == Entries{{"a", "b#c"}});
  }
  SECTION("after a line holding only a continuation, # still starts a comment (JDK 9+)") {
    auto p = parse_ok("\\\n# comment\nk=v\n");
    CHECK(p.entries() == Entries{{"k", "v"}});
  }
  SECTION("a lone continuation right before the end of input is an empty key, as in the JDK") {
    CHECK(parse_ok("\\\n").entries() == Entries{{"", ""}});
    CHECK(parse_ok("\\\r\n").empty());
  }
  SECTION("a continuation onto a blank line ends the logical line") {
    auto p = parse_ok("a=b\\\n   \nc=d\n");
    CHECK(p.entries() == Entries{{"a", "b"}, {"c", "d"}});
  }
  SECTION("a continuation at end of input is dropped") {
    auto p = parse_ok("a=b\\");
    CHECK(p.entries() == Entries{{"a", "b"}});
  }
  SECTION("a key can be continued too") {
    auto p = parse_ok("ke\\\n   y=v\n");
    CHECK(p.entries() == Entries{{"key", "v"}});
  }
  SECTION("CRLF and CR line ends") {
    auto p = parse_ok("a=1 \\\r\n  2\r\nb=3\rc=4 \\\r  5\r");
    CHECK(p.entries() == Entries{{"a", "1 2"}, {"b", "3"}, {"c", "4 5"}});
  }
}

TEST_CASE("properties: escapes") {
  auto p = parse_ok(
      "tab=a\\tb\n"
      "controls=\\n\\r\\f\n"
      "backslash=a\\\\b\n"
      "my\\=key\\:x\\ y=v\n"
      "\\#notcomment=1\n"
      "\\!also=2\n"
      "\\ lead=3\n"
      "value=\\  v\n"
      "other=\\q\\b\\=\\:\\#\\!\n");
  CHECK(p.entries() == Entries{{"tab", "a\tb"},
                               {"controls", "\n\r\f"},
                               {"backslash", "a\\b"},
                               {"my=key:x y", "v"},
                               {"#notcomment", "1"},
                               {"!also", "2"},
                               {" lead", "3"},
                               {"value", "  v"},
                               {"other", "qb=:#!"}});
}

TEST_CASE("properties: unicode escapes become UTF-8") {
  auto p = parse_ok(
      "e=\\u00e9\\u00C9\n"
      "euro=\\u20AC\n"
      "ascii=\\u0041\n"
      "emoji=\\uD83D\\uDE00\n"
      "lone=\\uD800x\\uDC00\n"
      "\\u006Bey=k\n"
      "raw=ключ €\n");
  CHECK(p.get("e") == "\xC3\xA9\xC3\x89");
  CHECK(p.get("euro") == "\xE2\x82\xAC");
  CHECK(p.get("ascii") == "A");
  CHECK(p.get("emoji") == "\xF0\x9F\x98\x80");
  CHECK(p.get("lone") == "\xEF\xBF\xBDx\xEF\xBF\xBD");
  CHECK(p.get("key") == "k");
  CHECK(p.get("raw") == "ключ €");
}

TEST_CASE("properties: duplicate keys keep the first position and the last value") {
  auto p = parse_ok("a=1\nb=2\na=3\n");
  CHECK(p.entries() == Entries{{"a", "3"}, {"b", "2"}});
  CHECK(p.size() == 2);
  CHECK(p.get("a") == "3");
}

TEST_CASE("properties: lookups, iteration and the map view") {
  auto p = parse_ok("z=1\ny=\nx=3\n");
  CHECK(p.contains("y"));
  CHECK_FALSE(p.contains("w"));
  CHECK(p.get("y") == "");
  CHECK(p.get("w") == std::nullopt);
  CHECK(p.get_or("w", "dflt") == "dflt");
  CHECK(p.get_or("x", "dflt") == "3");
  std::vector<std::string> order;
  for (const auto& [k, v] : p) order.push_back(k);
  CHECK(order == std::vector<std::string>{"z", "y", "x"});
  CHECK(p.to_map() == std::map<std::string, std::string>{{"x", "3"}, {"y", ""}, {"z", "1"}});
  CHECK(parse_ok("").empty());
  CHECK(parse_ok("\n  \n# only comments\n").empty());
}

TEST_CASE("properties: malformed unicode escapes name the source, line and fix") {
  CHECK(parse_error("ok=1\nbad=\\u12G4\n") ==
        "test.properties, line 2: malformed \\uXXXX escape \"\\u12G4\" in the value of key \"bad\": "
        "\\u must be followed by exactly four hex digits (0-9, a-f, A-F); write a literal "
        "backslash as \\\\");
  CHECK_THAT(parse_error("\n\n\\uXYZW=1\n"),
             Catch::StartsWith("test.properties, line 3: malformed \\uXXXX escape \"\\uXYZW\" in a key:"));
  CHECK_THAT(parse_error("x=\\u12"),
             Catch::StartsWith("test.properties, line 1: malformed \\uXXXX escape \"\\u12\""));
  // The escape sits on the third natural line of a continued line.
  CHECK_THAT(parse_error("a=1\nb=one \\\n  two \\\n  \\u00zz\n"),
             Catch::StartsWith("test.properties, line 4: "));
  auto r = parse_properties("k=\\u", "");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::StartsWith("line 1: malformed"));
}

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "sluice-props-XXXXXX").string();
    REQUIRE(mkdtemp(templ.data()) != nullptr);
    path = templ;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("properties: files") {
  TempDir dir;
  SECTION("a readable file") {
    auto file = (dir.path / "worker.properties").string();
    std::ofstream(file) << "bootstrap.servers=localhost:9092\ngroup.id = connect\n";
    auto r = load_properties_file(file);
    REQUIRE(r.ok());
    CHECK(r->entries() == Entries{{"bootstrap.servers", "localhost:9092"}, {"group.id", "connect"}});
  }
  SECTION("a parse error names the file") {
    auto file = (dir.path / "bad.properties").string();
    std::ofstream(file) << "a=1\nb=\\uZZZZ\n";
    auto r = load_properties_file(file);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::StartsWith(file + ", line 2: malformed"));
  }
  SECTION("a missing file names the path and the reason") {
    auto file = (dir.path / "missing.properties").string();
    auto r = load_properties_file(file);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message ==
          "Could not read properties file \"" + file + "\": No such file or directory");
  }
  SECTION("a directory is not a properties file") {
    auto r = load_properties_file(dir.path.string());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message ==
          "Could not read properties file \"" + dir.path.string() + "\": Is a directory");
  }
}
