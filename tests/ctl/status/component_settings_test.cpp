// What `hookline status` takes from the configuration: the components' groups and topics (their
// own loaders), the DLQs, and the endpoint sources in priority order.
#define BOOST_TEST_MODULE status_component_settings
#include <boost/test/unit_test.hpp>

#include "core/cli_args.h"
#include "ctl/status/component_settings.h"

using namespace hookline;
using namespace hookline::ctl::status;

namespace {

Topology two_tiers() {
  Topology t;
  t.retry_tiers = {{"30s", std::chrono::seconds(30), "outbound.retry.30s"},
                   {"2m", std::chrono::minutes(2), "outbound.retry.2m"}};
  return t;
}

Config config(std::map<std::string, std::string> sections) {
  Config cfg;
  cfg.source = "test.json";
  cfg.sections = std::move(sections);
  return cfg;
}

}  // namespace

BOOST_AUTO_TEST_CASE(groups_and_topics_follow_the_components_configs) {
  const auto s = load_status_settings(
      config({{"normalizer", R"({"group_id": "norm-a", "input_topic": "raw.a"})"},
              {"sender", R"({"approvals_topic": ""})"}}),
      {}, two_tiers(), std::nullopt);
  BOOST_TEST(s.normalizer.group_id == "norm-a");
  BOOST_TEST(s.normalizer.topics == std::vector<std::string>{"raw.a"});
  BOOST_TEST(s.gatekeeper.group_id == "hookline-gatekeeper");
  BOOST_TEST(
      s.gatekeeper.topics ==
      (std::vector<std::string>{"outbound.requests", "approvals.decisions", "consent.changes"}));
  BOOST_TEST(s.sender.group_id == "hookline-sender");
  BOOST_TEST(s.sender.topics == (std::vector<std::string>{"outbound.approved", "outbound.retry.30s",
                                                          "outbound.retry.2m"}));
  BOOST_TEST(s.dlq_topics == (std::vector<std::string>{"webhooks.dlq", "outbound.dlq"}));

  const auto d = load_status_settings(config({}), {}, two_tiers(), std::nullopt);
  BOOST_TEST(d.sender.topics.back() == "approvals.requests");
  BOOST_TEST(replay_group("outbound.dlq") == "hookline-dlq-replay.outbound.dlq");
}

BOOST_AUTO_TEST_CASE(endpoints_come_from_the_flag_the_environment_and_the_listen_settings) {
  const Environment env{{"HOOKLINE_STATUS_ENDPOINTS", "sender=http://env:1/metrics"},
                        {"HOOKLINE_GATEKEEPER_METRICS_LISTEN", "0.0.0.0:9999"}};
  const auto s =
      load_status_settings(config({{"normalizer", R"({"metrics_listen": "127.0.0.1:9102"})"},
                                   {"ingest", R"({"listen": "0.0.0.0:8088"})"},
                                   {"sender", R"({"metrics_listen": "10.1.1.1:9103"})"}}),
                           env, two_tiers(), std::string("ingest=http://flag:2/metrics"));
  const auto plans = resolve_endpoints(s.endpoint_layers);
  BOOST_TEST_REQUIRE(plans.size() == 4u);
  BOOST_TEST(plans[0].origin == "--endpoints");
  BOOST_TEST(plans[0].urls == std::vector<std::string>{"http://flag:2/metrics"});
  BOOST_TEST(plans[1].urls == std::vector<std::string>{"http://127.0.0.1:9102/metrics"});
  BOOST_TEST(plans[2].urls == std::vector<std::string>{"http://127.0.0.1:9999/metrics"});
  BOOST_TEST(plans[3].origin == "environment variable HOOKLINE_STATUS_ENDPOINTS");
  BOOST_TEST(plans[3].urls == std::vector<std::string>{"http://env:1/metrics"});
}

BOOST_AUTO_TEST_CASE(default_listen_addresses_give_no_endpoint) {
  // The components' defaults (0.0.0.0:910x) say nothing about where they run; port 0 is picked
  // at start.
  const auto s = load_status_settings(config({{"sender", R"({"metrics_listen": "127.0.0.1:0"})"}}),
                                      {}, two_tiers(), std::nullopt);
  for (const auto& plan : resolve_endpoints(s.endpoint_layers)) {
    BOOST_TEST(plan.urls.empty(), plan.component);
    BOOST_TEST(plan.origin.empty(), plan.component);
  }
}

BOOST_AUTO_TEST_CASE(bad_lists_name_their_source) {
  try {
    (void)load_status_settings(config({}), {{"HOOKLINE_STATUS_ENDPOINTS", "sender=ftp://x:1"}},
                               two_tiers(), std::nullopt);
    BOOST_FAIL("accepted");
  } catch (const ConfigError& e) {
    BOOST_TEST(std::string(e.what()).find("HOOKLINE_STATUS_ENDPOINTS") != std::string::npos,
               e.what());
  }
  BOOST_CHECK_THROW((void)load_status_settings(config({}), {}, two_tiers(), std::string("x=h:1")),
                    UsageError);
}

BOOST_AUTO_TEST_CASE(the_config_status_section_names_endpoints_below_the_environment) {
  // (core/config.cpp keeps a "status" section once it is listed in kComponentSections.)
  const auto s = load_status_settings(
      config({{"status", R"({"endpoints": {"sender": "h1:1, h2:2", "gatekeeper": "none"}})"},
              {"gatekeeper", R"({"metrics_listen": "127.0.0.1:9104"})"}}),
      {{"HOOKLINE_STATUS_ENDPOINTS", "normalizer=n:3"}}, two_tiers(), std::nullopt);
  const auto plans = resolve_endpoints(s.endpoint_layers);
  BOOST_TEST(plans[1].urls == std::vector<std::string>{"http://n:3/metrics"});
  BOOST_TEST(plans[2].origin == "test.json status.endpoints");
  BOOST_TEST(plans[2].urls.empty());
  BOOST_TEST(plans[3].urls ==
             (std::vector<std::string>{"http://h1:1/metrics", "http://h2:2/metrics"}));
  BOOST_CHECK_THROW((void)load_status_settings(config({{"status", R"({"endpoint": {}})"}}), {},
                                               two_tiers(), std::nullopt),
                    ConfigError);
}
