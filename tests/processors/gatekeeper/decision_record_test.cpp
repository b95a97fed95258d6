// approvals.decisions records as the gatekeeper reads them and the CLI writes them, approval
// ids, and the helpers the request gate uses for previews and quiet hours.
#define BOOST_TEST_MODULE gatekeeper_decision_record
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include "core/time_format.h"
#include "processors/gatekeeper/approval_store.h"
#include "processors/gatekeeper/decision_record.h"
#include "processors/gatekeeper/request_gate.h"

using namespace hookline;
using namespace hookline::gatekeeper;

namespace {

const std::string kSlackApprove =
    R"({"schema_version":1,"tenant":"acme","campaign_id":"cmp_2026_spring_sale","decision":"approve",)"
    R"("decided_by":{"slack_user_id":"U0CA5","name":"amy.mcgee"},"decided_at":"2019-01-25T14:26:57.840Z",)"
    R"("source":{"provider":"slack","connection":"main","event_id":"12466734323.1395872398.abcdef012345"}})";

}  // namespace

BOOST_AUTO_TEST_CASE(reads_a_slack_decision) {
  auto d = parse_approval_decision(kSlackApprove);
  BOOST_TEST_REQUIRE(static_cast<bool>(d), (d ? "" : d.error().message));
  BOOST_TEST(d->tenant == "acme");
  BOOST_TEST(d->campaign_id == "cmp_2026_spring_sale");
  BOOST_TEST(d->approve);
  BOOST_TEST(d->slack_user_id == "U0CA5");
  BOOST_TEST(d->decided_by() == "slack:U0CA5");
  BOOST_TEST(d->event_id == "12466734323.1395872398.abcdef012345");
  BOOST_TEST(rfc3339_ms(d->decided_at) == "2019-01-25T14:26:57.840Z");
}

BOOST_AUTO_TEST_CASE(refuses_what_the_schema_refuses_and_says_where) {
  struct Case {
    std::string json;
    std::string says;
  };
  std::string no_source = kSlackApprove.substr(0, kSlackApprove.find(",\"source\"")) + "}";
  std::string bad_decision = kSlackApprove;
  bad_decision.replace(bad_decision.find("\"approve\""), 9, "\"maybe\"");
  std::string far = kSlackApprove;
  far.replace(far.find("2019-01-25"), 10, "9999-01-25");
  std::string nobody = kSlackApprove;
  const std::string who = R"({"slack_user_id":"U0CA5","name":"amy.mcgee"})";
  nobody.replace(nobody.find(who), who.size(), "{}");
  for (const Case& c :
       {Case{"", "not JSON"}, Case{"{\"a\":1", "not JSON"}, Case{no_source, "required"},
        Case{bad_decision, "/decision"}, Case{nobody, "/decided_by"}, Case{"[1,2]", "type"},
        Case{R"({"schema_version":1e300})", "out of range"}, Case{far, "after 2200"}}) {
    auto d = parse_approval_decision(c.json);
    BOOST_TEST_REQUIRE(!static_cast<bool>(d), c.json);
    BOOST_TEST(d.error().message.find(c.says) != std::string::npos, d.error().message);
  }
}

BOOST_AUTO_TEST_CASE(cli_decisions_round_trip) {
  ApprovalDecision d;
  d.tenant = "acme";
  d.campaign_id = "cmp_x";
  d.approve = false;
  d.operator_name = "alice";
  d.decided_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1763805600123));
  d.event_id = "cli.abc";
  auto back = parse_approval_decision(decision_to_json(d));
  BOOST_TEST_REQUIRE(static_cast<bool>(back), (back ? "" : back.error().message));
  BOOST_TEST(!back->approve);
  BOOST_TEST(back->decided_by() == "operator:alice");
  BOOST_TEST(back->provider == "cli");
  BOOST_TEST(rfc3339_ms(back->decided_at) == rfc3339_ms(d.decided_at));
}

BOOST_AUTO_TEST_CASE(approval_keys) {
  BOOST_TEST(approval_key(17) == "apr-17");
  BOOST_TEST(approval_id_from_key("apr-17").value_or(0) == 17);
  BOOST_TEST(approval_id_from_key("17").value_or(0) == 17);
  for (const char* bad :
       {"", "apr-", "apr-0", "apr--1", "apr-1x", "x17", "apr-99999999999999999999"}) {
    BOOST_TEST(!approval_id_from_key(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(previews_prefer_the_campaigns_own_and_cut_at_a_character) {
  sender::SendRequest r;
  r.content.subject = "Spring sale";
  r.content.text = "Everything half price";
  BOOST_TEST(campaign_preview(r) == "Spring sale");
  r.content.subject.clear();
  BOOST_TEST(campaign_preview(r) == "Everything half price");
  r.campaign = sender::Campaign{};
  r.campaign->preview = "Our spring sale starts Monday";
  BOOST_TEST(campaign_preview(r) == "Our spring sale starts Monday");
  r.campaign->preview = std::string(10, 'a') + "\xC3\xA9\xC3\xA9";  // 10 + two 2-byte chars
  const std::string cut = campaign_preview(r, 11);
  BOOST_TEST(cut == std::string(10, 'a') + "\xE2\x80\xA6");
}

BOOST_AUTO_TEST_CASE(not_before_is_set_or_replaced) {
  const auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(1763805600000));
  rapidjson::Document d;
  const std::string added = with_not_before(R"({"id":"a"})", t);
  d.Parse(added.c_str());
  BOOST_TEST(std::string(d["not_before"].GetString()) == rfc3339_ms(t));
  const std::string replaced =
      with_not_before(R"({"id":"a","not_before":"2020-01-01T00:00:00Z"})", t);
  d.Parse(replaced.c_str());
  BOOST_TEST(std::string(d["not_before"].GetString()) == rfc3339_ms(t));
  BOOST_TEST(d.MemberCount() == 2u);
}
