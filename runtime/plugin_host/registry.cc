#include "runtime/plugin_host/registry.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>

#include "runtime/common/log.h"
#include "runtime/plugin_host/host_services.h"

namespace sluice::plugin_host {
namespace fs = std::filesystem;

const char* kind_name(uint32_t kind) {
  switch (kind) {
    case SLUICE_SOURCE_CONNECTOR: return "source connector";
    case SLUICE_CONVERTER: return "converter";
    case SLUICE_HEADER_CONVERTER: return "header converter";
    case SLUICE_TRANSFORMATION: return "transformation";
    case SLUICE_PREDICATE: return "predicate";
  }
  return "component";
}

namespace {

// The oldest descriptor layout this host reads: everything up to component_count.
constexpr size_t kMinDescriptorSize =
    offsetof(sluice_plugin_descriptor, component_count) + sizeof(uint32_t);
// API 1.1 descriptors also carry accept_host_services.
constexpr size_t kHostServicesDescriptorSize =
    offsetof(sluice_plugin_descriptor, accept_host_services) + sizeof(void (*)());

const char* kind_suffix(uint32_t kind) {
  switch (kind) {
    case SLUICE_SOURCE_CONNECTOR: return "Connector";
    case SLUICE_CONVERTER: return "Converter";
    case SLUICE_HEADER_CONVERTER: return "Converter";
    case SLUICE_TRANSFORMATION: return "Transformation";
    case SLUICE_PREDICATE: return "Predicate";
  }
  return "";
}

std::string simple_name(const std::string& cls) {
  auto dot = cls.rfind('.');
  return dot == std::string::npos ? cls : cls.substr(dot + 1);
}

std::string str_or(const char* s, const char* fallback) { return s ? s : fallback; }

}  // namespace

Registry::Registry() { install_host_services(); }

Status Registry::add(const sluice_plugin_descriptor* d, const std::string& origin) {
  if (!d) return Error::fatal("the entry point returned no descriptor", Stage::Plugin);
  if (d->struct_size < kMinDescriptorSize)
    return Error::fatal("descriptor too short (" + std::to_string(d->struct_size) + " bytes, need " +
                        std::to_string(kMinDescriptorSize) + "): not a Sluice plugin or corrupt",
                        Stage::Plugin);
  if (d->api_major != SLUICE_PLUGIN_API_MAJOR)
    return Error::fatal("built against plugin API " + std::to_string(d->api_major) + "." +
                        std::to_string(d->api_minor) + ", this Sluice has API " +
                        std::to_string(SLUICE_PLUGIN_API_MAJOR) + "." +
                        std::to_string(SLUICE_PLUGIN_API_MINOR) + ": rebuild the plugin",
                        Stage::Plugin);
  if (d->api_minor > SLUICE_PLUGIN_API_MINOR)
    return Error::fatal("built against a newer plugin API minor " + std::to_string(d->api_minor) +
                        " than this Sluice supports (" + std::to_string(SLUICE_PLUGIN_API_MINOR) +
                        "): upgrade Sluice", Stage::Plugin);
  std::string tag = str_or(d->toolchain, "(none)");
  if (tag != SLUICE_TOOLCHAIN_TAG)
    return Error::fatal("built with toolchain '" + tag + "', this Sluice uses '" +
                        SLUICE_TOOLCHAIN_TAG + "': rebuild the plugin with the same compiler",
                        Stage::Plugin);
  if (d->component_count > 0 && !d->components)
    return Error::fatal("descriptor lists components but has no table", Stage::Plugin);
  // The host's services (the Java regex engine) go to the plugin's own copy of the API
  // before its init runs; a 1.0 plugin has nowhere to take them and works without.
  if (d->struct_size >= kHostServicesDescriptorSize && d->api_minor >= 1 && d->accept_host_services) {
    try {
      d->accept_host_services(host_services());
    } catch (...) {
      return Error::fatal("accepting the host services threw", Stage::Plugin);
    }
  }
  if (d->init) {
    const char* err = nullptr;
    try {
      err = d->init();
    } catch (const std::exception& e) {
      return Error::fatal(std::string("init threw: ") + e.what(), Stage::Plugin);
    } catch (...) {
      return Error::fatal("init threw an unknown exception", Stage::Plugin);
    }
    if (err) return Error::fatal(std::string("init failed: ") + err, Stage::Plugin);
  }
  std::vector<Component> found;
  for (uint32_t i = 0; i < d->component_count; ++i) {
    const sluice_component& c = d->components[i];
    if (!c.class_name || !c.create || c.kind < SLUICE_SOURCE_CONNECTOR || c.kind > SLUICE_PREDICATE)
      return Error::fatal("component " + std::to_string(i) + " is malformed", Stage::Plugin);
    Component comp{c.kind, c.class_name, {}, str_or(c.version, "unknown"), str_or(d->name, "?"),
                   origin, c.create};
    for (const char* const* a = c.aliases; a && *a; ++a) comp.aliases.emplace_back(*a);
    found.push_back(std::move(comp));
  }
  for (auto& c : found) {
    components_.push_back(std::move(c));
    index(components_.size() - 1);
  }
  log::debug("plugins", "loaded ", str_or(d->name, "?"), " ", str_or(d->version, "?"), " from ",
             origin, " (", found.size(), " components)");
  return {};
}

void Registry::index(size_t i) {
  const Component& c = components_[i];
  auto full = std::make_pair(c.kind, c.class_name);
  by_name_[full] = static_cast<long>(i);  // a full name is never ambiguous: the last one wins
  std::vector<std::string> names = c.aliases;
  std::string simple = simple_name(c.class_name);
  names.push_back(simple);
  std::string suffix = kind_suffix(c.kind);
  if (simple.size() > suffix.size() && simple.ends_with(suffix))
    names.push_back(simple.substr(0, simple.size() - suffix.size()));
  for (auto& n : names) {
    auto key = std::make_pair(c.kind, n);
    auto it = by_name_.find(key);
    if (it == by_name_.end())
      by_name_[key] = static_cast<long>(i);
    else if (it->second >= 0 && components_[it->second].class_name != c.class_name)
      it->second = -1;
  }
}

Status Registry::load_file(const std::string& path) {
  std::error_code ec;
  std::string canonical = fs::weakly_canonical(path, ec).string();
  if (ec) canonical = path;
  if (std::find(loaded_paths_.begin(), loaded_paths_.end(), canonical) != loaded_paths_.end())
    return {};
  // Never dlclose: components may outlive any bookkeeping here.
  void* h = dlopen(canonical.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!h) return Error::fatal(std::string("dlopen failed: ") + dlerror(), Stage::Plugin);
  auto entry = reinterpret_cast<sluice_plugin_entry_fn>(dlsym(h, SLUICE_PLUGIN_ENTRY_SYMBOL));
  if (!entry)
    return Error::fatal("no " SLUICE_PLUGIN_ENTRY_SYMBOL " symbol: not a Sluice plugin", Stage::Plugin);
  const sluice_plugin_descriptor* d = nullptr;
  try {
    d = entry();
  } catch (...) {
    return Error::fatal("the entry point threw an exception", Stage::Plugin);
  }
  if (auto st = add(d, canonical); !st) return st;
  loaded_paths_.push_back(canonical);
  return {};
}

void Registry::load_path(const std::string& plugin_path) {
  std::vector<std::string> files;
  size_t start = 0;
  while (start <= plugin_path.size()) {
    size_t comma = plugin_path.find(',', start);
    std::string dir = plugin_path.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? plugin_path.size() + 1 : comma + 1;
    dir.erase(0, dir.find_first_not_of(" \t"));
    dir.erase(dir.find_last_not_of(" \t") + 1);
    if (dir.empty()) continue;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      if (fs::is_regular_file(dir, ec) && dir.ends_with(".so")) files.push_back(dir);
      else log::warn("plugins", "plugin.path entry ", dir, " is not a directory; skipped");
      continue;
    }
    for (auto& e : fs::directory_iterator(dir, ec)) {
      std::error_code ec2;
      if (e.is_regular_file(ec2) && e.path().extension() == ".so") {
        files.push_back(e.path().string());
      } else if (e.is_directory(ec2)) {
        for (auto& sub : fs::directory_iterator(e.path(), ec2))
          if (sub.path().extension() == ".so") files.push_back(sub.path().string());
      }
    }
  }
  std::sort(files.begin(), files.end());
  for (auto& f : files) {
    if (auto st = load_file(f); !st) {
      log::warn("plugins", "skipped ", f, ": ", st.error().message);
      failures_.push_back({f, st.error().message});
    }
  }
}

