#include "runtime/app/dev_kafka.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/common/log.h"
#include "runtime/kafka/mock_cluster.h"
#include "runtime/kafka/tcp_forwarder.h"

namespace sluice {
namespace {

constexpr std::string_view kCtx = "dev-kafka";
constexpr size_t kMaxCommandLine = 4096;

constexpr const char* kUsage =
    "usage: sluice dev-kafka [--brokers N] [--port N] [--topic NAME:PARTITIONS ...]\n"
    "                        [--control FIFO_PATH] [--help]\n"
    "\n"
    "Runs an embedded development Kafka cluster (librdkafka's mock cluster) on 127.0.0.1\n"
    "and prints its bootstrap address (host:port[,host:port...]) as the first line of\n"
    "standard output. Everything else goes to standard error. It runs until SIGINT or\n"
    "SIGTERM (or Ctrl-D when standard input is a terminal).\n"
    "\n"
    "options:\n"
    "  --brokers N               number of brokers, ids 1..N (default 1, at most 32)\n"
    "  --port N                  also accept bootstrap connections on 127.0.0.1:N and print\n"
    "                            that address; clients then reach the brokers at the\n"
    "                            addresses the cluster metadata reports\n"
    "  --topic NAME:PARTITIONS   create a topic up front (repeatable); replication factor\n"
    "                            min(3, brokers). Other topics are auto-created with 4\n"
    "                            partitions when first used\n"
    "  --control FIFO_PATH       also read commands from this FIFO (created if missing);\n"
    "                            several writers may send commands one after another\n"
    "  --help                    this text\n"
    "\n"
    "Fault-injection commands are read one per line from standard input and from the\n"
    "control FIFO; each is answered on standard error with 'ok' or 'error: ...'.\n"
    "\n"
    "LIMITS - this is not a real Kafka broker:\n"
    "  - in memory only: every topic, record and committed offset is lost on exit;\n"
    "  - the ports change on each start, and so does the cluster id;\n"
    "  - each partition keeps only its newest ~5 MiB (or 100,000 batches): older records\n"
    "    are dropped silently, even from a topic meant to be compacted;\n"
    "  - no CreateTopics, DeleteTopics or DescribeConfigs: create topics with --topic or\n"
    "    the 'topic' command;\n"
    "  - topic configs are ignored: no compaction, no retention settings;\n"
    "  - transactions are fake: no read_committed filtering, no fencing, and\n"
    "    transactional offset commits are not stored;\n"
    "  - no TLS, no SASL, loopback only.\n"
    "Use it to try Sluice and for fast tests only; never for data you want to keep, and\n"
    "never for benchmarks.\n"
    "\n";

// --- signals: a self-pipe written by the handler, watched by the control loop -----------

int g_signal_pipe[2] = {-1, -1};

extern "C" void on_stop_signal(int signo) {
  int saved = errno;
  unsigned char b = static_cast<unsigned char>(signo);
  [[maybe_unused]] ssize_t n = ::write(g_signal_pipe[1], &b, 1);
  errno = saved;
}

class SignalGuard {
 public:
  bool install() {
    if (::pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0) return false;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    ::sigaction(SIGINT, &sa, &old_int_);
    ::sigaction(SIGTERM, &sa, &old_term_);
    // A closed stdout must not kill the broker, nor may reading a terminal from the background
    // stop it: such a read fails with EIO instead and stdin is then left alone.
    ::sigaction(SIGPIPE, &ign, &old_pipe_);
    ::sigaction(SIGTTIN, &ign, &old_ttin_);
    installed_ = true;
    return true;
  }
  ~SignalGuard() {
    if (installed_) {
      ::sigaction(SIGINT, &old_int_, nullptr);
      ::sigaction(SIGTERM, &old_term_, nullptr);
      ::sigaction(SIGPIPE, &old_pipe_, nullptr);
      ::sigaction(SIGTTIN, &old_ttin_, nullptr);
    }
    for (int& fd : g_signal_pipe) {
      if (fd >= 0) ::close(fd);
      fd = -1;
    }
  }

