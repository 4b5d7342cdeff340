// MySQL GTID sets: Debezium's text form, the COM_BINLOG_DUMP_GTID encoding, and the start set a
// resume sends (stored set plus the purged GTIDs of unknown server uuids; purged gaps refused).
#include <catch2/catch.hpp>

#include <stdexcept>

#include "plugins/mysql/connector/gtid_set.h"
#include "plugins/mysql/connector/streamer.h"

using sluice::mysql::cdc::GtidSet;
using sluice::mysql::cdc::StreamError;
using sluice::mysql::cdc::Streamer;

namespace {
const char* kA = "93e95066-a2f4-11ec-9b69-9657f0ae95e2";
const char* kB = "357df524-4139-11ee-9979-b033ee13919e";
}  // namespace

TEST_CASE("GtidSet parses, merges and prints MySQL's text form") {
  auto g = GtidSet::parse(std::string(kA) + ":1-3:5, " + kB + ":7");
  CHECK(g.to_string() == std::string(kB) + ":7," + kA + ":1-3:5");
  g.add(kA, 4);
  CHECK(g.to_string() == std::string(kB) + ":7," + kA + ":1-5");
  g.add(kA, 9);
  CHECK(g.to_string() == std::string(kB) + ":7," + kA + ":1-5:9");
  CHECK(GtidSet::parse("").empty());
  CHECK_THROWS_AS(GtidSet::parse("nonsense:1"), std::invalid_argument);
  CHECK_THROWS_AS(GtidSet::parse(std::string(kA) + ":1-x"), std::invalid_argument);
  CHECK_THROWS_AS(GtidSet::parse(std::string(kA) + ":tag:1"), std::invalid_argument);
}

TEST_CASE("GtidSet encodes for COM_BINLOG_DUMP_GTID with exclusive interval ends") {
  auto bytes = GtidSet::parse(std::string(kA) + ":1-3:5").encode();
  REQUIRE(bytes.size() == 8 + 16 + 8 + 2 * 16);
  CHECK(bytes[0] == 1);                         // one sid
  CHECK(static_cast<uint8_t>(bytes[8]) == 0x93);  // uuid bytes in text order
  CHECK(static_cast<uint8_t>(bytes[23]) == 0xe2);
  CHECK(bytes[24] == 2);                        // two intervals
  CHECK(bytes[32] == 1);
  CHECK(bytes[40] == 4);  // [1, 4)
  CHECK(bytes[48] == 5);
  CHECK(bytes[56] == 6);  // [5, 6)
}

TEST_CASE("the resume set adds purged GTIDs of unknown uuids and refuses purged gaps") {
  auto start = Streamer::mysql_start_set(std::string(kA) + ":1-10", std::string(kA) + ":1-5," + kB + ":1-3");
  CHECK(start.to_string() == std::string(kB) + ":1-3," + kA + ":1-10");
  CHECK(Streamer::mysql_start_set(std::string(kA) + ":1-10", "").to_string() == std::string(kA) + ":1-10");
  CHECK_THROWS_AS(Streamer::mysql_start_set(std::string(kA) + ":1-3", std::string(kA) + ":1-8"), StreamError);
  CHECK(GtidSet::parse(std::string(kA) + ":1-10").contains(GtidSet::parse(std::string(kA) + ":2-4:6")));
  CHECK_FALSE(GtidSet::parse(std::string(kA) + ":1-3").contains(GtidSet::parse(std::string(kA) + ":2-4")));
}
