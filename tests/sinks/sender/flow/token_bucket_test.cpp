#define BOOST_TEST_MODULE sender_flow_token_bucket
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sinks/sender/flow/token_bucket.h"

using namespace hookline::sender;
using namespace std::chrono_literals;
using TimePoint = TokenBucket::TimePoint;

namespace {

const TimePoint t0 = TimePoint{} + 1h;

// A caller that takes every token available, then sleeps until its next tick (`step`) or until
// the bucket says a token comes, whichever is sooner; returns the grant times in
// [start, start + span].
std::vector<TimePoint> drive(TokenBucket& bucket, TimePoint start, std::chrono::nanoseconds span,
                             std::chrono::nanoseconds step) {
  std::vector<TimePoint> grants;
  for (TimePoint t = start; t <= start + span;) {
    while (bucket.try_take(t)) grants.push_back(t);
    t += std::min(step, bucket.wait_for(t));
  }
  return grants;
}

std::int64_t expected_grants(double rate, double burst, double seconds) {
  return static_cast<std::int64_t>(burst) + static_cast<std::int64_t>(std::floor(rate * seconds));
}

}  // namespace

BOOST_AUTO_TEST_CASE(starts_full) {
  TokenBucket bucket(1, 5);
  for (int i = 0; i < 5; ++i) BOOST_TEST(bucket.try_take(t0));
  BOOST_TEST(!bucket.try_take(t0));
  BOOST_TEST(bucket.wait_for(t0).count() == std::chrono::nanoseconds(1s).count());
}

