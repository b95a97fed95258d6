#define BOOST_TEST_MODULE sinks_simulator_fault_plan
#include <boost/test/unit_test.hpp>

#include "sinks/simulator/fault_plan.h"

using namespace hookline::simulator;

namespace {

Fault fault(Match m, int status, int count) {
  Fault f;
  f.match = std::move(m);
  f.status = status;
  f.count = count;
  return f;
}

const RequestKey kResend{"resend", "re_a", "/emails"};
const RequestKey kSlack{"slack", "xoxb", "/api/chat.postMessage"};

}  // namespace

BOOST_AUTO_TEST_CASE(faults_apply_count_times_in_the_order_added) {
  FaultPlan plan;
  plan.add(fault(Match{"resend", "", ""}, 503, 2));
  plan.add(fault(Match{"resend", "", ""}, 500, 1));
  std::vector<int> seen;
  while (auto f = plan.take(kResend)) seen.push_back(*f->status);
  BOOST_CHECK((seen == std::vector<int>{503, 503, 500}));
  BOOST_CHECK(plan.pending().empty());
}

BOOST_AUTO_TEST_CASE(a_fault_that_does_not_match_stays_queued) {
  FaultPlan plan;
  plan.add(fault(Match{"slack", "", ""}, 429, 1));
  plan.add(fault(Match{"resend", "re_a", ""}, 503, 1));
  auto f = plan.take(kResend);
  BOOST_REQUIRE(f);
  BOOST_CHECK_EQUAL(*f->status, 503);
  BOOST_CHECK(!plan.take(kResend));
  BOOST_REQUIRE_EQUAL(plan.pending().size(), 1u);
  BOOST_CHECK_EQUAL(*plan.take(kSlack)->status, 429);
}

BOOST_AUTO_TEST_CASE(count_minus_one_lasts_until_cleared) {
  FaultPlan plan;
  const auto id = plan.add(fault(Match{"", "", "/hooks/"}, 410, -1));
  const RequestKey hook{"webhook", "/hooks/a", "/hooks/a"};
  for (int i = 0; i < 100; ++i) {
    auto f = plan.take(hook);
    BOOST_REQUIRE(f);
    BOOST_CHECK_EQUAL(f->id, id);
  }
  plan.clear();
  BOOST_CHECK(!plan.take(hook));
}

BOOST_AUTO_TEST_CASE(pending_shows_what_is_left) {
  FaultPlan plan;
  plan.add(fault(Match{}, 503, 3));
  (void)plan.take(kSlack);
  BOOST_REQUIRE_EQUAL(plan.pending().size(), 1u);
  BOOST_CHECK_EQUAL(plan.pending().front().count, 2);
}

BOOST_AUTO_TEST_CASE(a_fault_removed_by_id_stops_applying) {
  FaultPlan plan;
  const auto forever = plan.add(fault(Match{"resend", "", ""}, 500, -1));
  const auto other = plan.add(fault(Match{"slack", "", ""}, 429, 1));
  BOOST_CHECK_EQUAL(*plan.take(kResend)->status, 500);
  BOOST_CHECK(plan.remove(forever));
  BOOST_CHECK(!plan.take(kResend));
  BOOST_CHECK(!plan.remove(forever));  // already gone
  BOOST_CHECK(plan.remove(other));
  BOOST_CHECK(plan.pending().empty());
}
