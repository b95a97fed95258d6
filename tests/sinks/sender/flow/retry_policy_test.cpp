#define BOOST_TEST_MODULE sender_flow_retry_policy
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/topology.h"
#include "sinks/sender/flow/retry_policy.h"

using namespace hookline;
using namespace hookline::sender;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

const std::chrono::system_clock::time_point now =
    std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + 1h;

// The shipped tiers (30s, 2m, 10m, 1h), as the topology loads them.
const std::vector<RetryTier>& shipped_tiers() {
  static const std::vector<RetryTier> tiers =
      load_topology(HOOKLINE_SOURCE_DIR "/topology/topics.json").retry_tiers;
  return tiers;
}

RetryPolicy fixed(double u, RetryPolicyConfig config = {}) {
  return RetryPolicy(shipped_tiers(), config, [u] { return u; });
}

}  // namespace

BOOST_AUTO_TEST_CASE(backoff_stays_within_jitter_and_cap_for_every_seed) {
  RetryPolicyConfig config;
  config.max_attempts = 100;
  for (int attempt = 1; attempt <= 12; ++attempt) {
    const std::int64_t base = std::int64_t{1000} << attempt;  // 2^n s in ms
    const std::int64_t lo = std::min<std::int64_t>(base * 3 / 4, 3'600'000);
    const std::int64_t hi = std::min<std::int64_t>(base * 5 / 4, 3'600'000);
    std::int64_t seen_lo = INT64_MAX, seen_hi = 0;
    for (std::uint64_t seed = 0; seed < 300; ++seed) {
      std::mt19937_64 engine(seed);
      RetryPolicy policy(shipped_tiers(), config, uniform_source(engine));
      const RetryDecision d = policy.decide(attempt, std::nullopt, now);
      BOOST_TEST_REQUIRE(d.retry());
      const std::int64_t ms = d.delay.count();
      BOOST_TEST_CONTEXT("attempt " << attempt << " seed " << seed) {
        BOOST_TEST(ms >= lo);
        BOOST_TEST(ms <= hi);
        BOOST_TEST(ms <= 3'600'000);
        BOOST_TEST((d.due == now + d.delay));
      }
      seen_lo = std::min(seen_lo, ms);
      seen_hi = std::max(seen_hi, ms);
    }
    // The jitter really spreads the retries (unless the cap flattens them).
    if (hi < 3'600'000) BOOST_TEST(seen_hi - seen_lo > (hi - lo) / 2, "attempt " << attempt);
  }
}

BOOST_AUTO_TEST_CASE(backoff_edges) {
  const RetryPolicy policy = fixed(0.5);
  BOOST_TEST(policy.backoff(1, 0.0).count() == 1500);
  BOOST_TEST(policy.backoff(1, 0.5).count() == 2000);
  BOOST_TEST(policy.backoff(1, 0.999999999).count() == 2500);
  BOOST_TEST(policy.backoff(3, 0.5).count() == 8000);
  BOOST_TEST(policy.backoff(11, 0.5).count() == 2'048'000);
  // The cap applies after the jitter.
  BOOST_TEST(policy.backoff(12, 0.0).count() == 3'072'000);
  BOOST_TEST(policy.backoff(12, 0.5).count() == 3'600'000);
  BOOST_TEST(policy.backoff(40, 0.0).count() == 3'600'000);
  // Draws outside [0, 1) are clamped.
  BOOST_TEST(policy.backoff(1, -3).count() == 1500);
  BOOST_TEST(policy.backoff(1, 7).count() == 2500);
}

BOOST_AUTO_TEST_CASE(retry_after_raises_the_delay) {
  const RetryPolicy policy = fixed(0.5);
  auto d = policy.decide(1, milliseconds(90'000), now);
  BOOST_TEST(d.delay.count() == 90'000);
  BOOST_TEST(d.tier == "30s");
  BOOST_TEST(d.topic == "outbound.retry.30s");
  BOOST_TEST((d.due == now + 90s));
  // A Retry-After shorter than the backoff does not lower it.
  d = policy.decide(5, milliseconds(1'000), now);
  BOOST_TEST(d.delay.count() == 32'000);
  // Retry-After is honoured beyond the cap.
  d = policy.decide(2, milliseconds(2h), now);
  BOOST_TEST(d.delay.count() == milliseconds(2h).count());
  BOOST_TEST(d.tier == "1h");
}

BOOST_AUTO_TEST_CASE(tier_is_the_largest_delay_not_above_the_retry) {
  const RetryPolicy policy = fixed(0.5);
  const auto tier = [&](std::int64_t ms) { return policy.tier_for(milliseconds(ms)).name; };
  BOOST_TEST(tier(0) == "30s");  // below every tier: the first
  BOOST_TEST(tier(1'500) == "30s");
  BOOST_TEST(tier(29'999) == "30s");
  BOOST_TEST(tier(30'000) == "30s");
  BOOST_TEST(tier(119'999) == "30s");
  BOOST_TEST(tier(120'000) == "2m");
  BOOST_TEST(tier(599'999) == "2m");
  BOOST_TEST(tier(600'000) == "10m");
  BOOST_TEST(tier(3'599'999) == "10m");
  BOOST_TEST(tier(3'600'000) == "1h");
  BOOST_TEST(tier(86'400'000) == "1h");
  BOOST_TEST(policy.tier_for(milliseconds(600'000)).topic == "outbound.retry.10m");
}

BOOST_AUTO_TEST_CASE(tiers_are_sorted_whatever_the_declaration_order) {
  std::vector<RetryTier> tiers{{"1h", 1h, "r.1h"}, {"5s", 5s, "r.5s"}, {"1m", 1min, "r.1m"}};
  const RetryPolicy policy(tiers, {}, [] { return 0.5; });
  BOOST_TEST(policy.tiers().front().name == "5s");
  BOOST_TEST(policy.tier_for(1s).name == "5s");
  BOOST_TEST(policy.tier_for(59s).name == "5s");
  BOOST_TEST(policy.tier_for(60s).name == "1m");
  BOOST_TEST(policy.tier_for(2h).name == "1h");
  BOOST_CHECK_THROW(RetryPolicy({}, {}, [] { return 0.5; }), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(gives_up_at_the_attempt_limit) {
  const RetryPolicy policy = fixed(0.5);
  BOOST_TEST(policy.max_attempts() == 8);
  for (int attempt = 1; attempt < 8; ++attempt) {
    BOOST_TEST(policy.decide(attempt, std::nullopt, now).retry(), "attempt " << attempt);
  }
  BOOST_TEST(!policy.decide(8, std::nullopt, now).retry());
  BOOST_TEST(!policy.decide(9, milliseconds(1000), now).retry());

  RetryPolicyConfig three;
  three.max_attempts = 3;
  const RetryPolicy strict = fixed(0.5, three);
  BOOST_TEST(strict.decide(2, std::nullopt, now).retry());
  BOOST_TEST(!strict.decide(3, std::nullopt, now).retry());
}

BOOST_AUTO_TEST_CASE(due_is_never_earlier_than_the_delay) {
  const RetryPolicy policy = fixed(0.5);
  const auto odd = now + std::chrono::microseconds(1'234'567);
  const auto d = policy.decide(1, std::nullopt, odd);
  BOOST_TEST((d.due >= odd + d.delay));
  BOOST_TEST((d.due - (odd + d.delay) < 1ms));
  BOOST_TEST((d.due == std::chrono::time_point_cast<milliseconds>(d.due)));
}
