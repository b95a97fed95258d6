#pragma once
// A token bucket on an injected steady clock: a connection's send rate.
//
// Contract:
// - Capacity `burst` tokens, refilled at `rate_per_s`; the bucket starts full.
// - Exact: tokens are counted in integers (1 token = 10^12 units, the rate in milli-tokens per
//   second, time in nanoseconds), so nothing drifts however long it runs. Over any window of
//   length W no more than burst + rate·W tokens are granted, and a bucket driven without gaps
//   grants exactly that (rounded down).
// - Resolution: the rate is rounded to 0.001 token/s and clamped to [0.001, 10^6]; the burst
//   to [1, 10^6] tokens (rounded to 10^-12 token).
// - pause_until(t) (a provider's Retry-After): no token is granted before t; at t the bucket
//   holds one token and refills at the rate from there (no burst builds up during a pause).
//   A pause never shortens an earlier, longer one.
// - `now` must not go backwards between calls; a `now` before the last one refills nothing.
// - No threads, no sleeping: the caller asks wait_for() and schedules itself.
#include <chrono>
#include <cstdint>
#include <optional>

namespace hookline::sender {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  TokenBucket(double rate_per_s, double burst);

  // Takes one token when there is one (and no pause runs at `now`).
  bool try_take(TimePoint now);
  // How long from `now` until try_take() succeeds; zero when it would now.
  std::chrono::nanoseconds wait_for(TimePoint now) const;

  void pause_until(TimePoint until);
  // The end of the latest pause (TimePoint{} when never paused).
  TimePoint paused_until() const noexcept { return paused_until_; }

  // New rate and capacity; the tokens held are kept up to the new capacity. Time since the last
  // call is credited at the new rate.
  void set_rate(double rate_per_s, double burst);

  double rate_per_s() const noexcept;
  double burst() const noexcept;
  // Whole tokens available at `now` (0 during a pause).
  std::int64_t available(TimePoint now) const;

 private:
  // Units held at `now` (not mutating).
  std::int64_t units_at(TimePoint now) const;
  void refill(TimePoint now);

  std::int64_t rate_milli_ = 0;      // milli-tokens per second = units per nanosecond
  std::int64_t capacity_units_ = 0;  // burst in units
  std::int64_t units_ = 0;           // tokens held, in units, as of last_
  std::optional<TimePoint> last_;    // when units_ was computed; unset before the first call
  TimePoint paused_until_{};
};

}  // namespace hookline::sender
