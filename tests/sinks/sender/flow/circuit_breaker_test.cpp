#define BOOST_TEST_MODULE sender_flow_circuit_breaker
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

#include "sinks/sender/flow/circuit_breaker.h"

using namespace hookline::sender;
using namespace std::chrono_literals;
using State = CircuitBreaker::State;
using TimePoint = CircuitBreaker::TimePoint;

namespace {
const TimePoint t0 = TimePoint{} + 1h;

void fail(CircuitBreaker& b, int n, TimePoint at) {
  for (int i = 0; i < n; ++i) {
    BOOST_TEST_REQUIRE(b.allow(at));
    b.on_failure(at);
  }
}
}  // namespace

BOOST_AUTO_TEST_CASE(opens_after_five_consecutive_failures) {
  CircuitBreaker b;
  fail(b, 4, t0);
  BOOST_TEST((b.state(t0) == State::closed));
  b.on_success();  // resets the count
  BOOST_TEST(b.consecutive_failures() == 0);
  fail(b, 4, t0);
  BOOST_TEST((b.state(t0) == State::closed));
  fail(b, 1, t0 + 1s);
  BOOST_TEST((b.state(t0 + 1s) == State::open));
  BOOST_TEST((b.open_until() == t0 + 61s));
  BOOST_TEST(!b.allow(t0 + 60s));
  BOOST_TEST((b.state(t0 + 61s - 1ns) == State::open));
  BOOST_TEST((b.state(t0 + 61s) == State::half_open));
}

BOOST_AUTO_TEST_CASE(half_open_allows_one_probe_at_a_time_and_success_closes) {
  CircuitBreaker b;
  fail(b, 5, t0);
  const auto later = t0 + 60s;
  BOOST_TEST(b.allow(later));
  BOOST_TEST(!b.allow(later));
  BOOST_TEST(!b.allow(later + 10s));
  BOOST_TEST((b.state(later + 10s) == State::half_open));
  b.on_success();
  BOOST_TEST((b.state(later + 10s) == State::closed));
  BOOST_TEST(b.allow(later + 10s));
  BOOST_TEST(b.allow(later + 10s));
  BOOST_TEST(b.consecutive_failures() == 0);
}

BOOST_AUTO_TEST_CASE(a_failed_probe_reopens_for_another_period) {
  CircuitBreaker b;
  fail(b, 5, t0);
  const auto probe_at = t0 + 60s;
  BOOST_TEST(b.allow(probe_at));
  b.on_failure(probe_at + 2s);
  BOOST_TEST((b.state(probe_at + 2s) == State::open));
  BOOST_TEST((b.open_until() == probe_at + 62s));
  BOOST_TEST(!b.allow(probe_at + 61s));
  BOOST_TEST(b.allow(probe_at + 62s));
  BOOST_TEST(!b.allow(probe_at + 62s));
}

BOOST_AUTO_TEST_CASE(neutral_answers_end_a_probe_and_change_no_count) {
  CircuitBreaker b;
  fail(b, 4, t0);
  BOOST_TEST(b.allow(t0));
  b.on_neutral();  // a 4xx: neither resets nor adds
  BOOST_TEST(b.consecutive_failures() == 4);
  BOOST_TEST((b.state(t0) == State::closed));
  fail(b, 1, t0);
  BOOST_TEST((b.state(t0) == State::open));

  BOOST_TEST(b.allow(t0 + 60s));
  b.on_neutral();  // the probe learnt nothing: another may go
  BOOST_TEST((b.state(t0 + 60s) == State::half_open));
  BOOST_TEST(b.allow(t0 + 60s));
  BOOST_TEST(!b.allow(t0 + 60s));
  b.on_success();
  BOOST_TEST((b.state(t0 + 60s) == State::closed));
}

BOOST_AUTO_TEST_CASE(reports_while_open_are_ignored) {
  CircuitBreaker b;
  fail(b, 5, t0);
  b.on_failure(t0 + 30s);  // a call allowed before the trip failing late
  BOOST_TEST((b.open_until() == t0 + 60s));
  b.on_success();
  BOOST_TEST((b.state(t0 + 30s) == State::open));
}

BOOST_AUTO_TEST_CASE(a_lost_probe_is_replaced_after_a_period) {
  CircuitBreaker b;
  fail(b, 5, t0);
  BOOST_TEST(b.allow(t0 + 60s));
  BOOST_TEST(!b.allow(t0 + 119s));
  BOOST_TEST(b.allow(t0 + 120s));
  BOOST_TEST(!b.allow(t0 + 120s));
}

BOOST_AUTO_TEST_CASE(threshold_and_period_are_configurable) {
  CircuitBreaker b(CircuitBreakerConfig{.failure_threshold = 2, .open_for = 5s});
  fail(b, 2, t0);
  BOOST_TEST((b.state(t0) == State::open));
  BOOST_TEST((b.open_until() == t0 + 5s));
  BOOST_TEST(b.allow(t0 + 5s));
  BOOST_TEST(std::string(to_string(b.state(t0 + 5s))) == "half_open");
}
