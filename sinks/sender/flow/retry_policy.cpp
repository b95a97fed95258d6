#include "sinks/sender/flow/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace hookline::sender {
namespace {

// 2^kMaxExponent s with the lowest jitter is far above any sensible cap; larger attempts use it.
constexpr int kMaxExponent = 30;

}  // namespace

RetryPolicy::RetryPolicy(std::vector<RetryTier> tiers, RetryPolicyConfig config,
                         RandomSource random)
    : tiers_(std::move(tiers)), config_(config), random_(std::move(random)) {
  if (tiers_.empty()) throw std::invalid_argument("retry policy: no retry tiers");
  for (const auto& t : tiers_) {
    if (t.topic.empty())
      throw std::invalid_argument("retry policy: tier '" + t.name + "' has no topic");
  }
  std::stable_sort(tiers_.begin(), tiers_.end(),
                   [](const RetryTier& a, const RetryTier& b) { return a.delay < b.delay; });
  config_.max_attempts = std::max(config_.max_attempts, 1);
  config_.cap = std::max(config_.cap, std::chrono::milliseconds::zero());
  if (!std::isfinite(config_.jitter)) config_.jitter = RetryPolicyConfig::kDefaultJitter;
  config_.jitter = std::clamp(config_.jitter, 0.0, 1.0);
}

std::chrono::milliseconds RetryPolicy::backoff(int attempt, double u) const {
  if (!(u >= 0.0)) u = 0.0;  // also NaN
  if (u >= 1.0) u = std::nextafter(1.0, 0.0);
  const int n = std::clamp(attempt, 1, kMaxExponent);
  const double base_ms = std::ldexp(1000.0, n);  // 2^n s
  const double factor = 1.0 - config_.jitter + 2.0 * config_.jitter * u;
  const double ms = std::min(base_ms * factor, static_cast<double>(config_.cap.count()));
  return std::chrono::milliseconds(std::llround(ms));
}

const RetryTier& RetryPolicy::tier_for(std::chrono::milliseconds delay) const {
  // The first tier whose delay exceeds `delay`; the one before it is the largest <= delay.
  const auto it =
      std::upper_bound(tiers_.begin(), tiers_.end(), delay,
                       [](std::chrono::milliseconds d, const RetryTier& t) { return d < t.delay; });
  return it == tiers_.begin() ? tiers_.front() : *std::prev(it);
}

RetryDecision RetryPolicy::decide(int attempt, std::optional<std::chrono::milliseconds> retry_after,
                                  std::chrono::system_clock::time_point now) const {
  RetryDecision d;
  if (attempt >= config_.max_attempts) return d;  // give_up
  std::chrono::milliseconds delay = backoff(attempt, random_ ? random_() : 0.5);
  if (retry_after && *retry_after > delay) delay = *retry_after;
  const RetryTier& tier = tier_for(delay);
  d.action = RetryDecision::Action::retry;
  d.tier = tier.name;
  d.topic = tier.topic;
  d.delay = delay;
  d.due = std::chrono::ceil<std::chrono::milliseconds>(now + delay);
  return d;
}

RetryPolicy::RandomSource uniform_source(std::mt19937_64& engine) {
  return [&engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(engine); };
}

}  // namespace hookline::sender
