#pragma once
// What every hookline program's main() does the same way: bad usage is one line and exit 2,
// any other start-up error one line "<program>: <reason>" and exit 1; SIGINT and SIGTERM are
// blocked in every thread and waited for in one place.
#include <pthread.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <exception>
#include <functional>
#include <thread>

#include "core/cli_args.h"

namespace hookline {

inline int run_program(const char* program, const std::function<int()>& body) {
  try {
    return body();
  } catch (const UsageError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return 1;
  }
}

// Construct before starting threads, so they inherit the blocked mask.
class StopSignals {
 public:
  StopSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  // Blocks until SIGINT or SIGTERM; returns its name.
  const char* wait() const {
    int sig = 0;
    sigwait(&set_, &sig);
    return sig == SIGINT ? "SIGINT" : "SIGTERM";
  }

 private:
  sigset_t set_;
};

// The flag a polling loop watches: set when SIGINT or SIGTERM arrives (waited for on a thread
// of its own, which calls `on_signal` with the signal's name) or when this object goes away.
// The destructor, also on an exception, ends that thread.
class StopFlag {
 public:
  StopFlag(const StopSignals& signals, std::function<void(const char* signal)> on_signal)
      : waiter_([this, &signals, on_signal = std::move(on_signal)] {
          const char* sig = signals.wait();
          if (!stop_.exchange(true)) on_signal(sig);
        }) {}
  ~StopFlag() {
    // The waiter still sits in sigwait: wake it with the signal it waits for.
    if (!stop_.exchange(true)) pthread_kill(waiter_.native_handle(), SIGTERM);
    waiter_.join();
  }
  StopFlag(const StopFlag&) = delete;
  StopFlag& operator=(const StopFlag&) = delete;

  const std::atomic<bool>& flag() const noexcept { return stop_; }

 private:
  std::atomic<bool> stop_{false};
  std::thread waiter_;
};

}  // namespace hookline
