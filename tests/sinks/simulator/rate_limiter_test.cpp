#define BOOST_TEST_MODULE sinks_simulator_rate_limiter
#include <boost/test/unit_test.hpp>

#include "sinks/simulator/rate_limiter.h"

using namespace hookline::simulator;
using std::chrono::milliseconds;

namespace {

const TokenBucket::Clock::time_point t0{std::chrono::seconds(1000)};

RequestKey key(std::string_view provider, std::string_view target, std::string_view path = "/") {
  return RequestKey{provider, target, path};
}

Match match(std::string provider, std::string target, std::string path_prefix) {
  return Match{std::move(provider), std::move(target), std::move(path_prefix)};
}

RateRule rule(Match m, double rate, double burst, bool per_target = false) {
  RateRule r;
  r.match = std::move(m);
  r.rate_per_s = rate;
  r.burst = burst;
  r.per_target = per_target;
  return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(match_selects_by_provider_target_and_path_prefix) {
  BOOST_CHECK(Match().matches(key("resend", "re_a", "/emails")));
  BOOST_CHECK(match("resend", "", "").matches(key("resend", "re_a")));
  BOOST_CHECK(!match("resend", "", "").matches(key("slack", "re_a")));
  BOOST_CHECK(match("", "re_a", "").matches(key("resend", "re_a")));
  BOOST_CHECK(!match("", "re_a", "").matches(key("resend", "re_b")));
  BOOST_CHECK(match("", "", "/hooks/a").matches(key("webhook", "/hooks/a/1", "/hooks/a/1")));
  BOOST_CHECK(!match("", "", "/hooks/a").matches(key("webhook", "/hooks/b", "/hooks/b")));
  BOOST_CHECK(!match("resend", "re_a", "").matches(key("resend", "re_b")));
}

BOOST_AUTO_TEST_CASE(bucket_allows_the_burst_then_refills_at_the_rate) {
  TokenBucket b(2, 3, t0);
  for (int i = 0; i < 3; ++i) {
    BOOST_REQUIRE(b.available(t0));
    b.take();
  }
  BOOST_CHECK(!b.available(t0));
  BOOST_CHECK_EQUAL(b.retry_after_s(), 1);
  BOOST_CHECK(!b.available(t0 + milliseconds(499)));
  BOOST_CHECK(b.available(t0 + milliseconds(500)));  // 2/s: one token per 500 ms
  b.take();
  // A long pause refills only up to the burst.
  BOOST_CHECK(b.available(t0 + std::chrono::hours(1)));
  BOOST_CHECK_CLOSE(b.tokens(), 3.0, 1e-9);
}

BOOST_AUTO_TEST_CASE(retry_after_is_whole_seconds_until_a_token) {
  TokenBucket slow(0.25, 1, t0);  // one token per 4 s
  BOOST_REQUIRE(slow.available(t0));
  slow.take();
  BOOST_CHECK(!slow.available(t0));
  BOOST_CHECK_EQUAL(slow.retry_after_s(), 4);
  BOOST_CHECK(!slow.available(t0 + milliseconds(2500)));
  BOOST_CHECK_EQUAL(slow.retry_after_s(), 2);  // 1.5 s left, rounded up
  TokenBucket fast(1000, 1, t0);
  fast.take();
  BOOST_CHECK(!fast.available(t0));
  BOOST_CHECK_EQUAL(fast.retry_after_s(), 1);  // never below 1
}

BOOST_AUTO_TEST_CASE(limiter_refuses_over_the_limit_and_only_what_matches) {
  RateLimiter l;
  l.add(rule(Match{"resend", "re_a", ""}, 1, 2));
  BOOST_CHECK(!l.admit(key("resend", "re_a"), t0));
  BOOST_CHECK(!l.admit(key("resend", "re_a"), t0));
  auto wait = l.admit(key("resend", "re_a"), t0);
  BOOST_REQUIRE(wait);
  BOOST_CHECK_EQUAL(*wait, 1);
  BOOST_CHECK(!l.admit(key("resend", "re_b"), t0));  // another key: no rule
  BOOST_CHECK(!l.admit(key("slack", "re_a"), t0));   // another provider
  BOOST_CHECK(!l.admit(key("resend", "re_a"), t0 + milliseconds(1000)));
}

BOOST_AUTO_TEST_CASE(one_bucket_per_rule_unless_per_target) {
  RateLimiter shared;
  shared.add(rule(Match{"slack", "", ""}, 1, 1));
  BOOST_CHECK(!shared.admit(key("slack", "xoxb-a"), t0));
  BOOST_CHECK(shared.admit(key("slack", "xoxb-b"), t0));  // the same bucket
  RateLimiter per;
  per.add(rule(Match{"slack", "", ""}, 1, 1, true));
  BOOST_CHECK(!per.admit(key("slack", "xoxb-a"), t0));
  BOOST_CHECK(!per.admit(key("slack", "xoxb-b"), t0));  // its own bucket
  BOOST_CHECK(per.admit(key("slack", "xoxb-a"), t0));
}

BOOST_AUTO_TEST_CASE(every_matching_rule_must_admit_and_a_refusal_takes_nothing) {
  RateLimiter l;
  l.add(rule(Match{}, 1, 3));                  // everything: 3
  l.add(rule(Match{"resend", "", ""}, 1, 1));  // resend: 1
  BOOST_CHECK(!l.admit(key("resend", "k"), t0));
  BOOST_CHECK(l.admit(key("resend", "k"), t0));  // resend's bucket is empty
  // The refusal took nothing from the shared bucket: two more non-resend requests pass.
  BOOST_CHECK(!l.admit(key("slack", "k"), t0));
  BOOST_CHECK(!l.admit(key("slack", "k"), t0));
  BOOST_CHECK(l.admit(key("slack", "k"), t0));
}

BOOST_AUTO_TEST_CASE(clear_forgets_rules_and_ids_keep_growing) {
  RateLimiter l;
  const auto first = l.add(rule(Match{}, 1, 1));
  BOOST_CHECK(!l.admit(key("resend", "k"), t0));
  BOOST_CHECK(l.admit(key("resend", "k"), t0));
  l.clear();
  BOOST_CHECK(l.rules().empty());
  BOOST_CHECK(!l.admit(key("resend", "k"), t0));
  BOOST_CHECK_GT(l.add(rule(Match{}, 1, 1)), first);
}
