// The built-in converters' descriptor and the guarded handles the host calls.
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <set>
#include <string>

#include "plugins/converters/builtin.h"

using namespace sluice::api;

namespace {
const sluice_component* find(const sluice_plugin_descriptor* d, uint32_t kind, const char* cls) {
  for (uint32_t i = 0; i < d->component_count; ++i)
    if (d->components[i].kind == kind && std::strcmp(d->components[i].class_name, cls) == 0)
      return &d->components[i];
  return nullptr;
}
}  // namespace

TEST_CASE("builtin converters descriptor", "[converters][builtin]") {
  const sluice_plugin_descriptor* d = sluice_builtin_converters_entry();
  REQUIRE(d);
  CHECK(d == sluice_builtin_converters_entry());
  CHECK(d->struct_size == sizeof(sluice_plugin_descriptor));
  CHECK(d->api_major == SLUICE_PLUGIN_API_MAJOR);
  CHECK(std::string(d->toolchain) == SLUICE_TOOLCHAIN_TAG);
  CHECK(std::string(d->name) == "sluice-converters");
  CHECK(std::string(d->version) == "0.1.0");
  CHECK(d->component_count == 7);

  struct Expect {
    uint32_t kind;
    const char* cls;
    const char* alias;
  };
  const Expect expected[] = {
      {SLUICE_CONVERTER, "org.apache.kafka.connect.json.JsonConverter", "JsonConverter"},
      {SLUICE_CONVERTER, "org.apache.kafka.connect.storage.StringConverter", "StringConverter"},
      {SLUICE_CONVERTER, "org.apache.kafka.connect.converters.ByteArrayConverter", "ByteArrayConverter"},
      {SLUICE_HEADER_CONVERTER, "org.apache.kafka.connect.storage.SimpleHeaderConverter", "SimpleHeaderConverter"},
      {SLUICE_HEADER_CONVERTER, "org.apache.kafka.connect.json.JsonConverter", "JsonConverter"},
      {SLUICE_HEADER_CONVERTER, "org.apache.kafka.connect.storage.StringConverter", "StringConverter"},
      {SLUICE_HEADER_CONVERTER, "org.apache.kafka.connect.converters.ByteArrayConverter", "ByteArrayConverter"},
  };
  for (const auto& e : expected) {
    INFO(e.cls << " kind " << e.kind);
    const sluice_component* c = find(d, e.kind, e.cls);
    REQUIRE(c);
    REQUIRE(c->aliases);
    CHECK(std::string(c->aliases[0]) == e.alias);
    CHECK(c->aliases[1] == nullptr);
    CHECK(std::string(c->version) == "0.1.0");
    void* h = c->create();
    REQUIRE(h);
    if (e.kind == SLUICE_CONVERTER)
      delete static_cast<ConverterHandle*>(h);
    else
      delete static_cast<HeaderConverterHandle*>(h);
  }
}

TEST_CASE("builtin JsonConverter through its guarded handle", "[converters][builtin]") {
  const sluice_plugin_descriptor* d = sluice_builtin_converters_entry();
  const sluice_component* c = find(d, SLUICE_CONVERTER, "org.apache.kafka.connect.json.JsonConverter");
  REQUIRE(c);
  std::unique_ptr<ConverterHandle> h(static_cast<ConverterHandle*>(c->create()));
  ConfigDef def;
  CHECK(h->config_def(def).is_ok());
  CHECK(def.find("schemas.enable"));
  CHECK(h->configure({{"schemas.enable", "false"}}, false).is_ok());

  std::string out;
  bool is_null = true;
  CHECK(h->from_connect("t", schemas::int32(), Value::int32(7), out, is_null).is_ok());
  CHECK(out == "7");
  SchemaAndValue sv;
  CHECK(h->to_connect("t", out.data(), out.size(), sv).is_ok());
  CHECK(sv.value == Value::int64(7));

  // A conversion error comes back as a failed status, not an exception.
  Status st = h->to_connect("t", "{", 1, sv);
  CHECK_FALSE(st.is_ok());
  CHECK_FALSE(st.is_retriable());
  CHECK(st.message().find("serialization error") != std::string::npos);
  st = h->configure({{"decimal.format", "HEX"}}, false);
  CHECK_FALSE(st.is_ok());
  CHECK(st.message().find("decimal.format") != std::string::npos);

  const sluice_component* hc =
      find(d, SLUICE_HEADER_CONVERTER, "org.apache.kafka.connect.storage.SimpleHeaderConverter");
  REQUIRE(hc);
  std::unique_ptr<HeaderConverterHandle> hh(static_cast<HeaderConverterHandle*>(hc->create()));
  CHECK(hh->configure({}).is_ok());
  out.clear();
  CHECK(hh->from_connect_header("t", "k", nullptr, Value::int32(12), out, is_null).is_ok());
  CHECK(out == "12");
  CHECK(hh->to_connect_header("t", "k", out.data(), out.size(), sv).is_ok());
  CHECK(sv.value == Value::int8(12));
}
