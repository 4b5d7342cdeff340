#include "runtime/config/java_regex.h"

#include <catch2/catch.hpp>

using sluice::config::JavaRegex;

namespace {

JavaRegex re(std::string_view pattern) {
  auto r = JavaRegex::compile(pattern);
  if (!r) FAIL("unexpected error: " << r.error().message);
  return r.value();
}

}  // namespace

TEST_CASE("regex: matches() needs the whole subject, find() any part") {
  auto b = re("b");
  CHECK_FALSE(b.matches("abc"));
  CHECK(b.find("abc"));
  CHECK(b.matches("b"));
  CHECK_FALSE(b.find("xyz"));

  // Whole-match must backtrack into the alternative that reaches the end, as Java does.
  CHECK(re("a|ab").matches("ab"));
  CHECK(re("topic-(.*)").matches("topic-orders"));
  CHECK_FALSE(re("topic-(.*)").matches("my-topic-orders"));
  CHECK(re("").matches(""));
  CHECK_FALSE(re("").matches("x"));
  CHECK(re("").find("x"));
}

TEST_CASE("regex: Java POSIX classes keep their ASCII meaning") {
  CHECK(re("\\p{Alpha}+").matches("abcXYZ"));
  CHECK_FALSE(re("\\p{Alpha}+").matches("abc1"));
  CHECK_FALSE(re("\\p{Alpha}").matches("\xC3\xA9"));  // é: Java's \p{Alpha} is US-ASCII only
  CHECK(re("\\P{Alpha}").matches("1"));
  CHECK_FALSE(re("\\P{Alpha}").matches("a"));
  CHECK(re("[\\p{Alpha}_]+").matches("a_b"));
  CHECK(re("[^\\p{Digit}]+").matches("abc"));
  CHECK_FALSE(re("[^\\p{Digit}]+").matches("a1"));
  CHECK(re("[\\P{Digit}]").matches("x"));
  CHECK(re("\\p{Punct}\\p{Upper}\\p{Lower}\\p{XDigit}\\p{Space}").matches("!Aaf "));
  CHECK(re("\\p{Alnum}{3}").matches("a1B"));
  // Unicode categories and scripts pass through; "Is" prefixes are Java spelling.
  CHECK(re("\\p{Lu}").matches("\xC3\x89"));  // É
  CHECK(re("\\p{IsLatin}+").matches("caf\xC3\xA9"));
  CHECK(re("\\pL+").matches("\xD0\xBA\xD0\xBB"));  // кл
  // \w and \d are ASCII-only by default, as in Java.
  CHECK_FALSE(re("\\w").matches("\xC3\xA9"));
  // \Q...\E is literal.
  CHECK(re("\\Q\\p{Alpha}\\E").matches("\\p{Alpha}"));
}

TEST_CASE("regex: UTF-8 subjects and Java line terminators") {
  CHECK(re(".").matches("\xE2\x82\xAC"));  // one code point, three bytes
  CHECK_FALSE(re("a.b").matches("a\nb"));
  CHECK_FALSE(re("a.b").matches("a\rb"));
  CHECK(re("(?s)a.b").matches("a\nb"));
  // Invalid UTF-8 in a subject does not match there, and is not an error elsewhere.
  CHECK_FALSE(re(".").matches("\xFF"));
  CHECK(re("b").find("a\xFF" "b"));
}

TEST_CASE("regex: capture groups") {
  auto r = re("(\\w+)-(x)?(\\d+)");
  CHECK(r.group_count() == 3);
  std::string_view s = "orders-42";
  auto m = r.match_whole(s);
  REQUIRE(m);
  CHECK(m->group(s, 0) == "orders-42");
  CHECK(m->group(s, 1) == "orders");
  CHECK_FALSE(m->participated(2));
  CHECK(m->group(s, 2) == "");
  CHECK(m->group(s, 3) == "42");

  auto digits = re("\\d+");
  std::string_view t = "a1bb22ccc333";
  std::vector<std::string_view> found;
  for (auto f = digits.find_from(t); f; f = digits.find_from(t, f->end())) found.push_back(f->group(t, 0));
  CHECK(found == std::vector<std::string_view>{"1", "22", "333"});
  CHECK_FALSE(digits.find_from(t, 100));
  CHECK_FALSE(digits.match_whole(t));
}

TEST_CASE("regex: a bad pattern reports PCRE2's message and the offset") {
  auto r = JavaRegex::compile("a(b");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message ==
        "invalid regular expression \"a(b\": missing closing parenthesis at offset 3");

  // Offsets are those of the pattern as written, though \p{Alpha} is rewritten for PCRE2.
  auto shifted = JavaRegex::compile("\\p{Alpha}+)");
  REQUIRE_FALSE(shifted.ok());
  CHECK_THAT(shifted.error().message, Catch::EndsWith("at offset 10"));

  auto unknown = JavaRegex::compile("\\p{javaLowerCase}");
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.error().message, Catch::Contains("unknown property"));
}

TEST_CASE("regex: copies share the compiled pattern") {
  auto a = re("x+");
  JavaRegex b = a;
  CHECK(b.pattern() == "x+");
  CHECK(b.matches("xxx"));
  CHECK(a.matches("xx"));
}

TEST_CASE("regex: CASE_INSENSITIVE and named group numbers") {
  auto plain = re("shop\\.orders");
  CHECK_FALSE(plain.matches("SHOP.Orders"));
  auto ci = JavaRegex::compile("shop\\.\\p{Alpha}+", JavaRegex::kCaseInsensitive);
  REQUIRE(ci.ok());
  CHECK(ci->matches("SHOP.Orders"));
  CHECK_FALSE(ci->matches("SHOP.Orders2"));
  auto named = re("(?<db>\\w+)\\.(?<tbl>\\w+)");
  CHECK(named.group_number("db") == 1);
  CHECK(named.group_number("tbl") == 2);
  CHECK(named.group_number("nope") == -1);
}