BOOST_AUTO_TEST_CASE(grants_exactly_burst_plus_rate_over_ten_seconds) {
  for (double rate : {1.0, 7.5, 50.0, 1000.0}) {
    for (double burst : {1.0, 3.0, 20.0}) {
      for (auto step : {std::chrono::nanoseconds(1ms), std::chrono::nanoseconds(333'333),
                        std::chrono::nanoseconds(1s)}) {
        TokenBucket bucket(rate, burst);
        const auto grants = drive(bucket, t0, 10s, step);
        const auto expected = expected_grants(rate, burst, 10);
        BOOST_TEST_CONTEXT("rate " << rate << " burst " << burst << " step " << step.count()) {
          BOOST_TEST(static_cast<std::int64_t>(grants.size()) >= expected - 1);
          BOOST_TEST(static_cast<std::int64_t>(grants.size()) <= expected);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_coarse_poller_loses_only_what_overflows_the_burst) {
  // Polling every 0.333 ms at 1000/s with a burst of 1: each token lands between polls and the
  // bucket is full when polled, so what arrives in between overflows. Never more than the rule.
  TokenBucket bucket(1000, 1);
  std::int64_t granted = 0;
  for (TimePoint t = t0; t <= t0 + 10s; t += std::chrono::nanoseconds(333'333)) {
    while (bucket.try_take(t)) ++granted;
  }
  BOOST_TEST(granted <= expected_grants(1000, 1, 10));
  BOOST_TEST(granted >= 7500);
}

BOOST_AUTO_TEST_CASE(exact_to_the_token_on_whole_millisecond_steps) {
  for (double rate : {1.0, 7.5, 50.0, 1000.0}) {
    TokenBucket bucket(rate, 10);
    const auto grants = drive(bucket, t0, 10s, 1ms);
    BOOST_TEST(static_cast<std::int64_t>(grants.size()) == expected_grants(rate, 10, 10),
               "rate " << rate);
    BOOST_TEST((grants.back() == t0 + 10s));
  }
}

BOOST_AUTO_TEST_CASE(no_drift_over_a_long_run) {
  // One hour at 7.5/s driven on an awkward step (7.777777 ms): rounding would show by now.
  TokenBucket bucket(7.5, 4);
  std::int64_t granted = 0;
  const auto step = std::chrono::nanoseconds(7'777'777);
  TimePoint t = t0;
  for (; t <= t0 + 1h; t += step) {
    while (bucket.try_take(t)) ++granted;
  }
  const double seconds = std::chrono::duration<double>((t - step) - t0).count();
  const auto expected = expected_grants(7.5, 4, seconds);
  BOOST_TEST(granted >= expected - 1);
  BOOST_TEST(granted <= expected + 1);
}

BOOST_AUTO_TEST_CASE(no_ten_second_window_exceeds_burst_plus_rate) {
  for (double rate : {1.0, 7.5, 50.0, 1000.0}) {
    const double burst = 5;
    TokenBucket bucket(rate, burst);
    // Idle for a while in the middle so the burst refills, then greedy again.
    auto grants = drive(bucket, t0, 25s, 1ms);
    const auto later = drive(bucket, t0 + 40s, 25s, std::chrono::nanoseconds(1'234'567));
    grants.insert(grants.end(), later.begin(), later.end());
    const auto limit = expected_grants(rate, burst, 10);
    std::size_t first = 0;
    std::int64_t worst = 0;
    for (std::size_t last = 0; last < grants.size(); ++last) {
      while (grants[last] - grants[first] > 10s) ++first;
      worst = std::max(worst, static_cast<std::int64_t>(last - first + 1));
    }
    BOOST_TEST(worst <= limit, "rate " << rate << ": " << worst << " grants in 10 s");
    BOOST_TEST(worst >= limit - 1, "rate " << rate << ": the greedy drive should reach it");
  }
}

BOOST_AUTO_TEST_CASE(wait_for_is_exactly_when_the_next_token_comes) {
  for (double rate : {1.0, 7.5, 50.0, 1000.0, 3.0}) {
    TokenBucket bucket(rate, 2);
    while (bucket.try_take(t0)) {
    }
    const auto now = t0 + 100us;
    const auto wait = bucket.wait_for(now);
    BOOST_TEST(wait.count() > 0);
    BOOST_TEST(!bucket.try_take(now + wait - 1ns), "rate " << rate);
    BOOST_TEST(bucket.try_take(now + wait), "rate " << rate);
    BOOST_TEST(bucket.wait_for(now + wait).count() > 0);
  }
  TokenBucket full(5, 5);
  BOOST_TEST(full.wait_for(t0).count() == 0);
}

BOOST_AUTO_TEST_CASE(pause_until_grants_nothing_before_then) {
  TokenBucket bucket(2, 10);  // full: 10 tokens
  bucket.pause_until(t0 + 5s);
  BOOST_TEST((bucket.paused_until() == t0 + 5s));
  BOOST_TEST(!bucket.try_take(t0));
  BOOST_TEST(bucket.available(t0 + 4s) == 0);
  BOOST_TEST(bucket.wait_for(t0).count() == std::chrono::nanoseconds(5s).count());
  BOOST_TEST(!bucket.try_take(t0 + 5s - 1ns));
  // At the end one token, then the rate: no burst built up during the pause.
  BOOST_TEST(bucket.try_take(t0 + 5s));
  BOOST_TEST(!bucket.try_take(t0 + 5s));
  BOOST_TEST(bucket.wait_for(t0 + 5s).count() == std::chrono::nanoseconds(500ms).count());
  BOOST_TEST(bucket.try_take(t0 + 5500ms));
}

BOOST_AUTO_TEST_CASE(a_pause_never_shortens_a_longer_one) {
  TokenBucket bucket(10, 10);
  bucket.pause_until(t0 + 10s);
  bucket.pause_until(t0 + 5s);
  BOOST_TEST((bucket.paused_until() == t0 + 10s));
  BOOST_TEST(!bucket.try_take(t0 + 7s));
  BOOST_TEST(bucket.try_take(t0 + 10s));
}

BOOST_AUTO_TEST_CASE(a_pause_in_the_past_changes_nothing) {
  TokenBucket bucket(1, 3);
  BOOST_TEST(bucket.try_take(t0 + 10s));
  bucket.pause_until(t0 + 5s);
  BOOST_TEST(bucket.available(t0 + 10s) == 2);
}

BOOST_AUTO_TEST_CASE(set_rate_keeps_tokens_up_to_the_new_burst) {
  TokenBucket bucket(10, 10);
  BOOST_TEST(bucket.try_take(t0));
  bucket.set_rate(2, 3);
  BOOST_TEST(bucket.rate_per_s() == 2.0);
  BOOST_TEST(bucket.burst() == 3.0);
  BOOST_TEST(bucket.available(t0) == 3);
  for (int i = 0; i < 3; ++i) BOOST_TEST(bucket.try_take(t0));
  BOOST_TEST(!bucket.try_take(t0));
  BOOST_TEST(bucket.wait_for(t0).count() == std::chrono::nanoseconds(500ms).count());
}

BOOST_AUTO_TEST_CASE(out_of_range_settings_are_clamped) {
  TokenBucket zero(0, 0);
  BOOST_TEST(zero.rate_per_s() == 0.001);
  BOOST_TEST(zero.burst() == 1.0);
  BOOST_TEST(zero.try_take(t0));
  BOOST_TEST(zero.wait_for(t0).count() == std::chrono::nanoseconds(1000s).count());
  TokenBucket nan(std::nan(""), -3);
  BOOST_TEST(nan.try_take(t0));
}
