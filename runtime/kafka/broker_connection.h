#pragma once
// One blocking-with-deadline connection to a Kafka broker, on Boost.Asio: request framing,
// correlation ids and ApiVersions negotiation over a pluggable byte stream. PLAINTEXT (a TCP
// socket) is the only stream implemented; TLS plugs in as another ByteStream, and SASL as the
// `authenticate` step that runs after ApiVersions (SaslHandshake/SaslAuthenticate go through
// roundtrip()). Not thread-safe: one thread drives a connection.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/common/error.h"
#include "runtime/kafka/wire.h"

namespace sluice::kafka {

using SteadyClock = std::chrono::steady_clock;
// Polled while an operation waits; returning true aborts it (used by close()).
using StopCheck = std::function<bool()>;

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual Status connect(const std::string& host, uint16_t port, SteadyClock::time_point deadline) = 0;
  virtual Status write_all(std::string_view bytes, SteadyClock::time_point deadline) = 0;
  // Appends exactly n bytes to out.
  virtual Status read_exact(size_t n, std::string& out, SteadyClock::time_point deadline) = 0;
  virtual void close() = 0;
};

// A TCP stream; `stop` may be empty.
std::unique_ptr<ByteStream> make_plaintext_stream(StopCheck stop);

class BrokerConnection;

struct ConnectionOptions {
  std::string client_id = "sluice";
  // Builds the byte stream for a new connection; empty means PLAINTEXT.
  std::function<std::unique_ptr<ByteStream>(StopCheck)> stream_factory;
  // Runs after ApiVersions on every new connection (SASL goes here); empty means none.
  std::function<Status(BrokerConnection&, SteadyClock::time_point)> authenticate;
  // The largest response accepted.
  size_t max_response_bytes = 64 * 1024 * 1024;
};

class BrokerConnection {
 public:
  // Connects, negotiates API versions (ApiVersions v0) and authenticates.
  static Result<std::unique_ptr<BrokerConnection>> open(const std::string& host, uint16_t port,
                                                        const ConnectionOptions& options,
                                                        SteadyClock::time_point deadline, StopCheck stop);

  // Sends one request and returns the response body (after the correlation id). Any
  // failure (transport, timeout, stop, malformed frame) breaks the connection.
  Result<std::string> roundtrip(int16_t api_key, int16_t version, std::string_view body,
                                SteadyClock::time_point deadline);

  // The highest version in [our_min, our_max] the broker supports, or -1.
  int16_t version_for(int16_t api_key, int16_t our_min, int16_t our_max) const {
    return pick_version(apis_, api_key, our_min, our_max);
  }
  bool broken() const { return broken_; }
  const std::string& host() const { return host_; }
  uint16_t port() const { return port_; }
  std::string address() const { return host_ + ":" + std::to_string(port_); }
  void close();

 private:
  BrokerConnection() = default;
  std::unique_ptr<ByteStream> stream_;
  std::string client_id_;
  std::string host_;
  uint16_t port_ = 0;
  int32_t next_correlation_ = 1;
  bool broken_ = false;
  size_t max_response_ = 0;
  std::vector<ApiVersionRange> apis_;
};

// "host:port,host:port" -> pairs; an error names the bad entry.
struct HostPort {
  std::string host;
  uint16_t port = 0;
};
Result<std::vector<HostPort>> parse_bootstrap_servers(std::string_view list);

}  // namespace sluice::kafka
