#define BOOST_TEST_MODULE metrics_server
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <stdexcept>
#include <string>

#include <httplib.h>

#include "core/metrics/metrics_server.h"
#include "core/metrics/registry.h"

namespace hm = hookline::metrics;

BOOST_AUTO_TEST_CASE(serves_metrics_and_health_on_port_zero) {
  hm::Registry registry;
  registry.counter("hookline_test_requests_total", "Requests.", {"provider"})
      .with({"stripe"})
      .inc(2);
  hm::MetricsServer server(registry, "127.0.0.1", 0);
  BOOST_TEST(!server.running());
  server.start();
  BOOST_TEST(server.running());
  BOOST_REQUIRE(server.port() != 0);

  httplib::Client client("127.0.0.1", server.port());
  client.set_connection_timeout(2);
  client.set_read_timeout(2);
  auto res = client.Get("/metrics");
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 200);
  BOOST_TEST(res->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  BOOST_TEST(res->body ==
             "# HELP hookline_test_requests_total Requests.\n"
             "# TYPE hookline_test_requests_total counter\n"
             "hookline_test_requests_total{provider=\"stripe\"} 2\n");

  // A later scrape sees later updates.
  registry.counter("hookline_test_requests_total", "Requests.", {"provider"})
      .with({"stripe"})
      .inc();
  res = client.Get("/metrics");
  BOOST_REQUIRE(res);
  BOOST_TEST(res->body.find("{provider=\"stripe\"} 3\n") != std::string::npos);

  res = client.Get("/healthz");
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 200);
  BOOST_TEST(res->body == "ok\n");

  res = client.Get("/nope");
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 404);

  server.stop();
  BOOST_TEST(!server.running());
  server.stop();  // idempotent
  httplib::Client after("127.0.0.1", server.port());
  after.set_connection_timeout(1);
  BOOST_TEST(!after.Get("/healthz"));
}

BOOST_AUTO_TEST_CASE(stop_right_after_start_and_in_destructor) {
  hm::Registry registry;
  for (int i = 0; i < 20; ++i) {
    hm::MetricsServer server(registry, "127.0.0.1", 0);
    server.start();
    if (i % 2 == 0) server.stop();
  }  // the destructor stops the others
  hm::MetricsServer never_started(registry, "127.0.0.1", 0);
}

BOOST_AUTO_TEST_CASE(stop_is_bounded_with_an_idle_keep_alive_connection) {
  hm::Registry registry;
  hm::MetricsServer server(registry, "127.0.0.1", 0);
  server.start();
  httplib::Client client("127.0.0.1", server.port());
  client.set_keep_alive(true);
  BOOST_REQUIRE(client.Get("/healthz"));
  const auto begin = std::chrono::steady_clock::now();
  server.stop();
  const auto took = std::chrono::steady_clock::now() - begin;
  BOOST_TEST((took < std::chrono::seconds(3)));
}

BOOST_AUTO_TEST_CASE(port_in_use_throws) {
  hm::Registry registry;
  hm::MetricsServer first(registry, "127.0.0.1", 0);
  first.start();
  hm::MetricsServer second(registry, "127.0.0.1", first.port());
  BOOST_CHECK_THROW(second.start(), std::runtime_error);
  hm::MetricsServer bad_host(registry, "256.0.0.1", 0);
  BOOST_CHECK_THROW(bad_host.start(), std::runtime_error);
}
