#define BOOST_TEST_MODULE sender_flow_offset_tracker
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <vector>

#include "sinks/sender/flow/offset_tracker.h"

using namespace hookline::sender;

BOOST_AUTO_TEST_CASE(nothing_started_nothing_to_commit) {
  OffsetTracker t;
  BOOST_TEST(!t.committable().has_value());
  BOOST_TEST(!t.finished(3));
}

BOOST_AUTO_TEST_CASE(out_of_order_finishing_commits_up_to_the_lowest_unfinished) {
  OffsetTracker t;
  for (std::int64_t o = 10; o < 15; ++o) t.started(o);
  BOOST_TEST(*t.committable() == 10);
  BOOST_TEST(t.finished(12));
  BOOST_TEST(t.finished(14));
  BOOST_TEST(*t.committable() == 10);
  BOOST_TEST(t.finished(10));
  BOOST_TEST(*t.committable() == 11);
  BOOST_TEST(t.finished(11));
  BOOST_TEST(*t.committable() == 13);
  BOOST_TEST(!t.finished(12));  // already finished
  BOOST_TEST(t.finished(13));
  BOOST_TEST(*t.committable() == 15);  // none open: last finished + 1
  BOOST_TEST(t.open_count() == 0u);
  // Kafka offsets may have gaps (transaction markers): the next started one is the answer.
  t.started(18);
  BOOST_TEST(*t.committable() == 18);
}

BOOST_AUTO_TEST_CASE(a_held_message_holds_only_its_own_offset) {
  OffsetTracker t;
  for (std::int64_t o = 0; o < 100; ++o) t.started(o);
  for (std::int64_t o = 0; o < 100; ++o) {
    if (o != 3) t.finished(o);
  }
  BOOST_TEST(*t.committable() == 3);
  BOOST_TEST(t.is_open(3));
  t.finished(3);
  BOOST_TEST(*t.committable() == 100);
}

BOOST_AUTO_TEST_CASE(reset_forgets_everything) {
  OffsetTracker t;
  t.started(5);
  t.finished(5);
  t.started(6);
  t.reset();
  BOOST_TEST(!t.committable().has_value());
  t.started(2);
  BOOST_TEST(*t.committable() == 2);
}

BOOST_AUTO_TEST_CASE(matches_a_brute_force_model_on_random_schedules) {
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    std::mt19937_64 rng(seed);
    OffsetTracker t;
    std::set<std::int64_t> open;
    std::optional<std::int64_t> highest_finished;
    std::int64_t next = 1000;
    for (int step = 0; step < 2000; ++step) {
      if (open.empty() || rng() % 2 == 0) {
        next += 1 + static_cast<std::int64_t>(rng() % 3);  // occasional gaps
        t.started(next);
        open.insert(next);
      } else {
        auto it = open.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(rng() % open.size()));
        BOOST_TEST_REQUIRE(t.finished(*it));
        highest_finished = std::max(highest_finished.value_or(*it), *it);
        open.erase(it);
      }
      const std::optional<std::int64_t> expected =
          !open.empty() ? std::optional<std::int64_t>(*open.begin())
                        : (highest_finished ? std::optional<std::int64_t>(*highest_finished + 1)
                                            : std::nullopt);
      BOOST_TEST_REQUIRE((t.committable() == expected), "seed " << seed << " step " << step);
    }
  }
}
