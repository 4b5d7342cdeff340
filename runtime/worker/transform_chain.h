#pragma once
// A connector's transformation chain, configured the Connect way:
//
//   transforms=unwrap,route
//   transforms.unwrap.type=io.debezium.transforms.ExtractNewRecordState
//   transforms.unwrap.<its settings>
//   transforms.route.type=org.apache.kafka.connect.transforms.RegexRouter
//   transforms.route.predicate=isData        (optional: apply only when the predicate holds)
//   transforms.route.negate=true             (optional: ... when it does not)
//   predicates=isData
//   predicates.isData.type=...TopicNameMatches
//   predicates.isData.<its settings>
//
// Each task builds its own chain (its own instances, as in Connect) and runs it on its thread
// between poll and conversion. A predicate alias used by several transformations is one
// instance. Transformations change the record in place.
//
// Validation enriches the framework ConfigDef exactly as Connect's ConnectorConfig.enrich does:
// transforms.<a>.type (a registered transformation), .predicate, .negate and the
// transformation's own keys under transforms.<a>., group "Transforms: <a>"; the same for
// predicates under predicates.<p>., group "Predicates: <p>". Bad regexes, missing required keys
// and unknown classes are reported on their keys.

#include <memory>
#include <string>
#include <vector>

#include "plugins/api/plugin.h"
#include "runtime/common/error.h"
#include "runtime/plugin_host/registry.h"

namespace sluice::worker {

class TransformChain {
 public:
  // Why a step failed: its alias and class, and the plugin's status.
  struct Failure {
    std::string alias;
    std::string class_name;
    api::Status status;
  };

  // Creates and configures the chain of a connector config; an empty chain when `transforms`
  // is unset. Errors name the alias and the setting.
  static Result<std::unique_ptr<TransformChain>> build(const plugin_host::Registry& registry,
                                                       const api::Config& connector_config);
  ~TransformChain();

  bool empty() const { return steps_.empty(); }
  size_t size() const { return steps_.size(); }

  // Runs step `from` onwards on `record` until a step drops it (`dropped`), one fails (false,
  // with `failure` and `failed_step` set; the record is as the failed step left it), or the end.
  // Retrying resumes at `failed_step`.
  bool apply(api::SourceRecord& record, bool& dropped, Failure& failure, size_t& failed_step, size_t from = 0);

 private:
  struct Predicate {
    std::string alias;
    std::string class_name;
    std::unique_ptr<api::PredicateHandle> handle;
  };
  struct Step {
    std::string alias;
    std::string class_name;
    std::unique_ptr<api::TransformationHandle> handle;
    Predicate* predicate = nullptr;
    bool negate = false;
  };
  TransformChain() = default;
  std::vector<std::unique_ptr<Predicate>> predicates_;
  std::vector<Step> steps_;
};

// The framework ConfigDef with the chain's keys for this config (Connect's enrich), and the
// topic creation groups' keys (topic_creation.h).
api::ConfigDef enriched_connector_def(const plugin_host::Registry& registry, const api::Config& config);

// Validates a connector config against the enriched framework ConfigDef, then configures each
// transformation and predicate whose own keys passed, so an error that only configure() finds
// (a cross-setting rule) is reported too, on transforms.<a>.type / predicates.<p>.type.
api::ConfigInfos validate_connector_framework(const plugin_host::Registry& registry, const api::Config& config,
                                              const std::string& component_name);

}  // namespace sluice::worker
