#pragma once
// The rate limits the control API sets: token buckets selected by a Match. A request passes
// when every matching rule has a token (and then takes one from each); otherwise it gets 429
// with the longest wait. Not thread-safe: the Engine holds the lock.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sinks/simulator/match.h"
#include "sinks/simulator/token_bucket.h"

namespace hookline::simulator {

struct RateRule {
  std::int64_t id = 0;  // assigned by add()
  Match match;
  double rate_per_s = 1;
  double burst = 1;
  bool per_target = false;  // one bucket per target instead of one for all it matches
};

class RateLimiter {
 public:
  using Clock = TokenBucket::Clock;

  // Returns the rule's id. Buckets start full at their first request.
  std::int64_t add(RateRule rule);
  // nullopt: admitted, one token taken from every matching bucket. Otherwise the
  // Retry-After in whole seconds (>= 1), and nothing is taken.
  std::optional<int> admit(const RequestKey& key, Clock::time_point now);
  void clear() noexcept;
  std::vector<RateRule> rules() const;

 private:
  struct Entry {
    RateRule rule;
    std::map<std::string, TokenBucket, std::less<>> buckets;  // key "" unless per_target
  };
  std::vector<Entry> entries_;
  std::int64_t next_id_ = 1;
};

}  // namespace hookline::simulator
