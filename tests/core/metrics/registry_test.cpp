#define BOOST_TEST_MODULE metrics_registry
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/metrics/names.h"
#include "core/metrics/registry.h"

namespace hm = hookline::metrics;

BOOST_AUTO_TEST_CASE(name_rules) {
  BOOST_TEST(hm::is_valid_metric_name("hookline_ingest_requests_total"));
  BOOST_TEST(hm::is_valid_metric_name("_x"));
  BOOST_TEST(hm::is_valid_metric_name("ns:sub:metric"));
  BOOST_TEST(!hm::is_valid_metric_name(""));
  BOOST_TEST(!hm::is_valid_metric_name("1abc"));
  BOOST_TEST(!hm::is_valid_metric_name("a-b"));
  BOOST_TEST(!hm::is_valid_metric_name("a b"));
  BOOST_TEST(!hm::is_valid_metric_name("é"));

  BOOST_TEST(hm::is_valid_label_name("provider"));
  BOOST_TEST(hm::is_valid_label_name("_p1"));
  BOOST_TEST(!hm::is_valid_label_name(""));
  BOOST_TEST(!hm::is_valid_label_name("__name__"));
  BOOST_TEST(!hm::is_valid_label_name("a:b"));
  BOOST_TEST(!hm::is_valid_label_name("9a"));
}

BOOST_AUTO_TEST_CASE(invalid_declarations_throw) {
  hm::Registry r;
  BOOST_CHECK_THROW(r.counter("bad-name", "h"), std::invalid_argument);
  BOOST_CHECK_THROW(r.counter("", "h"), std::invalid_argument);
  BOOST_CHECK_THROW(r.gauge("ok", "h", {"bad-label"}), std::invalid_argument);
  BOOST_CHECK_THROW(r.gauge("ok", "h", {"__reserved"}), std::invalid_argument);
  BOOST_CHECK_THROW(r.gauge("ok", "h", {"a", "a"}), std::invalid_argument);
  BOOST_CHECK_THROW(r.histogram("h_seconds", "h", {1}, {"le"}), std::invalid_argument);
  BOOST_CHECK_THROW(r.histogram("h_seconds", "h", {2, 1}), std::invalid_argument);
  r.counter("le_total", "a counter may use le", {"le"});  // only histograms reserve it
  BOOST_TEST(r.expose() == "");
}

BOOST_AUTO_TEST_CASE(redeclaration_rules) {
  hm::Registry r;
  auto& a = r.counter("x_total", "help", {"provider"});
  auto& b = r.counter("x_total", "other help is ignored", {"provider"});
  BOOST_TEST(&a == &b);
  BOOST_TEST(b.help() == "help");
  BOOST_CHECK_THROW(r.gauge("x_total", "help", {"provider"}), std::invalid_argument);
  BOOST_CHECK_THROW(r.counter("x_total", "help"), std::invalid_argument);
  BOOST_CHECK_THROW(r.counter("x_total", "help", {"status"}), std::invalid_argument);
  BOOST_CHECK_THROW(r.counter("x_total", "help", {"provider", "status"}), std::invalid_argument);

  auto& h1 = r.histogram("lat_seconds", "h", {1, 2});
  auto& h2 = r.histogram("lat_seconds", "h", {1, 2});
  BOOST_TEST(&h1 == &h2);
  BOOST_CHECK_THROW(r.histogram("lat_seconds", "h", {1, 3}), std::invalid_argument);
  BOOST_CHECK_THROW(r.counter("lat_seconds", "h"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(histogram_series_clashes) {
  hm::Registry r;
  r.histogram("req_seconds", "h", {1});
  BOOST_CHECK_THROW(r.counter("req_seconds_count", "h"), std::invalid_argument);
  BOOST_CHECK_THROW(r.gauge("req_seconds_sum", "h"), std::invalid_argument);
  BOOST_CHECK_THROW(r.gauge("req_seconds_bucket", "h"), std::invalid_argument);
  r.gauge("other_sum", "h");  // no histogram named "other"
  BOOST_CHECK_THROW(r.histogram("other", "h", {1}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(children_are_stable_and_arity_checked) {
  hm::Registry r;
  auto& f = r.counter("y_total", "h", {"provider", "status"});
  auto& c1 = f.with({"stripe", "200"});
  for (int i = 0; i < 100; ++i) f.with({"p" + std::to_string(i), "500"});  // force rebalancing
  const std::vector<std::string> values = {"stripe", "200"};
  BOOST_TEST(&f.with(values) == &c1);
  BOOST_TEST(&f.with({"stripe", "200"}) == &c1);
  BOOST_CHECK_THROW(f.with({"stripe"}), std::invalid_argument);
  BOOST_CHECK_THROW(f.with({"stripe", "200", "x"}), std::invalid_argument);
  BOOST_CHECK_THROW(f.with(), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(families_sorted_by_name) {
  hm::Registry r;
  r.gauge("zeta", "z");
  r.counter("alpha_total", "a");
  r.gauge("mid", "m");
  const std::string text = r.expose();
  const auto a = text.find("# HELP alpha_total");
  const auto m = text.find("# HELP mid");
  const auto z = text.find("# HELP zeta");
  BOOST_TEST(a < m);
  BOOST_TEST(m < z);
  BOOST_TEST(z != std::string::npos);
  BOOST_TEST(r.expose() == text);  // deterministic
}

BOOST_AUTO_TEST_CASE(concurrent_updates_are_exact) {
  hm::Registry r;
  auto& counters = r.counter("events_total", "h", {"worker"});
  auto& shared = r.counter("shared_total", "h").with();
  auto& hist = r.histogram("obs", "h", {0.5}).with();
  auto& gauge = r.gauge("level", "h").with();
  constexpr int kThreads = 4;
  constexpr int kIterations = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIterations; ++i) {
        counters.with({std::to_string(i % 3)}).inc();
        shared.inc();
        hist.observe(t % 2 == 0 ? 0.25 : 1.0);
        gauge.add(1.0);
        if (i % 1000 == 0) (void)r.expose();  // scrapes race with updates
      }
    });
  }
  for (auto& th : threads) th.join();
  constexpr std::uint64_t kTotal = kThreads * kIterations;
  BOOST_TEST(shared.whole() == kTotal);
  BOOST_TEST(counters.with({"0"}).whole() + counters.with({"1"}).whole() +
                 counters.with({"2"}).whole() ==
             kTotal);
  BOOST_TEST(hist.bucket_count(0) + hist.bucket_count(1) == kTotal);
  BOOST_TEST(hist.bucket_count(0) == kTotal / 2);
  BOOST_TEST(gauge.value() == static_cast<double>(kTotal));
  BOOST_TEST(r.expose().find("shared_total 80000\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(default_registry_is_a_singleton) {
  auto& a = hm::default_registry();
  auto& b = hm::default_registry();
  BOOST_TEST(&a == &b);
  a.counter("hookline_test_default_total", "h").with().inc();
  BOOST_TEST(b.expose().find("hookline_test_default_total 1\n") != std::string::npos);
}
