#pragma once
// A plain TCP byte forwarder: listens on an IPv4 address and port and relays each accepted
// connection, in both directions and half-closes included, to one target address. dev-kafka
// uses it to offer a chosen bootstrap port in front of a mock broker whose port it cannot
// choose. One thread accepts; each connection gets one thread per direction.

#include <cstdint>
#include <memory>
#include <string>

#include "runtime/common/error.h"

namespace sluice {

class TcpForwarder {
 public:
  // Binds listen_host:listen_port (port 0: an ephemeral port) and starts forwarding to
  // target_host:target_port. Both hosts are IPv4 literals such as "127.0.0.1".
  static Result<std::unique_ptr<TcpForwarder>> start(const std::string& listen_host,
                                                     uint16_t listen_port,
                                                     const std::string& target_host,
                                                     uint16_t target_port);

  // Stops accepting, closes every forwarded connection and joins all threads.
  ~TcpForwarder();
  TcpForwarder(const TcpForwarder&) = delete;
  TcpForwarder& operator=(const TcpForwarder&) = delete;

  // The port actually bound.
  uint16_t port() const;
  // Idempotent; the destructor calls it.
  void stop();

 private:
  struct Impl;
  explicit TcpForwarder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice
