// Plugin glue: io.debezium.connector.postgresql.PostgresConnector (alias PostgresConnector).

#include <stdexcept>

#include "plugins/api/plugin.h"
#include "plugins/postgres/connector/config.h"
#include "plugins/postgres/connector/task.h"

namespace {

using namespace sluice::api;
using sluice::postgres::kPluginVersion;

class PostgresConnector : public SourceConnector {
 public:
  std::string version() const override { return kPluginVersion; }
  void start(const Config& config) override {
    auto infos = validate("PostgresConnector", config);
    for (auto& c : infos.configs)
      if (!c.value.errors.empty()) throw std::invalid_argument(c.value.errors.front());
    config_ = config;
  }
  // One task, as Debezium: a replication slot has one consumer.
  std::vector<Config> task_configs(int) override { return {config_}; }
  std::unique_ptr<SourceTask> create_task() override {
    return std::make_unique<sluice::postgres::PostgresSourceTask>();
  }
  void stop() override {}
  ConfigDef config_def() const override { return sluice::postgres::postgres_config_def(); }
  ConfigInfos validate(const std::string& name, const Config& config) const override {
    return sluice::postgres::validate_postgres_config(name, config);
  }

 private:
  Config config_;
};

}  // namespace

SLUICE_PLUGIN_ENTRY() {
  static const sluice_plugin_descriptor* d = [] {
    static PluginBuilder plugin("sluice-postgres", kPluginVersion);
    plugin.source_connector<PostgresConnector>("io.debezium.connector.postgresql.PostgresConnector",
                                               {"PostgresConnector"});
    return plugin.descriptor();
  }();
  return d;
}
