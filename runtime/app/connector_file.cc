#include "runtime/app/connector_file.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <fstream>
#include <sstream>

#include "runtime/config/properties.h"

namespace sluice::app {
namespace {

// Connect's configs are strings; JSON numbers and booleans are taken as their text.
Result<std::string> as_config_string(const rapidjson::Value& v, const std::string& key,
                                     const std::string& source) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsBool()) return std::string(v.GetBool() ? "true" : "false");
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsDouble()) {
    std::ostringstream os;
    os << v.GetDouble();
    return os.str();
  }
  if (v.IsNull())
    return Error::fatal(source + ": " + key + ": Null value can not be supplied as the configuration value.",
                        Stage::Config);
  return Error::fatal(source + ": " + key + " must be a string, number or boolean", Stage::Config);
}

}  // namespace

Result<ConnectorFile> parse_connector_json(const std::string& text, const std::string& source) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  if (d.HasParseError())
    return Error::fatal(source + ": not valid JSON at offset " + std::to_string(d.GetErrorOffset()) +
                        ": " + rapidjson::GetParseError_En(d.GetParseError()), Stage::Config);
  if (!d.IsObject()) return Error::fatal(source + ": expected a JSON object", Stage::Config);
  ConnectorFile out;
  const rapidjson::Value* cfg = &d;
  if (d.HasMember("config")) {
    if (!d["config"].IsObject())
      return Error::fatal(source + ": \"config\" must be an object of strings", Stage::Config);
    cfg = &d["config"];
    if (d.HasMember("name")) {
      if (!d["name"].IsString()) return Error::fatal(source + ": \"name\" must be a string", Stage::Config);
      out.name = d["name"].GetString();
    }
  }
  for (auto it = cfg->MemberBegin(); it != cfg->MemberEnd(); ++it) {
    std::string key(it->name.GetString(), it->name.GetStringLength());
    auto v = as_config_string(it->value, key, source);
    if (!v) return v.error();
    out.config[key] = *v;
  }
  if (out.name.empty() && out.config.count("name")) out.name = out.config["name"];
  if (out.name.empty())
    return Error::fatal(source + ": the connector has no \"name\"", Stage::Config);
  out.config["name"] = out.name;
  return out;
}

Result<ConnectorFile> load_connector_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error::fatal("cannot read connector config " + path + ": no such file or not readable",
                               Stage::Config);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  size_t first = text.find_first_not_of(" \t\r\n");
  if (path.ends_with(".json") || (first != std::string::npos && text[first] == '{'))
    return parse_connector_json(text, path);
  auto props = config::parse_properties(text, path);
  if (!props) return props.error();
  ConnectorFile out;
  out.config = props->to_map();
  out.name = out.config.count("name") ? out.config["name"] : "";
  if (out.name.empty())
    return Error::fatal(path + ": the connector has no name= setting", Stage::Config);
  return out;
}

}  // namespace sluice::app
