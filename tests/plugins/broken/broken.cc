// A corpus of broken plugins, one .so per BROKEN_KIND, for the loader's tests.

#include <stdexcept>

#include "plugins/api/plugin.h"

namespace {
class NoopConverter : public sluice::api::Converter {
 public:
  void configure(const sluice::api::Config&, bool) override {}
  void from_connect(std::string_view, const sluice::api::SchemaPtr&, const sluice::api::Value&,
                    std::string&, bool&) override {}
  sluice::api::SchemaAndValue to_connect(std::string_view, const char*, size_t) override { return {}; }
};

[[maybe_unused]] sluice_plugin_descriptor* make() {
  static sluice::api::PluginBuilder plugin("broken", "0");
  plugin.converter<NoopConverter>(std::string("sluice.test.Broken") + BROKEN_KIND);
  return const_cast<sluice_plugin_descriptor*>(plugin.descriptor());
}

[[maybe_unused]] const char* init_fails() { return "the database of plugins is on fire"; }
[[maybe_unused]] const char* init_throws() { throw std::runtime_error("init exploded"); }
}  // namespace

#ifndef BROKEN_NO_ENTRY
SLUICE_PLUGIN_ENTRY() {
  sluice_plugin_descriptor* d = make();
#if defined(BROKEN_WRONG_MAJOR)
  d->api_major = 99;
#elif defined(BROKEN_SHORT)
  d->struct_size = 8;
#elif defined(BROKEN_TOOLCHAIN)
  d->toolchain = "msvc/other-abi";
#elif defined(BROKEN_INIT_FAILS)
  d->init = init_fails;
#elif defined(BROKEN_INIT_THROWS)
  d->init = init_throws;
#elif defined(BROKEN_NULL_DESCRIPTOR)
  return nullptr;
#endif
  return d;
}
#else
extern "C" __attribute__((visibility("default"))) int not_the_entry() { return 1; }
#endif
