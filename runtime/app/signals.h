#pragma once
// SIGINT/SIGTERM handling for the long-running commands: blocked in every thread (so the
// main loop receives them synchronously), the first asks for a graceful stop, a second one
// while stopping exits at once.

#include <chrono>

namespace sluice::app {

// Call first in main, before any thread starts.
void block_stop_signals();
// Waits up to `timeout` for SIGINT/SIGTERM; returns the signal number or 0.
int wait_stop_signal(std::chrono::milliseconds timeout);
// After the first signal: a watcher thread that exits the process on the next one.
void exit_on_second_signal();

}  // namespace sluice::app
