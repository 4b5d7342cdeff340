#include "runtime/worker/transform_chain.h"

#include <algorithm>
#include <map>

#include "runtime/worker/connector_config.h"
#include "runtime/worker/topic_creation.h"

namespace sluice::worker {

namespace {

using api::Config;
using api::ConfigDef;
using api::ConfigKey;
using api::ConfigType;

std::string get(const Config& c, const std::string& k) {
  auto it = c.find(k);
  return it == c.end() ? "" : it->second;
}

// The aliases of a list setting, duplicates dropped (Connect keeps the first of each).
std::vector<std::string> aliases(const Config& c, const std::string& key) {
  std::vector<std::string> out;
  for (auto& a : api::config_value::split_list(get(c, key)))
    if (!a.empty() && std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  return out;
}

Config with_prefix(const Config& c, const std::string& prefix) {
  Config out;
  for (auto it = c.lower_bound(prefix); it != c.end() && it->first.starts_with(prefix); ++it)
    out.emplace(it->first.substr(prefix.size()), it->second);
  return out;
}

Error step_error(const std::string& what, const std::string& message) {
  return Error::fatal(what + ": " + message, Stage::Config);
}

// The ConfigDef of a registered transformation or predicate, or nothing when the class is unknown.
std::optional<ConfigDef> def_of(const plugin_host::Registry& r, uint32_t kind, const std::string& cls) {
  ConfigDef def;
  if (kind == SLUICE_TRANSFORMATION) {
    auto h = r.create_transformation(cls);
    if (!h || !(*h)->config_def(def).is_ok()) return std::nullopt;
  } else {
    auto h = r.create_predicate(cls);
    if (!h || !(*h)->config_def(def).is_ok()) return std::nullopt;
  }
  return def;
}

api::Status configure_check(const plugin_host::Registry& r, uint32_t kind, const std::string& cls, const Config& c) {
  if (kind == SLUICE_TRANSFORMATION) {
    auto h = r.create_transformation(cls);
    if (!h) return api::Status::failed(h.error().message);
    auto s = (*h)->configure(c);
    (*h)->close();
    return s;
  }
  auto h = r.create_predicate(cls);
  if (!h) return api::Status::failed(h.error().message);
  auto s = (*h)->configure(c);
  (*h)->close();
  return s;
}

}  // namespace

// ---- The chain -----------------------------------------------------------------------------

Result<std::unique_ptr<TransformChain>> TransformChain::build(const plugin_host::Registry& registry,
                                                              const Config& cc) {
  std::unique_ptr<TransformChain> chain(new TransformChain());
  std::map<std::string, Predicate*> by_alias;
  for (auto& alias : aliases(cc, "predicates")) {
    std::string prefix = "predicates." + alias + ".";
    std::string cls = get(cc, prefix + "type");
    if (cls.empty()) return step_error("predicate " + alias, "Missing required configuration \"" + prefix + "type\"");
    auto h = registry.create_predicate(cls);
    if (!h) return step_error("predicate " + alias, h.error().message);
    if (auto s = (*h)->configure(with_prefix(cc, prefix)); !s.is_ok())
      return step_error("predicate " + alias + " (" + cls + ")", s.message());
    auto p = std::make_unique<Predicate>(Predicate{alias, registry.find(SLUICE_PREDICATE, cls)->class_name, std::move(*h)});
    by_alias[alias] = p.get();
    chain->predicates_.push_back(std::move(p));
  }
  for (auto& alias : aliases(cc, "transforms")) {
    std::string prefix = "transforms." + alias + ".";
    std::string cls = get(cc, prefix + "type");
    if (cls.empty())
      return step_error("transformation " + alias, "Missing required configuration \"" + prefix + "type\"");
    Config own = with_prefix(cc, prefix);
    Step step;
    step.alias = alias;
    if (auto it = own.find("predicate"); it != own.end()) {
      auto p = by_alias.find(it->second);
      if (p == by_alias.end())
        return step_error("transformation " + alias,
                          "predicate '" + it->second + "' is not one of the aliases in 'predicates'");
      step.predicate = p->second;
      own.erase(it);
    }
    if (auto it = own.find("negate"); it != own.end()) {
      try {
        step.negate = api::config_value::get_bool(own, "negate", false);
      } catch (const std::exception& e) {
        return step_error("transformation " + alias, e.what());
      }
      if (!step.predicate)
        return step_error("transformation " + alias, "Config '" + prefix + "negate' was provided to transformation '" +
                                                         alias + "' but no '" + prefix + "predicate' was provided");
      own.erase(it);
    }
    auto h = registry.create_transformation(cls);
    if (!h) return step_error("transformation " + alias, h.error().message);
    if (auto s = (*h)->configure(own); !s.is_ok())
      return step_error("transformation " + alias + " (" + cls + ")", s.message());
    step.class_name = registry.find(SLUICE_TRANSFORMATION, cls)->class_name;
    step.handle = std::move(*h);
    chain->steps_.push_back(std::move(step));
  }
  return chain;
}

TransformChain::~TransformChain() {
  for (auto& s : steps_) s.handle->close();
  for (auto& p : predicates_) p->handle->close();
}

bool TransformChain::apply(api::SourceRecord& record, bool& dropped, Failure& failure, size_t& failed_step,
                           size_t from) {
  dropped = false;
  for (size_t i = from; i < steps_.size(); ++i) {
    Step& s = steps_[i];
    if (s.predicate) {
      bool holds = false;
      if (auto st = s.predicate->handle->test(record, holds); !st.is_ok()) {
        failure = {s.alias, s.predicate->class_name, st};
        failed_step = i;
        return false;
      }
      if (holds == s.negate) continue;  // Connect: apply when negate ^ test(record)
    }
    if (auto st = s.handle->apply(record, dropped); !st.is_ok()) {
      failure = {s.alias, s.class_name, st};
      failed_step = i;
      return false;
    }
    if (dropped) return true;
  }
  return true;
}

// ---- Validation ----------------------------------------------------------------------------

api::ConfigDef enriched_connector_def(const plugin_host::Registry& r, const Config& config) {
  ConfigDef def = connector_framework_def(r);
  auto embed = [&](uint32_t kind, const std::string& list_key, const std::string& group_name, const char* kind_word,
                   const char* type_display) {
    for (auto& alias : aliases(config, list_key)) {
      std::string prefix = list_key + "." + alias + ".";
      std::string group = group_name + ": " + alias;
      int order = 0;
      ConfigKey type;
      type.name = prefix + "type";
      type.type = ConfigType::Class;
      type.importance = api::Importance::High;
      type.documentation = "Class for the '" + alias + "' " + kind_word + ".";
      type.group = group;
      type.order_in_group = order++;
      type.width = api::Width::Long;
      type.display_name = std::string(type_display) + " type for " + alias;
      type.validator = [&r, kind](const std::string&, const std::string& v) -> std::optional<std::string> {
        if (r.find(kind, v)) return std::nullopt;
        return "Class " + v + " could not be found.";
      };
      def.define(type);
      std::vector<ConfigKey> keys;
      if (kind == SLUICE_TRANSFORMATION) {
        ConfigKey predicate;
        predicate.name = prefix + "predicate";
        predicate.type = ConfigType::String;
        predicate.null_default = true;
        predicate.importance = api::Importance::Medium;
        predicate.documentation = "The alias of a predicate used to determine whether to apply this transformation.";
        std::vector<std::string> known = aliases(config, "predicates");
        predicate.validator = [known](const std::string&, const std::string& v) -> std::optional<std::string> {
          if (std::find(known.begin(), known.end(), v) != known.end()) return std::nullopt;
          return "The predicate '" + v + "' is not one of the aliases in 'predicates'";
        };
        keys.push_back(predicate);
        ConfigKey negate;
        negate.name = prefix + "negate";
        negate.type = ConfigType::Boolean;
        negate.default_value = "false";
        negate.importance = api::Importance::Medium;
        negate.documentation = "Whether the configured predicate should be negated.";
        bool has_predicate = config.count(prefix + "predicate") > 0;
        std::string pred_key = prefix + "predicate", alias_copy = alias;
        negate.validator = [has_predicate, pred_key, alias_copy](const std::string& name,
                                                                 const std::string&) -> std::optional<std::string> {
          if (has_predicate) return std::nullopt;
          return "Config '" + name + "' was provided to transformation '" + alias_copy + "' but no '" + pred_key +
                 "' was provided";
        };
        if (!config.count(prefix + "negate")) negate.validator = {};
        keys.push_back(negate);
      }
      std::string cls = get(config, prefix + "type");
      if (auto own = cls.empty() ? std::nullopt : def_of(r, kind, cls)) {
        for (auto k : own->keys()) {
          // The implicit predicate/negate mask a transformation's own keys of those names.
          if (kind == SLUICE_TRANSFORMATION && (k.name == "predicate" || k.name == "negate")) continue;
          k.name = prefix + k.name;
          keys.push_back(std::move(k));
        }
      }
      for (auto& k : keys) {
        k.group = group;
        k.order_in_group = order++;
        def.define(std::move(k));
      }
    }
  };
  embed(SLUICE_TRANSFORMATION, "transforms", "Transforms", "transformation", "Transformation");
  embed(SLUICE_PREDICATE, "predicates", "Predicates", "predicate", "Predicate");
  enrich_topic_creation(def, config);
  return def;
}

api::ConfigInfos validate_connector_framework(const plugin_host::Registry& r, const Config& config,
                                              const std::string& component_name) {
  api::ConfigInfos infos = enriched_connector_def(r, config).validate(component_name, config);
  auto errors_under = [&](const std::string& prefix) {
    int n = 0;
    for (auto& c : infos.configs)
      if (c.value.name.starts_with(prefix)) n += static_cast<int>(c.value.errors.size());
    return n;
  };
  auto add_error = [&](const std::string& key, const std::string& message) {
    for (auto& c : infos.configs)
      if (c.value.name == key) {
        c.value.errors.push_back(message);
        ++infos.error_count;
        return;
      }
  };
  for (auto [kind, list] : {std::pair{SLUICE_TRANSFORMATION, std::string("transforms")},
                            std::pair{SLUICE_PREDICATE, std::string("predicates")}}) {
    for (auto& alias : aliases(config, list)) {
      std::string prefix = list + "." + alias + ".";
      if (errors_under(prefix) > 0) continue;  // its keys already have errors to show
      std::string cls = get(config, prefix + "type");
      if (cls.empty() || !r.find(kind, cls)) continue;
      Config own = with_prefix(config, prefix);
      if (kind == SLUICE_TRANSFORMATION) {
        own.erase("predicate");
        own.erase("negate");
      }
      if (auto s = configure_check(r, kind, cls, own); !s.is_ok()) add_error(prefix + "type", s.message());
    }
  }
  return infos;
}

}  // namespace sluice::worker
