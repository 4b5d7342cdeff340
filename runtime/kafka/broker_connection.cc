#include "runtime/kafka/broker_connection.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace sluice::kafka {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto kPollSlice = std::chrono::milliseconds(50);

class PlaintextStream final : public ByteStream {
 public:
  explicit PlaintextStream(StopCheck stop) : stop_(std::move(stop)), socket_(io_) {}
  ~PlaintextStream() override { close(); }

  Status connect(const std::string& host, uint16_t port, SteadyClock::time_point deadline) override {
    boost::system::error_code ec;
    tcp::resolver resolver(io_);
    auto endpoints = resolver.resolve(host, std::to_string(port), ec);
    if (ec) return Error::retry("cannot resolve " + host + ": " + ec.message());
    bool done = false;
    asio::async_connect(socket_, endpoints, [&](const boost::system::error_code& e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
    if (auto st = run_until(done, deadline, "connecting to " + host + ":" + std::to_string(port)); !st.ok()) return st;
    if (ec) return Error::retry("cannot connect to " + host + ":" + std::to_string(port) + ": " + ec.message());
    socket_.set_option(tcp::no_delay(true), ec);
    return {};
  }

  Status write_all(std::string_view bytes, SteadyClock::time_point deadline) override {
    boost::system::error_code ec;
    bool done = false;
    asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()),
                      [&](const boost::system::error_code& e, size_t) {
                        ec = e;
                        done = true;
                      });
    if (auto st = run_until(done, deadline, "sending"); !st.ok()) return st;
    if (ec) return Error::retry("send failed: " + ec.message());
    return {};
  }

  Status read_exact(size_t n, std::string& out, SteadyClock::time_point deadline) override {
    size_t at = out.size();
    out.resize(at + n);
    boost::system::error_code ec;
    bool done = false;
    asio::async_read(socket_, asio::buffer(out.data() + at, n), [&](const boost::system::error_code& e, size_t) {
      ec = e;
      done = true;
    });
    if (auto st = run_until(done, deadline, "waiting for a response"); !st.ok()) return st;
    if (ec) {
      return Error::retry(ec == asio::error::eof ? std::string("connection closed by the broker")
                                                 : "receive failed: " + ec.message());
    }
    return {};
  }

  void close() override {
    boost::system::error_code ec;
    if (socket_.is_open()) socket_.close(ec);
  }

 private:
  // Runs the io_context until `done`, the deadline, or a stop request; on the latter two the
  // socket is closed and the aborted handler drained before returning.
  Status run_until(bool& done, SteadyClock::time_point deadline, const std::string& what) {
    while (!done) {
      auto now = SteadyClock::now();
      bool stopped = stop_ && stop_();
      if (now >= deadline || stopped) {
        close();
        io_.restart();
        io_.run();
        return Error::retry(stopped ? "stopped while " + what : "timed out " + what);
      }
      io_.restart();
      io_.run_for(std::min<SteadyClock::duration>(deadline - now, kPollSlice));
    }
    return {};
  }

  StopCheck stop_;
  asio::io_context io_;
  tcp::socket socket_;
};

}  // namespace

std::unique_ptr<ByteStream> make_plaintext_stream(StopCheck stop) {
  return std::make_unique<PlaintextStream>(std::move(stop));
}

Result<std::unique_ptr<BrokerConnection>> BrokerConnection::open(const std::string& host, uint16_t port,
                                                                 const ConnectionOptions& options,
                                                                 SteadyClock::time_point deadline, StopCheck stop) {
  std::unique_ptr<BrokerConnection> c(new BrokerConnection());
  c->stream_ = options.stream_factory ? options.stream_factory(stop) : make_plaintext_stream(stop);
  c->client_id_ = options.client_id;
  c->host_ = host;
  c->port_ = port;
  c->max_response_ = options.max_response_bytes;
  if (auto st = c->stream_->connect(host, port, deadline); !st.ok()) return st.error();
  auto body = c->roundtrip(api::kApiVersions, 0, "", deadline);
  if (!body.ok()) return Error::retry("ApiVersions to " + c->address() + ": " + body.error().message);
  auto versions = decode_api_versions(*body, 0);
  if (!versions.ok()) return versions.error();
  if (versions->error != 0) {
    return Error::fatal("ApiVersions to " + c->address() + " failed: " + error_name(versions->error));
  }
  c->apis_ = std::move(versions->apis);
  if (options.authenticate) {
    if (auto st = options.authenticate(*c, deadline); !st.ok()) return st.error();
  }
  return c;
}

Result<std::string> BrokerConnection::roundtrip(int16_t api_key, int16_t version, std::string_view body,
                                                SteadyClock::time_point deadline) {
  if (broken_) return Error::retry("connection to " + address() + " is broken");
  int32_t correlation = next_correlation_++;
  if (next_correlation_ == INT32_MAX) next_correlation_ = 1;
  auto fail = [&](const Error& e) -> Result<std::string> {
    broken_ = true;
    stream_->close();
    return Error::retry(e.message);
  };
  if (auto st = stream_->write_all(frame_request(api_key, version, correlation, client_id_, body), deadline); !st.ok())
    return fail(st.error());
  std::string size_bytes;
  if (auto st = stream_->read_exact(4, size_bytes, deadline); !st.ok()) return fail(st.error());
  Reader sr(size_bytes);
  int32_t size = sr.i32();
  if (size < 4 || static_cast<size_t>(size) > max_response_) {
    return fail(Error::fatal("bad response size " + std::to_string(size) + " from " + address()));
  }
  std::string frame;
  if (auto st = stream_->read_exact(static_cast<size_t>(size), frame, deadline); !st.ok()) return fail(st.error());
  Reader fr(frame);
  int32_t got = fr.i32();
  if (got != correlation) {
    return fail(Error::fatal("response correlation id " + std::to_string(got) + " does not match request " +
                             std::to_string(correlation) + " from " + address()));
  }
  return frame.substr(4);
}

void BrokerConnection::close() {
  broken_ = true;
  if (stream_) stream_->close();
}

Result<std::vector<HostPort>> parse_bootstrap_servers(std::string_view list) {
  std::vector<HostPort> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string_view item = list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) {
      size_t colon = item.rfind(':');
      if (colon == std::string_view::npos || colon == 0 || colon + 1 == item.size())
        return Error::fatal("bootstrap server '" + std::string(item) + "' is not host:port");
      std::string_view host = item.substr(0, colon);
      if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
      unsigned port = 0;
      for (char ch : item.substr(colon + 1)) {
        if (ch < '0' || ch > '9' || port > 65535) return Error::fatal("bad port in bootstrap server '" + std::string(item) + "'");
        port = port * 10 + static_cast<unsigned>(ch - '0');
      }
      if (port == 0 || port > 65535) return Error::fatal("bad port in bootstrap server '" + std::string(item) + "'");
      out.push_back({std::string(host), static_cast<uint16_t>(port)});
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (out.empty()) return Error::fatal("no bootstrap servers given");
  return out;
}

}  // namespace sluice::kafka
