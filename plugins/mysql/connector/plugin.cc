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
