#pragma once
// The simulator's decisions for one request, apart from HTTP: which provider, authentication,
// queued faults, rate limits, validation, idempotency, the answer, and its record.
// Order: unknown path → 404; not POST → 405; no credentials → 401; a pending fault that
// matches → its answer (it takes no rate token); a rate limit with no token → 429 with
// Retry-After; a malformed body → 400; then the provider's answer (an idempotent replay for a
// repeated Resend Idempotency-Key). Every request is recorded, whatever its answer.
// Thread-safe.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <regex>
#include <vector>

#include "sinks/simulator/exchange.h"
#include "sinks/simulator/fault_plan.h"
#include "sinks/simulator/idempotency.h"
#include "sinks/simulator/provider.h"
#include "sinks/simulator/rate_limiter.h"
#include "sinks/simulator/recorder.h"

namespace hookline::simulator {

struct Clocks {
  std::function<std::chrono::steady_clock::time_point()> steady;  // rate limits
  std::function<std::chrono::system_clock::time_point()> wall;    // record times
  static Clocks real();
};

struct EngineOptions {
  std::size_t max_records = 200000;
  std::size_t max_idempotency_keys = 200000;
};

struct Verdict {
  Answer answer;
  std::chrono::milliseconds delay{0};  // wait this long before answering (or closing)
  bool close = false;                  // close the connection without answering
  const char* provider = "unknown";
  std::int64_t seq = 0;  // of the record
};

class Engine {
 public:
  explicit Engine(std::vector<std::unique_ptr<Provider>> providers, EngineOptions options = {},
                  Clocks clocks = Clocks::real());

  // Routes, decides and records one request (any path but the control API's).
  Verdict handle(Incoming in);

  std::int64_t add_rate_rule(RateRule rule);
  std::int64_t add_fault(Fault fault);
  // Forgets rate limits, faults, idempotency keys, records and counts.
  void reset();
  std::vector<RateRule> rate_rules() const;
  std::vector<Fault> faults() const;
  std::vector<Record> requests(const RecordFilter& filter) const { return recorder_.query(filter); }
  Stats stats() const { return recorder_.stats(); }

 private:
  struct Route {
    std::unique_ptr<Provider> provider;
    std::regex pattern;
  };
  // The provider serving in.path, with in.params set; nullptr when none does.
  const Provider* route(Incoming& in) const;
  // The answer of an authenticated POST (rec.target set).
  void decide(const Provider& p, const Incoming& in, Record& rec, Verdict& v);

  std::vector<Route> routes_;
  Clocks clocks_;
  mutable std::mutex mu_;  // limiter_ and faults_
  RateLimiter limiter_;
  FaultPlan faults_;
  IdempotencyStore idempotency_;
  Recorder recorder_;
};

}  // namespace hookline::simulator
