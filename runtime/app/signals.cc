#include "runtime/app/signals.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <thread>

namespace sluice::app {
namespace {
sigset_t stop_set() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGINT);
  sigaddset(&s, SIGTERM);
  return s;
}
}  // namespace

void block_stop_signals() {
  // An ignored disposition is inherited across exec (a script's `trap '' INT`, nohup) and
  // would discard the signal before sigwait sees it.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  sigset_t s = stop_set();
  pthread_sigmask(SIG_BLOCK, &s, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

int wait_stop_signal(std::chrono::milliseconds timeout) {
  sigset_t s = stop_set();
  timespec ts{static_cast<time_t>(timeout.count() / 1000),
              static_cast<long>((timeout.count() % 1000) * 1000000)};
  int sig = sigtimedwait(&s, nullptr, &ts);
  return sig > 0 ? sig : 0;
}

void exit_on_second_signal() {
  std::thread([] {
    sigset_t s = stop_set();
    int sig = 0;
    sigwait(&s, &sig);
    static const char msg[] = "sluice: second signal: exiting now without a final offset flush\n";
    ssize_t ignored = ::write(2, msg, sizeof msg - 1);
    (void)ignored;
    _exit(128 + sig);
  }).detach();
}

}  // namespace sluice::app
