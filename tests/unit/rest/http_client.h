#pragma once
// A tiny blocking HTTP/1.1 client over plain sockets for the REST tests: one connection,
// several requests (keep-alive), raw writes for malformed or slow requests, deadlines on
// every read.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace sluice::rest::test {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool has_header(const std::string& name) const { return headers.count(name) > 0; }
};

class HttpConnection {
 public:
  explicit HttpConnection(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
      throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~HttpConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Writes everything; false when the peer closed or reset.
  bool send_raw(const std::string& data) {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        return false;
      }
      off += static_cast<size_t>(n);
    }
    return true;
  }

  static std::string build(const std::string& method, const std::string& target, const std::string& body,
                           const std::map<std::string, std::string>& headers = {}, bool with_json_type = true) {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n";
    bool has_type = false;
    for (auto& [k, v] : headers) {
      req += k + ": " + v + "\r\n";
      std::string lk = k;
      for (auto& c : lk) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      has_type = has_type || lk == "content-type";
    }
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      if (!has_type && with_json_type) req += "Content-Type: application/json\r\n";
      req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    req += "\r\n" + body;
    return req;
  }

  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {}) {
    if (!send_raw(build(method, target, body, headers))) throw std::runtime_error("send failed");
    auto r = read_response(std::chrono::seconds(10), method == "HEAD");
    if (!r) throw std::runtime_error("no response to " + method + " " + target);
    return *r;
  }

  // Reads one response; nullopt on timeout or when the connection closed first.
  std::optional<HttpResponse> read_response(std::chrono::milliseconds timeout, bool head = false) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill(deadline)) return std::nullopt;
    HttpResponse r;
    std::string head_text = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    size_t line_end = head_text.find("\r\n");
    std::string status_line = head_text.substr(0, line_end);
    size_t sp = status_line.find(' ');
    if (sp == std::string::npos) return std::nullopt;
    r.status = std::atoi(status_line.c_str() + sp + 1);
    size_t pos = line_end == std::string::npos ? head_text.size() : line_end + 2;
    while (pos < head_text.size()) {
      size_t e = head_text.find("\r\n", pos);
      if (e == std::string::npos) e = head_text.size();
      std::string line = head_text.substr(pos, e - pos);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string k = line.substr(0, colon);
        for (auto& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string v = line.substr(colon + 1);
        v.erase(0, v.find_first_not_of(' '));
        r.headers[k] = v;
      }
      pos = e + 2;
    }
    size_t length = 0;
    if (!head && r.headers.count("content-length")) length = std::stoul(r.headers["content-length"]);
    while (buf_.size() < length)
      if (!fill(deadline)) return std::nullopt;
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    return r;
  }

  // True when the server closes the connection (EOF or reset) before the deadline.
  bool wait_closed(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now()).count());
      if (ms <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      int n = ::poll(&p, 1, ms);
      if (n <= 0) continue;
      char tmp[4096];
      ssize_t got = ::recv(fd_, tmp, sizeof tmp, 0);
      if (got <= 0) return true;
      buf_.append(tmp, static_cast<size_t>(got));
    }
  }

  int fd() const { return fd_; }

 private:
  bool fill(std::chrono::steady_clock::time_point deadline) {
    int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                  deadline - std::chrono::steady_clock::now()).count());
    if (ms <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, ms) <= 0) return false;
    char tmp[16384];
    ssize_t got = ::recv(fd_, tmp, sizeof tmp, 0);
    if (got <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(got));
    return true;
  }

  int fd_ = -1;
  std::string buf_;
};

// One request on a fresh connection.
inline HttpResponse http(uint16_t port, const std::string& method, const std::string& target,
                         const std::string& body = "", const std::map<std::string, std::string>& headers = {}) {
  HttpConnection c(port);
  return c.request(method, target, body, headers);
}

}  // namespace sluice::rest::test
