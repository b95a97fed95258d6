#pragma once
// The simulator's decisions for one request, apart from HTTP: which provider and endpoint (send
// or credential check), authentication, queued faults, rate limits, validation, idempotency,
// the answer, and its record.
// Order: unknown path → 404; another method than the endpoint's (POST for sends) → 405; no
// credentials → 401; a credential that is not among those declared valid for the provider →
// the provider's wrong-credential answer; a pending fault that matches → its answer (it takes
// no rate token); a rate limit with no token → 429 with Retry-After; then, for a check, its
// answer; for a send, a malformed body → 400, then the provider's answer (an idempotent replay
// for a repeated Resend Idempotency-Key). Every request is recorded, whatever its answer.
// Thread-safe.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <vector>

#include "sinks/simulator/credential_list.h"
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
  bool remove_fault(std::int64_t id);
  // Replaces the credentials `provider` accepts (CredentialList::set).
  void set_credentials(const std::string& provider, const std::vector<std::string>& valid) {
    credentials_.set(provider, valid);
  }
  std::map<std::string, std::size_t> credential_counts() const { return credentials_.counts(); }
  // Forgets rate limits, faults, declared credentials, idempotency keys, records and counts.
  void reset();
  std::vector<RateRule> rate_rules() const;
  std::vector<Fault> faults() const;
  std::vector<Record> requests(const RecordFilter& filter) const { return recorder_.query(filter); }
  Stats stats() const { return recorder_.stats(); }

 private:
  struct Route {
    const Provider* provider;
    std::regex pattern;
    bool check;  // the credential check endpoint, else the send endpoint
  };
  // The route serving in.path, with in.params set; nullptr when none does.
  const Route* route(Incoming& in) const;
  // The answer of an authenticated request on its endpoint (rec.target set).
  void decide(const Route& r, const Incoming& in, Record& rec, Verdict& v);

  std::vector<std::unique_ptr<Provider>> providers_;
  std::vector<Route> routes_;
  Clocks clocks_;
  mutable std::mutex mu_;  // limiter_ and faults_
  RateLimiter limiter_;
  FaultPlan faults_;
  CredentialList credentials_;
  IdempotencyStore idempotency_;
  Recorder recorder_;
};

}  // namespace hookline::simulator
