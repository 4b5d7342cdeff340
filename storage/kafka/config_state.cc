#include "storage/kafka/config_state.h"

namespace sluice::storage {

namespace {
ConfigEvent skipped(ConfigEvent::Kind, const std::string& c, std::string why) {
  ConfigEvent e;
  e.kind = ConfigEvent::Skipped;
  e.connector = c;
  e.why = std::move(why);
  return e;
}
}  // namespace

ConfigEvent ConfigState::apply(std::string_view key, std::optional<std::string_view> value, int64_t offset) {
  s_.offset = offset + 1;
  ConfigKey k = parse_config_key(key);
  ConfigEvent ev;
  ev.connector = k.connector;
  switch (k.kind) {
    case ConfigKey::Connector: {
      if (!value) {
        bool had = s_.connectors.erase(k.connector) > 0;
        s_.targets.erase(k.connector);
        s_.tasks.erase(k.connector);
        s_.inconsistent.erase(k.connector);
        deferred_.erase(k.connector);
        ev.kind = had ? ConfigEvent::ConnectorRemoved : ConfigEvent::Ignored;
        return ev;
      }
      auto props = decode_properties(*value);
      if (!props) return skipped(ev.kind, k.connector, props.error().message);
      bool had = s_.connectors.count(k.connector) > 0;
      s_.connectors[k.connector] = std::move(*props);
      ev.kind = had ? ConfigEvent::ConnectorUpdated : ConfigEvent::ConnectorAdded;
      return ev;
    }
    case ConfigKey::TargetState: {
      if (!value) {
        s_.targets.erase(k.connector);
        ev.kind = ConfigEvent::TargetChanged;
        return ev;
      }
      auto t = decode_target_state(*value);
      if (!t) return skipped(ev.kind, k.connector, t.error().message);
      s_.targets[k.connector] = *t;
      ev.kind = ConfigEvent::TargetChanged;
      return ev;
    }
    case ConfigKey::Task: {
      if (!value) return ev;  // Connect ignores a null task config
      auto props = decode_properties(*value);
      if (!props) return skipped(ev.kind, k.connector, props.error().message);
      deferred_[k.connector][k.task] = std::move(*props);
      return ev;
    }
    case ConfigKey::Commit:
      return apply_commit(k.connector, value);
    case ConfigKey::Restart: {
      if (!value) return ev;
      auto r = decode_restart(*value);
      if (!r) return skipped(ev.kind, k.connector, r.error().message);
      ev.kind = ConfigEvent::Restart;
      ev.restart = *r;
      return ev;
    }
    case ConfigKey::SessionKey: {
      if (!value) return skipped(ev.kind, "", "a session key tombstone");
      auto sk = decode_session_key(*value);
      if (!sk) return skipped(ev.kind, "", sk.error().message);
      s_.session_key = std::move(*sk);
      return ev;
    }
    case ConfigKey::TasksFencing:
    case ConfigKey::LoggerCluster:
      return ev;  // known records this worker does not act on
    case ConfigKey::Unknown:
      return skipped(ev.kind, "", "unknown record type with key '" + std::string(key) + "'");
  }
  return ev;
}

ConfigEvent ConfigState::apply_commit(const std::string& connector, std::optional<std::string_view> value) {
  ConfigEvent ev;
  ev.connector = connector;
  if (!value) return ev;
  auto n = decode_commit(*value);
  if (!n) return skipped(ev.kind, connector, n.error().message);
  if (!s_.connectors.count(connector)) {
    // A commit for a connector that no longer exists clears what is left of it.
    s_.tasks.erase(connector);
    s_.inconsistent.erase(connector);
    deferred_.erase(connector);
    return ev;
  }
  auto& buffered = deferred_[connector];
  std::vector<Properties> tasks;
  for (int i = 0; i < *n; ++i) {
    auto it = buffered.find(i);
    if (it == buffered.end()) {
      s_.inconsistent.insert(connector);
      s_.tasks[connector].resize(static_cast<size_t>(*n));
      deferred_.erase(connector);
      return skipped(ev.kind, connector,
                     "commit of " + std::to_string(*n) + " tasks without the config of task " + std::to_string(i));
    }
    tasks.push_back(it->second);
  }
  s_.tasks[connector] = std::move(tasks);
  s_.inconsistent.erase(connector);
  deferred_.erase(connector);
  ev.kind = ConfigEvent::TasksCommitted;
  return ev;
}

}  // namespace sluice::storage
