#include "sinks/simulator/rate_limiter.h"

#include <algorithm>

namespace hookline::simulator {

std::int64_t RateLimiter::add(RateRule rule) {
  rule.id = next_id_++;
  entries_.push_back(Entry{std::move(rule), {}});
  return entries_.back().rule.id;
}

std::optional<int> RateLimiter::admit(const RequestKey& key, Clock::time_point now) {
  std::vector<TokenBucket*> matched;
  int wait_s = 0;
  for (auto& e : entries_) {
    if (!e.rule.match.matches(key)) continue;
    const std::string_view bucket_key = e.rule.per_target ? key.target : std::string_view();
    auto it = e.buckets.find(bucket_key);
    if (it == e.buckets.end()) {
      it = e.buckets
               .emplace(std::string(bucket_key), TokenBucket(e.rule.rate_per_s, e.rule.burst, now))
               .first;
    }
    if (it->second.available(now)) {
      matched.push_back(&it->second);
    } else {
      wait_s = std::max(wait_s, it->second.retry_after_s());
    }
  }
  if (wait_s > 0) return wait_s;
  for (auto* b : matched) b->take();
  return std::nullopt;
}

void RateLimiter::clear() noexcept {
  entries_.clear();
}

std::vector<RateRule> RateLimiter::rules() const {
  std::vector<RateRule> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back(e.rule);
  return out;
}

}  // namespace hookline::simulator
