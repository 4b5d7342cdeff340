// The only translation unit that includes Beast.
#include "rest/server.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "rest/router.h"
#include "runtime/common/log.h"

namespace sluice::rest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

constexpr const char* kCtx = "rest";
constexpr std::chrono::milliseconds kLinger{1000};      // draining a connection we close
constexpr std::size_t kLingerBytes = 16 * 1024 * 1024;  // at most this much is drained

bool is_http_error(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::end_of_stream).category();
}

Request to_request(http::request<http::string_body>&& msg, ListenerRole role) {
  Request r;
  r.method = std::string(msg.method_string());
  r.target = std::string(msg.target());
  for (const auto& f : msg) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  r.body = std::move(msg.body());
  r.role = role;
  return r;
}

// The status the server answers a request it could not read with; 0: just close.
int status_for_read_error(const error_code& ec) {
  if (ec == http::error::body_limit) return 413;
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return 0;
  if (is_http_error(ec)) return 400;
  return 0;
}

std::string message_for_read_error(const error_code& ec, const RestConfig& config) {
  if (ec == http::error::body_limit)
    return "Request entity too large: the limit is " + std::to_string(config.max_body_bytes) + " bytes";
  if (ec == http::error::header_limit) return "Request header fields too large";
  return "Bad request: " + ec.message();
}

}  // namespace

class Session;

struct RestServer::Impl {
  Impl(const RestConfig& c, herder::Herder& herder)
      : config(c), router(std::make_unique<Router>(herder, RouterOptions::from(c))),
        ioc(std::max(1, c.io_threads)), handlers(static_cast<std::size_t>(std::max(1, c.handler_threads))) {}

  struct Acceptor {
    explicit Acceptor(asio::io_context& ioc) : acceptor(asio::make_strand(ioc)), retry(acceptor.get_executor()) {}
    tcp::acceptor acceptor;
    asio::steady_timer retry;
    ListenerRole role = ListenerRole::Both;
    std::string listener;
  };

  Status listen(const Listener& l, ListenerRole role, uint16_t& bound);
  void accept(std::shared_ptr<Acceptor> a);
  void add_session(const std::shared_ptr<Session>& s);
  void remove_session(Session* s);
  std::vector<std::shared_ptr<Session>> live_sessions();
  void stop();

  RestConfig config;
  std::unique_ptr<Router> router;
  std::string advertised_url;
  std::vector<uint16_t> ports, admin_ports;

  std::mutex mu;  // sessions
  std::condition_variable cv;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  std::atomic<bool> stopping{false};
  std::mutex stop_mu;
  bool stopped = false;

  // Declared after what sessions touch: destroying these releases the last sessions.
  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::shared_ptr<Acceptor>> acceptors;
  std::vector<std::thread> io_threads;
  asio::thread_pool handlers;
};

