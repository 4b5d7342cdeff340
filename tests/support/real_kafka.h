#pragma once
// A Catch2-friendly handle on a real KRaft Kafka: runs tests/support/kafka_cluster.py's CLI
// in a child process, reads the bootstrap servers from its first line, and stops it (SIGTERM,
// which makes the harness stop the brokers and remove their data) when destroyed.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace sluice::test {

class RealKafka {
 public:
  explicit RealKafka(int nodes = 1) {
    const char* src = std::getenv("SLUICE_SOURCE_DIR");
    if (!src) throw std::runtime_error("SLUICE_SOURCE_DIR is not set (run through ctest)");
    std::string script = std::string(src) + "/tests/support/kafka_cluster.py";
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      std::string n = std::to_string(nodes);
      execlp("python3", "python3", script.c_str(), "run", "--nodes", n.c_str(), nullptr);
      _exit(127);
    }
    close(out[1]);
    FILE* f = fdopen(out[0], "r");
    char line[4096] = {0};
    bool got = f && std::fgets(line, sizeof line, f);
    // Keep the pipe open while the harness runs: it may still be writing the lines after the
    // first, and a closed pipe kills it with BrokenPipeError (and the brokers with it).
    out_ = f;
    if (!got) {
      stop();
      throw std::runtime_error("the Kafka harness did not start (see its stderr)");
    }
    bootstrap_ = line;
    while (!bootstrap_.empty() && (bootstrap_.back() == '\n' || bootstrap_.back() == '\r')) bootstrap_.pop_back();
  }
  ~RealKafka() { stop(); }
  RealKafka(const RealKafka&) = delete;
  RealKafka& operator=(const RealKafka&) = delete;

  const std::string& bootstrap() const { return bootstrap_; }

 private:
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (out_) std::fclose(out_);
    out_ = nullptr;
  }
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::string bootstrap_;
};

}  // namespace sluice::test