 private:
  bool installed_ = false;
  struct sigaction old_int_ {}, old_term_ {}, old_pipe_ {}, old_ttin_ {};
};

// --- arguments ------------------------------------------------------------------------------

struct Options {
  int brokers = 1;
  std::optional<uint16_t> port;
  std::vector<MockTopicSpec> topics;
  std::string control;
  bool help = false;
};

bool parse_number(std::string_view s, long lo, long hi, long& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size() && out >= lo && out <= hi;
}

// Fills `opts`, or returns the one-line message that says what to fix.
std::optional<std::string> parse_args(int argc, char** argv, Options& opts) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view name = arg;
    std::optional<std::string_view> value;
    if (arg.starts_with("--")) {
      if (size_t eq = arg.find('='); eq != std::string_view::npos) {
        name = arg.substr(0, eq);
        value = arg.substr(eq + 1);
      }
    }
    auto take_value = [&]() -> std::optional<std::string_view> {
      if (value) return value;
      if (i + 1 < argc) return std::string_view(argv[++i]);
      return std::nullopt;
    };
    if (name == "--help" || name == "-h") {
      if (value) return "--help takes no value";
      opts.help = true;
    } else if (name == "--brokers") {
      auto v = take_value();
      long n = 0;
      if (!v) return "--brokers needs a value, e.g. --brokers 3";
      if (!parse_number(*v, 1, MockCluster::kMaxBrokers, n)) {
        return "--brokers must be a number from 1 to " + std::to_string(MockCluster::kMaxBrokers) +
               ", not '" + std::string(*v) + "'";
      }
      opts.brokers = static_cast<int>(n);
    } else if (name == "--port") {
      auto v = take_value();
      long n = 0;
      if (!v) return "--port needs a value, e.g. --port 9092";
      if (!parse_number(*v, 1, 65535, n)) {
        return "--port must be a number from 1 to 65535, not '" + std::string(*v) + "'";
      }
      opts.port = static_cast<uint16_t>(n);
    } else if (name == "--topic") {
      auto v = take_value();
      if (!v) return "--topic needs a value NAME:PARTITIONS, e.g. --topic orders:3";
      auto spec = parse_mock_topic_spec(*v);
      if (!spec) return "--topic: " + spec.error().message;
      for (const auto& t : opts.topics) {
        if (t.name == spec->name) return "--topic " + t.name + " is given twice";
      }
      opts.topics.push_back(std::move(*spec));
    } else if (name == "--control") {
      auto v = take_value();
      if (!v || v->empty()) return "--control needs a FIFO path, e.g. --control /tmp/dev-kafka.ctl";
      opts.control = std::string(*v);
    } else if (arg.starts_with("-")) {
      return "unknown option '" + std::string(arg) + "' (see sluice dev-kafka --help)";
    } else {
      return "unexpected argument '" + std::string(arg) + "' (see sluice dev-kafka --help)";
    }
  }
  return std::nullopt;
}

int usage_error(const std::string& msg) {
  std::fprintf(stderr, "sluice dev-kafka: %s\n", msg.c_str());
  return 2;
}

// --- the control FIFO -----------------------------------------------------------------------

// Makes sure `path` is a FIFO; creates it if missing. Returns an error message on failure.
std::optional<std::string> prepare_fifo(const std::string& path, bool& created) {
  created = false;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISFIFO(st.st_mode)) return "--control " + path + " exists and is not a FIFO";
    return std::nullopt;
  }
  if (errno != ENOENT) return "--control " + path + ": " + std::strerror(errno);
  if (::mkfifo(path.c_str(), 0600) < 0) {
    return "--control: cannot create FIFO " + path + ": " + std::strerror(errno);
  }
  created = true;
  return std::nullopt;
}

