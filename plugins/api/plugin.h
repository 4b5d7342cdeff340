#pragma once
// The plugin boundary.
//
// A plugin .so exports one C symbol, sluice_plugin_entry, returning a descriptor: its size,
// the API version it was built against, a toolchain tag, its name and version, and its
// components. Components cross as C++ objects (the API's types), so the host refuses a
// plugin whose API major or toolchain tag differs from its own; it accepts an older minor.
//
// The host calls components only through the *Handle interfaces below: every method is
// noexcept and returns a Status. The Guarded* adapters that implement them are instantiated
// inside the plugin (by PluginBuilder), so the try/catch that turns a throw into a Status is
// plugin code and no exception ever unwinds across the boundary.
//
// Host services (API 1.1): a descriptor whose struct_size covers accept_host_services gets
// the host's services (sluice_host_services in regex.h: the Java regex engine) through it,
// before init runs. PluginBuilder fills it in; a 1.0 plugin simply has no engine.
//
// A plugin's entry point:
//
//   SLUICE_PLUGIN_ENTRY() {
//     static const sluice_plugin_descriptor* d = [] {
//       static sluice::api::PluginBuilder plugin("my-plugin", "1.0.0");
//       plugin.source_connector<MyConnector>("com.example.MyConnector", {"My"});
//       return plugin.descriptor();
//     }();
//     return d;
//   }

#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "plugins/api/connector.h"
#include "plugins/api/converter.h"
#include "plugins/api/regex.h"
#include "plugins/api/transform.h"

#define SLUICE_PLUGIN_API_MAJOR 1
#define SLUICE_PLUGIN_API_MINOR 1

#define SLUICE_STR_(x) #x
#define SLUICE_STR(x) SLUICE_STR_(x)
#if defined(__clang__)
#define SLUICE_COMPILER_FAMILY "clang"
#elif defined(__GNUC__)
#define SLUICE_COMPILER_FAMILY "gcc"
#else
#define SLUICE_COMPILER_FAMILY "other"
#endif
#ifndef _GLIBCXX_USE_CXX11_ABI
#define _GLIBCXX_USE_CXX11_ABI 0
#endif
// Objects cross the boundary, so both sides must agree on the C++ ABI and standard library.
#define SLUICE_TOOLCHAIN_TAG                                              \
  SLUICE_COMPILER_FAMILY "/gxx-abi-" SLUICE_STR(__GXX_ABI_VERSION)       \
      "/libstdc++-cxx11abi-" SLUICE_STR(_GLIBCXX_USE_CXX11_ABI) "/c++20"

extern "C" {

enum sluice_component_kind : uint32_t {
  SLUICE_SOURCE_CONNECTOR = 1,
  SLUICE_CONVERTER = 2,
  SLUICE_HEADER_CONVERTER = 3,
  SLUICE_TRANSFORMATION = 4,
  SLUICE_PREDICATE = 5,
};

struct sluice_component {
  uint32_t kind;                 // sluice_component_kind
  const char* class_name;        // the Java class name users write
  const char* const* aliases;    // null-terminated list; may be null
  const char* version;
  void* (*create)();             // a new *Handle of the kind, or null on failure
};

struct sluice_plugin_descriptor {
  uint32_t struct_size;          // sizeof(sluice_plugin_descriptor) as the plugin knows it
  uint16_t api_major;
  uint16_t api_minor;
  const char* toolchain;         // SLUICE_TOOLCHAIN_TAG
  const char* name;
  const char* version;
  // Called once after the handshake; returns null on success or an error message.
  const char* (*init)();
  const sluice_component* components;
  uint32_t component_count;
  // API 1.1: the host calls this once with its services (before init); may be null.
  void (*accept_host_services)(const sluice_host_services* services);
};

typedef const sluice_plugin_descriptor* (*sluice_plugin_entry_fn)();
}

#define SLUICE_PLUGIN_ENTRY_SYMBOL "sluice_plugin_entry"
#define SLUICE_PLUGIN_ENTRY()                                                         \
  extern "C" __attribute__((visibility("default"))) const sluice_plugin_descriptor* \
  sluice_plugin_entry()

namespace sluice::api {

// Throw this from plugin code for a failure that may pass (the worker retries).
class RetriableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class F>
Status guard(F&& f) noexcept {
  try {
    f();
    return Status::ok();
  } catch (const RetriableError& e) {
    return Status::retriable(e.what());
  } catch (const std::exception& e) {
    return Status::failed(e.what());
  } catch (...) {
    return Status::failed("unknown exception thrown by plugin code");
  }
}

// ---- What the host sees -------------------------------------------------------------------

class SourceTaskHandle {
 public:
  virtual ~SourceTaskHandle() = default;
  virtual Status version(std::string& out) noexcept = 0;
  virtual Status initialize(SourceTaskContext& context) noexcept = 0;
  virtual Status start(const Config& config) noexcept = 0;
  virtual Status poll(std::vector<SourceRecord>& out) noexcept = 0;
  virtual Status commit() noexcept = 0;
  virtual Status commit_record(const SourceRecord& r, const RecordMetadata* m) noexcept = 0;
  virtual Status stop() noexcept = 0;
};

class SourceConnectorHandle {
 public:
  virtual ~SourceConnectorHandle() = default;
  virtual Status version(std::string& out) noexcept = 0;
  virtual Status initialize(ConnectorContext& context) noexcept = 0;
  virtual Status start(const Config& config) noexcept = 0;
  virtual Status task_configs(int max_tasks, std::vector<Config>& out) noexcept = 0;
  virtual Status create_task(std::unique_ptr<SourceTaskHandle>& out) noexcept = 0;
  virtual Status stop() noexcept = 0;
  virtual Status config_def(ConfigDef& out) noexcept = 0;
  virtual Status validate(const std::string& name, const Config& config,
                          ConfigInfos& out) noexcept = 0;
};

class ConverterHandle {
 public:
  virtual ~ConverterHandle() = default;
  virtual Status config_def(ConfigDef& out) noexcept = 0;
  virtual Status configure(const Config& config, bool is_key) noexcept = 0;
  virtual Status from_connect(std::string_view topic, const SchemaPtr& schema, const Value& value,
                              std::string& out, bool& is_null) noexcept = 0;
  virtual Status to_connect(std::string_view topic, const char* data, size_t size,
                            SchemaAndValue& out) noexcept = 0;
};

class HeaderConverterHandle {
 public:
  virtual ~HeaderConverterHandle() = default;
  virtual Status config_def(ConfigDef& out) noexcept = 0;
  virtual Status configure(const Config& config) noexcept = 0;
  virtual Status from_connect_header(std::string_view topic, std::string_view key,
                                     const SchemaPtr& schema, const Value& value,
                                     std::string& out, bool& is_null) noexcept = 0;
  virtual Status to_connect_header(std::string_view topic, std::string_view key,
                                   const char* data, size_t size,
                                   SchemaAndValue& out) noexcept = 0;
};

class TransformationHandle {
 public:
  virtual ~TransformationHandle() = default;
  virtual Status config_def(ConfigDef& out) noexcept = 0;
  virtual Status configure(const Config& config) noexcept = 0;
  virtual Status apply(SourceRecord& record, bool& drop) noexcept = 0;
  virtual Status close() noexcept = 0;
};

class PredicateHandle {
 public:
  virtual ~PredicateHandle() = default;
  virtual Status config_def(ConfigDef& out) noexcept = 0;
  virtual Status configure(const Config& config) noexcept = 0;
  virtual Status test(const SourceRecord& record, bool& result) noexcept = 0;
  virtual Status close() noexcept = 0;
};

// ---- Guards, compiled into the plugin ------------------------------------------------------

class GuardedSourceTask final : public SourceTaskHandle {
 public:
  explicit GuardedSourceTask(std::unique_ptr<SourceTask> t) : t_(std::move(t)) {}
  Status version(std::string& out) noexcept override { return guard([&] { out = t_->version(); }); }
  Status initialize(SourceTaskContext& c) noexcept override { return guard([&] { t_->initialize(c); }); }
  Status start(const Config& c) noexcept override { return guard([&] { t_->start(c); }); }
  Status poll(std::vector<SourceRecord>& out) noexcept override { return guard([&] { t_->poll(out); }); }
  Status commit() noexcept override { return guard([&] { t_->commit(); }); }
  Status commit_record(const SourceRecord& r, const RecordMetadata* m) noexcept override {
    return guard([&] { t_->commit_record(r, m); });
  }
  Status stop() noexcept override { return guard([&] { t_->stop(); }); }

