#include "runtime/kafka/tcp_forwarder.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <list>
#include <mutex>
#include <thread>

#include "runtime/common/log.h"

namespace sluice {
namespace {

constexpr std::string_view kLogCtx = "forwarder";
constexpr int kConnectTimeoutMs = 10000;

std::string errno_text(int err) { return std::strerror(err); }

bool make_addr(const std::string& host, uint16_t port, sockaddr_in& out) {
  std::memset(&out, 0, sizeof out);
  out.sin_family = AF_INET;
  out.sin_port = htons(port);
  return inet_pton(AF_INET, host.c_str(), &out.sin_addr) == 1;
}

bool send_all(int fd, const char* data, size_t len) {
  while (len > 0) {
    ssize_t n = ::send(fd, data, len, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

// Copies `from` to `to` until EOF, then half-closes `to`. On an error, shuts both sockets
// down so the opposite direction ends too.
void pump(int from, int to) {
  char buf[64 * 1024];
  bool clean = true;
  for (;;) {
    ssize_t n = ::recv(from, buf, sizeof buf, 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      clean = false;
      break;
    }
    if (!send_all(to, buf, static_cast<size_t>(n))) {
      clean = false;
      break;
    }
  }
  if (clean) {
    ::shutdown(to, SHUT_WR);
  } else {
    ::shutdown(from, SHUT_RDWR);
    ::shutdown(to, SHUT_RDWR);
  }
}

}  // namespace

struct TcpForwarder::Impl {
  struct Conn {
    int client = -1;
    int upstream = -1;
    bool done = false;
    std::thread thread;
  };

  int listen_fd = -1;
  int stop_pipe[2] = {-1, -1};  // written once on stop; every poll watches the read end
  uint16_t port = 0;
  sockaddr_in target{};
  std::string target_text;
  std::thread acceptor;

  std::mutex mu;  // guards conns and each Conn's fds, and stopping
  std::list<Conn> conns;
  bool stopping = false;
  bool stopped = false;

  ~Impl() {
    if (listen_fd >= 0) ::close(listen_fd);
    for (int fd : stop_pipe) {
      if (fd >= 0) ::close(fd);
    }
  }

  // Non-blocking connect that gives up on stop or after kConnectTimeoutMs.
  int connect_upstream() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&target), sizeof target);
    if (rc < 0 && errno == EINPROGRESS) {
      pollfd fds[2] = {{fd, POLLOUT, 0}, {stop_pipe[0], POLLIN, 0}};
      do {
        rc = ::poll(fds, 2, kConnectTimeoutMs);
      } while (rc < 0 && errno == EINTR);
      int err = 0;
      socklen_t len = sizeof err;
      if (rc <= 0 || (fds[1].revents & POLLIN) ||
          ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0) {
        if (rc == 0) err = ETIMEDOUT;
        log::warn(kLogCtx, "cannot connect to ", target_text, ": ",
                  err ? errno_text(err) : std::string("stopping"));
        ::close(fd);
        return -1;
      }
    } else if (rc < 0) {
      log::warn(kLogCtx, "cannot connect to ", target_text, ": ", errno_text(errno));
      ::close(fd);
      return -1;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
  }

  void serve(Conn& c) {
    int up = connect_upstream();
    {
      std::lock_guard lk(mu);
      c.upstream = up;
      if (up < 0 || stopping) {
        ::shutdown(c.client, SHUT_RDWR);
        if (up >= 0) ::shutdown(up, SHUT_RDWR);
      }
    }
    if (up >= 0) {
      std::thread back([&c] { pump(c.upstream, c.client); });
      pump(c.client, c.upstream);
      back.join();
    }
    std::lock_guard lk(mu);
    ::close(c.client);
    if (c.upstream >= 0) ::close(c.upstream);
    c.client = c.upstream = -1;
    c.done = true;
  }

  // Joins connections that have finished. Called with mu held.
  void reap_locked() {
    for (auto it = conns.begin(); it != conns.end();) {
      if (it->done) {
        it->thread.join();
        it = conns.erase(it);
      } else {
        ++it;
      }
    }
  }

  void accept_loop() {
    for (;;) {
      pollfd fds[2] = {{listen_fd, POLLIN, 0}, {stop_pipe[0], POLLIN, 0}};
      int rc = ::poll(fds, 2, -1);
      if (rc < 0) {
        if (errno == EINTR) continue;
        log::error(kLogCtx, "poll: ", errno_text(errno));
        return;
      }
      if (fds[1].revents) return;
      if (!(fds[0].revents & POLLIN)) continue;
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED) continue;
        log::warn(kLogCtx, "accept: ", errno_text(errno));
        if (errno == EMFILE || errno == ENFILE) {
          // Out of descriptors: wait for stop or for connections to end.
          pollfd stop_only = {stop_pipe[0], POLLIN, 0};
          if (::poll(&stop_only, 1, 200) > 0) return;
        }
        continue;
      }
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      std::lock_guard lk(mu);
      reap_locked();
      Conn& c = conns.emplace_back();
      c.client = fd;
      c.thread = std::thread([this, &c] { serve(c); });
    }
  }
};

