// Debezium's rule for which schema history records apply at a stored offset.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plugins/mysql/schema/history_record.h"

namespace sluice::mysql {
namespace {

const api::Value* get(const api::OffsetMap& m, std::string_view key) {
  for (const auto& [k, v] : m)
    if (k == key) return v.is_null() ? nullptr : &v;
  return nullptr;
}

int64_t get_int(const api::OffsetMap& m, std::string_view key, int64_t dflt) {
  const api::Value* v = get(m, key);
  int64_t out = dflt;
  if (!v) return dflt;
  if (v->get_integer(out)) return out;
  if (v->kind() == api::Value::Kind::String) return std::strtoll(v->as_string().c_str(), nullptr, 10);
  return dflt;
}

std::optional<std::string> get_string(const api::OffsetMap& m, std::string_view key) {
  const api::Value* v = get(m, key);
  if (!v || v->kind() != api::Value::Kind::String) return std::nullopt;
  return v->as_string();
}

bool get_bool(const api::OffsetMap& m, std::string_view key) {
  const api::Value* v = get(m, key);
  if (!v) return false;
  if (v->kind() == api::Value::Kind::Boolean) return v->as_bool();
  if (v->kind() == api::Value::Kind::String) return v->as_string() == "true";
  return false;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t e = s.find(sep, start);
    if (e == std::string_view::npos) e = s.size();
    std::string part(s.substr(start, e - start));
    part.erase(0, part.find_first_not_of(" \n\r\t"));
    part.erase(part.find_last_not_of(" \n\r\t") + 1);
    if (!part.empty()) out.push_back(part);
    start = e + 1;
  }
  return out;
}

bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), ::isdigit); }

// MariaDB: "0-1-100,1-2-5" (domain-server-sequence). Contained: every domain's sequence is at
// or below the desired one's.
bool is_mariadb_gtids(std::string_view s) {
  for (const auto& e : split(s, ',')) {
    auto parts = split(e, '-');
    if (parts.size() != 3 || !all_digits(parts[0]) || !all_digits(parts[1]) || !all_digits(parts[2])) return false;
  }
  return true;
}

bool mariadb_contained(std::string_view recorded, std::string_view desired) {
  std::map<std::string, unsigned long long> want;
  for (const auto& e : split(desired, ',')) {
    auto p = split(e, '-');
    want[p[0]] = std::strtoull(p[2].c_str(), nullptr, 10);
  }
  for (const auto& e : split(recorded, ',')) {
    auto p = split(e, '-');
    auto it = want.find(p[0]);
    if (it == want.end() || std::strtoull(p[2].c_str(), nullptr, 10) > it->second) return false;
  }
  return true;
}

// MySQL: "uuid:1-5:7,uuid2:tag:3-9". Contained: every recorded interval lies within the
// desired intervals of the same source (and tag).
using Intervals = std::vector<std::pair<unsigned long long, unsigned long long>>;

std::map<std::string, Intervals> mysql_gtids(std::string_view s) {
  std::map<std::string, Intervals> out;
  for (const auto& e : split(s, ',')) {
    auto parts = split(e, ':');
    if (parts.empty()) continue;
    for (auto& c : parts[0]) c = char(std::tolower(static_cast<unsigned char>(c)));  // UUIDs: any case
    std::string source = parts[0];
    for (size_t i = 1; i < parts.size(); ++i) {
      const std::string& p = parts[i];
      if (!p.empty() && !::isdigit(static_cast<unsigned char>(p[0]))) {  // a tag (MySQL 8.4)
        source = parts[0] + ":" + p;
        continue;
      }
      size_t dash = p.find('-');
      unsigned long long a = std::strtoull(p.c_str(), nullptr, 10);
      unsigned long long b = dash == std::string::npos ? a : std::strtoull(p.c_str() + dash + 1, nullptr, 10);
      out[source].push_back({a, b});
    }
  }
  for (auto& [k, v] : out) std::sort(v.begin(), v.end());
  return out;
}

bool mysql_contained(std::string_view recorded, std::string_view desired) {
  auto want = mysql_gtids(desired);
  for (const auto& [source, intervals] : mysql_gtids(recorded)) {
    auto it = want.find(source);
    if (it == want.end()) return false;
    for (const auto& [a, b] : intervals) {
      bool inside = std::any_of(it->second.begin(), it->second.end(),
                                [&](const auto& w) { return w.first <= a && b <= w.second; });
      if (!inside) return false;
    }
  }
  return true;
}

// "mysql-bin.000012" -> (base, 12): files compare by their numeric extension.
std::pair<std::string, unsigned long long> binlog_file(const std::string& f) {
  size_t dot = f.rfind('.');
  if (dot == std::string::npos) return {f, 0};
  return {f.substr(0, dot), std::strtoull(f.c_str() + dot + 1, nullptr, 10)};
}

int cmp(int64_t a, int64_t b) { return a < b ? -1 : a > b ? 1 : 0; }

}  // namespace

bool history_position_at_or_before(const api::OffsetMap& recorded, const api::OffsetMap& desired) {
  auto rg = get_string(recorded, "gtids");
  auto dg = get_string(desired, "gtids");
  if (dg) {
    if (!rg) return true;  // GTIDs get enabled, rarely disabled: the record is older
    bool equal = *rg == *dg;
    if (!equal) {
      return is_mariadb_gtids(*rg) && is_mariadb_gtids(*dg) ? mariadb_contained(*rg, *dg) : mysql_contained(*rg, *dg);
    }
    // The same transaction set: a streamed record is after a snapshot offset, otherwise the
    // events and rows within the transaction decide.
    if (get_bool(desired, "snapshot") && !get_bool(recorded, "snapshot")) return false;
    if (int c = cmp(get_int(recorded, "event", 0), get_int(desired, "event", 0))) return c < 0;
    return get_int(recorded, "row", 0) <= get_int(desired, "row", 0);
  }
  if (rg) return false;
  if (get_int(recorded, "server_id", 0) != get_int(desired, "server_id", 0)) {
    return get_int(recorded, "ts_sec", 0) <= get_int(desired, "ts_sec", 0);
  }
  auto rf = binlog_file(get_string(recorded, "file").value_or(""));
  auto df = binlog_file(get_string(desired, "file").value_or(""));
  if (rf.second != df.second) return rf.second < df.second;
  if (int c = cmp(get_int(recorded, "pos", -1), get_int(desired, "pos", -1))) return c < 0;
  if (get_bool(desired, "snapshot") && !get_bool(recorded, "snapshot")) return false;
  if (int c = cmp(get_int(recorded, "event", 0), get_int(desired, "event", 0))) return c < 0;
  return get_int(recorded, "row", -1) <= get_int(desired, "row", -1);
}

}  // namespace sluice::mysql
