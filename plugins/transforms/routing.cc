// org.apache.kafka.connect.transforms.RegexRouter and Filter, and the predicates
// TopicNameMatches, HasHeaderKey and RecordIsTombstone (KIP-585), as in connect-transforms 3.9.

#include <unordered_map>

#include "plugins/api/plugin.h"
#include "plugins/transforms/common.h"
#include "plugins/api/regex.h"
#include "plugins/transforms/transforms.h"

namespace sluice::transforms {
namespace {

using api::Config;
using api::ConfigDef;
using api::ConfigType;
using api::Importance;
using api::SourceRecord;

api::JavaPatternPtr compile_or_throw(const std::string& name, const std::string& pattern) {
  std::string error;
  auto r = api::compile_java_regex(pattern, error);
  if (!r) throw ConfigException(name, pattern, "Invalid regex: " + error);
  return r;
}

api::Validator non_empty_regex() {
  auto non_empty = non_empty_string();
  auto regex = regex_validator();
  return [=](const std::string& n, const std::string& v) -> std::optional<std::string> {
    if (auto e = non_empty(n, v)) return e;
    return regex(n, v);
  };
}

class RegexRouter final : public api::Transformation {
 public:
  std::string version() const override { return kVersion; }

  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("regex", ConfigType::String, std::nullopt, Importance::High,
                        "Regular expression to use for matching.", regex_validator()));
    d.define(config_key("replacement", ConfigType::String, std::nullopt, Importance::High, "Replacement string."));
    return d;
  }

  void configure(const Config& c) override {
    check_config(config_def(), c);
    regex_ = compile_or_throw("regex", c.at("regex"));
    replacement_ = c.at("replacement");
    routed_.clear();
  }

  void apply(SourceRecord& r, bool&) override {
    // Topics repeat: remember what each became (the mapping is a pure function of the topic).
    if (auto it = routed_.find(r.topic); it != routed_.end()) {
      if (it->second) r.topic = *it->second;
      return;
    }
    std::optional<std::string> to;
    if (regex_->matches(r.topic)) {
      try {
        to = api::replace_first(*regex_, r.topic, replacement_);
      } catch (const api::ReplacementError& e) {
        throw std::runtime_error(e.java_class + ": " + e.what());
      }
    }
    if (routed_.size() >= kMaxRemembered) routed_.clear();
    routed_.emplace(r.topic, to);
    if (to) r.topic = std::move(*to);
  }

 private:
  static constexpr size_t kMaxRemembered = 4096;
  api::JavaPatternPtr regex_;
  std::string replacement_;
  std::unordered_map<std::string, std::optional<std::string>> routed_;
};

class Filter final : public api::Transformation {
 public:
  std::string version() const override { return kVersion; }
  ConfigDef config_def() const override { return {}; }
  void configure(const Config&) override {}
  void apply(SourceRecord&, bool& drop) override { drop = true; }
};

class TopicNameMatches final : public api::Predicate {
 public:
  std::string version() const override { return kVersion; }
  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("pattern", ConfigType::String, std::nullopt, Importance::Medium,
                        "A Java regular expression for matching against the name of a record's topic.",
                        non_empty_regex()));
    return d;
  }
  void configure(const Config& c) override {
    check_config(config_def(), c);
    regex_ = compile_or_throw("pattern", c.at("pattern"));
  }
  bool test(const SourceRecord& r) override { return regex_->matches(r.topic); }

 private:
  api::JavaPatternPtr regex_;
};

class HasHeaderKey final : public api::Predicate {
 public:
  std::string version() const override { return kVersion; }
  ConfigDef config_def() const override {
    ConfigDef d;
    d.define(config_key("name", ConfigType::String, std::nullopt, Importance::Medium, "The header name.",
                        non_empty_string()));
    return d;
  }
  void configure(const Config& c) override {
    check_config(config_def(), c);
    name_ = c.at("name");
  }
  bool test(const SourceRecord& r) override {
    for (auto& h : r.headers)
      if (h.key == name_) return true;
    return false;
  }

 private:
  std::string name_;
};

class RecordIsTombstone final : public api::Predicate {
 public:
  std::string version() const override { return kVersion; }
  ConfigDef config_def() const override { return {}; }
  void configure(const Config&) override {}
  bool test(const SourceRecord& r) override { return r.value.is_null(); }
};

}  // namespace

void add_routing(api::PluginBuilder& p) {
  const std::string k = "org.apache.kafka.connect.transforms.";
  p.transformation<RegexRouter>(k + "RegexRouter");
  p.transformation<Filter>(k + "Filter");
  p.predicate<TopicNameMatches>(k + "predicates.TopicNameMatches");
  p.predicate<HasHeaderKey>(k + "predicates.HasHeaderKey");
  p.predicate<RecordIsTombstone>(k + "predicates.RecordIsTombstone");
}

}  // namespace sluice::transforms