const Component* Registry::find(uint32_t kind, std::string_view name) const {
  auto it = by_name_.find(std::make_pair(kind, std::string(name)));
  if (it == by_name_.end() || it->second < 0) return nullptr;
  return &components_[it->second];
}

Result<const Component*> Registry::resolve(uint32_t kind, std::string_view name) const {
  if (const Component* c = find(kind, name)) return c;
  auto it = by_name_.find(std::make_pair(kind, std::string(name)));
  std::string why = (it != by_name_.end() && it->second < 0) ? " (the alias is ambiguous: use the full class name)" : "";
  std::string avail;
  for (auto& c : components_)
    if (c.kind == kind) avail += (avail.empty() ? "" : ", ") + c.class_name;
  return Error::fatal("Failed to find any class that implements " + std::string(kind_name(kind)) +
                      " and which name matches " + std::string(name) + why + "; available: " +
                      (avail.empty() ? "none" : avail), Stage::Config);
}

template <class Handle>
Result<std::unique_ptr<Handle>> Registry::create(uint32_t kind, std::string_view name) const {
  auto c = resolve(kind, name);
  if (!c) return c.error();
  void* p = (*c)->create();
  if (!p)
    return Error::fatal("could not create " + (*c)->class_name + " from " + (*c)->origin, Stage::Plugin);
  return std::unique_ptr<Handle>(static_cast<Handle*>(p));
}

Result<std::unique_ptr<api::SourceConnectorHandle>> Registry::create_source_connector(std::string_view n) const {
  return create<api::SourceConnectorHandle>(SLUICE_SOURCE_CONNECTOR, n);
}
Result<std::unique_ptr<api::ConverterHandle>> Registry::create_converter(std::string_view n) const {
  return create<api::ConverterHandle>(SLUICE_CONVERTER, n);
}
Result<std::unique_ptr<api::HeaderConverterHandle>> Registry::create_header_converter(std::string_view n) const {
  return create<api::HeaderConverterHandle>(SLUICE_HEADER_CONVERTER, n);
}
Result<std::unique_ptr<api::TransformationHandle>> Registry::create_transformation(std::string_view n) const {
  return create<api::TransformationHandle>(SLUICE_TRANSFORMATION, n);
}
Result<std::unique_ptr<api::PredicateHandle>> Registry::create_predicate(std::string_view n) const {
  return create<api::PredicateHandle>(SLUICE_PREDICATE, n);
}

}  // namespace sluice::plugin_host
