// Plugin glue: Debezium's MySQL connector class (source.connector "mysql") and its 2.7 MariaDB
// class (source.connector "mariadb"), one task each.

#include <stdexcept>

#include "plugins/api/plugin.h"
#include "plugins/mysql/connector/capture.h"
#include "plugins/mysql/connector/source_task.h"

namespace {

using namespace sluice::api;
using namespace sluice::mysql::cdc;

class BinlogConnector : public SourceConnector {
 public:
  explicit BinlogConnector(std::string flavor) : flavor_(std::move(flavor)) {}
  std::string version() const override { return kConnectorVersion; }
  void start(const Config& config) override {
    std::vector<std::string> warnings;
    Options o = parse_options(config, flavor_, warnings);  // throws naming the bad key
    Filters check(o);
    (void)check;
    config_ = config;
    config_[kFlavorKey] = flavor_;
  }
  std::vector<Config> task_configs(int) override { return {config_}; }  // always one task
  std::unique_ptr<SourceTask> create_task() override { return std::make_unique<MySqlSourceTask>(); }
  void stop() override {}
  ConfigDef config_def() const override { return mysql_config_def(); }
  // The ConfigDef's checks, then parse_options' (numbered column.* keys, regexes,
  // message.key.columns): its error goes on the key it names.
  ConfigInfos validate(const std::string& name, const Config& config) const override {
    ConfigInfos infos = SourceConnector::validate(name, config);
    if (infos.error_count > 0) return infos;
    try {
      std::vector<std::string> warnings;
      Filters check(parse_options(config, flavor_, warnings));  // also the database/table lists
      (void)check;
    } catch (const std::invalid_argument& e) {
      std::string message = e.what(), key;
      for (auto& [k, v] : config)
        if (message.find(k) != std::string::npos && k.size() > key.size()) key = k;
      if (key.empty()) key = "connector.class";
      ConfigInfo* target = nullptr;
      for (auto& ci : infos.configs)
        if (ci.definition.name == key) target = &ci;
      if (!target) {
        ConfigInfo ci;
        ci.definition.name = key;
        ci.value.name = key;
        if (auto it = config.find(key); it != config.end()) ci.value.value = it->second;
        infos.configs.push_back(std::move(ci));
        target = &infos.configs.back();
      }
      target->value.errors.push_back(message);
      ++infos.error_count;
    }
    return infos;
  }

 private:
  std::string flavor_;
  Config config_;
};

class MySqlConnector : public BinlogConnector {
 public:
  MySqlConnector() : BinlogConnector("mysql") {}
};

class MariaDbConnector : public BinlogConnector {
 public:
  MariaDbConnector() : BinlogConnector("mariadb") {}
};

}  // namespace

SLUICE_PLUGIN_ENTRY() {
  static const sluice_plugin_descriptor* d = [] {
    static PluginBuilder plugin("sluice-mysql", kConnectorVersion);
    plugin.source_connector<MySqlConnector>("io.debezium.connector.mysql.MySqlConnector",
                                            {"MySqlConnector", "MySql"});
    plugin.source_connector<MariaDbConnector>("io.debezium.connector.mariadb.MariaDbConnector",
                                              {"MariaDbConnector", "MariaDb"});
    return plugin.descriptor();
  }();
  return d;
}
