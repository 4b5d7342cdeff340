#pragma once
// Connect's REST entities as JSON: rendering (compact, fields in the order Java writes them)
// and decoding of request bodies. Decoding errors carry status 500, as Connect answers when
// Jackson cannot read a body, and a message that names what was wrong (for unparsable JSON:
// RapidJSON's reason and the byte offset).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/api/config_def.h"
#include "rest/loggers.h"
#include "runtime/common/error.h"
#include "runtime/herder/herder.h"

namespace sluice::rest {

// ---- rendering ----

std::string render_error(int code, std::string_view message);
std::string render_server_info(const herder::ServerInfo& info);
std::string render_health(std::string_view status, std::string_view message);
std::string render_strings(const std::vector<std::string>& items);
std::string render_config(const herder::Config& config);
std::string render_connector_info(const herder::ConnectorInfo& info);
std::string render_connector_state(const herder::ConnectorState& state);
std::string render_task_state(const herder::TaskState& state);
// GET /connectors?expand=...: {"name":{"status":...,"info":...}}; each value is the rendered
// JSON of that expansion (already valid JSON).
struct Expansion {
  std::string name;
  std::optional<std::string> status_json;
  std::optional<std::string> info_json;
};
std::string render_expanded(const std::vector<Expansion>& connectors);
// GET /connectors/{n}/tasks: [{"id":{"connector":..,"task":..},"config":{..}}]
std::string render_task_infos(const std::vector<herder::TaskConfig>& tasks);
// GET /connectors/{n}/tasks-config: {"n-0":{..}}
std::string render_tasks_config(const std::vector<herder::TaskConfig>& tasks);
std::string render_offsets(const std::vector<herder::PartitionOffset>& offsets);
std::string render_message(std::string_view message);
std::string render_topics(const std::string& connector, const std::vector<std::string>& topics);
std::string render_plugins(const std::vector<herder::PluginInfo>& plugins);
std::string render_config_keys(const std::vector<api::ConfigKey>& keys);
std::string render_config_infos(const api::ConfigInfos& infos);
std::string render_loggers(const std::map<std::string, Loggers::LoggerLevel>& loggers);
std::string render_logger(const Loggers::LoggerLevel& level);

// Java's Map.toString of a config ("{k=v, k2=null}"), as Connect puts into some messages.
std::string java_map_string(const herder::Config& config, const std::vector<std::string>& null_keys);

// ---- decoding ----

// A flat Map<String,String> body. Numbers and booleans become strings (their JSON text, as
// Jackson coerces them); null values are listed apart because Connect treats them per use.
struct ConfigBody {
  herder::Config values;
  std::vector<std::string> null_keys;
};
Result<ConfigBody> parse_config(std::string_view body);

// POST /connectors.
struct CreateRequest {
  std::optional<std::string> name;      // absent or null: nullopt
  std::optional<ConfigBody> config;     // absent or null: nullopt
  std::optional<herder::InitialState> initial_state;
};
Result<CreateRequest> parse_create_request(std::string_view body);

// PATCH /connectors/{n}/offsets: the list (maybe empty when absent or null).
Result<std::vector<herder::PartitionOffset>> parse_offsets(std::string_view body);

// PUT /admin/loggers/{name}: the "level" value, or nullopt when absent/null.
Result<std::optional<std::string>> parse_log_level(std::string_view body);

// Replaces invalid UTF-8 sequences with U+FFFD, so any byte string renders as valid JSON.
std::string valid_utf8(std::string_view s);

}  // namespace sluice::rest
