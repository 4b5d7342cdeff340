#pragma once
// The plugin registry: components by Java class name and alias, from built-in descriptors
// and from .so files found on plugin.path. A bad .so is skipped with one log line naming the
// file and the reason; the others still load.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/api/plugin.h"
#include "runtime/common/error.h"

namespace sluice::plugin_host {

struct Component {
  uint32_t kind = 0;  // sluice_component_kind
  std::string class_name;
  std::vector<std::string> aliases;
  std::string version;
  std::string plugin_name;
  std::string origin;  // the .so path, or "builtin"
  void* (*create)() = nullptr;
};

struct LoadFailure {
  std::string path;
  std::string reason;
};

const char* kind_name(uint32_t kind);  // "source connector", "converter", ...

class Registry {
 public:
  // Also installs the host services in the host's own copy of the plugin API, for the
  // plugins linked into the binary (host_services.h).
  Registry();

  // Checks the handshake, runs init, and adds the components. Fails without adding anything.
  Status add(const sluice_plugin_descriptor* d, const std::string& origin);
  // Loads one .so file.
  Status load_file(const std::string& path);
  // Scans each directory of a comma-separated list for .so files (and one level of
  // subdirectories, as Connect's plugin directories are laid out).
  void load_path(const std::string& plugin_path);

  // By full class name, or an unambiguous alias (the simple class name, or that minus its
  // "Connector"/"Converter"/... suffix).
  const Component* find(uint32_t kind, std::string_view name) const;
  // find(), or an error naming the class and what is available instead.
  Result<const Component*> resolve(uint32_t kind, std::string_view name) const;

  Result<std::unique_ptr<api::SourceConnectorHandle>> create_source_connector(std::string_view name) const;
  Result<std::unique_ptr<api::ConverterHandle>> create_converter(std::string_view name) const;
  Result<std::unique_ptr<api::HeaderConverterHandle>> create_header_converter(std::string_view name) const;
  Result<std::unique_ptr<api::TransformationHandle>> create_transformation(std::string_view name) const;
  Result<std::unique_ptr<api::PredicateHandle>> create_predicate(std::string_view name) const;

  const std::vector<Component>& components() const { return components_; }
  const std::vector<LoadFailure>& failures() const { return failures_; }

 private:
  template <class Handle>
  Result<std::unique_ptr<Handle>> create(uint32_t kind, std::string_view name) const;
  void index(size_t i);

  std::vector<Component> components_;
  std::vector<LoadFailure> failures_;
  std::vector<std::string> loaded_paths_;
  // (kind, name) -> index into components_, or -1 when an alias is ambiguous.
  std::map<std::pair<uint32_t, std::string>, long> by_name_;
};

}  // namespace sluice::plugin_host
