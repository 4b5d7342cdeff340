#include "plugins/mysql/connector/gtid_set.h"

#include <algorithm>
#include <stdexcept>

namespace sluice::mysql::cdc {

namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t i = 0;
  for (;;) {
    size_t j = s.find(sep, i);
    out.push_back(s.substr(i, j == std::string::npos ? std::string::npos : j - i));
    if (j == std::string::npos) return out;
    i = j + 1;
  }
}

int64_t number(const std::string& s, const std::string& whole) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
    throw std::invalid_argument("malformed GTID set \"" + whole + "\": \"" + s + "\" is not a transaction number");
  return std::stoll(s);
}

void put_u64(std::string& s, uint64_t v) { for (int i = 0; i < 8; ++i) s += char((v >> (8 * i)) & 0xff); }

}  // namespace

GtidSet GtidSet::parse(const std::string& text) {
  GtidSet g;
  for (auto& part : split(text, ',')) {
    std::string p = trim(part);
    if (p.empty()) continue;
    auto fields = split(p, ':');
    std::string uuid = fields[0];
    if (uuid.size() != 36)
      throw std::invalid_argument("malformed GTID set \"" + text + "\": \"" + uuid + "\" is not a server uuid" +
                                  " (tagged GTIDs are not supported)");
    auto& v = g.sets_[uuid];
    for (size_t i = 1; i < fields.size(); ++i) {
      auto range = split(fields[i], '-');
      if (range.size() > 2) throw std::invalid_argument("malformed GTID set \"" + text + "\": \"" + fields[i] + "\"");
      int64_t a = number(range[0], text), b = range.size() == 2 ? number(range[1], text) : a;
      v.emplace_back(a, b);
    }
    g.normalize(v);
  }
  return g;
}

void GtidSet::normalize(std::vector<std::pair<int64_t, int64_t>>& v) {
  std::sort(v.begin(), v.end());
  std::vector<std::pair<int64_t, int64_t>> out;
  for (auto& r : v) {
    if (!out.empty() && r.first <= out.back().second + 1) out.back().second = std::max(out.back().second, r.second);
    else out.push_back(r);
  }
  v = std::move(out);
}

void GtidSet::add(const std::string& uuid, int64_t gno) {
  auto& v = sets_[uuid];
  v.emplace_back(gno, gno);
  normalize(v);
}

void GtidSet::add_missing_uuids(const GtidSet& other) {
  for (auto& [uuid, v] : other.sets_)
    if (!sets_.count(uuid)) sets_[uuid] = v;
}

bool GtidSet::contains(const GtidSet& other) const {
  for (auto& [uuid, v] : other.sets_) {
    auto it = sets_.find(uuid);
    for (auto& r : v) {
      bool in = false;
      if (it != sets_.end())
        for (auto& mine : it->second) in = in || (mine.first <= r.first && r.second <= mine.second);
      if (!in) return false;
    }
  }
  return true;
}

std::string GtidSet::to_string() const {
  std::string out;
  for (auto& [uuid, v] : sets_) {
    if (v.empty()) continue;
    out += (out.empty() ? "" : ",") + uuid;
    for (auto& [a, b] : v) out += ":" + std::to_string(a) + (a == b ? "" : "-" + std::to_string(b));
  }
  return out;
}

std::string GtidSet::encode() const {
  std::string out;
  put_u64(out, sets_.size());
  for (auto& [uuid, v] : sets_) {
    std::string hex;
    for (char c : uuid)
      if (c != '-') hex += c;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) out += char(std::stoi(hex.substr(i, 2), nullptr, 16));
    put_u64(out, v.size());
    for (auto& [a, b] : v) {
      put_u64(out, uint64_t(a));
      put_u64(out, uint64_t(b + 1));
    }
  }
  return out;
}

}  // namespace sluice::mysql::cdc
