#include "runtime/config/config_providers.h"

#include <dirent.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <system_error>
#include <utility>

#include "runtime/common/log.h"
#include "runtime/config/java_regex.h"
#include "runtime/config/properties.h"

namespace sluice::config {
namespace {

constexpr std::string_view kLog = "config";
const std::string kProvidersKey = "config.providers";

std::string errno_text(int err) { return std::error_code(err, std::generic_category()).message(); }

std::string trim(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  std::size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t at = s.find(sep, start);
    parts.emplace_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

// A path reduced the way java.nio's Path.normalize() does it: purely by its text, "." and
// empty parts dropped, ".." removing the part before it (and nothing above the root).
struct NormalPath {
  bool absolute = false;
  std::vector<std::string> parts;

  static NormalPath of(std::string_view raw) {
    NormalPath p;
    p.absolute = !raw.empty() && raw.front() == '/';
    for (auto& part : split(raw, '/')) {
      if (part.empty() || part == ".") continue;
      if (part != "..") {
        p.parts.push_back(std::move(part));
      } else if (!p.parts.empty() && p.parts.back() != "..") {
        p.parts.pop_back();
      } else if (!p.absolute) {
        p.parts.push_back(std::move(part));
      }
    }
    return p;
  }

  // Path.startsWith: whole components, so /data/abc is not inside /data/ab.
  bool starts_with(const NormalPath& prefix) const {
    if (absolute != prefix.absolute || prefix.parts.size() > parts.size()) return false;
    for (std::size_t i = 0; i < prefix.parts.size(); ++i) {
      if (parts[i] != prefix.parts[i]) return false;
    }
    return true;
  }

  std::string str() const {
    std::string s = absolute ? "/" : "";
    for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? "/" : "") + parts[i];
    return s;
  }
};

// The ConfigTransformer pattern, verbatim from Kafka: groups 1 provider, 3 path, 4 key.
const JavaRegex& variable_pattern() {
  static const JavaRegex re = *JavaRegex::compile(R"(\$\{([^}]*?):(([^}]*?):)?([^}]*?)\})");
  return re;
}

struct Variable {
  std::string provider, path, key;
};

Variable variable_of(std::string_view value, const RegexMatch& m) {
  return {std::string(m.group(value, 1)), std::string(m.group(value, 3)), std::string(m.group(value, 4))};
}

using Data = std::map<std::string, std::string>;

}  // namespace

struct ConfigProviders::Provider {
  enum class Kind { File, Directory, EnvVar };
  std::string alias;
  Kind kind = Kind::File;
  std::optional<std::vector<NormalPath>> allowed_paths;  // File and Directory; unset allows all
  std::optional<JavaRegex> allowlist;                    // EnvVar; unset allows all

  std::string param_key(std::string_view param) const {
    return kProvidersKey + "." + alias + ".param." + std::string(param);
  }

  // AllowedPaths.getIfPathIsAllowed: the path to open, or nullopt when it is refused.
  std::optional<std::string> allowed(const std::string& path) const {
    if (!allowed_paths) return path;
    NormalPath p = NormalPath::of(path);
    for (const auto& root : *allowed_paths) {
      if (p.starts_with(root)) return p.str();
    }
    log::warn(kLog, "The path \"", path, "\" is outside ", param_key("allowed.paths"),
              "; references to it stay unresolved");
    return std::nullopt;
  }

  // What provider.get(path, keys) returns: the values it has; a key it lacks is absent.
  Result<Data> get(const std::string& path, const std::set<std::string>& keys) const {
    switch (kind) {
      case Kind::File: return get_file(path, keys);
      case Kind::Directory: return get_directory(path, keys);
      case Kind::EnvVar: return get_env(path, keys);
    }
    return Data{};
  }

