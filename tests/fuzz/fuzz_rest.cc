// libFuzzer target for the REST server without sockets: raw bytes go through the server's
// HTTP parser (Beast, with the server's limits), then the router and the entity decoders
// against an in-memory FakeHerder. Any input must give a well-formed answer: a status in
// 100..599, and for every error Connect's JSON error body with a matching error_code.

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rest/entities.h"
#include "rest/router.h"
#include "rest/server.h"
#include "runtime/common/log.h"
#include "tests/unit/rest/fake_herder.h"

using namespace sluice;
using namespace sluice::rest;

namespace {

const RestConfig& config() {
  static const RestConfig c = [] {
    RestConfig r = *RestConfig::from_worker({});
    r.max_body_bytes = 64 * 1024;  // smaller than the server's, so mutations reach the limit
    r.max_header_bytes = 8 * 1024;
    return r;
  }();
  return c;
}

void check_response(const Response& r) {
  if (r.status < 100 || r.status > 599) std::abort();
  if (r.status < 400) return;
  const std::string* type = r.header("Content-Type");
  if (!type || *type != "application/json") std::abort();
  rapidjson::Document doc;
  doc.Parse(r.body.data(), r.body.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("error_code") || !doc["error_code"].IsInt() ||
      doc["error_code"].GetInt() != r.status || !doc.HasMember("message") || !doc["message"].IsString())
    std::abort();
}

void check_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = (log::set_level(log::Level::Off), true);  // log lines are not under test
  (void)quiet;
  std::string_view raw(reinterpret_cast<const char*>(data), size);

  // The decoders on their own, whatever the route would have been.
  auto body_start = raw.find("\r\n\r\n");
  std::string_view body = body_start == std::string_view::npos ? raw : raw.substr(body_start + 4);
  // Bad bodies: 400 for Connect's own checks, 500 where Java's JSON mapper rejects the body.
  auto bad_body = [](int status) { return status != 400 && status != 500; };
  if (auto c = parse_config(body); !c && bad_body(c.error().status)) std::abort();
  if (auto c = parse_create_request(body); !c && bad_body(c.error().status)) std::abort();
  if (auto o = parse_offsets(body); o) {
    for (auto& po : *o) check_json(po.partition_json);
  } else if (bad_body(o.error().status)) {
    std::abort();
  }
  (void)parse_log_level(body);

  auto request = parse_http_request(raw, config());
  if (!request) {
    int s = request.error().status;
    if (s != 400 && s != 413 && s != 431) std::abort();
    check_response(Response::error(s, request.error().message));
    return 0;
  }

  test::FakeHerder herder;
  test::FakeHerder::Connector c;
  c.tasks = 2;
  c.failed_tasks = {1};
  c.topics = {"t1"};
  c.offsets = {{R"({"server":"s1"})", std::string(R"({"pos":1})")}};
  herder.add("a", c);
  c.state = "STOPPED";
  herder.add("stopped", c);

  RouterOptions options;
  options.apply_log_levels = false;  // the fuzzer must not change the process's logging
  options.cors_allow_origin = "*";
  options.advertised_url = "http://fuzz:8083/";
  Router router(herder, options);
  for (ListenerRole role : {ListenerRole::Both, ListenerRole::Admin}) {
    request->role = role;
    Response r = router.handle(*request);
    check_response(r);
    if (r.status < 400 && !r.body.empty()) check_json(r.body);
  }
  return 0;
}