int open_fifo(const std::string& path) {
  // Non-blocking, so the open does not wait for a writer; reads stay non-blocking too.
  return ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

// --- command sources ------------------------------------------------------------------------

void reply(const std::string& text) {
  if (text.empty()) return;
  std::string line = text + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

// Splits bytes into command lines and runs them.
class LineSource {
 public:
  explicit LineSource(MockCluster& cluster) : cluster_(cluster) {}

  void feed(const char* data, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      char c = data[i];
      if (c == '\n') {
        end_line();
      } else if (!discarding_) {
        if (buf_.size() >= kMaxCommandLine) {
          reply("error: command longer than " + std::to_string(kMaxCommandLine) + " bytes");
          buf_.clear();
          discarding_ = true;
        } else {
          buf_.push_back(c);
        }
      }
    }
  }
  // At EOF a last line without a newline still counts.
  void flush() {
    if (!buf_.empty() || discarding_) end_line();
  }

 private:
  void end_line() {
    if (!discarding_) {
      if (!buf_.empty() && buf_.back() == '\r') buf_.pop_back();
      reply(run_mock_command(cluster_, buf_).text);
    }
    buf_.clear();
    discarding_ = false;
  }

  MockCluster& cluster_;
  std::string buf_;
  bool discarding_ = false;
};

enum class ReadResult { Data, Again, Eof, Error };

ReadResult read_some(int fd, LineSource& src) {
  char buf[4096];
  ssize_t n = ::read(fd, buf, sizeof buf);
  if (n > 0) {
    src.feed(buf, static_cast<size_t>(n));
    return ReadResult::Data;
  }
  if (n == 0) return ReadResult::Eof;
  if (errno == EINTR || errno == EAGAIN) return ReadResult::Again;
  return ReadResult::Error;
}

// Runs until a stop signal (or Ctrl-D on a terminal). Takes over fifo_fd (-1: no FIFO).
// Returns false on an internal error.
bool control_loop(MockCluster& cluster, const std::string& fifo_path, int fifo_fd) {
  bool stdin_open = true;
  bool stdin_tty = ::isatty(STDIN_FILENO) == 1;
  if (stdin_tty && ::tcgetpgrp(STDIN_FILENO) != ::getpgrp()) {
    log::info(kCtx, "running in the background: not reading commands from the terminal");
    stdin_open = false;
  }
  if (stdin_tty && stdin_open) {
    log::info(kCtx, "type 'help' for fault-injection commands; Ctrl-C or Ctrl-D stops");
  }
  LineSource stdin_lines(cluster), fifo_lines(cluster);
  bool ok = true;
  for (;;) {
    pollfd fds[3];
    nfds_t n = 0;
    fds[n++] = {g_signal_pipe[0], POLLIN, 0};
    int stdin_idx = -1, fifo_idx = -1;
    if (stdin_open) {
      stdin_idx = static_cast<int>(n);
      fds[n++] = {STDIN_FILENO, POLLIN, 0};
    }
    if (fifo_fd >= 0) {
      fifo_idx = static_cast<int>(n);
      fds[n++] = {fifo_fd, POLLIN, 0};
    }
    if (::poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      log::error(kCtx, "poll: ", std::strerror(errno));
      ok = false;
      break;
    }
    if (fds[0].revents) {
      unsigned char sig = 0;
      if (::read(g_signal_pipe[0], &sig, 1) == 1) {
        log::info(kCtx, "received ", sig == SIGINT ? "SIGINT" : "SIGTERM", ", stopping");
      }
      break;
    }
    if (stdin_idx >= 0 && fds[stdin_idx].revents) {
      ReadResult r = (fds[stdin_idx].revents & POLLNVAL) ? ReadResult::Error
                                                          : read_some(STDIN_FILENO, stdin_lines);
      if (r == ReadResult::Eof || r == ReadResult::Error) {
        stdin_lines.flush();
        stdin_open = false;
        if (r == ReadResult::Eof && stdin_tty) {
          log::info(kCtx, "end of input on the terminal, stopping");
          break;
        }
        log::debug(kCtx, "standard input closed; still running until SIGINT or SIGTERM");
      }
    }
    if (fifo_idx >= 0 && fds[fifo_idx].revents) {
      ReadResult r = read_some(fifo_fd, fifo_lines);
      if (r == ReadResult::Eof || r == ReadResult::Error) {
        // Every writer has gone: reopen so the next writer is heard (and poll does not keep
        // reporting the hang-up). The new descriptor is opened before the old one is closed,
        // so the FIFO always has a reader and a writer that came in between loses nothing.
        fifo_lines.flush();
        int fresh = open_fifo(fifo_path);
        ::close(fifo_fd);
        fifo_fd = fresh;
        if (fifo_fd < 0) {
          log::error(kCtx, "cannot reopen control FIFO ", fifo_path, ": ", std::strerror(errno));
          ok = false;
          break;
        }
      }
    }
  }
  if (fifo_fd >= 0) ::close(fifo_fd);
  return ok;
}

}  // namespace

