#define BOOST_TEST_MODULE metrics_metric_types
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/metrics/metric_types.h"

namespace hm = hookline::metrics;

BOOST_AUTO_TEST_CASE(counter_is_monotonic) {
  hm::Counter c;
  BOOST_TEST(c.value() == 0.0);
  c.inc();
  c.inc(4);
  BOOST_TEST(c.whole() == 5U);
  c.add(0.5);
  c.add(-3.0);                                      // ignored
  c.add(std::numeric_limits<double>::quiet_NaN());  // ignored
  BOOST_TEST(c.value() == 5.5);
}

BOOST_AUTO_TEST_CASE(gauge_moves_both_ways) {
  hm::Gauge g;
  g.set(10);
  g.add(2.5);
  g.sub(0.5);
  g.inc();
  g.dec();
  g.dec();
  BOOST_TEST(g.value() == 11.0);
  g.set(-4);
  BOOST_TEST(g.value() == -4.0);
}

BOOST_AUTO_TEST_CASE(histogram_buckets_are_le) {
  hm::Histogram h(hm::Histogram::make_bounds({1, 2, 5}));
  for (double v : {0.5, 1.0, 1.5, 2.0, 4.0, 5.0, 6.0, -1.0}) h.observe(v);
  h.observe(std::numeric_limits<double>::quiet_NaN());  // ignored
  BOOST_TEST(h.bucket_count(0) == 3U);                  // 0.5, 1.0, -1.0
  BOOST_TEST(h.bucket_count(1) == 2U);                  // 1.5, 2.0
  BOOST_TEST(h.bucket_count(2) == 2U);                  // 4.0, 5.0
  BOOST_TEST(h.bucket_count(3) == 1U);                  // 6.0 -> +Inf
  BOOST_TEST(h.sum() == 19.0);
}

BOOST_AUTO_TEST_CASE(histogram_bounds_validation) {
  const double inf = std::numeric_limits<double>::infinity();
  BOOST_TEST(hm::Histogram::make_bounds({1, 2, inf})->size() == 2U);  // +Inf is implicit
  BOOST_TEST(hm::Histogram::make_bounds({})->empty());
  BOOST_CHECK_THROW(hm::Histogram::make_bounds({2, 1}), std::invalid_argument);
  BOOST_CHECK_THROW(hm::Histogram::make_bounds({1, 1}), std::invalid_argument);
  BOOST_CHECK_THROW(hm::Histogram::make_bounds({1, std::nan("")}), std::invalid_argument);
  BOOST_CHECK_THROW(hm::Histogram::make_bounds({-inf, 1}), std::invalid_argument);

  hm::Histogram only_inf(hm::Histogram::make_bounds({}));
  only_inf.observe(3);
  BOOST_TEST(only_inf.bucket_count(0) == 1U);
}

BOOST_AUTO_TEST_CASE(bucket_helpers) {
  BOOST_TEST(hm::Histogram::default_buckets().size() == 11U);
  const auto exp = hm::Histogram::exponential_buckets(0.001, 10, 4);
  BOOST_REQUIRE(exp.size() == 4U);
  BOOST_TEST(exp[0] == 0.001);
  BOOST_TEST(std::abs(exp[3] - 1.0) < 1e-12);
  BOOST_CHECK_THROW(hm::Histogram::exponential_buckets(0, 2, 3), std::invalid_argument);
  BOOST_CHECK_THROW(hm::Histogram::exponential_buckets(1, 1, 3), std::invalid_argument);
  BOOST_CHECK_THROW(hm::Histogram::exponential_buckets(1, 2, 0), std::invalid_argument);
}
