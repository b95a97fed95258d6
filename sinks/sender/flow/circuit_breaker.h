#pragma once
// A circuit breaker per connection on an injected steady clock.
//
// Contract:
// - closed: every call is allowed. `failure_threshold` consecutive failures (default 5) open it
//   for `open_for` (default 60 s); a success resets the count.
// - open: nothing is allowed until open_until(); then the breaker is half-open.
// - half_open: exactly one probe at a time is allowed. Its success closes the breaker; its
//   failure re-opens it for another `open_for`; on_neutral() ends the probe without a verdict,
//   so the next allow() admits a new probe. A probe never reported within `open_for` is taken
//   as lost and another is admitted.
// - Only what the caller reports as a failure counts: 5xx, timeouts, network errors. A 4xx
//   says nothing about the provider's health: report it with on_neutral(), which changes no
//   count (it neither resets nor adds to the consecutive failures).
// - While open, reports of calls allowed before it opened are ignored.
// - No threads, no sleeping; the caller owns the clock and asks open_until() when to retry.
#include <chrono>

namespace hookline::sender {

struct CircuitBreakerConfig {
  static constexpr int kDefaultFailureThreshold = 5;
  static constexpr std::chrono::seconds kDefaultOpenFor{60};

  int failure_threshold = kDefaultFailureThreshold;
  std::chrono::milliseconds open_for = kDefaultOpenFor;
};

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  enum class State { closed, open, half_open };

  CircuitBreaker() : CircuitBreaker(CircuitBreakerConfig{}) {}
  explicit CircuitBreaker(CircuitBreakerConfig config);

  // May a call go now? In half-open, a true answer makes the caller the probe: it must report
  // the call's outcome with on_success(), on_failure() or on_neutral().
  bool allow(TimePoint now);
  void on_success();
  void on_failure(TimePoint now);
  void on_neutral();

  State state(TimePoint now) const;
  // When an open breaker half-opens (meaningful in the open state).
  TimePoint open_until() const noexcept { return open_until_; }
  int consecutive_failures() const noexcept { return failures_; }
  const CircuitBreakerConfig& config() const noexcept { return config_; }

 private:
  void open(TimePoint now);

  CircuitBreakerConfig config_;
  State state_ = State::closed;  // open_ past open_until_ reads as half_open (see state())
  int failures_ = 0;
  TimePoint open_until_{};
  bool probing_ = false;
  TimePoint probe_started_{};
};

const char* to_string(CircuitBreaker::State state) noexcept;

}  // namespace hookline::sender
