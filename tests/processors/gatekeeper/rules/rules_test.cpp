// Loading topology/rules.json: defaults, the shipped file, tenant overrides and errors that
// name the file and the key.
#define BOOST_TEST_MODULE gatekeeper_rules
#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

#include "core/json_reader.h"
#include "processors/gatekeeper/rules/rules.h"

using namespace hookline::gatekeeper;
using hookline::ConfigError;
using namespace std::chrono_literals;

namespace {

const std::string kOrigin = "rules.json";

void check_same(const ApprovalRules& a, const ApprovalRules& b) {
  BOOST_TEST((a.recipients_over == b.recipients_over));
  BOOST_TEST((a.risk_score_over == b.risk_score_over));
  BOOST_TEST(a.sensitive == b.sensitive);
  BOOST_TEST(a.ai_drafted == b.ai_drafted);
  BOOST_TEST(a.first_send == b.first_send);
  BOOST_TEST(a.expires_after.count() == b.expires_after.count());
  BOOST_TEST(a.release_batch == b.release_batch);
  BOOST_TEST((a.approver_slack_user_ids == b.approver_slack_user_ids));
}

// The ConfigError message parse_rules throws for `json`, or "" when it loads.
std::string error_of(const std::string& json) {
  try {
    parse_rules(json, kOrigin);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(names_read_back) {
  for (auto s : {Scope::all, Scope::marketing, Scope::transactional}) {
    BOOST_TEST((scope_named(to_string(s)) == s));
  }
  for (auto s :
       {ConsentSource::inbound_stop, ConsentSource::inbound_start, ConsentSource::unsubscribe_link,
        ConsentSource::resubscribe, ConsentSource::bounce, ConsentSource::complaint,
        ConsentSource::api, ConsentSource::import_, ConsentSource::erasure}) {
    BOOST_TEST((consent_source_named(to_string(s)) == s));
  }
  BOOST_TEST(std::string(to_string(ConsentSource::import_)) == "import");
  BOOST_TEST(!consent_source_named("import_").has_value());
  BOOST_TEST(!scope_named("everything").has_value());
}

BOOST_AUTO_TEST_CASE(an_empty_file_gives_the_defaults) {
  const Rules r = parse_rules("{}", kOrigin);
  const Rules d;
  BOOST_TEST(r.source == kOrigin);
  BOOST_TEST((r.consent.channels == d.consent.channels));
  BOOST_TEST((r.consent.opt_out_scope == d.consent.opt_out_scope));
  BOOST_TEST((r.consent.opt_in_scope == d.consent.opt_in_scope));
  BOOST_TEST(r.consent.stop_confirmation_window.count() == 86400);
  BOOST_TEST(!r.quiet_hours.has_value());
  check_same(r.approval, d.approval);
  BOOST_TEST(r.approval.slack_connection.empty());
  BOOST_TEST(r.tenants.empty());
  BOOST_TEST(r.quiet_hours_for("acme") == nullptr);
}

BOOST_AUTO_TEST_CASE(the_shipped_file_states_the_defaults) {
  const Rules r = load_rules(std::string(HOOKLINE_SOURCE_DIR) + "/topology/rules.json");
  const Rules d;
  BOOST_TEST((r.consent.channels == d.consent.channels));
  BOOST_TEST(r.consent.marketing_requires_opt_in == d.consent.marketing_requires_opt_in);
  BOOST_TEST((r.consent.opt_out_scope == d.consent.opt_out_scope));
  BOOST_TEST((r.consent.opt_in_scope == d.consent.opt_in_scope));
  BOOST_TEST(r.consent.stop_confirmation_window.count() ==
             d.consent.stop_confirmation_window.count());
  BOOST_TEST(!r.quiet_hours.has_value());
  check_same(r.approval, d.approval);
  BOOST_TEST(r.approval.slack_connection == "slack/approvals");
  BOOST_TEST(r.approval.slack_channel == "C0APPROVALS");
  BOOST_TEST(r.tenants.empty());
}

BOOST_AUTO_TEST_CASE(every_member_reads) {
  const Rules r = parse_rules(R"({
    "$comment": "top",
    "consent": {"$comment": "c", "channels": ["sms", "webhook"],
                "marketing_requires_opt_in": false,
                "opt_out_scope": {"$comment": "m", "unsubscribe_link": "all"},
                "opt_in_scope": {"api": "all"},
                "stop_confirmation_window": "0"},
    "quiet_hours": {"start": "22:30", "end": "07:15", "utc_offset": "-05:30",
                    "purposes": ["marketing", "transactional"]},
    "approval": {"recipients_over": null, "risk_score_over": 0.25, "sensitive": false,
                 "ai_drafted": false, "first_send": true, "expires_after": "1h30m",
                 "release_batch": 10000, "approvers": ["U0AAA", "W0BBB"],
                 "slack": {"$comment": "s", "connection": "slack/ops-1", "channel": "G0OPS"}}
  })",
                              kOrigin);
  BOOST_TEST((r.consent.channels == std::set<std::string>{"sms", "webhook"}));
  BOOST_TEST(!r.consent.marketing_requires_opt_in);
  // A map entry replaces the default's one; the others stay.
  BOOST_TEST((r.consent.opt_out_scope.at(ConsentSource::unsubscribe_link) == Scope::all));
  BOOST_TEST((r.consent.opt_out_scope.at(ConsentSource::inbound_stop) == Scope::all));
  BOOST_TEST((r.consent.opt_out_scope.at(ConsentSource::api) == Scope::marketing));
  BOOST_TEST((r.consent.opt_in_scope.at(ConsentSource::api) == Scope::all));
  BOOST_TEST(r.consent.stop_confirmation_window.count() == 0);
  BOOST_TEST_REQUIRE(r.quiet_hours.has_value());
  BOOST_TEST(r.quiet_hours->start_minute == 22 * 60 + 30);
  BOOST_TEST(r.quiet_hours->end_minute == 7 * 60 + 15);
  BOOST_TEST(r.quiet_hours->utc_offset_minutes == -330);
  BOOST_TEST(r.quiet_hours->purposes.size() == 2U);
  BOOST_TEST(!r.approval.recipients_over.has_value());
  BOOST_TEST(r.approval.risk_score_over.value() == 0.25);
  BOOST_TEST(!r.approval.sensitive);
  BOOST_TEST(!r.approval.ai_drafted);
  BOOST_TEST(r.approval.first_send);
  BOOST_TEST(r.approval.expires_after.count() == 5400);
  BOOST_TEST(r.approval.release_batch == 10000);
  BOOST_TEST((r.approval.approver_slack_user_ids == std::set<std::string>{"U0AAA", "W0BBB"}));
  BOOST_TEST(r.approval.slack_connection == "slack/ops-1");
  BOOST_TEST(r.approval.slack_channel == "G0OPS");
  // Quiet-hours members not given keep the defaults.
  const Rules partial = parse_rules(R"({"quiet_hours": {"utc_offset": "+01:00"}})", kOrigin);
  BOOST_TEST_REQUIRE(partial.quiet_hours.has_value());
  BOOST_TEST(partial.quiet_hours->start_minute == 21 * 60);
  BOOST_TEST(partial.quiet_hours->end_minute == 8 * 60);
  BOOST_TEST(partial.quiet_hours->utc_offset_minutes == 60);
  BOOST_TEST((partial.quiet_hours->purposes == std::set<std::string>{"marketing"}));
}

BOOST_AUTO_TEST_CASE(tenants_override_member_by_member) {
  const Rules r = parse_rules(R"({
    "quiet_hours": {"start": "20:00", "end": "09:00", "utc_offset": "+01:00"},
    "approval": {"recipients_over": 500, "risk_score_over": 0.5, "first_send": true,
                 "approvers": ["U0LEAD"],
                 "slack": {"connection": "slack/approvals", "channel": "C0MAIN"}},
    "tenants": {
      "$comment": "per tenant",
      "acme": {"$comment": "a", "approval": {"recipients_over": 50, "slack": {"channel": "C0ACME"}},
               "quiet_hours": {"utc_offset": "-05:00"}},
      "globex": {"quiet_hours": null, "approval": {"risk_score_over": null}},
      "initech": {"approval": {"slack": null}},
      "umbrella": {}
    }
  })",
                              kOrigin);
  BOOST_TEST(r.tenants.size() == 4U);

  const ApprovalRules& acme = r.approval_for("acme");
  BOOST_TEST(acme.recipients_over.value() == 50);
  BOOST_TEST(acme.risk_score_over.value() == 0.5);  // inherited
  BOOST_TEST(acme.first_send);                      // inherited
  BOOST_TEST((acme.approver_slack_user_ids == std::set<std::string>{"U0LEAD"}));
  BOOST_TEST(acme.slack_connection == "slack/approvals");  // inherited member of slack
  BOOST_TEST(acme.slack_channel == "C0ACME");
  const QuietHours* acme_quiet = r.quiet_hours_for("acme");
  BOOST_TEST_REQUIRE(acme_quiet != nullptr);
  BOOST_TEST(acme_quiet->start_minute == 20 * 60);  // inherited from the top level
  BOOST_TEST(acme_quiet->utc_offset_minutes == -300);

  BOOST_TEST(!r.approval_for("globex").risk_score_over.has_value());
  BOOST_TEST(r.approval_for("globex").recipients_over.value() == 500);
  BOOST_TEST(r.quiet_hours_for("globex") == nullptr);

  BOOST_TEST(r.approval_for("initech").slack_connection.empty());
  BOOST_TEST(r.approval_for("initech").slack_channel.empty());

  // A tenant with an empty section, and one not named at all, get the top level.
  for (const char* t : {"umbrella", "unknown"}) {
    check_same(r.approval_for(t), r.approval);
    BOOST_TEST(r.approval_for(t).slack_channel == "C0MAIN");
    BOOST_TEST_REQUIRE(r.quiet_hours_for(t) != nullptr);
    BOOST_TEST(r.quiet_hours_for(t)->utc_offset_minutes == 60);
  }
}

