// Endpoint lists of `hookline status`: URL forms, NAME=URL lists, "none", listen addresses,
// and which source wins per component.
#define BOOST_TEST_MODULE status_endpoints
#include <boost/test/unit_test.hpp>

#include "ctl/status/endpoints.h"

using namespace hookline::ctl::status;

BOOST_AUTO_TEST_CASE(urls_and_bare_addresses) {
  auto u = parse_endpoint_url("http://127.0.0.1:9103/metrics");
  BOOST_TEST_REQUIRE(u.ok());
  BOOST_TEST(u->scheme_host_port == "http://127.0.0.1:9103");
  BOOST_TEST(u->path == "/metrics");
  auto bare = parse_endpoint_url("sender-0.internal:9103");
  BOOST_TEST_REQUIRE(bare.ok());
  BOOST_TEST(bare->scheme_host_port == "http://sender-0.internal:9103");
  BOOST_TEST(bare->path == "/metrics");
  auto root = parse_endpoint_url("https://h:443/");
  BOOST_TEST_REQUIRE(root.ok());
  BOOST_TEST(root->scheme_host_port == "https://h:443");
  BOOST_TEST(root->path == "/metrics");
  auto v6 = parse_endpoint_url("http://[::1]:9102/custom/path");
  BOOST_TEST_REQUIRE(v6.ok());
  BOOST_TEST(v6->scheme_host_port == "http://[::1]:9102");
  BOOST_TEST(v6->path == "/custom/path");
}

BOOST_AUTO_TEST_CASE(bad_urls_are_refused_with_the_text) {
  for (const char* bad :
       {"", "localhost", "ftp://h:1/", "http://h:0", "http://h:70000", "http://user:pw@h:1/",
        "http://:80", "http://h:80/a b", "[::1:80", "http://h:x/"}) {
    auto r = parse_endpoint_url(bad);
    BOOST_TEST(!r.ok(), bad);
    if (!r.ok()) BOOST_TEST(r.error().message.find(bad) != std::string::npos, r.error().message);
  }
}

BOOST_AUTO_TEST_CASE(lists_of_name_equals_url) {
  auto l = parse_endpoint_list(
      " ingest=127.0.0.1:8080 , sender=http://a:1/metrics,sender=http://b:2/m,gatekeeper=none,",
      "--endpoints");
  BOOST_TEST_REQUIRE(l.ok());
  BOOST_TEST_REQUIRE(l->size() == 4u);
  BOOST_TEST((*l)[0].component == "ingest");
  BOOST_TEST((*l)[0].url == "http://127.0.0.1:8080/metrics");
  BOOST_TEST((*l)[2].url == "http://b:2/m");
  BOOST_TEST((*l)[3].component == "gatekeeper");
  BOOST_TEST((*l)[3].url.empty());

  auto unknown = parse_endpoint_list("mailer=h:1", "HOOKLINE_STATUS_ENDPOINTS");
  BOOST_TEST_REQUIRE(!unknown.ok());
  BOOST_TEST(unknown.error().message.find("HOOKLINE_STATUS_ENDPOINTS") == 0u);
  BOOST_TEST(unknown.error().message.find("mailer") != std::string::npos);
  BOOST_TEST(!parse_endpoint_list("sender", "x").ok());
  BOOST_TEST(!parse_endpoint_list("sender=nohost", "x").ok());
  BOOST_TEST(parse_endpoint_list("", "x")->empty());
}

BOOST_AUTO_TEST_CASE(listen_addresses_become_loopback_urls) {
  BOOST_TEST(url_for_listen("0.0.0.0", 9103, "/metrics") == "http://127.0.0.1:9103/metrics");
  BOOST_TEST(url_for_listen("::", 9102, "/metrics") == "http://[::1]:9102/metrics");
  BOOST_TEST(url_for_listen("10.0.0.5", 8080, "/metrics") == "http://10.0.0.5:8080/metrics");
}

BOOST_AUTO_TEST_CASE(the_first_source_naming_a_component_wins_for_it) {
  std::vector<EndpointLayer> layers{
      {"--endpoints", {{"sender", "http://flag:1/metrics"}, {"gatekeeper", ""}}},
      {"HOOKLINE_STATUS_ENDPOINTS",
       {{"sender", "http://env:1/metrics"}, {"normalizer", "http://env:2/metrics"}}},
      {"listen", {{"ingest", "http://l:3/metrics"}, {"gatekeeper", "http://l:4/metrics"}}},
  };
  const auto plans = resolve_endpoints(layers);
  BOOST_TEST_REQUIRE(plans.size() == 4u);
  BOOST_TEST(plans[0].component == "ingest");
  BOOST_TEST(plans[0].origin == "listen");
  BOOST_TEST(plans[1].component == "normalizer");
  BOOST_TEST(plans[1].origin == "HOOKLINE_STATUS_ENDPOINTS");
  BOOST_TEST(plans[2].component == "gatekeeper");
  BOOST_TEST(plans[2].origin == "--endpoints");  // "none" there: nothing probed
  BOOST_TEST(plans[2].urls.empty());
  BOOST_TEST(plans[3].origin == "--endpoints");
  BOOST_TEST_REQUIRE(plans[3].urls.size() == 1u);
  BOOST_TEST(plans[3].urls[0] == "http://flag:1/metrics");

  const auto nothing = resolve_endpoints({});
  BOOST_TEST(nothing[3].origin.empty());
  BOOST_TEST(nothing[3].urls.empty());
}
