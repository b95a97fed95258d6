// The "sender" section's settings added for the gatekeeper: approvals_topic, consent_recheck.
#define BOOST_TEST_MODULE sender_config
#include <boost/test/unit_test.hpp>

#include "core/json_reader.h"
#include "sinks/sender/sender_config.h"

namespace hs = hookline::sender;

namespace {

hs::SenderConfig load(const std::string& section) {
  hookline::Config cfg;
  cfg.source = "test.json";
  cfg.sections["sender"] = section;
  return hs::load_sender_config(cfg, hookline::Environment{}, hookline::ParsedArgs{});
}

}  // namespace

BOOST_AUTO_TEST_CASE(defaults_post_approvals_and_recheck_consent) {
  const auto c = load("{}");
  BOOST_TEST(c.approvals_topic == "approvals.requests");
  BOOST_TEST(c.consent_recheck);
}

BOOST_AUTO_TEST_CASE(both_can_be_turned_off) {
  const auto c = load(R"({"approvals_topic": "", "consent_recheck": false})");
  BOOST_TEST(c.approvals_topic.empty());
  BOOST_TEST(!c.consent_recheck);
}

BOOST_AUTO_TEST_CASE(wrong_values_are_refused_with_the_key) {
  auto refused = [](const std::string& section, const std::string& key) {
    try {
      load(section);
    } catch (const hookline::ConfigError& e) {
      BOOST_TEST(std::string(e.what()).find(key) != std::string::npos, e.what());
      return true;
    }
    return false;
  };
  BOOST_TEST(refused(R"({"consent_recheck": "yes"})", "consent_recheck"));
  BOOST_TEST(refused(R"({"approvals_topic": 3})", "approvals_topic"));
  BOOST_TEST(refused(R"({"approvals_topic": "outbound.approved"})", "approvals_topic"));
}
