#pragma once
// A MySQL GTID set ("uuid:1-5:7,uuid2:1-3", Debezium's offset format) with the binary encoding
// COM_BINLOG_DUMP_GTID expects. Tagged GTIDs (MySQL 8.4+ "uuid:tag:n") are not supported.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sluice::mysql::cdc {

class GtidSet {
 public:
  // Throws std::invalid_argument naming the bad part.
  static GtidSet parse(const std::string& text);
  void add(const std::string& uuid, int64_t gno);
  // Adds every interval of `other` whose uuid this set does not have.
  void add_missing_uuids(const GtidSet& other);
  bool contains(const GtidSet& other) const;
  bool empty() const { return sets_.empty(); }
  std::string to_string() const;
  // n_sids u64, then per uuid: 16 bytes, n_intervals u64, [start, end) u64 pairs.
  std::string encode() const;

 private:
  void normalize(std::vector<std::pair<int64_t, int64_t>>& v);  // inclusive intervals
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> sets_;
};

}  // namespace sluice::mysql::cdc