 private:
  std::unique_ptr<SourceTask> t_;
};

class GuardedSourceConnector final : public SourceConnectorHandle {
 public:
  explicit GuardedSourceConnector(std::unique_ptr<SourceConnector> c) : c_(std::move(c)) {}
  Status version(std::string& out) noexcept override { return guard([&] { out = c_->version(); }); }
  Status initialize(ConnectorContext& ctx) noexcept override { return guard([&] { c_->initialize(ctx); }); }
  Status start(const Config& c) noexcept override { return guard([&] { c_->start(c); }); }
  Status task_configs(int max, std::vector<Config>& out) noexcept override {
    return guard([&] { out = c_->task_configs(max); });
  }
  Status create_task(std::unique_ptr<SourceTaskHandle>& out) noexcept override {
    return guard([&] {
      auto task = c_->create_task();
      if (!task) throw std::runtime_error("connector created no task");
      out = std::make_unique<GuardedSourceTask>(std::move(task));
    });
  }
  Status stop() noexcept override { return guard([&] { c_->stop(); }); }
  Status config_def(ConfigDef& out) noexcept override { return guard([&] { out = c_->config_def(); }); }
  Status validate(const std::string& n, const Config& c, ConfigInfos& out) noexcept override {
    return guard([&] { out = c_->validate(n, c); });
  }

 private:
  std::unique_ptr<SourceConnector> c_;
};

class GuardedConverter final : public ConverterHandle {
 public:
  explicit GuardedConverter(std::unique_ptr<Converter> c) : c_(std::move(c)) {}
  Status config_def(ConfigDef& out) noexcept override { return guard([&] { out = c_->config_def(); }); }
  Status configure(const Config& c, bool is_key) noexcept override {
    return guard([&] { c_->configure(c, is_key); });
  }
  Status from_connect(std::string_view topic, const SchemaPtr& s, const Value& v, std::string& out,
                      bool& is_null) noexcept override {
    return guard([&] { c_->from_connect(topic, s, v, out, is_null); });
  }
  Status to_connect(std::string_view topic, const char* d, size_t n,
                    SchemaAndValue& out) noexcept override {
    return guard([&] { out = c_->to_connect(topic, d, n); });
  }

 private:
  std::unique_ptr<Converter> c_;
};

class GuardedHeaderConverter final : public HeaderConverterHandle {
 public:
  explicit GuardedHeaderConverter(std::unique_ptr<HeaderConverter> c) : c_(std::move(c)) {}
  Status config_def(ConfigDef& out) noexcept override { return guard([&] { out = c_->config_def(); }); }
  Status configure(const Config& c) noexcept override { return guard([&] { c_->configure(c); }); }
  Status from_connect_header(std::string_view topic, std::string_view key, const SchemaPtr& s,
                             const Value& v, std::string& out, bool& is_null) noexcept override {
    return guard([&] { c_->from_connect_header(topic, key, s, v, out, is_null); });
  }
  Status to_connect_header(std::string_view topic, std::string_view key, const char* d, size_t n,
                           SchemaAndValue& out) noexcept override {
    return guard([&] { out = c_->to_connect_header(topic, key, d, n); });
  }

 private:
  std::unique_ptr<HeaderConverter> c_;
};

class GuardedTransformation final : public TransformationHandle {
 public:
  explicit GuardedTransformation(std::unique_ptr<Transformation> t) : t_(std::move(t)) {}
  Status config_def(ConfigDef& out) noexcept override { return guard([&] { out = t_->config_def(); }); }
  Status configure(const Config& c) noexcept override { return guard([&] { t_->configure(c); }); }
  Status apply(SourceRecord& r, bool& drop) noexcept override { return guard([&] { t_->apply(r, drop); }); }
  Status close() noexcept override { return guard([&] { t_->close(); }); }