  Result<Data> get_file(const std::string& path, const std::set<std::string>& keys) const {
    Data data;
    if (path.empty()) return data;
    auto file = allowed(path);
    if (!file) return data;
    auto props = load_properties_file(*file);
    if (!props) return props.error();
    for (const auto& k : keys) {
      if (auto v = props->get(k)) data.emplace(k, std::move(*v));
    }
    return data;
  }

  // Each key names a file directly inside the directory; its whole content is the value.
  Result<Data> get_directory(const std::string& path, const std::set<std::string>& keys) const {
    Data data;
    if (path.empty()) return data;
    auto dir = allowed(path);
    if (!dir) return data;
    struct stat st {};
    if (::stat(dir->c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      log::warn(kLog, "The path \"", path, "\" is not a directory; references to it stay unresolved");
      return data;
    }
    // Kafka lists the directory, so an unlistable one is an error even if a file could be read.
    DIR* d = ::opendir(dir->c_str());
    if (!d) return Error::fatal("Could not list directory " + *dir + ": " + errno_text(errno), Stage::Config);
    ::closedir(d);
    for (const auto& name : keys) {
      // Only names of entries in the listing match: nothing with a '/', no "." or "..".
      if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) continue;
      std::string file = *dir + "/" + name;
      if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      auto content = read_whole(file);
      if (!content) {
        return Error::fatal("Could not read file " + file + " for property " + name + ": " +
                                content.error().message,
                            Stage::Config);
      }
      data.emplace(name, std::move(content.value()));
    }
    return data;
  }

  Result<Data> get_env(const std::string& path, const std::set<std::string>& keys) const {
    if (!path.empty()) {
      return Error::fatal("Path is not supported for EnvVarConfigProvider, invalid value '" + path +
                              "': write ${" + alias + ":NAME}",
                          Stage::Config);
    }
    Data data;
    for (const auto& name : keys) {
      if (allowlist && !allowlist->matches(name)) {
        log::warn(kLog, "Environment variable \"", name, "\" does not match ",
                  param_key("allowlist.pattern"), "; references to it stay unresolved");
        continue;
      }
      if (const char* v = std::getenv(name.c_str())) data.emplace(name, v);
    }
    return data;
  }

