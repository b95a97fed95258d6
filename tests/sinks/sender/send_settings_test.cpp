#define BOOST_TEST_MODULE sender_send_settings
#include <boost/test/unit_test.hpp>

#include "core/json_reader.h"
#include "sinks/sender/connection_book.h"
#include "sinks/sender/send_defaults.h"

namespace hs = hookline::sender;

BOOST_AUTO_TEST_CASE(defaults_exist_for_every_client_and_only_those) {
  for (const char* p : {"resend", "sendgrid", "twilio", "whatsapp", "slack", "webhook"}) {
    auto d = hs::send_defaults(p);
    BOOST_TEST_REQUIRE(d.has_value(), p);
    BOOST_TEST(d->rate_per_s > 0);
    BOOST_TEST(d->burst >= 1);
  }
  BOOST_TEST(hs::send_defaults("whatsapp")->recipient_interval.count() == 6000);
  BOOST_TEST(!hs::send_defaults("stripe").has_value());
}

BOOST_AUTO_TEST_CASE(settings_override_defaults) {
  auto c = hs::read_send_settings(
      R"({"other": 1, "send": {"base_url": "http://127.0.0.1:9", "from": "a@example.com",
          "rate_per_s": 7.5, "recipient_interval_ms": 100, "max_attempts": 3,
          "timeout_ms": 2000, "opt_out_text": "STOP to end"}})",
      *hs::send_defaults("resend"));
  BOOST_TEST(c.base_url == "http://127.0.0.1:9");
  BOOST_TEST(c.from == "a@example.com");
  BOOST_TEST(c.rate_per_s == 7.5);
  BOOST_TEST(c.burst == 7.5);  // a rate without a burst: burst = rate
  BOOST_TEST(c.recipient_interval.count() == 100);
  BOOST_TEST(c.max_attempts == 3);
  BOOST_TEST(c.timeout.count() == 2000);
  BOOST_TEST(c.opt_out_text == "STOP to end");
  auto d = hs::read_send_settings("{}", *hs::send_defaults("resend"));
  BOOST_TEST(d.base_url == "https://api.resend.com");
  BOOST_TEST(d.rate_per_s == 2);
}

BOOST_AUTO_TEST_CASE(bad_settings_are_refused_with_the_key) {
  const std::pair<std::string, std::string> cases[] = {
      {R"({"send": {"rate_per_s": 0}})", "rate_per_s"},
      {R"({"send": {"rate_per_s": "fast"}})", "rate_per_s"},
      {R"({"send": {"burst": 0.5}})", "burst"},
      {R"({"send": {"max_attempts": 0}})", "max_attempts"},
      {R"({"send": {"timeout_ms": 5}})", "timeout_ms"},
      {R"({"send": {"bogus": 1}})", "bogus"},
      {R"({"send": {"base_url": "ftp://x"}})", "base_url"},
      {"[]", "not a JSON object"},
  };
  for (const auto& [json, key] : cases) {
    try {
      (void)hs::read_send_settings(json, *hs::send_defaults("resend"));
      BOOST_ERROR("accepted: " << json);
    } catch (const hookline::ConfigError& e) {
      BOOST_TEST(std::string(e.what()).find(key) != std::string::npos, e.what());
    }
  }
  try {
    (void)hs::read_send_settings("{}", *hs::send_defaults("webhook"));
    BOOST_ERROR("a webhook connection without base_url was accepted");
  } catch (const hookline::ConfigError& e) {
    BOOST_TEST(std::string(e.what()).find("base_url") != std::string::npos);
  }
}
