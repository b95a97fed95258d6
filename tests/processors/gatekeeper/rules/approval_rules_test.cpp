// Which approval rules hold for a send request's campaign.
#define BOOST_TEST_MODULE gatekeeper_approval_rules
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "processors/gatekeeper/rules/approval_rules.h"

using namespace hookline::gatekeeper;
namespace hs = hookline::sender;
using Reasons = std::vector<std::string>;

namespace {

hs::SendRequest with_campaign(std::int64_t recipients, double risk, bool sensitive = false,
                              bool ai_drafted = false) {
  hs::SendRequest r;
  r.id = "req-1";
  r.tenant = "acme";
  r.connection = "twilio/main";
  hs::Campaign c;
  c.id = "spring";
  c.recipients = recipients;
  c.risk_score = risk;
  c.sensitive = sensitive;
  c.ai_drafted = ai_drafted;
  r.campaign = c;
  return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_request_without_campaign_never_needs_approval) {
  ApprovalRules rules;
  rules.recipients_over = 0;
  rules.risk_score_over = 0.0;
  rules.first_send = true;
  hs::SendRequest r;
  r.id = "req-1";
  BOOST_TEST(approval_reasons(rules, r, false).empty());
}

BOOST_AUTO_TEST_CASE(the_defaults) {
  const ApprovalRules rules;
  BOOST_TEST(approval_reasons(rules, with_campaign(1000, 0.7), false).empty());
  BOOST_TEST(
      (approval_reasons(rules, with_campaign(1001, 0.7), false) == Reasons{"recipients_over"}));
  BOOST_TEST((approval_reasons(rules, with_campaign(5, 0.71), true) == Reasons{"risk_score_over"}));
  BOOST_TEST((approval_reasons(rules, with_campaign(5, 0, true), true) == Reasons{"sensitive"}));
  BOOST_TEST(
      (approval_reasons(rules, with_campaign(5, 0, false, true), true) == Reasons{"ai_drafted"}));
}

BOOST_AUTO_TEST_CASE(every_reason_in_order) {
  ApprovalRules rules;
  rules.first_send = true;
  BOOST_TEST(
      (approval_reasons(rules, with_campaign(5000, 0.9, true, true), false) ==
       Reasons{"recipients_over", "risk_score_over", "sensitive", "ai_drafted", "first_send"}));
  // Seen before: no first_send.
  BOOST_TEST((approval_reasons(rules, with_campaign(5000, 0.9, true, true), true) ==
              Reasons{"recipients_over", "risk_score_over", "sensitive", "ai_drafted"}));
  BOOST_TEST((approval_reasons(rules, with_campaign(1, 0), false) == Reasons{"first_send"}));
}

BOOST_AUTO_TEST_CASE(rules_turned_off_never_hold) {
  ApprovalRules rules;
  rules.recipients_over = std::nullopt;
  rules.risk_score_over = std::nullopt;
  rules.sensitive = false;
  rules.ai_drafted = false;
  rules.first_send = false;
  BOOST_TEST(approval_reasons(rules, with_campaign(1000000, 1.0, true, true), false).empty());
}

BOOST_AUTO_TEST_CASE(a_zero_threshold_holds_for_every_campaign) {
  ApprovalRules rules;
  rules.recipients_over = 0;
  rules.risk_score_over = 0.0;
  BOOST_TEST((approval_reasons(rules, with_campaign(1, 0.01), true) ==
              Reasons{"recipients_over", "risk_score_over"}));
  BOOST_TEST((approval_reasons(rules, with_campaign(1, 0.0), true) == Reasons{"recipients_over"}));
}
