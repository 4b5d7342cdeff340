#include "storage/kafka/status_cache.h"

namespace sluice::storage {

bool StatusCache::apply(std::string_view key, std::optional<std::string_view> value) {
  StatusKey k = parse_status_key(key);
  if (k.kind == StatusKey::Unknown) return false;
  if (k.kind == StatusKey::Topic) {
    if (value && !decode_topic_status(*value)) return false;
    if (value) topics_[k.connector][k.topic] = true;
    else if (auto it = topics_.find(k.connector); it != topics_.end()) it->second.erase(k.topic);
    return true;
  }
  if (!value) {
    if (k.kind == StatusKey::Connector) connectors_.erase(k.connector);
    else if (auto it = tasks_.find(k.connector); it != tasks_.end()) it->second.erase(k.task);
    return true;
  }
  auto v = decode_status(*value);
  if (!v) return false;
  if (k.kind == StatusKey::Connector) {
    connectors_[k.connector] = std::move(*v);
    return true;
  }
  auto& slot = tasks_[k.connector];
  auto it = slot.find(k.task);
  if (v->state == "UNASSIGNED" && it != slot.end() && it->second.state == "RUNNING" &&
      v->generation <= it->second.generation)
    return true;  // a stale UNASSIGNED from the previous owner's shutdown
  slot[k.task] = std::move(*v);
  return true;
}

std::vector<std::string> StatusCache::names() const {
  std::vector<std::string> out;
  for (auto& [n, _] : connectors_) out.push_back(n);
  for (auto& [n, t] : tasks_)
    if (!connectors_.count(n) && !t.empty()) out.push_back(n);
  return out;
}

std::optional<StatusValue> StatusCache::connector(const std::string& name) const {
  auto it = connectors_.find(name);
  if (it == connectors_.end()) return std::nullopt;
  return it->second;
}

std::map<int, StatusValue> StatusCache::tasks(const std::string& name) const {
  auto it = tasks_.find(name);
  return it == tasks_.end() ? std::map<int, StatusValue>{} : it->second;
}

std::optional<StatusValue> StatusCache::task(const std::string& name, int id) const {
  auto it = tasks_.find(name);
  if (it == tasks_.end()) return std::nullopt;
  auto t = it->second.find(id);
  if (t == it->second.end()) return std::nullopt;
  return t->second;
}

}  // namespace sluice::storage
