#include "sinks/simulator/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace hookline::simulator {

TokenBucket::TokenBucket(double rate_per_s, double burst, Clock::time_point now) noexcept
    : rate_per_s_(rate_per_s), burst_(burst), tokens_(burst), last_(now) {}

bool TokenBucket::available(Clock::time_point now) noexcept {
  if (now > last_) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * rate_per_s_);
    last_ = now;
  }
  return tokens_ >= 1.0;
}

void TokenBucket::take() noexcept {
  tokens_ -= 1.0;
}

int TokenBucket::retry_after_s() const noexcept {
  const double missing = std::max(0.0, 1.0 - tokens_);
  const double seconds = std::ceil(missing / rate_per_s_);
  return std::max(1, static_cast<int>(std::min(seconds, 86400.0)));
}

}  // namespace hookline::simulator