BOOST_AUTO_TEST_CASE(a_tenant_can_have_quiet_hours_without_top_level_ones) {
  const Rules r =
      parse_rules(R"({"tenants": {"acme": {"quiet_hours": {"end": "07:00"}}}})", kOrigin);
  BOOST_TEST(r.quiet_hours_for("other") == nullptr);
  const QuietHours* q = r.quiet_hours_for("acme");
  BOOST_TEST_REQUIRE(q != nullptr);
  BOOST_TEST(q->start_minute == 21 * 60);
  BOOST_TEST(q->end_minute == 7 * 60);
}

BOOST_AUTO_TEST_CASE(errors_name_the_file_and_the_key) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"consent": {"chanels": []}})", "'consent.chanels': unknown key"},
      {R"({"extra": 1})", "'extra': unknown key"},
      {R"({"$comment": 5})", "'$comment': must be a string"},
      {R"({"consent": {"channels": ["fax"]}})", "'consent.channels': unknown channel 'fax'"},
      {R"({"consent": {"channels": "sms"}})", "'consent.channels': must be an array of strings"},
      {R"({"consent": {"marketing_requires_opt_in": "yes"}})",
       "'consent.marketing_requires_opt_in': must be true or false"},
      {R"({"consent": {"opt_out_scope": {"inbound_start": "all"}}})",
       "'consent.opt_out_scope.inbound_start': unknown consent source"},
      {R"({"consent": {"opt_in_scope": {"bounce": "all"}}})",
       "'consent.opt_in_scope.bounce': unknown consent source"},
      {R"({"consent": {"opt_out_scope": {"bounce": "some"}}})",
       "'consent.opt_out_scope.bounce': must be \"all\""},
      {R"({"consent": {"opt_out_scope": {"bounce": 1}}})",
       "'consent.opt_out_scope.bounce': must be \"all\""},
      {R"({"consent": {"opt_out_scope": []}})", "consent.opt_out_scope must be a JSON object"},
      {R"({"consent": {"stop_confirmation_window": "1 day"}})",
       "'consent.stop_confirmation_window': must be a duration"},
      {R"({"consent": {"stop_confirmation_window": "8d"}})",
       "'consent.stop_confirmation_window': must be between 0s and 7d"},
      {R"({"consent": {"stop_confirmation_window": 3600}})",
       "'consent.stop_confirmation_window': must be a string"},
      {R"({"quiet_hours": {"start": "9pm"}})", "'quiet_hours.start': must be a local time"},
      {R"({"quiet_hours": {"end": "24:00"}})", "'quiet_hours.end': must be a local time"},
      {R"({"quiet_hours": {"start": "08:00"}})", "'quiet_hours.end': must differ from start"},
      {R"({"quiet_hours": {"utc_offset": "+25:00"}})", "'quiet_hours.utc_offset': must be"},
      {R"({"quiet_hours": {"purposes": ["promo"]}})",
       "'quiet_hours.purposes': unknown purpose 'promo'"},
      {R"({"quiet_hours": {"purposes": []}})",
       "'quiet_hours.purposes': must name at least one purpose"},
      {R"({"quiet_hours": {"begin": "21:00"}})", "'quiet_hours.begin': unknown key"},
      {R"({"quiet_hours": "21:00-08:00"})", "quiet_hours must be a JSON object"},
      {R"({"approval": {"recipients_over": -1}})",
       "'approval.recipients_over': must be between 0 and"},
      {R"({"approval": {"recipients_over": 10.5}})",
       "'approval.recipients_over': must be an integer"},
      {R"({"approval": {"risk_score_over": 1.5}})",
       "'approval.risk_score_over': must be between 0 and 1"},
      {R"({"approval": {"risk_score_over": "high"}})",
       "'approval.risk_score_over': must be a number"},
      {R"({"approval": {"sensitive": 1}})", "'approval.sensitive': must be true or false"},
      {R"({"approval": {"expires_after": "31d"}})",
       "'approval.expires_after': must be between 1s and 30d"},
      {R"({"approval": {"expires_after": "24"}})", "'approval.expires_after': must be a duration"},
      {R"({"approval": {"release_batch": 0}})",
       "'approval.release_batch': must be between 1 and 10000"},
      {R"({"approval": {"release_batch": 10001}})", "'approval.release_batch': must be between"},
      {R"({"approval": {"approvers": ["alice"]}})",
       "'approval.approvers': 'alice' is not a Slack user id"},
      {R"({"approval": {"slack": {"connection": "teams/x", "channel": "C1"}}})",
       "'approval.slack.connection': must name a Slack connection"},
      {R"({"approval": {"slack": {"connection": "slack/", "channel": "C1"}}})",
       "'approval.slack.connection': must name a Slack connection"},
      {R"({"approval": {"slack": {"connection": "slack/a", "channel": "#approvals"}}})",
       "'approval.slack.channel': must be a Slack channel id"},
      {R"({"approval": {"slack": {"connection": "slack/a"}}})",
       "'approval.slack': needs both connection and channel"},
      {R"({"approval": {"slack": {"connection": "slack/a", "channel": "C1", "team": "T1"}}})",
       "'approval.slack.team': unknown key"},
      {R"({"tenants": []})", "tenants must be a JSON object"},
      {R"({"tenants": {"a b": {}}})", "'tenants.a b': is not a tenant id"},
      {R"({"tenants": {"acme": []}})", "tenants.acme must be a JSON object"},
      {R"({"tenants": {"acme": {"consent": {}}}})", "'tenants.acme.consent': unknown key"},
      {R"({"tenants": {"acme": {"approval": {"release_batch": "all"}}}})",
       "'tenants.acme.approval.release_batch': must be an integer"},
      {R"({"tenants": {"acme": {"approval": {"slack": {"connection": "slack/other"}}}}})",
       "'tenants.acme.approval.slack': needs both connection and channel"},
      {R"({"tenants": {"acme": {"quiet_hours": {"start": "25:00"}}}})",
       "'tenants.acme.quiet_hours.start': must be a local time"},
      {"{\"approval\": ", "rules.json:1:14: invalid JSON"},
  };
  for (const auto& [json, expected] : cases) {
    const std::string message = error_of(json);
    BOOST_TEST_CONTEXT(json) {
      BOOST_TEST(message.starts_with(kOrigin + ":"), message);
      BOOST_TEST(message.find(expected) != std::string::npos, message);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_an_error) {
  BOOST_CHECK_EXCEPTION(
      load_rules("/nonexistent/rules.json"), ConfigError, [](const ConfigError& e) {
        return std::string(e.what()).find("/nonexistent/rules.json") != std::string::npos;
      });
}
