#include "runtime/herder/connectors_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sluice::herder {
namespace {

Status write_all(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::fatal("cannot write " + path + ": " + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return {};
}

std::string dir_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

}  // namespace

Status save_connectors_file(const std::string& path, const std::vector<SavedConnector>& connectors) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("connectors");
  w.StartArray();
  for (auto& c : connectors) {
    w.StartObject();
    w.Key("name");
    w.String(c.name.c_str(), static_cast<rapidjson::SizeType>(c.name.size()));
    w.Key("config");
    w.StartObject();
    for (auto& [k, v] : c.config) {
      w.Key(k.c_str(), static_cast<rapidjson::SizeType>(k.size()));
      w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
    }
    w.EndObject();
    w.Key("target_state");
    w.String(c.target_state.c_str());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);  // configs may hold secrets
  if (fd < 0) return Error::fatal("cannot write " + tmp + ": " + std::strerror(errno));
  Status st = write_all(fd, std::string(buf.GetString(), buf.GetSize()), tmp);
  if (st && ::fsync(fd) != 0) st = Error::fatal("cannot fsync " + tmp + ": " + std::strerror(errno));
  ::close(fd);
  if (!st) return st;
  if (::rename(tmp.c_str(), path.c_str()) != 0)
    return Error::fatal("cannot rename " + tmp + " to " + path + ": " + std::strerror(errno));
  int dfd = ::open(dir_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

Result<std::vector<SavedConnector>> load_connectors_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::vector<SavedConnector>{};
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  auto bad = [&](const std::string& why) {
    return Error::fatal(path + ": " + why + "; fix or remove the file (it holds the connectors "
                        "created over REST)");
  };
  if (d.HasParseError())
    return bad(std::string("not valid JSON: ") + rapidjson::GetParseError_En(d.GetParseError()));
  if (!d.IsObject() || !d.HasMember("connectors") || !d["connectors"].IsArray())
    return bad("expected {\"connectors\":[...]}");
  std::vector<SavedConnector> out;
  for (auto& c : d["connectors"].GetArray()) {
    if (!c.IsObject() || !c.HasMember("name") || !c["name"].IsString() || !c.HasMember("config") ||
        !c["config"].IsObject())
      return bad("a connector entry lacks a name or a config");
    SavedConnector s;
    s.name = c["name"].GetString();
    for (auto it = c["config"].MemberBegin(); it != c["config"].MemberEnd(); ++it) {
      if (!it->value.IsString()) return bad("config values must be strings");
      s.config[it->name.GetString()] = std::string(it->value.GetString(), it->value.GetStringLength());
    }
    s.target_state = c.HasMember("target_state") && c["target_state"].IsString()
                         ? c["target_state"].GetString()
                         : "STARTED";
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace sluice::herder