// One connection: requests are read, handled and answered one at a time (pipelined requests
// wait in the buffer). Everything but the handler itself runs on the socket's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(RestServer::Impl& server, tcp::socket socket, ListenerRole role)
      : server_(server), socket_(std::move(socket)), timer_(socket_.get_executor()), role_(role) {}
  ~Session() { server_.remove_session(this); }

  void start() {
    server_.add_session(shared_from_this());
    error_code ec;
    socket_.set_option(tcp::no_delay(true), ec);
    wait_request();
  }

  // Posted by stop(): an idle connection closes now, a busy one after its response.
  void on_stop() {
    if (state_ == State::Idle) close();
  }
  void force_close() { close(); }
  tcp::socket::executor_type executor() { return socket_.get_executor(); }

 private:
  enum class State { Idle, Reading, Handling, Writing, Closing };

  void arm(std::chrono::milliseconds d) {
    ++generation_;
    timed_out_ = false;
    timer_.expires_after(d);
    timer_.async_wait([self = shared_from_this(), g = generation_](error_code ec) {
      if (ec || g != self->generation_ || self->closed_) return;
      self->timed_out_ = true;
      error_code ignored;
      self->socket_.cancel(ignored);
    });
  }
  void disarm() {
    ++generation_;
    timer_.cancel();
  }

  void wait_request() {
    if (server_.stopping.load()) return close();
    state_ = State::Idle;
    if (buffer_.size() > 0) return start_read();  // a pipelined request is already here
    arm(server_.config.idle_timeout);
    socket_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](error_code ec, std::size_t n) {
      self->on_first_bytes(ec, n);
    });
  }

  void on_first_bytes(error_code ec, std::size_t n) {
    if (closed_) return;
    disarm();
    if (ec) return close();  // idle timeout, peer closed, or stop()
    buffer_.commit(n);
    start_read();
  }

  void start_read() {
    state_ = State::Reading;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.config.max_header_bytes));
    parser_->body_limit(server_.config.max_body_bytes);
    arm(server_.config.read_timeout);  // covers the head and the body
    http::async_read_header(socket_, buffer_, *parser_, [self = shared_from_this()](error_code ec, std::size_t) {
      self->on_header(ec);
    });
  }

  void on_header(error_code ec) {
    if (closed_) return;
    if (ec) return on_read_error(ec);
    if (parser_->is_done()) {
      disarm();
      return dispatch();
    }
    auto expect = parser_->get()[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      continue_ = {http::status::continue_, parser_->get().version()};
      http::async_write(socket_, continue_, [self = shared_from_this()](error_code ec, std::size_t) {
        if (self->closed_) return;
        if (ec) return self->on_read_error(ec);
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](error_code ec, std::size_t) {
      if (self->closed_) return;
      self->disarm();
      if (ec) return self->on_read_error(ec);
      self->dispatch();
    });
  }

  void on_read_error(error_code ec) {
    disarm();
    if (timed_out_) return respond_and_close(408, "Timed out reading the request");
    int status = status_for_read_error(ec);
    if (status == 0) return close();
    respond_and_close(status, message_for_read_error(ec, server_.config));
  }

  void respond_and_close(int status, const std::string& message) {
    keep_alive_ = false;
    head_ = false;
    write(Response::error(status, message));
  }

  void dispatch() {
    state_ = State::Handling;
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    head_ = msg.method() == http::verb::head;
    version_ = msg.version();
    auto started = std::chrono::steady_clock::now();
    Request request = to_request(parser_->release(), role_);
    parser_.reset();
    asio::post(server_.handlers, [self = shared_from_this(), request = std::move(request), started]() mutable {
      Response response = self->server_.router->handle(request);
      if (log::enabled(log::Level::Debug, kCtx)) {
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        std::string_view path = request.target;
        path = path.substr(0, path.find('?'));
        log::debug(kCtx, request.method, " ", path, " ", response.status, " ", ms.count(), " ms");
      }
      asio::post(self->socket_.get_executor(), [self, response = std::move(response)]() mutable {
        self->write(std::move(response));
      });
    });
  }

  void write(Response r) {
    if (closed_) return;
    state_ = State::Writing;
    bool keep = keep_alive_ && !server_.stopping.load();
    keep_alive_ = keep;
    res_ = {};
    res_.version(version_);
    res_.result(static_cast<unsigned>(r.status));
    for (auto& [k, v] : r.headers) res_.insert(k, v);
    std::size_t length = r.body.size();
    res_.body() = head_ ? std::string() : std::move(r.body);
    res_.keep_alive(keep);
    res_.prepare_payload();
    if (head_ && length > 0) res_.content_length(length);
    arm(server_.config.write_timeout);
    http::async_write(socket_, res_, [self = shared_from_this()](error_code ec, std::size_t) {
      if (self->closed_) return;
      self->disarm();
      if (ec) return self->close();
      if (!self->keep_alive_) return self->linger_close();
      self->wait_request();
    });
  }

  // Half-closes and reads what the client still sends (e.g. the rest of a body we refused),
  // so it sees our response instead of a reset.
  void linger_close() {
    state_ = State::Closing;
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    arm(kLinger);
    drain();
  }
  void drain() {
    socket_.async_read_some(asio::buffer(drain_), [self = shared_from_this()](error_code ec, std::size_t n) {
      if (self->closed_) return;
      self->drained_ += n;
      if (ec || self->drained_ > kLingerBytes) return self->close();
      self->drain();
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    state_ = State::Closing;
    timer_.cancel();
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  RestServer::Impl& server_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  ListenerRole role_;
  State state_ = State::Idle;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::empty_body> continue_;
  http::response<http::string_body> res_;
  std::array<char, 8192> drain_{};
  std::size_t drained_ = 0;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;
  bool timed_out_ = false;
  bool closed_ = false;
  uint64_t generation_ = 0;
};

Status RestServer::Impl::listen(const Listener& l, ListenerRole role, uint16_t& bound) {
  auto a = std::make_shared<Acceptor>(ioc);
  a->role = role;
  a->listener = l.text;
  error_code ec;
  tcp::endpoint ep;
  if (l.host.empty()) {
    ep = tcp::endpoint(asio::ip::address_v4::any(), l.port);
  } else if (auto addr = asio::ip::make_address(l.host, ec); !ec) {
    ep = tcp::endpoint(addr, l.port);
  } else {
    tcp::resolver resolver(ioc);
    auto results = resolver.resolve(l.host, std::to_string(l.port), ec);
    if (ec || results.empty())
      return Error::fatal("Unable to resolve the host of REST listener " + l.text + ": " +
                          (ec ? ec.message() : std::string("no address")));
    ep = results.begin()->endpoint();
  }
  auto fail = [&](const char* what) {
    return Error::fatal(std::string("Unable to ") + what + " REST listener " + l.text + " (" +
                        ep.address().to_string() + ":" + std::to_string(ep.port()) + "): " + ec.message());
  };
  a->acceptor.open(ep.protocol(), ec);
  if (ec) return fail("open");
  a->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  a->acceptor.bind(ep, ec);
  if (ec) return fail("bind");
  a->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  bound = a->acceptor.local_endpoint(ec).port();
  acceptors.push_back(a);
  return {};
}

void RestServer::Impl::accept(std::shared_ptr<Acceptor> a) {
  a->acceptor.async_accept(asio::make_strand(ioc), [this, a](error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !a->acceptor.is_open()) return;
    if (ec) {
      // Out of descriptors and the like: wait a little instead of spinning.
      log::warn(kCtx, "Accepting on ", a->listener, " failed: ", ec.message());
      a->retry.expires_after(std::chrono::milliseconds(100));
      a->retry.async_wait([this, a](error_code e) {
        if (!e) accept(a);
      });
      return;
    }
    if (stopping.load()) {
      error_code ignored;
      socket.close(ignored);
      return;
    }
    std::make_shared<Session>(*this, std::move(socket), a->role)->start();
    accept(a);
  });
}

void RestServer::Impl::add_session(const std::shared_ptr<Session>& s) {
  std::lock_guard lock(mu);
  sessions[s.get()] = s;
}

void RestServer::Impl::remove_session(Session* s) {
  std::lock_guard lock(mu);
  sessions.erase(s);
  cv.notify_all();
}

std::vector<std::shared_ptr<Session>> RestServer::Impl::live_sessions() {
  std::lock_guard lock(mu);
  std::vector<std::shared_ptr<Session>> out;
  for (auto& [p, w] : sessions)
    if (auto s = w.lock()) out.push_back(std::move(s));
  return out;
}

void RestServer::Impl::stop() {
  {
    std::lock_guard lock(stop_mu);
    if (stopped) return;
    stopped = true;
  }
  stopping.store(true);
  auto deadline = std::chrono::steady_clock::now() + config.shutdown_timeout;
  for (auto& a : acceptors) {
    asio::post(a->acceptor.get_executor(), [a] {
      error_code ec;
      a->acceptor.close(ec);
      a->retry.cancel();
    });
  }
  for (auto& s : live_sessions()) asio::post(s->executor(), [s] { s->on_stop(); });
  {
    std::unique_lock lock(mu);
    if (!cv.wait_until(lock, deadline, [&] { return sessions.empty(); }))
      log::warn(kCtx, sessions.size(), " REST connection(s) still busy after ",
                config.shutdown_timeout.count(), " ms; closing them");
  }
  for (auto& s : live_sessions()) asio::post(s->executor(), [s] { s->force_close(); });
  handlers.join();  // a handler blocked in the herder is waited for
  work.reset();
  ioc.stop();
  for (auto& t : io_threads)
    if (t.joinable()) t.join();
  log::info(kCtx, "REST server stopped");
}

// ---- RestServer ----

RestServer::RestServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RestServer::~RestServer() { stop(); }

Result<std::unique_ptr<RestServer>> RestServer::start(const RestConfig& config, herder::Herder& herder) {
  if (config.listeners.empty()) return Error::fatal("No REST listeners configured");
  auto impl = std::make_unique<Impl>(config, herder);
  bool separate_admin = config.admin_listeners.has_value();
  ListenerRole normal_role = separate_admin ? ListenerRole::Api : ListenerRole::Both;
  for (const auto& l : config.listeners) {
    uint16_t port = 0;
    if (auto st = impl->listen(l, normal_role, port); !st) return st.error();
    impl->ports.push_back(port);
  }
  if (separate_admin) {
    for (const auto& l : *config.admin_listeners) {
      uint16_t port = 0;
      if (auto st = impl->listen(l, ListenerRole::Admin, port); !st) return st.error();
      impl->admin_ports.push_back(port);
    }
  }
  size_t index = advertised_listener_index(config);
  impl->advertised_url = advertised_url_for(config, config.listeners[index], impl->ports[index]);
  impl->router->set_advertised_url(impl->advertised_url);
  if (const auto& c = config.admin_listeners; c && c->empty())
    log::info(kCtx, "admin.listeners is empty: the /admin endpoints are disabled");

  impl->work.emplace(impl->ioc.get_executor());
  for (auto& a : impl->acceptors) impl->accept(a);
  for (int i = 0; i < std::max(1, config.io_threads); ++i) {
    impl->io_threads.emplace_back([ioc = &impl->ioc] {
      for (;;) {
        try {
          ioc->run();
          return;
        } catch (const std::exception& e) {
          log::error(kCtx, "Unexpected exception in the REST I/O loop: ", e.what());
        }
      }
    });
  }
  std::string listening;
  for (size_t i = 0; i < config.listeners.size(); ++i)
    listening += (i ? ", " : "") + config.listeners[i].text + " (port " + std::to_string(impl->ports[i]) + ")";
  log::info(kCtx, "REST server listening on ", listening, "; advertised URL ", impl->advertised_url);
  return std::unique_ptr<RestServer>(new RestServer(std::move(impl)));
}

void RestServer::stop() {
  if (impl_) impl_->stop();
}

std::string RestServer::advertised_url() const { return impl_->advertised_url; }
std::string RestServer::worker_id() const { return worker_id_of(impl_->advertised_url); }
std::vector<uint16_t> RestServer::ports() const { return impl_->ports; }
std::vector<uint16_t> RestServer::admin_ports() const { return impl_->admin_ports; }
Router& RestServer::router() { return *impl_->router; }

// ---- parsing without a socket ----

Result<Request> parse_http_request(std::string_view raw, const RestConfig& config) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(config.max_header_bytes));
  parser.body_limit(config.max_body_bytes);
  parser.eager(true);
  error_code ec;
  std::size_t offset = 0;
  while (!parser.is_done() && offset < raw.size()) {
    std::size_t used = parser.put(asio::buffer(raw.data() + offset, raw.size() - offset), ec);
    offset += used;
    if (ec == http::error::need_more) {
      ec = {};
      if (used == 0) break;
      continue;
    }
    if (ec) break;
  }
  // A request's length never depends on the end of the stream: unfinished is incomplete.
  if (!ec && !parser.is_done()) ec = http::error::partial_message;
  if (ec) {
    int status = status_for_read_error(ec);
    return Error::with_status(status == 0 ? 400 : status, message_for_read_error(ec, config));
  }
  return to_request(parser.release(), ListenerRole::Both);
}

}  // namespace sluice::rest
