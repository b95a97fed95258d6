#pragma once
// The faults of the end-to-end run: a random component SIGKILLed and restarted every few
// seconds, a Kafka broker taken down and brought back through the mock cluster's control API,
// and one Postgres restart; plus a watch for components that exit on their own (restarted,
// and reported). Every fault is logged with its time.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_stack.h"

namespace hookline::e2e {

struct ChaosEvent {
  std::int64_t at_ms = 0;
  std::string what;    // kill, broker-down, broker-up, postgres-restart, unexpected-exit, ...
  std::string target;  // component, broker id
  std::string detail;
};

struct ChaosPlan {
  double duration_s = 120;
  double kill_every_s = 5;
  double broker_down_at = 0.3, broker_down_s = 5;  // fraction of the run, seconds
  double postgres_restart_at = 0.6;
};

class Chaos {
 public:
  Chaos(E2eStack& stack, ChaosPlan plan, unsigned seed);
  ~Chaos();
  void start();
  void stop();  // then every component runs and every broker is up
  std::vector<ChaosEvent> events();
  // SIGKILLs of `component_prefix` (e.g. "normalizer") with their times.
  std::vector<std::int64_t> kills_of(const std::string& component_prefix);

 private:
  void run();
  void note(const std::string& what, const std::string& target, const std::string& detail = "");
  void restart(const std::string& name);
  void watch();

  E2eStack& stack_;
  ChaosPlan plan_;
  std::mt19937 rng_;
  std::atomic<bool> running_{false};
  std::mutex mu_;
  std::vector<ChaosEvent> events_;
  std::thread thread_;
};

}  // namespace hookline::e2e
