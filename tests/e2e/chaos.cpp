#include "tests/e2e/chaos.h"

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "tests/e2e/webhook_load.h"

namespace hookline::e2e {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

Chaos::Chaos(E2eStack& stack, ChaosPlan plan, unsigned seed)
    : stack_(stack), plan_(plan), rng_(seed) {}

Chaos::~Chaos() {
  stop();
}

void Chaos::start() {
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

void Chaos::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
}

void Chaos::note(const std::string& what, const std::string& target, const std::string& detail) {
  std::lock_guard lock(mu_);
  events_.push_back({now_ms(), what, target, detail});
  std::fprintf(stderr, "e2e: %s %s%s%s\n", what.c_str(), target.c_str(), detail.empty() ? "" : ": ",
               detail.c_str());
}

std::vector<ChaosEvent> Chaos::events() {
  std::lock_guard lock(mu_);
  return events_;
}

std::vector<std::int64_t> Chaos::kills_of(const std::string& prefix) {
  std::lock_guard lock(mu_);
  std::vector<std::int64_t> out;
  for (const auto& e : events_) {
    if ((e.what == "kill" || e.what == "unexpected-exit") && e.target.starts_with(prefix)) {
      out.push_back(e.at_ms);
    }
  }
  return out;
}

void Chaos::restart(const std::string& name) {
  for (int attempt = 1;; ++attempt) {
    try {
      stack_.start(name);
      return;
    } catch (const std::exception& e) {
      note("restart-failed", name, e.what());
      if (attempt == 5) throw;
      std::this_thread::sleep_for(2s);
    }
  }
}

// A component that exited without being killed is a finding: restart it, report it.
void Chaos::watch() {
  for (const auto& name : E2eStack::components()) {
    if (stack_.running(name)) continue;
    note("unexpected-exit", name, stack_.log_tail(name, 600));
    try {
      restart(name);
    } catch (const std::exception&) {
      // noted by restart(); the next look tries again
    }
  }
}

void Chaos::run() {
  const auto& names = E2eStack::components();
  const auto start = Clock::now();
  auto at = [&](double fraction) {
    return start + std::chrono::duration_cast<Clock::duration>(
                       std::chrono::duration<double>(plan_.duration_s * fraction));
  };
  const auto broker_down = at(plan_.broker_down_at);
  const auto broker_up = broker_down + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(plan_.broker_down_s));
  const auto pg_restart = at(plan_.postgres_restart_at);
  bool broker_is_down = false, broker_done = false, pg_done = false;
  std::uniform_int_distribution<std::size_t> pick(0, names.size() - 1);
  std::uniform_real_distribution<double> jitter(0.6, 1.4);
  std::uniform_int_distribution<int> broker_pick(1, 3);
  std::string down_broker;
  auto next_kill = Clock::now() + 2s;
  while (running_) {
    std::this_thread::sleep_for(100ms);
    const auto now = Clock::now();
    if (!broker_done && !broker_is_down && now >= broker_down) {
      down_broker = std::to_string(broker_pick(rng_));
      note("broker-down", down_broker,
           stack_.broker().control(down_broker, "down") ? "" : "control API refused");
      broker_is_down = true;
    }
    if (broker_is_down && now >= broker_up) {
      note("broker-up", down_broker,
           stack_.broker().control(down_broker, "up") ? "" : "control API refused");
      broker_is_down = false;
      broker_done = true;
    }
    if (!pg_done && now >= pg_restart) {
      pg_done = true;
      note("postgres-stop", "postgres");
      try {
        stack_.restart_postgres();
        note("postgres-start", "postgres");
      } catch (const std::exception& e) {
        note("postgres-restart-failed", "postgres", e.what());
      }
    }
    if (now >= next_kill) {
      const std::string& victim = names[pick(rng_)];
      note("kill", victim);
      stack_.kill(victim);
      std::this_thread::sleep_for(std::chrono::milliseconds(500 + static_cast<int>(rng_() % 1000)));
      try {
        restart(victim);
        note("restarted", victim);
      } catch (const std::exception&) {
        // noted by restart(); the watch below tries again
      }
      next_kill =
          Clock::now() + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(plan_.kill_every_s * jitter(rng_)));
    }
    watch();
  }
  if (broker_is_down) {
    note("broker-up", down_broker,
         stack_.broker().control(down_broker, "up") ? "" : "control API refused");
  }
  watch();
}

}  // namespace hookline::e2e
