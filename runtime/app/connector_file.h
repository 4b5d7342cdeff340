#pragma once
// Connector configs given on the command line, as connect-standalone takes them: a
// .properties file, or a JSON file holding {"name":..., "config":{...}} or a flat object.

#include <map>
#include <string>

#include "runtime/common/error.h"

namespace sluice::app {

struct ConnectorFile {
  std::string name;
  std::map<std::string, std::string> config;
};

Result<ConnectorFile> load_connector_file(const std::string& path);
// The same for JSON text (REST bodies use the same shape).
Result<ConnectorFile> parse_connector_json(const std::string& text, const std::string& source);

}  // namespace sluice::app
