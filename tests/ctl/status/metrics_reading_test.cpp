// Readings from the components' metrics: the sender's circuits and Retry-After pauses, the
// normalizer's lag gauge, merged over instances.
#define BOOST_TEST_MODULE status_metrics_reading
#include <boost/test/unit_test.hpp>

#include "ctl/status/metrics_reading.h"

using namespace hookline::ctl::status;

BOOST_AUTO_TEST_CASE(circuits_take_the_worst_state_over_instances) {
  const auto a = parse_prometheus_text(
      "hookline_sender_circuit_state{connection=\"resend/main\"} 0\n"
      "hookline_sender_circuit_state{connection=\"twilio/main\"} 1\n"
      "hookline_sender_circuit_state{connection=\"slack/main\"} 0\n"
      "hookline_sender_connection_paused{connection=\"slack/main\"} 1\n"
      "hookline_sender_connection_paused{connection=\"resend/main\"} 0\n"
      "garbage line\n");
  const auto b = parse_prometheus_text(
      "hookline_sender_circuit_state{connection=\"resend/main\"} 2\n"
      "hookline_sender_circuit_state{connection=\"odd/value\"} 7\n"
      "hookline_sender_circuit_state 2\n");
  const SenderHealth h = sender_health({a, b});
  BOOST_TEST(h.scraped);
  BOOST_TEST(h.skipped_lines == 1u);
  BOOST_TEST_REQUIRE(h.circuits.size() == 3u);  // by name; unlabelled and odd values left out
  BOOST_TEST(h.circuits[0].connection == "resend/main");
  BOOST_TEST(h.circuits[0].state == "open");
  BOOST_TEST(h.circuits[1].connection == "slack/main");
  BOOST_TEST(h.circuits[1].state == "closed");
  BOOST_TEST(h.circuits[2].state == "half-open");
  BOOST_TEST_REQUIRE(h.throttled.size() == 1u);
  BOOST_TEST(h.throttled[0] == "slack/main");
}

BOOST_AUTO_TEST_CASE(normalizer_lag_takes_the_highest_reading_per_partition) {
  const auto a = parse_prometheus_text(
      "hookline_normalizer_consumer_lag{partition=\"0\"} 4\n"
      "hookline_normalizer_consumer_lag{partition=\"1\"} 0\n"
      "hookline_normalizer_consumer_lag{partition=\"x\"} 9\n"
      "hookline_normalizer_consumer_lag{partition=\"-2\"} 9\n"
      "hookline_normalizer_consumer_lag 9\n");
  const auto b = parse_prometheus_text("hookline_normalizer_consumer_lag{partition=\"1\"} 6\n");
  const auto g = normalizer_lag_gauges({a, b});
  BOOST_TEST_REQUIRE(g.size() == 2u);
  BOOST_TEST(g.at(0) == 4.0);
  BOOST_TEST(g.at(1) == 6.0);
  BOOST_TEST(normalizer_lag_gauges({}).empty());
}
