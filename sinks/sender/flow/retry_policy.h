#pragma once
// When and where a failed send is retried: the backoff for an attempt, the retry tier topic
// that carries it, and when to give up.
//
// Contract:
// - `attempt` is the attempt that just failed, counting from 1. Once `max_attempts` attempts
//   have failed (default 8, per provider), the answer is give_up (the caller parks the request
//   in outbound.dlq).
// - backoff(n) = 2^n s times a uniform factor in [0.75, 1.25) (±25 % jitter from the injected
//   random source), then capped at `cap` (1 h). A provider's Retry-After raises the delay to at
//   least that value; Retry-After is honoured beyond the cap.
// - Tier: the tiers (topology.h RetryTier, from topology/topics.json) are sorted by delay; a
//   delay d goes to the tier with the largest delay <= d, or the first tier when d is below all.
//   The record carries its exact due time (retry_headers.h), so the tier only bounds how early
//   its consumer looks at it.
// - `due` is now + delay, rounded up to the millisecond (the precision of the `due` header), so
//   a retry is never due earlier than its delay.
// - Pure apart from the random source; the policy is built once per provider and shared by one
//   thread (the random source is not synchronised).
#include <chrono>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/topology.h"

namespace hookline::sender {

struct RetryPolicyConfig {
  static constexpr int kDefaultMaxAttempts = 8;
  static constexpr std::chrono::hours kDefaultCap{1};
  static constexpr double kDefaultJitter = 0.25;

  int max_attempts = kDefaultMaxAttempts;
  std::chrono::milliseconds cap = kDefaultCap;
  double jitter = kDefaultJitter;  // the factor is uniform in [1 - jitter, 1 + jitter)
};

struct RetryDecision {
  enum class Action { retry, give_up };

  Action action = Action::give_up;
  // When action == retry:
  std::string tier;   // "30s"
  std::string topic;  // "outbound.retry.30s"
  std::chrono::milliseconds delay{0};
  std::chrono::system_clock::time_point due;

  bool retry() const noexcept { return action == Action::retry; }
};

class RetryPolicy {
 public:
  // Returns a number in [0, 1); values outside are clamped.
  using RandomSource = std::function<double()>;

  // Throws std::invalid_argument when `tiers` is empty or a tier has no topic (start-up only).
  RetryPolicy(std::vector<RetryTier> tiers, RetryPolicyConfig config, RandomSource random);

  // The decision after attempt `attempt` failed at `now`; `retry_after` is the provider's.
  RetryDecision decide(int attempt, std::optional<std::chrono::milliseconds> retry_after,
                       std::chrono::system_clock::time_point now) const;

  // The delay after attempt `attempt` for a random draw `u` in [0, 1), before Retry-After.
  std::chrono::milliseconds backoff(int attempt, double u) const;
  // The tier that carries a retry due after `delay`.
  const RetryTier& tier_for(std::chrono::milliseconds delay) const;

  int max_attempts() const noexcept { return config_.max_attempts; }
  const std::vector<RetryTier>& tiers() const noexcept { return tiers_; }

 private:
  std::vector<RetryTier> tiers_;  // sorted by delay
  RetryPolicyConfig config_;
  RandomSource random_;
};

// A RandomSource drawing from `engine`, which must outlive it.
RetryPolicy::RandomSource uniform_source(std::mt19937_64& engine);

}  // namespace hookline::sender
