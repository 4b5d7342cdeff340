#include "rest/forward.h"

#include <rapidjson/document.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace sluice::rest {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

namespace {

constexpr const char* kConflict = "Cannot complete request because of a conflicting operation (e.g. worker rebalance)";
constexpr std::chrono::milliseconds kForwardTimeout{90000};  // Connect's REST request timeout

}  // namespace

Result<HttpResult> http_request(const std::string& method, const std::string& url, const std::string& body,
                                const Headers& headers, std::chrono::milliseconds timeout) {
  if (!url.starts_with("http://")) return Error::fatal("only http:// URLs can be requested: " + url);
  std::string rest = url.substr(7);
  size_t slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  std::string target = slash == std::string::npos ? "/" : rest.substr(slash);
  size_t colon = hostport.rfind(':');
  std::string host = colon == std::string::npos ? hostport : hostport.substr(0, colon);
  std::string port = colon == std::string::npos ? "80" : hostport.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(timeout);
    stream.connect(resolver.resolve(host, port));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, hostport);
    req.set(http::field::user_agent, "sluice");
    for (auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
    }
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    beast::error_code ec;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    HttpResult out;
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    if (auto it = res.find(http::field::content_type); it != res.end()) out.content_type = std::string(it->value());
    return out;
  } catch (const std::exception& e) {
    return Error::retry(e.what());
  }
}

std::string with_forward_param(const std::string& target, const std::string& value) {
  size_t q = target.find('?');
  std::string path = target.substr(0, q);
  std::string query = q == std::string::npos ? "" : target.substr(q + 1);
  std::string out;
  size_t pos = 0;
  while (pos <= query.size() && !query.empty()) {
    size_t amp = query.find('&', pos);
    std::string item = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (!item.empty() && item.substr(0, item.find('=')) != "forward") out += (out.empty() ? "" : "&") + item;
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  out += (out.empty() ? "" : "&") + std::string("forward=") + value;
  return path + "?" + out;
}

Response forward_request(const Request& request, const std::string& base_url) {
  // Where the hop count stands: no parameter -> forward=true -> forward=false -> 409.
  std::string next = "true";
  size_t q = request.target.find('?');
  if (q != std::string::npos) {
    std::string query = "&" + request.target.substr(q + 1) + "&";
    if (query.find("&forward=false&") != std::string::npos) return Response::error(409, kConflict);
    if (query.find("&forward=") != std::string::npos) next = "false";
  }
  std::string target = with_forward_param(request.target, next);
  std::string url = base_url;
  if (!url.empty() && url.back() == '/') url.pop_back();
  url += target;
  Headers headers;
  // Authorization as Connect; the signature headers too, so that a signed internal request
  // reaches a leader that moved still signed.
  for (const char* name : {"Authorization", "X-Connect-Authorization", "X-Connect-Request-Signature-Algorithm"})
    if (const std::string* v = request.header(name)) headers.emplace_back(name, *v);
  auto r = http_request(request.method, url, request.body, headers, kForwardTimeout);
  if (!r) return Response::error(500, "IO Error trying to forward REST request: " + r.error().message);
  Response out;
  out.status = r->status;
  out.body = std::move(r->body);
  if (!r->content_type.empty()) out.headers.emplace_back("Content-Type", r->content_type);
  return out;
}

Result<std::vector<herder::Config>> parse_task_config_list(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError() || !d.IsArray()) return Error::with_status(400, "task configs must be a JSON list of objects");
  std::vector<herder::Config> out;
  for (auto& item : d.GetArray()) {
    if (!item.IsObject()) return Error::with_status(400, "task configs must be a JSON list of objects");
    herder::Config c;
    for (auto m = item.MemberBegin(); m != item.MemberEnd(); ++m)
      if (m->value.IsString())
        c[std::string(m->name.GetString(), m->name.GetStringLength())] =
            std::string(m->value.GetString(), m->value.GetStringLength());
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace sluice::rest
