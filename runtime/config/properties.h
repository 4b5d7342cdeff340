#pragma once
// Java .properties files, read with java.util.Properties.load semantics so that a worker
// properties file that works with the JVM worker means the same thing here.
//
// Bytes pass through unchanged (files are expected to be UTF-8); \uXXXX escapes are encoded
// as UTF-8, with surrogate pairs combined and a lone surrogate written as U+FFFD.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/common/error.h"

namespace sluice::config {

// Parsed key/value pairs in file order. A key that appears again keeps its first position
// and takes the later value, as a later put() does in java.util.Properties.
class Properties {
 public:
  using Entry = std::pair<std::string, std::string>;

  void set(std::string key, std::string value);

  std::optional<std::string> get(std::string_view key) const;
  std::string get_or(std::string_view key, std::string_view fallback) const;
  bool contains(std::string_view key) const;

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const std::vector<Entry>& entries() const { return entries_; }
  std::vector<Entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Entry>::const_iterator end() const { return entries_.end(); }

  // A copy as a plain map, the shape most config code takes.
  std::map<std::string, std::string> to_map() const;

 private:
  std::vector<Entry> entries_;
  std::map<std::string, std::size_t, std::less<>> index_;  // key -> position in entries_
};

// Parses properties text. source_name goes into error messages (a file path, or something
// like "<request body>"); errors say the line and what to fix.
Result<Properties> parse_properties(std::string_view text, std::string_view source_name);

// Reads and parses a file; a missing or unreadable file is an error naming the path and
// the system's reason.
Result<Properties> load_properties_file(const std::string& path);

}  // namespace sluice::config