int run_dev_kafka(int argc, char** argv) {
  Options opts;
  if (auto err = parse_args(argc, argv, opts)) return usage_error(*err);
  if (opts.help) {
    std::fputs(kUsage, stdout);
    std::fputs(mock_command_help(), stdout);
    std::fflush(stdout);
    return 0;
  }
  bool fifo_created = false;
  if (!opts.control.empty()) {
    if (auto err = prepare_fifo(opts.control, fifo_created)) return usage_error(*err);
  }
  struct FifoCleanup {
    const std::string& path;
    bool created;
    ~FifoCleanup() {
      if (created) ::unlink(path.c_str());
    }
  } fifo_cleanup{opts.control, fifo_created};

  SignalGuard signals;
  if (!signals.install()) {
    log::error(kCtx, "cannot set up signal handling: ", std::strerror(errno));
    return 1;
  }

  auto cluster = MockCluster::start(opts.brokers);
  if (!cluster) {
    log::error(kCtx, cluster.error().message);
    return 1;
  }
  MockCluster& mc = **cluster;
  for (const auto& t : opts.topics) {
    if (auto s = mc.create_topic(t.name, t.partitions); !s) {
      log::error(kCtx, s.error().message);
      return 1;
    }
    log::info(kCtx, "created topic ", t.name, " with ", t.partitions, " partition(s)");
  }

  int fifo_fd = -1;
  if (!opts.control.empty()) {
    fifo_fd = open_fifo(opts.control);
    if (fifo_fd < 0) {
      log::error(kCtx, "cannot open control FIFO ", opts.control, ": ", std::strerror(errno));
      return 1;
    }
  }

  std::unique_ptr<TcpForwarder> forwarder;
  std::string bootstrap = mc.bootstrap_servers();
  if (opts.port) {
    const MockBrokerAddress& first = mc.brokers().front();
    auto fwd = TcpForwarder::start("127.0.0.1", *opts.port, first.host, first.port);
    if (!fwd) {
      log::error(kCtx, "--port ", *opts.port, ": ", fwd.error().message);
      if (fifo_fd >= 0) ::close(fifo_fd);
      return 1;
    }
    forwarder = std::move(*fwd);
    bootstrap = "127.0.0.1:" + std::to_string(forwarder->port());
    log::info(kCtx, "forwarding ", bootstrap, " to broker 1 at ", first.host, ":", first.port);
  }

  std::string first_line = bootstrap + "\n";
  if (std::fwrite(first_line.data(), 1, first_line.size(), stdout) != first_line.size() ||
      std::fflush(stdout) != 0) {
    log::warn(kCtx, "cannot write the bootstrap address to standard output");
  }
  log::info(kCtx, opts.brokers, " broker(s) at ", mc.bootstrap_servers(),
            " - in memory only, all data is lost on exit (see --help for the limits)");
  if (!opts.control.empty()) log::info(kCtx, "reading commands from ", opts.control);

  bool ok = control_loop(mc, opts.control, fifo_fd);

  if (forwarder) forwarder->stop();
  cluster.value().reset();
  log::info(kCtx, "stopped");
  return ok ? 0 : 1;
}

}  // namespace sluice