TcpForwarder::TcpForwarder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TcpForwarder::~TcpForwarder() { stop(); }

uint16_t TcpForwarder::port() const { return impl_->port; }

Result<std::unique_ptr<TcpForwarder>> TcpForwarder::start(const std::string& listen_host,
                                                          uint16_t listen_port,
                                                          const std::string& target_host,
                                                          uint16_t target_port) {
  auto impl = std::make_unique<Impl>();
  sockaddr_in listen_addr{};
  if (!make_addr(listen_host, listen_port, listen_addr)) {
    return Error::fatal("listen address '" + listen_host + "' is not an IPv4 address");
  }
  if (!make_addr(target_host, target_port, impl->target)) {
    return Error::fatal("target address '" + target_host + "' is not an IPv4 address");
  }
  impl->target_text = target_host + ":" + std::to_string(target_port);
  if (::pipe2(impl->stop_pipe, O_CLOEXEC) < 0) {
    return Error::fatal("pipe: " + errno_text(errno));
  }
  impl->listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (impl->listen_fd < 0) return Error::fatal("socket: " + errno_text(errno));
  int one = 1;
  ::setsockopt(impl->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  std::string where = listen_host + ":" + std::to_string(listen_port);
  if (::bind(impl->listen_fd, reinterpret_cast<const sockaddr*>(&listen_addr),
             sizeof listen_addr) < 0) {
    int err = errno;
    if (err == EADDRINUSE) return Error::fatal(where + " is already in use; pick another port");
    return Error::fatal("cannot listen on " + where + ": " + errno_text(err));
  }
  if (::listen(impl->listen_fd, 128) < 0) {
    return Error::fatal("cannot listen on " + where + ": " + errno_text(errno));
  }
  sockaddr_in bound{};
  socklen_t len = sizeof bound;
  if (::getsockname(impl->listen_fd, reinterpret_cast<sockaddr*>(&bound), &len) < 0) {
    return Error::fatal("getsockname: " + errno_text(errno));
  }
  impl->port = ntohs(bound.sin_port);
  Impl* raw = impl.get();
  impl->acceptor = std::thread([raw] { raw->accept_loop(); });
  log::debug(kLogCtx, "forwarding ", listen_host, ":", impl->port, " to ", impl->target_text);
  return std::unique_ptr<TcpForwarder>(new TcpForwarder(std::move(impl)));
}

void TcpForwarder::stop() {
  Impl& d = *impl_;
  {
    std::lock_guard lk(d.mu);
    if (d.stopped) return;
    d.stopped = true;
    d.stopping = true;
  }
  char byte = 1;
  while (::write(d.stop_pipe[1], &byte, 1) < 0 && errno == EINTR) {
  }
  if (d.acceptor.joinable()) d.acceptor.join();
  {
    std::lock_guard lk(d.mu);
    for (auto& c : d.conns) {
      if (c.client >= 0) ::shutdown(c.client, SHUT_RDWR);
      if (c.upstream >= 0) ::shutdown(c.upstream, SHUT_RDWR);
    }
  }
  // Threads still running need mu to finish, so join outside it; conns no longer changes.
  for (auto& c : d.conns) c.thread.join();
  d.conns.clear();
  ::close(d.listen_fd);
  d.listen_fd = -1;
}

}  // namespace sluice
