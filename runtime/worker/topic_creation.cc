#include "runtime/worker/topic_creation.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <tuple>

namespace sluice::worker {

namespace {

constexpr const char* kPrefix = "topic.creation.";
const std::set<std::string> kGroupKeys = {"include", "exclude", "replication.factor", "partitions"};

std::string get(const api::Config& c, const std::string& k) {
  auto it = c.find(k);
  return it == c.end() ? "" : it->second;
}

bool uses_topic_creation(const api::Config& c) {
  auto it = c.lower_bound(kPrefix);
  return it != c.end() && it->first.starts_with(kPrefix);
}

std::vector<std::string> group_names(const api::Config& c) {
  std::vector<std::string> out;
  for (auto& g : api::config_value::split_list(get(c, "topic.creation.groups")))
    if (!g.empty() && g != "default" && std::find(out.begin(), out.end(), g) == out.end()) out.push_back(g);
  return out;
}

// A list of regexes as one alternation, as Connect joins them.
Result<std::optional<config::JavaRegex>> alternation(const std::string& list) {
  auto items = api::config_value::split_list(list);
  if (items.empty()) return std::optional<config::JavaRegex>{};
  std::string joined;
  for (auto& i : items) joined += (joined.empty() ? "" : "|") + i;
  auto r = config::JavaRegex::compile(joined);
  if (!r) return r.error();
  return std::optional<config::JavaRegex>(std::move(*r));
}

std::optional<std::string> check_count(const std::string& value, const char* what) {
  int64_t v = std::strtoll(value.c_str(), nullptr, 10);
  if (v == -1 || v >= 1) return std::nullopt;
  return std::string(what) + " must be positive, or -1 to use the broker's default";
}

}  // namespace

bool TopicCreationGroup::matches(const std::string& topic) const {
  if (exclude && exclude->matches(topic)) return false;
  return include && include->matches(topic);
}

Result<std::unique_ptr<TopicCreation>> TopicCreation::from_config(bool worker_enabled, const api::Config& c) {
  if (!worker_enabled || !uses_topic_creation(c)) return std::unique_ptr<TopicCreation>();
  auto tc = std::unique_ptr<TopicCreation>(new TopicCreation());
  auto read_group = [&](const std::string& name, const TopicCreationGroup* defaults) -> Result<TopicCreationGroup> {
    std::string p = std::string(kPrefix) + name + ".";
    TopicCreationGroup g;
    g.name = name;
    try {
      for (auto [key, out, what] : {std::tuple{"replication.factor", &g.replication_factor, "Replication factor"},
                                    std::tuple{"partitions", &g.partitions, "Number of partitions"}}) {
        auto it = c.find(p + key);
        if (it == c.end()) {
          if (!defaults)
            return Error::fatal("Missing required configuration \"" + p + key + "\" which has no default value.",
                                Stage::Config);
          *out = key == std::string("partitions") ? defaults->partitions : defaults->replication_factor;
          continue;
        }
        int64_t v = api::config_value::get_long(c, p + key, -1);
        if (auto bad = check_count(it->second, what))
          return Error::fatal("Invalid value " + it->second + " for configuration " + p + key + ": " + *bad, Stage::Config);
        *out = static_cast<int>(v);
      }
    } catch (const std::exception& e) {
      return Error::fatal(e.what(), Stage::Config);
    }
    if (!defaults) {
      g.include = config::JavaRegex::compile(".*").value();
    } else {
      auto inc = alternation(get(c, p + "include"));
      if (!inc) return Error::fatal(p + "include: " + inc.error().message, Stage::Config);
      auto exc = alternation(get(c, p + "exclude"));
      if (!exc) return Error::fatal(p + "exclude: " + exc.error().message, Stage::Config);
      g.include = std::move(*inc);
      g.exclude = std::move(*exc);
    }
    for (auto it = c.lower_bound(p); it != c.end() && it->first.starts_with(p); ++it) {
      std::string k = it->first.substr(p.size());
      if (!kGroupKeys.count(k)) g.configs[k] = it->second;
    }
    return g;
  };
  auto d = read_group("default", nullptr);
  if (!d) return d.error();
  tc->default_group_ = std::move(*d);
  for (auto& name : group_names(c)) {
    auto g = read_group(name, &tc->default_group_);
    if (!g) return g.error();
    tc->groups_.push_back(std::move(*g));
  }
  return tc;
}

kafka::NewTopic TopicCreation::new_topic(const std::string& topic) const {
  const TopicCreationGroup* g = &default_group_;
  for (auto& candidate : groups_)
    if (candidate.matches(topic)) {
      g = &candidate;
      break;
    }
  kafka::NewTopic t;
  t.name = topic;
  t.partitions = g->partitions;
  t.replication_factor = g->replication_factor;
  t.configs = g->configs;
  return t;
}

void enrich_topic_creation(api::ConfigDef& def, const api::Config& config) {
  if (!uses_topic_creation(config)) return;
  auto count_key = [](std::string name, std::optional<std::string> dflt, std::string doc, std::string group,
                      int order, const char* what) {
    api::ConfigKey k;
    k.name = std::move(name);
    k.type = api::ConfigType::Int;
    k.default_value = std::move(dflt);
    k.importance = api::Importance::Low;
    k.documentation = std::move(doc);
    k.group = std::move(group);
    k.order_in_group = order;
    k.width = api::Width::Long;
    k.display_name = k.name;
    k.validator = [what](const std::string&, const std::string& v) { return check_count(v, what); };
    return k;
  };
  auto regex_list = [](std::string name, std::string doc, std::string group, int order) {
    api::ConfigKey k;
    k.name = std::move(name);
    k.type = api::ConfigType::List;
    k.default_value = "";
    k.importance = api::Importance::Low;
    k.documentation = std::move(doc);
    k.group = std::move(group);
    k.order_in_group = order;
    k.width = api::Width::Long;
    k.display_name = k.name;
    k.validator = [](const std::string&, const std::string& v) -> std::optional<std::string> {
      for (auto& item : api::config_value::split_list(v))
        if (auto r = config::JavaRegex::compile(item); !r) return "Invalid regex: " + r.error().message;
      return std::nullopt;
    };
    return k;
  };
  const std::string dgroup = "Topic Creation: default";
  def.define(count_key("topic.creation.default.replication.factor", std::nullopt,
                       "The replication factor for new topics created for this connector using this group. This "
                       "value may be -1 to use the broker's default replication factor, or may be a positive number "
                       "not larger than the number of brokers in the Kafka cluster. A value larger than the number "
                       "of brokers in the Kafka cluster will result in an error when the new topic is created. For "
                       "the default group this configuration is required. For any other group defined in "
                       "topic.creation.groups this config is optional and if it's missing it gets the value of the "
                       "default group",
                       dgroup, 1, "Replication factor"));
  def.define(count_key("topic.creation.default.partitions", std::nullopt,
                       "The number of partitions new topics created for this connector. This value may be -1 to use "
                       "the broker's default number of partitions, or a positive number representing the desired "
                       "number of partitions. For the default group this configuration is required. For any other "
                       "group defined in topic.creation.groups this config is optional and if it's missing it gets "
                       "the value of the default group",
                       dgroup, 2, "Number of partitions"));
  std::string rf = get(config, "topic.creation.default.replication.factor");
  std::string parts = get(config, "topic.creation.default.partitions");
  for (auto& g : group_names(config)) {
    std::string p = std::string(kPrefix) + g + ".";
    std::string group = "Topic Creation: " + g;
    def.define(regex_list(p + "include",
                          "A list of regular expression literals used to match the topic names used by the source "
                          "connector. This list is used to include topics that should be created using the topic "
                          "settings defined by this group.",
                          group, 1));
    def.define(regex_list(p + "exclude",
                          "A list of regular expression literals used to match the topic names used by the source "
                          "connector. This list is used to exclude topics from being created with the topic settings "
                          "defined by this group. Note that exclusion rules have precedent and override any "
                          "inclusion rules for the topics.",
                          group, 2));
    def.define(count_key(p + "replication.factor", rf.empty() ? std::optional<std::string>("-1") : rf,
                         "The replication factor for new topics created for this connector using this group.", group,
                         3, "Replication factor"));
    def.define(count_key(p + "partitions", parts.empty() ? std::optional<std::string>("-1") : parts,
                         "The number of partitions new topics created for this connector using this group.", group, 4,
                         "Number of partitions"));
  }
}

}  // namespace sluice::worker
