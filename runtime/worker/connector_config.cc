#include "runtime/worker/connector_config.h"

namespace sluice::worker {
namespace {

using api::ConfigKey;
using api::ConfigType;
using api::Importance;
using api::Width;

// Java's null default: optional without a value.
const std::optional<std::string> kNull = std::nullopt;

ConfigKey key(std::string name, ConfigType type, std::optional<std::string> def, Importance imp,
              std::string doc, std::string group, int order, Width width, std::string display,
              api::Validator validator = {}) {
  ConfigKey k;
  k.name = std::move(name);
  k.type = type;
  k.default_value = std::move(def);
  k.importance = imp;
  k.documentation = std::move(doc);
  k.group = std::move(group);
  k.order_in_group = order;
  k.width = width;
  k.display_name = std::move(display);
  k.validator = std::move(validator);
  return k;
}

ConfigKey optional_key(ConfigKey k) {
  k.null_default = true;
  return k;
}

// A CLASS setting resolved through the plugin registry, as Connect resolves classes.
api::Validator class_of_kind(const plugin_host::Registry& registry, uint32_t kind) {
  return [&registry, kind](const std::string&, const std::string& v) -> std::optional<std::string> {
    if (v.empty()) return std::nullopt;
    if (registry.find(kind, v)) return std::nullopt;
    return "Class " + v + " could not be found.";
  };
}

// Connect's NonEmptyStringWithoutControlChars, with its messages.
api::Validator name_validator() {
  return [](const std::string&, const std::string& v) -> std::optional<std::string> {
    if (v.empty()) return "String may not be empty";
    std::string found;
    for (unsigned char c : v)
      if (c < 0x20 || c == 0x7f) found += (found.empty() ? "" : ", ") + std::to_string(c);
    if (!found.empty())
      return "String may not contain control sequences but had the following ASCII control characters: " + found;
    return std::nullopt;
  };
}

}  // namespace

api::ConfigDef connector_framework_def(const plugin_host::Registry& r) {
  const std::string common = "Common", errors = "Error Handling", topics = "Topic Creation",
                    eos = "Exactly Once Support", offsets = "offsets.topic";
  api::ConfigDef d;
  d.define(key("name", ConfigType::String, std::nullopt, Importance::High,
               "Globally unique name to use for this connector.", common, 1, Width::Medium,
               "Connector name", name_validator()));
  d.define(key("connector.class", ConfigType::String, std::nullopt, Importance::High,
               "Name or alias of the class for this connector. Must be a subclass of "
               "org.apache.kafka.connect.connector.Connector.", common, 2, Width::Long,
               "Connector class"));
  d.define(key("tasks.max", ConfigType::Int, "1", Importance::High,
               "Maximum number of tasks to use for this connector.", common, 3, Width::Short,
               "Tasks max", api::validators::at_least(1)));
  d.define(key("tasks.max.enforce", ConfigType::Boolean, "true", Importance::Low,
               "(Deprecated) Whether to enforce that the tasks.max property is respected.", common, 4,
               Width::Short, "Enforce tasks max"));
  d.define(optional_key(key("key.converter", ConfigType::Class, std::nullopt, Importance::Low,
               "Converter class used to convert between Kafka Connect format and the serialized "
               "form that is written to Kafka. Overrides the worker's setting.", common, 5, Width::Short,
               "Key converter class", class_of_kind(r, SLUICE_CONVERTER))));
  d.define(optional_key(key("value.converter", ConfigType::Class, std::nullopt, Importance::Low,
               "Converter class used to convert between Kafka Connect format and the serialized "
               "form that is written to Kafka. Overrides the worker's setting.", common, 6, Width::Short,
               "Value converter class", class_of_kind(r, SLUICE_CONVERTER))));
  d.define(optional_key(key("header.converter", ConfigType::Class, std::nullopt, Importance::Low,
               "HeaderConverter class used to convert between Kafka Connect format and the "
               "serialized form that is written to Kafka. Overrides the worker's setting.", common, 7,
               Width::Short, "Header converter class", class_of_kind(r, SLUICE_HEADER_CONVERTER))));
  d.define(key("config.action.reload", ConfigType::String, "restart", Importance::Low,
               "The action Connect should take on the connector when changes in external "
               "configuration providers result in a change in the connector's configuration "
               "properties.", common, 8, Width::Medium, "Reload Action",
               api::validators::one_of({"none", "restart"})));
  d.define(key("transforms", ConfigType::List, "", Importance::Low,
               "Aliases for the transformations to be applied to records.", "Transforms", 9,
               Width::Long, "Transforms"));
  d.define(key("predicates", ConfigType::List, "", Importance::Low,
               "Aliases for the predicates used by transformations.", "Predicates", 10, Width::Long,
               "Predicates"));
  d.define(key("errors.retry.timeout", ConfigType::Long, "0", Importance::Medium,
               "The maximum duration in milliseconds that a failed operation will be reattempted. "
               "The default is 0, which means no retries will be attempted. Use -1 for infinite "
               "retries.", errors, 1, Width::Medium, "Retry Timeout for Errors"));
  d.define(key("errors.retry.delay.max.ms", ConfigType::Long, "60000", Importance::Medium,
               "The maximum duration in milliseconds between consecutive retry attempts.", errors,
               2, Width::Medium, "Maximum Delay Between Retries for Errors"));
  d.define(key("errors.tolerance", ConfigType::String, "none", Importance::Medium,
               "Behavior for tolerating errors during connector operation. 'none' is the default "
               "value and signals that any error will result in an immediate connector task "
               "failure; 'all' changes the behavior to skip over problematic records.", errors, 3,
               Width::Short, "Error Tolerance", api::validators::one_of({"none", "all"})));
  d.define(key("errors.log.enable", ConfigType::Boolean, "false", Importance::Medium,
               "If true, write each error and the details of the failed operation and problematic "
               "record to the Connect application log.", errors, 4, Width::Short, "Log Errors"));
  d.define(key("errors.log.include.messages", ConfigType::Boolean, "false", Importance::Medium,
               "Whether to include in the log the Connect record that resulted in a failure.",
               errors, 5, Width::Short, "Log Error Details"));
  d.define(key("topic.creation.groups", ConfigType::List, "", Importance::Low,
               "Groups of configurations for topics created by source connectors", topics, 1,
               Width::Long, "Topic Creation Groups"));
  d.define(key("exactly.once.support", ConfigType::String, "requested", Importance::Medium,
               "Permitted values are requested, required.", eos, 1, Width::Short,
               "Exactly once support", api::validators::one_of({"requested", "required"})));
  d.define(key("transaction.boundary", ConfigType::String, "poll", Importance::Medium,
               "Permitted values are: poll, interval, connector.", eos, 2, Width::Short,
               "Transaction Boundary", api::validators::one_of({"poll", "interval", "connector"})));
  d.define(optional_key(key("transaction.boundary.interval.ms", ConfigType::Long, kNull, Importance::Low,
               "If 'transaction.boundary' is set to 'interval', determines the interval for "
               "producer transaction commits by connector tasks.", eos, 3, Width::Short,
               "Transaction boundary interval ms")));
  d.define(optional_key(key("offsets.storage.topic", ConfigType::String, kNull, Importance::Low,
               "The name of a separate offsets topic to use for this connector.", offsets, 1,
               Width::Long, "Offsets topic")));
  return d;
}

}  // namespace sluice::worker
