#pragma once
// Kafka's config providers as Connect binds them from the worker config, so that
// "${file:/etc/kafka/secrets.properties:db.password}" in a connector config is resolved the
// same way the JVM worker resolves it:
//
//   config.providers=file,dir,env
//   config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
//   config.providers.file.param.allowed.paths=/etc/kafka
//   config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
//   config.providers.env.param.allowlist.pattern=DB_.*
//
// Variables follow Kafka's ConfigTransformer pattern ${provider:[path:]key}. As in Kafka, a
// reference is left exactly as written when its provider alias is not configured, when the
// provider has no value for it (missing key, file or env var, a path outside allowed.paths,
// an env var outside allowlist.pattern; these log a warning), and replacement values are
// not scanned again. A file that exists but cannot be read is an error.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/common/error.h"

namespace sluice::config {

inline constexpr std::string_view kFileConfigProvider =
    "org.apache.kafka.common.config.provider.FileConfigProvider";
inline constexpr std::string_view kDirectoryConfigProvider =
    "org.apache.kafka.common.config.provider.DirectoryConfigProvider";
inline constexpr std::string_view kEnvVarConfigProvider =
    "org.apache.kafka.common.config.provider.EnvVarConfigProvider";

class ConfigProviders {
 public:
  ConfigProviders() = default;  // no providers: resolve() returns the configs unchanged

  // Reads config.providers and config.providers.<alias>.{class,param.*}. Errors name the
  // offending key: an unsupported class, an allowed.paths entry that is not an existing
  // absolute path, an allowlist.pattern that does not compile.
  static Result<ConfigProviders> from_worker_config(const std::map<std::string, std::string>& worker);

  // A copy of `raw` with variables replaced; `raw` itself keeps its placeholders, which is
  // what gets stored and shown.
  Result<std::map<std::string, std::string>> resolve(const std::map<std::string, std::string>& raw) const;

  bool empty() const { return providers_.empty(); }
  std::vector<std::string> aliases() const;

 private:
  struct Provider;  // one configured alias; defined in the .cc
  std::map<std::string, std::shared_ptr<const Provider>, std::less<>> providers_;
};

}  // namespace sluice::config
