#pragma once
// A token bucket on an injected clock: `burst` tokens at most, refilled at `rate_per_s`.
#include <chrono>

namespace hookline::simulator {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  // Starts full.
  TokenBucket(double rate_per_s, double burst, Clock::time_point now) noexcept;

  // Refills up to `now`; true when a whole token is there.
  bool available(Clock::time_point now) noexcept;
  // Takes one token (after available() said yes).
  void take() noexcept;
  // Whole seconds until a token is there, at least 1 (what Retry-After says).
  int retry_after_s() const noexcept;
  double tokens() const noexcept { return tokens_; }

 private:
  double rate_per_s_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace hookline::simulator
