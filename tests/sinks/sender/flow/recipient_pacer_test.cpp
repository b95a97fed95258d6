#define BOOST_TEST_MODULE sender_flow_recipient_pacer
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

#include "sinks/sender/flow/recipient_pacer.h"

using namespace hookline::sender;
using namespace std::chrono_literals;
using TimePoint = RecipientPacer::TimePoint;

namespace {
const TimePoint t0 = TimePoint{} + 1h;
}

BOOST_AUTO_TEST_CASE(one_message_per_interval_per_recipient) {
  RecipientPacer pacer(6s);
  BOOST_TEST(!pacer.next_allowed("digest-a", t0).has_value());
  pacer.sent("digest-a", t0);
  auto next = pacer.next_allowed("digest-a", t0 + 1s);
  BOOST_REQUIRE(next.has_value());
  BOOST_TEST((*next == t0 + 6s));
  BOOST_TEST(pacer.next_allowed("digest-a", t0 + 6s - 1ns).has_value());
  BOOST_TEST(!pacer.next_allowed("digest-a", t0 + 6s).has_value());
  // Another recipient is not held back.
  BOOST_TEST(!pacer.next_allowed("digest-b", t0 + 1s).has_value());
  pacer.sent("digest-b", t0 + 1s);
  BOOST_TEST((*pacer.next_allowed("digest-b", t0 + 2s) == t0 + 7s));
  // A second send restarts the interval.
  pacer.sent("digest-a", t0 + 6s);
  BOOST_TEST((*pacer.next_allowed("digest-a", t0 + 6s) == t0 + 12s));
}

BOOST_AUTO_TEST_CASE(zero_interval_disables_pacing) {
  RecipientPacer pacer(0ms);
  pacer.sent("k", t0);
  BOOST_TEST(!pacer.next_allowed("k", t0).has_value());
  BOOST_TEST(pacer.size() == 0u);
}

BOOST_AUTO_TEST_CASE(keeps_only_hashes) {
  BOOST_TEST(RecipientPacer::hash("") == 14695981039346656037ull);
  BOOST_TEST(RecipientPacer::hash("a") == 0xaf63dc4c8601ec8cull);  // FNV-1a 64 reference value
  BOOST_TEST(RecipientPacer::hash("foobar") == 0x85944171f73967e8ull);
}

BOOST_AUTO_TEST_CASE(entries_older_than_the_interval_are_dropped) {
  RecipientPacer pacer(6s);
  // 100 new recipients a second for a minute: at most ~6 s worth are remembered.
  TimePoint t = t0;
  for (int i = 0; i < 6000; ++i, t += 10ms) {
    pacer.sent("recipient-" + std::to_string(i), t);
    BOOST_TEST_REQUIRE(pacer.size() <= 601u);
  }
  BOOST_TEST(pacer.size() >= 599u);
  BOOST_TEST(pacer.evicted() == 0u);
  // The same recipient over and over (a caller ignoring the pacer) does not grow it either.
  RecipientPacer same(6s);
  for (int i = 0; i < 10000; ++i) same.sent("one", t0 + i * 1ms);
  BOOST_TEST(same.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_hard_cap_bounds_memory) {
  RecipientPacer pacer(6s, 100);
  for (int i = 0; i < 1000; ++i) pacer.sent("recipient-" + std::to_string(i), t0);
  BOOST_TEST(pacer.size() == 100u);
  BOOST_TEST(pacer.evicted() == 900u);
  // The newest are the ones kept.
  BOOST_TEST(pacer.next_allowed("recipient-999", t0).has_value());
  BOOST_TEST(!pacer.next_allowed("recipient-0", t0).has_value());
}
