#include "sinks/sender/flow/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace hookline::sender {
namespace {

// 1 token = 10^12 units: with the rate in milli-tokens per second, one nanosecond at the rate
// adds exactly `rate_milli` units (10^12 = 10^9 ns/s · 10^3 milli).
constexpr std::int64_t kUnitsPerToken = 1'000'000'000'000;
constexpr double kMinRate = 0.001;
constexpr double kMaxRate = 1e6;
constexpr double kMinBurst = 1;
constexpr double kMaxBurst = 1e6;  // 10^18 units: far from overflow with any rate added

std::int64_t to_rate_milli(double rate_per_s) {
  if (!std::isfinite(rate_per_s)) rate_per_s = rate_per_s > 0 ? kMaxRate : kMinRate;
  rate_per_s = std::clamp(rate_per_s, kMinRate, kMaxRate);
  return std::max<std::int64_t>(1, std::llround(rate_per_s * 1000.0));
}

std::int64_t to_capacity_units(double burst) {
  if (!std::isfinite(burst)) burst = burst > 0 ? kMaxBurst : kMinBurst;
  burst = std::clamp(burst, kMinBurst, kMaxBurst);
  return std::llround(burst * static_cast<double>(kUnitsPerToken));
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

}  // namespace

TokenBucket::TokenBucket(double rate_per_s, double burst)
    : rate_milli_(to_rate_milli(rate_per_s)),
      capacity_units_(to_capacity_units(burst)),
      units_(capacity_units_) {}

std::int64_t TokenBucket::units_at(TimePoint now) const {
  if (!last_ || now <= *last_) return units_;
  const std::int64_t missing = capacity_units_ - units_;
  if (missing <= 0) return units_;
  // Nanoseconds after which the bucket is full; comparing first keeps the product in range.
  const std::int64_t fill_ns = ceil_div(missing, rate_milli_);
  const std::int64_t elapsed_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(now - *last_).count();
  if (elapsed_ns >= fill_ns) return capacity_units_;
  return units_ + elapsed_ns * rate_milli_;
}

void TokenBucket::refill(TimePoint now) {
  if (!last_) {
    last_ = now;
    return;
  }
  if (now <= *last_) return;
  units_ = units_at(now);
  last_ = now;
}

bool TokenBucket::try_take(TimePoint now) {
  if (now < paused_until_) return false;
  refill(now);
  if (units_ < kUnitsPerToken) return false;
  units_ -= kUnitsPerToken;
  return true;
}

std::chrono::nanoseconds TokenBucket::wait_for(TimePoint now) const {
  // The earliest instant at which the bucket may be refilled from: tokens only accrue after
  // last_, and nothing is granted during a pause.
  const TimePoint from = last_ && *last_ > now ? *last_ : now;
  const std::int64_t held = units_at(from);
  TimePoint ready = from;
  if (held < kUnitsPerToken) {
    ready += std::chrono::nanoseconds(ceil_div(kUnitsPerToken - held, rate_milli_));
  }
  ready = std::max(ready, paused_until_);
  if (ready <= now) return std::chrono::nanoseconds::zero();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(ready - now);
}

void TokenBucket::pause_until(TimePoint until) {
  if (until <= paused_until_) return;
  paused_until_ = until;
  if (last_ && until <= *last_) return;  // already over as far as this bucket has seen
  units_ = kUnitsPerToken;
  last_ = until;
}

void TokenBucket::set_rate(double rate_per_s, double burst) {
  rate_milli_ = to_rate_milli(rate_per_s);
  capacity_units_ = to_capacity_units(burst);
  units_ = std::min(units_, capacity_units_);
}

double TokenBucket::rate_per_s() const noexcept {
  return static_cast<double>(rate_milli_) / 1000.0;
}

double TokenBucket::burst() const noexcept {
  return static_cast<double>(capacity_units_) / static_cast<double>(kUnitsPerToken);
}

std::int64_t TokenBucket::available(TimePoint now) const {
  if (now < paused_until_) return 0;
  return units_at(now) / kUnitsPerToken;
}

}  // namespace hookline::sender
