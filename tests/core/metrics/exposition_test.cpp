#define BOOST_TEST_MODULE metrics_exposition
#include <boost/test/unit_test.hpp>

#include <limits>
#include <string>

#include "core/metrics/exposition.h"
#include "core/metrics/registry.h"

namespace hm = hookline::metrics;
namespace ex = hookline::metrics::exposition;

BOOST_AUTO_TEST_CASE(number_formatting) {
  BOOST_TEST(ex::format_value(0) == "0");
  BOOST_TEST(ex::format_value(3) == "3");
  BOOST_TEST(ex::format_value(-2.5) == "-2.5");
  BOOST_TEST(ex::format_value(0.1) == "0.1");
  BOOST_TEST(ex::format_value(0.005) == "0.005");
  BOOST_TEST(ex::format_value(1e21) == "1e+21");
  BOOST_TEST(ex::format_value(std::numeric_limits<double>::infinity()) == "+Inf");
  BOOST_TEST(ex::format_value(-std::numeric_limits<double>::infinity()) == "-Inf");
  BOOST_TEST(ex::format_value(std::numeric_limits<double>::quiet_NaN()) == "NaN");
}

BOOST_AUTO_TEST_CASE(escaping) {
  std::string out;
  ex::append_escaped_label_value(out, "a\\b\"c\nd");
  BOOST_TEST(out == "a\\\\b\\\"c\\nd");
  out.clear();
  ex::append_escaped_help(out, "say \"hi\"\\\n");
  BOOST_TEST(out == "say \"hi\"\\\\\\n");
}

BOOST_AUTO_TEST_CASE(counter_with_labels) {
  hm::Registry registry;
  auto& requests = registry.counter("hookline_ingest_requests_total", "Requests received.",
                                    {"provider", "status"});
  requests.with({"stripe", "200"}).inc(3);
  requests.with({"github", "401"}).inc();
  requests.with({"stripe", "200"}).inc();
  BOOST_TEST(registry.expose() ==
             "# HELP hookline_ingest_requests_total Requests received.\n"
             "# TYPE hookline_ingest_requests_total counter\n"
             "hookline_ingest_requests_total{provider=\"github\",status=\"401\"} 1\n"
             "hookline_ingest_requests_total{provider=\"stripe\",status=\"200\"} 4\n");
}

BOOST_AUTO_TEST_CASE(unlabelled_counter_and_gauge) {
  hm::Registry registry;
  auto& bytes = registry.counter("hookline_sink_bytes_total", "Bytes sent.").with();
  auto& seconds = registry.counter("hookline_sink_busy_seconds_total", "Busy time.").with();
  auto& depth = registry.gauge("hookline_sink_queue_depth", "Queued events.").with();
  bytes.inc(1024);
  seconds.add(0.25);
  seconds.inc();
  depth.set(7);
  depth.sub(9);
  BOOST_TEST(registry.expose() ==
             "# HELP hookline_sink_busy_seconds_total Busy time.\n"
             "# TYPE hookline_sink_busy_seconds_total counter\n"
             "hookline_sink_busy_seconds_total 1.25\n"
             "# HELP hookline_sink_bytes_total Bytes sent.\n"
             "# TYPE hookline_sink_bytes_total counter\n"
             "hookline_sink_bytes_total 1024\n"
             "# HELP hookline_sink_queue_depth Queued events.\n"
             "# TYPE hookline_sink_queue_depth gauge\n"
             "hookline_sink_queue_depth -2\n");
}

BOOST_AUTO_TEST_CASE(histogram_text) {
  hm::Registry registry;
  auto& latency = registry.histogram("hookline_sink_delivery_seconds", "Delivery latency.",
                                     {0.125, 0.5, 1}, {"provider"});
  auto& slack = latency.with({"slack"});
  // Binary-exact values, so the sums print exactly.
  for (double v : {0.0625, 0.125, 0.25, 0.75, 2.0}) slack.observe(v);
  latency.with({"email"}).observe(0.25);
  BOOST_TEST(registry.expose() ==
             "# HELP hookline_sink_delivery_seconds Delivery latency.\n"
             "# TYPE hookline_sink_delivery_seconds histogram\n"
             "hookline_sink_delivery_seconds_bucket{provider=\"email\",le=\"0.125\"} 0\n"
             "hookline_sink_delivery_seconds_bucket{provider=\"email\",le=\"0.5\"} 1\n"
             "hookline_sink_delivery_seconds_bucket{provider=\"email\",le=\"1\"} 1\n"
             "hookline_sink_delivery_seconds_bucket{provider=\"email\",le=\"+Inf\"} 1\n"
             "hookline_sink_delivery_seconds_sum{provider=\"email\"} 0.25\n"
             "hookline_sink_delivery_seconds_count{provider=\"email\"} 1\n"
             "hookline_sink_delivery_seconds_bucket{provider=\"slack\",le=\"0.125\"} 2\n"
             "hookline_sink_delivery_seconds_bucket{provider=\"slack\",le=\"0.5\"} 3\n"
             "hookline_sink_delivery_seconds_bucket{provider=\"slack\",le=\"1\"} 4\n"
             "hookline_sink_delivery_seconds_bucket{provider=\"slack\",le=\"+Inf\"} 5\n"
             "hookline_sink_delivery_seconds_sum{provider=\"slack\"} 3.1875\n"
             "hookline_sink_delivery_seconds_count{provider=\"slack\"} 5\n");
}

BOOST_AUTO_TEST_CASE(unlabelled_histogram_text) {
  hm::Registry registry;
  auto& h = registry.histogram("job_seconds", "Job time.", {1}).with();
  h.observe(0.5);
  h.observe(3);
  BOOST_TEST(registry.expose() ==
             "# HELP job_seconds Job time.\n"
             "# TYPE job_seconds histogram\n"
             "job_seconds_bucket{le=\"1\"} 1\n"
             "job_seconds_bucket{le=\"+Inf\"} 2\n"
             "job_seconds_sum 3.5\n"
             "job_seconds_count 2\n");
}

BOOST_AUTO_TEST_CASE(label_values_and_help_are_escaped) {
  hm::Registry registry;
  auto& f =
      registry.counter("errors_total", "Errors by \"reason\".\nSecond line \\ end.", {"reason"});
  f.with({"bad \"quote\"\\path\nnewline"}).inc();
  BOOST_TEST(registry.expose() ==
             "# HELP errors_total Errors by \"reason\".\\nSecond line \\\\ end.\n"
             "# TYPE errors_total counter\n"
             "errors_total{reason=\"bad \\\"quote\\\"\\\\path\\nnewline\"} 1\n");
}

BOOST_AUTO_TEST_CASE(labelled_family_without_children_is_silent) {
  hm::Registry registry;
  registry.counter("a_total", "A.", {"x"});
  BOOST_TEST(registry.expose() == "");
  registry.counter("b_total", "B.");
  BOOST_TEST(registry.expose() == "# HELP b_total B.\n# TYPE b_total counter\nb_total 0\n");
}