 private:
  std::unique_ptr<Transformation> t_;
};

class GuardedPredicate final : public PredicateHandle {
 public:
  explicit GuardedPredicate(std::unique_ptr<Predicate> p) : p_(std::move(p)) {}
  Status config_def(ConfigDef& out) noexcept override { return guard([&] { out = p_->config_def(); }); }
  Status configure(const Config& c) noexcept override { return guard([&] { p_->configure(c); }); }
  Status test(const SourceRecord& r, bool& result) noexcept override {
    return guard([&] { result = p_->test(r); });
  }
  Status close() noexcept override { return guard([&] { p_->close(); }); }

 private:
  std::unique_ptr<Predicate> p_;
};

// ---- Building the descriptor --------------------------------------------------------------

class PluginBuilder {
 public:
  PluginBuilder(std::string name, std::string version) {
    d_.struct_size = sizeof(sluice_plugin_descriptor);
    d_.api_major = SLUICE_PLUGIN_API_MAJOR;
    d_.api_minor = SLUICE_PLUGIN_API_MINOR;
    d_.toolchain = SLUICE_TOOLCHAIN_TAG;
    d_.name = keep(std::move(name));
    d_.version = keep(std::move(version));
    d_.accept_host_services = &set_host_services;  // this plugin's own copy of the API
  }
  PluginBuilder(const PluginBuilder&) = delete;
  PluginBuilder& operator=(const PluginBuilder&) = delete;

  template <class T>
  PluginBuilder& source_connector(std::string cls, std::vector<std::string> aliases = {}) {
    return add(SLUICE_SOURCE_CONNECTOR, std::move(cls), std::move(aliases), T{}.version(),
               &create<SourceConnectorHandle, GuardedSourceConnector, T>);
  }
  template <class T>
  PluginBuilder& converter(std::string cls, std::vector<std::string> aliases = {}) {
    return add(SLUICE_CONVERTER, std::move(cls), std::move(aliases), T{}.version(),
               &create<ConverterHandle, GuardedConverter, T>);
  }
  template <class T>
  PluginBuilder& header_converter(std::string cls, std::vector<std::string> aliases = {}) {
    return add(SLUICE_HEADER_CONVERTER, std::move(cls), std::move(aliases), T{}.version(),
               &create<HeaderConverterHandle, GuardedHeaderConverter, T>);
  }
  template <class T>
  PluginBuilder& transformation(std::string cls, std::vector<std::string> aliases = {}) {
    return add(SLUICE_TRANSFORMATION, std::move(cls), std::move(aliases), T{}.version(),
               &create<TransformationHandle, GuardedTransformation, T>);
  }
  template <class T>
  PluginBuilder& predicate(std::string cls, std::vector<std::string> aliases = {}) {
    return add(SLUICE_PREDICATE, std::move(cls), std::move(aliases), T{}.version(),
               &create<PredicateHandle, GuardedPredicate, T>);
  }
  PluginBuilder& on_init(const char* (*fn)()) {
    d_.init = fn;
    return *this;
  }

  const sluice_plugin_descriptor* descriptor() {
    d_.components = components_.data();
    d_.component_count = static_cast<uint32_t>(components_.size());
    return &d_;
  }

 private:
  template <class Handle, class Guarded, class T>
  static void* create() {
    try {
      return static_cast<void*>(static_cast<Handle*>(new Guarded(std::make_unique<T>())));
    } catch (...) {
      return nullptr;
    }
  }

  const char* keep(std::string s) { return strings_.emplace_back(std::move(s)).c_str(); }

  PluginBuilder& add(uint32_t kind, std::string cls, std::vector<std::string> aliases,
                     std::string version, void* (*fn)()) {
    auto& list = alias_lists_.emplace_back();
    for (auto& a : aliases) list.push_back(keep(std::move(a)));
    list.push_back(nullptr);
    components_.push_back(
        sluice_component{kind, keep(std::move(cls)), list.data(), keep(std::move(version)), fn});
    return *this;
  }

  sluice_plugin_descriptor d_{};
  std::deque<std::string> strings_;  // deque: c_str() pointers stay valid as it grows
  std::deque<std::vector<const char*>> alias_lists_;
  std::vector<sluice_component> components_;
};

}  // namespace sluice::api