  static Result<std::string> read_whole(const std::string& file) {
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (!f) return Error::fatal(errno_text(errno), Stage::Config);
    std::string text;
    char buf[8192];
    std::size_t n;
    errno = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    int err = std::ferror(f) ? (errno ? errno : EIO) : 0;
    std::fclose(f);
    if (err) return Error::fatal(errno_text(err), Stage::Config);
    return text;
  }
};

Result<ConfigProviders> ConfigProviders::from_worker_config(const std::map<std::string, std::string>& worker) {
  ConfigProviders out;
  auto list = worker.find(kProvidersKey);
  if (list == worker.end()) return out;
  // config.providers is a LIST in WorkerConfig: comma separated, whitespace around items ignored.
  for (const auto& item : split(list->second, ',')) {
    std::string alias = trim(item);
    if (alias.empty()) continue;
    std::string prefix = kProvidersKey + "." + alias + ".";
    auto cls = worker.find(prefix + "class");
    if (cls == worker.end()) {
      // Connect skips such an alias, so its references stay literal.
      log::warn(kLog, "Config provider \"", alias, "\" is listed in ", kProvidersKey, " but ", prefix,
                "class is not set; references to it stay unresolved");
      continue;
    }
    auto p = std::make_shared<Provider>();
    p->alias = alias;
    std::string class_name = trim(cls->second);
    if (class_name == kFileConfigProvider) {
      p->kind = Provider::Kind::File;
    } else if (class_name == kDirectoryConfigProvider) {
      p->kind = Provider::Kind::Directory;
    } else if (class_name == kEnvVarConfigProvider) {
      p->kind = Provider::Kind::EnvVar;
    } else {
      return Error::fatal(prefix + "class: unsupported config provider class \"" + cls->second +
                              "\"; supported classes are " + std::string(kFileConfigProvider) + ", " +
                              std::string(kDirectoryConfigProvider) + " and " +
                              std::string(kEnvVarConfigProvider),
                          Stage::Config);
    }

    std::string paths_key = p->param_key("allowed.paths");
    auto paths = worker.find(paths_key);
    if (p->kind != Provider::Kind::EnvVar && paths != worker.end() && !paths->second.empty()) {
      // Kafka splits with String.split(","): no trimming, trailing empty items dropped.
      auto items = split(paths->second, ',');
      while (!items.empty() && items.back().empty()) items.pop_back();
      p->allowed_paths.emplace();
      for (const auto& item : items) {
        NormalPath root = NormalPath::of(item);
        struct stat st {};
        if (!root.absolute || ::stat(root.str().c_str(), &st) != 0) {
          return Error::fatal(paths_key + ": path \"" + item +
                                  "\" is not valid; each comma separated path must be absolute and exist",
                              Stage::Config);
        }
        p->allowed_paths->push_back(std::move(root));
      }
    }

    std::string pattern_key = p->param_key("allowlist.pattern");
    auto pattern = worker.find(pattern_key);
    if (p->kind == Provider::Kind::EnvVar && pattern != worker.end()) {
      auto re = JavaRegex::compile(pattern->second);
      if (!re) return Error::fatal(pattern_key + ": " + re.error().message, Stage::Config);
      p->allowlist = std::move(re.value());
    }
    out.providers_[alias] = std::move(p);
  }
  return out;
}

std::vector<std::string> ConfigProviders::aliases() const {
  std::vector<std::string> out;
  for (const auto& [alias, p] : providers_) out.push_back(alias);
  return out;
}

Result<std::map<std::string, std::string>> ConfigProviders::resolve(
    const std::map<std::string, std::string>& raw) const {
  if (providers_.empty()) return raw;
  const JavaRegex& re = variable_pattern();

  // Like ConfigTransformer: gather the keys wanted per (provider, path), ask each provider
  // once per path, then substitute.
  struct Wanted {
    std::set<std::string> keys;
    std::string first_config;  // a config that refers to it, for error messages
  };
  std::map<std::pair<std::string, std::string>, Wanted> wanted;
  for (const auto& [name, value] : raw) {
    for (auto m = re.find_from(value); m; m = re.find_from(value, m->end())) {
      Variable v = variable_of(value, *m);
      if (!providers_.count(v.provider)) continue;
      Wanted& w = wanted[{v.provider, v.path}];
      if (w.first_config.empty()) w.first_config = name;
      w.keys.insert(v.key);
    }
  }
  if (wanted.empty()) return raw;

  std::map<std::pair<std::string, std::string>, Data> found;
  for (const auto& [where, w] : wanted) {
    auto data = providers_.find(where.first)->second->get(where.second, w.keys);
    if (!data) {
      return Error::fatal(data.error().message + " (referenced by config \"" + w.first_config + "\")",
                          Stage::Config);
    }
    found.emplace(where, std::move(data.value()));
  }

  std::map<std::string, std::string> out;
  for (const auto& [name, value] : raw) {
    std::string result;
    std::size_t copied = 0;
    for (auto m = re.find_from(value); m; m = re.find_from(value, m->end())) {
      Variable v = variable_of(value, *m);
      auto data = found.find({v.provider, v.path});
      if (data == found.end()) continue;  // provider not configured: left as written
      auto hit = data->second.find(v.key);
      if (hit == data->second.end()) {
        log::warn(kLog, "Config \"", name, "\": ", m->group(value, 0), " stays unresolved: provider \"",
                  v.provider, "\" has no value for key \"", v.key, "\"");
        continue;
      }
      result.append(value, copied, m->begin() - copied);
      result += hit->second;
      copied = m->end();
    }
    result.append(value, copied);
    out.emplace(name, std::move(result));
  }
  return out;
}

}  // namespace sluice::config
