// The gatekeeper end to end on the dev broker and a throw-away Postgres, with the ingest, the
// normalizer, the sender and the provider simulator: consent suppression, a Twilio STOP through
// the ingest, a 5,000-recipient campaign approved with a signed Slack click, deny and expiry,
// consent withdrawn after approval, and a gatekeeper killed half-way through a release.
#define BOOST_TEST_MODULE gatekeeper
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <rapidjson/document.h>
#include <pqxx/pqxx>

#include "core/time_format.h"
#include "tests/support/pipeline_stack.h"
#include "tests/support/webhook_signer.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

const std::string kCampaign = "cmp_2026_spring_sale";  // the Slack fixtures' button value

// Rules: the shipped defaults, approvals posted with slack/main (the ingest stack's Slack
// connection, tenant acme) to channel C0CA5.
std::string rules(const std::string& expires_after = "24h", int release_batch = 500) {
  return R"({"consent": {}, "quiet_hours": null, "approval": {"expires_after": ")" + expires_after +
         R"(", "release_batch": )" + std::to_string(release_batch) +
         R"(, "slack": {"connection": "slack/main", "channel": "C0CA5"}}, "tenants": {}})";
}

const std::string kResendSettings = R"({"from": "news@example.com", "rate_per_s": 100000})";
const std::string kTwilioSettings =
    R"({"account_sid": "ACtest", "from": "+15005550006", "rate_per_s": 100000, "recipient_interval_ms": 0})";
const std::string kSlackSettings = R"({"rate_per_s": 100})";

void enable_all(test::PipelineStack& s) {
  s.enable_sending("resend", "main", "re_key_main", kResendSettings);
  s.enable_sending("twilio", "main", "twilio-auth-token", kTwilioSettings);
  s.enable_sending("slack", "main", "xoxb-approvals", kSlackSettings);
}

std::string email_request(const std::string& id, const std::string& address,
                          const std::string& extra = "") {
  return R"({"schema_version":1,"id":")" + id +
         R"(","tenant":"acme","connection":"resend/main","channel":"email","purpose":"transactional","contact":{"id":"c-)" +
         id + R"(","address":")" + address +
         R"("},"content":{"subject":"Spring sale","text":"Everything half price"})" +
         (extra.empty() ? "" : "," + extra) + "}";
}

std::string campaign(const std::string& id, int recipients, const std::string& more = "") {
  return R"("campaign":{"id":")" + id + R"(","name":"Spring sale","recipients":)" +
         std::to_string(recipients) + more + "}";
}

// Results by request id: ce_type and reason.
struct Result {
  std::string type;
  std::string reason;
};
std::multimap<std::string, Result> results(test::PipelineStack& s) {
  std::multimap<std::string, Result> out;
  for (const auto& r : s.read("outbound.results")) {
    rapidjson::Document d;
    d.Parse(r.value.data(), r.value.size());
    std::string reason = d.IsObject() && d.HasMember("reason") ? d["reason"].GetString() : "";
    out.emplace(r.key.value_or(""), Result{r.header("ce_type"), reason});
  }
  return out;
}

std::optional<Result> result_of(test::PipelineStack& s, const std::string& id,
                                const std::string& type_prefix = "com.hookline.send.") {
  auto all = results(s);
  for (auto [it, end] = all.equal_range(id); it != end; ++it) {
    if (it->second.type.starts_with(type_prefix) && it->second.type != "com.hookline.send.retrying")
      return it->second;
  }
  return std::nullopt;
}

std::vector<test::SimRequest> sim_requests(test::PipelineStack& s, const std::string& provider) {
  test::SimQuery q;
  q.provider = provider;
  return s.sim().requests(q);
}

// Request ids the simulator received from Resend (its idempotency key), with counts.
std::map<std::string, int> resend_ids(test::PipelineStack& s) {
  std::map<std::string, int> n;
  for (const auto& r : sim_requests(s, "resend")) {
    auto it = r.headers.find("idempotency-key");
    ++n[it == r.headers.end() ? std::string() : it->second];
  }
  return n;
}

int sms_to(test::PipelineStack& s, const std::string& number) {
  int n = 0;
  std::string encoded = "To=%2B" + number.substr(1);
  for (const auto& r : sim_requests(s, "twilio")) {
    if (r.body.find(encoded) != std::string::npos) ++n;
  }
  return n;
}

std::string fixture_body(const std::string& path) {
  std::ifstream f(test::source("tests/fixtures/deliveries/" + path));
  std::stringstream ss;
  ss << f.rdbuf();
  rapidjson::Document d;
  const std::string text = ss.str();
  d.Parse(text.data(), text.size());
  BOOST_TEST_REQUIRE(d.IsObject());
  return d["body"].GetString();
}

int post_fixture(test::PipelineStack& s, const std::string& provider, const std::string& path,
                 const std::string& content_type) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  auto r = test::sign_body(provider, "main", s.ingest().secrets_for(provider), fixture_body(path),
                           content_type, {}, s.ingest().base_url(), now);
  return s.post(r);
}

std::int64_t count(test::PipelineStack& s, const std::string& sql) {
  auto conn = pqxx::connection(s.env().at("HOOKLINE_DATABASE_URL"));
  pqxx::nontransaction tx(conn);
  return tx.exec1(sql)[0].as<std::int64_t>();
}

std::string approval_id(test::PipelineStack& s, const std::string& campaign_id) {
  return "apr-" + std::to_string(count(
                      s, "SELECT id FROM approvals WHERE campaign_id = '" + campaign_id + "'"));
}

void publish_campaign(test::PipelineStack& s, const std::string& prefix, int n,
                      const std::string& campaign_json, const std::string& extra = "") {
  std::vector<std::pair<std::string, std::string>> v;
  for (int i = 0; i < n; ++i) {
    const std::string id = prefix + std::to_string(i);
    v.emplace_back("resend/main",
                   email_request(id, "user" + std::to_string(i) + "@example.com",
                                 campaign_json + (extra.empty() ? "" : "," + extra)));
  }
  s.publish(v);
}

}  // namespace

BOOST_AUTO_TEST_CASE(consent_suppresses_and_a_twilio_stop_through_the_ingest_blocks_later_sms) {
  test::PipelineStack s;
  enable_all(s);
  s.start_normalizer();
  s.start_gatekeeper();
  s.start_sender();

  // Marketing SMS without an opt-in: suppressed with its reason, never sent.
  s.publish({{"twilio/main", test::sms_request("mkt-1", "+14155550199", "marketing")}});
  BOOST_TEST_REQUIRE(test::eventually([&] { return result_of(s, "mkt-1").has_value(); }));
  BOOST_TEST(result_of(s, "mkt-1")->type == "com.hookline.send.suppressed");
  BOOST_TEST(result_of(s, "mkt-1")->reason == "no_opt_in");

  // With an opt-in recorded through the CLI, the same kind of message goes.
  auto set = s.cli({"consent", "set", "--tenant", "acme", "--contact", "+14155550199", "--channel",
                    "sms", "--status", "opted_in", "--purpose", "marketing", "--by", "test"});
  BOOST_TEST_REQUIRE(set.exit_code == 0, set.err);
  s.publish({{"twilio/main", test::sms_request("mkt-2", "+14155550199", "marketing")}});
  BOOST_TEST_REQUIRE(test::eventually([&] { return result_of(s, "mkt-2").has_value(); }));
  BOOST_TEST(result_of(s, "mkt-2")->type == "com.hookline.send.succeeded");

  // A transactional SMS to the number that will text STOP: sent.
  s.publish({{"twilio/main", test::sms_request("tx-1", "+14155550123", "transactional")}});
  BOOST_TEST_REQUIRE(test::eventually([&] { return sms_to(s, "+14155550123") == 1; }));

  // The contact texts " stop " (Twilio's inbound webhook, signed, through the ingest).
  BOOST_TEST_REQUIRE(post_fixture(s, "twilio", "twilio/inbound_stop.json",
                                  "application/x-www-form-urlencoded") == 200);
  BOOST_TEST_REQUIRE(test::eventually([&] {
    auto r = s.cli({"consent", "get", "--tenant", "acme", "--contact", "+14155550123"});
    return r.exit_code == 0 && r.out.find("opted_out") != std::string::npos;
  }));

  // Later SMS to that number, transactional or marketing, are suppressed (stop_keyword).
  s.publish({{"twilio/main", test::sms_request("tx-2", "+14155550123", "transactional")},
             {"twilio/main", test::sms_request("mkt-3", "+14155550123", "marketing")}});
  BOOST_TEST_REQUIRE(test::eventually(
      [&] { return result_of(s, "tx-2").has_value() && result_of(s, "mkt-3").has_value(); }));
  BOOST_TEST(result_of(s, "tx-2")->type == "com.hookline.send.suppressed");
  BOOST_TEST(result_of(s, "tx-2")->reason == "stop_keyword");
  BOOST_TEST(result_of(s, "mkt-3")->type == "com.hookline.send.suppressed");
  // Only the single confirmation may still go.
  s.publish({{"twilio/main", test::sms_request("conf-1", "+14155550123", "transactional",
                                               R"("kind":"opt_out_confirmation")")},
             {"twilio/main", test::sms_request("conf-2", "+14155550123", "transactional",
                                               R"("kind":"opt_out_confirmation")")}});
  BOOST_TEST_REQUIRE(test::eventually(
      [&] { return result_of(s, "conf-1").has_value() && result_of(s, "conf-2").has_value(); }));
  BOOST_TEST(result_of(s, "conf-1")->type == "com.hookline.send.succeeded");
  BOOST_TEST(result_of(s, "conf-2")->reason == "confirmation_already_sent");
  BOOST_TEST(sms_to(s, "+14155550123") == 2);  // tx-1 and the confirmation

  // Every decision is audited without addresses.
  BOOST_TEST(count(s,
                   "SELECT count(*) FROM audit_log WHERE actor = 'hookline-gatekeeper' AND "
                   "details::text LIKE '%4155550123%'") == 0);
  BOOST_TEST(count(s, "SELECT count(*) FROM audit_log WHERE action = 'send.suppressed'") >= 3);
  auto m = s.gatekeeper_metrics();
  BOOST_TEST(
      m.find(
          "hookline_gatekeeper_decisions_total{outcome=\"suppressed\",reason=\"stop_keyword\"}") !=
      std::string::npos);
  BOOST_TEST(s.stop_gatekeeper() == 0);
}

BOOST_AUTO_TEST_CASE(campaign_of_5000_waits_for_one_slack_approval_then_sends_each_once) {
  test::PipelineStack s(rules());
  enable_all(s);
  s.start_normalizer();
  s.start_gatekeeper();
  s.start_sender();

  constexpr int kRecipients = 5000;
  publish_campaign(s, "cmp-", kRecipients, campaign(kCampaign, kRecipients));
  // Every message is held; exactly one approval request reaches Slack (the simulator).
  BOOST_TEST_REQUIRE(test::eventually(
      [&] {
        return count(s, "SELECT count(*) FROM held_messages WHERE status = 'held'") == kRecipients;
      },
      180s));
  BOOST_TEST_REQUIRE(test::eventually([&] { return sim_requests(s, "slack").size() == 1; }));
  auto posted = sim_requests(s, "slack").at(0);
  BOOST_TEST(posted.body.find("hookline.approve") != std::string::npos);
  BOOST_TEST(posted.body.find("hookline.deny") != std::string::npos);
  BOOST_TEST(posted.body.find(kCampaign) != std::string::npos);
  BOOST_TEST(s.read("approvals.requests").size() == 1u);
  BOOST_TEST(sim_requests(s, "resend").empty());

  // A person clicks Approve in Slack: a signed block_actions interaction through the ingest.
  BOOST_TEST_REQUIRE(post_fixture(s, "slack", "slack/block_actions_approve.json",
                                  "application/x-www-form-urlencoded") == 200);
  BOOST_TEST_REQUIRE(test::eventually([&] { return resend_ids(s).size() == kRecipients; }, 300s));
  auto ids = resend_ids(s);
  int repeated = 0;
  for (const auto& [id, n] : ids) repeated += n > 1 ? 1 : 0;
  BOOST_TEST(repeated == 0);
  BOOST_TEST(ids.begin()->first.starts_with("cmp-"));
  BOOST_TEST(sim_requests(s, "slack").size() == 1u);
  BOOST_TEST(count(s,
                   "SELECT count(*) FROM approvals WHERE status = 'approved' AND decided_by = "
                   "'slack:U0CA5'") == 1);
  // The same click again (Slack retries) changes nothing.
  BOOST_TEST(post_fixture(s, "slack", "slack/block_actions_approve.json",
                          "application/x-www-form-urlencoded") == 200);
  auto m = s.gatekeeper_metrics();
  BOOST_TEST(m.find("hookline_gatekeeper_approvals_total{status=\"approved\"} 1") !=
             std::string::npos);
  BOOST_TEST(s.stop_gatekeeper() == 0);
}

int slack_posts_for(test::PipelineStack& s, const std::string& campaign_id) {
  int n = 0;
  for (const auto& r : sim_requests(s, "slack")) n += r.body.find(campaign_id) != std::string::npos;
  return n;
}

BOOST_AUTO_TEST_CASE(deny_sends_nothing) {
  test::PipelineStack s(rules());
  enable_all(s);
  s.start_gatekeeper();
  s.start_sender();

  publish_campaign(s, "deny-", 20, campaign("cmp_denied", 5000));
  BOOST_TEST_REQUIRE(test::eventually([&] {
    return count(s,
                 "SELECT count(*) FROM held_messages h JOIN approvals a ON a.id = "
                 "h.approval_id WHERE a.campaign_id = 'cmp_denied'") == 20;
  }));
  BOOST_TEST_REQUIRE(test::eventually([&] { return slack_posts_for(s, "cmp_denied") == 1; }));
  auto deny = s.cli({"approvals", "deny", approval_id(s, "cmp_denied"), "--by", "alice"});
  BOOST_TEST_REQUIRE(deny.exit_code == 0, deny.err);
  BOOST_TEST_REQUIRE(test::eventually([&] {
    for (int i = 0; i < 20; ++i) {
      auto r = result_of(s, "deny-" + std::to_string(i));
      if (!r || r->type != "com.hookline.send.denied") return false;
    }
    return true;
  }));
  // Deciding again is refused by the CLI (the gatekeeper would record and ignore it).
  auto again = s.cli({"approvals", "approve", approval_id(s, "cmp_denied"), "--by", "bob"});
  BOOST_TEST(again.exit_code == 1);
  BOOST_TEST(again.err.find("already denied") != std::string::npos);
  // Decisions that reach the gatekeeper anyway (a Slack click after the CLI decided, a campaign
  // nobody holds) are recorded with their outcome and change nothing.
  auto decision = [](const std::string& campaign_id, const std::string& event_id) {
    return R"({"schema_version":1,"tenant":"acme","campaign_id":")" + campaign_id +
           R"(","decision":"approve","decided_by":{"slack_user_id":"U0CA5"},)"
           R"("decided_at":"2026-11-22T10:00:00.000Z","source":{"provider":"slack","event_id":")" +
           event_id + R"("}})";
  };
  s.publish({{"cmp_denied", decision("cmp_denied", "late-click")},
             {"cmp_nobody", decision("cmp_nobody", "stray-click")}},
            "approvals.decisions");
  BOOST_TEST_REQUIRE(test::eventually([&] {
    return count(s,
                 "SELECT count(*) FROM approval_decisions WHERE event_id IN ('late-click', "
                 "'stray-click')") == 2;
  }));
  BOOST_TEST(count(s,
                   "SELECT count(*) FROM approval_decisions WHERE event_id = 'late-click' "
                   "AND outcome = 'already_decided'") == 1);
  BOOST_TEST(count(s,
                   "SELECT count(*) FROM approval_decisions WHERE event_id = 'stray-click' "
                   "AND outcome = 'unknown_approval'") == 1);
  BOOST_TEST(count(s,
                   "SELECT count(*) FROM approvals WHERE campaign_id = 'cmp_denied' AND "
                   "status = 'denied'") == 1);
  // A later message of the denied campaign is denied at once.
  publish_campaign(s, "late-", 1, campaign("cmp_denied", 5000));
  BOOST_TEST_REQUIRE(test::eventually([&] { return result_of(s, "late-0").has_value(); }));
  BOOST_TEST(result_of(s, "late-0")->type == "com.hookline.send.denied");
  BOOST_TEST(sim_requests(s, "resend").empty());
  BOOST_TEST(slack_posts_for(s, "cmp_denied") == 1);
  BOOST_TEST(s.stop_gatekeeper() == 0);
}

BOOST_AUTO_TEST_CASE(expiry_sends_nothing) {
  test::PipelineStack s(rules("3s"));
  enable_all(s);
  s.start_gatekeeper();
  s.start_sender();

  // Nobody decides within 3 s.
  publish_campaign(s, "exp-", 10, campaign("cmp_expiring", 10, R"(,"sensitive":true)"));
  BOOST_TEST_REQUIRE(test::eventually(
      [&] {
        for (int i = 0; i < 10; ++i) {
          auto r = result_of(s, "exp-" + std::to_string(i));
          if (!r || r->type != "com.hookline.send.expired") return false;
        }
        return true;
      },
      60s));
  BOOST_TEST(count(s,
                   "SELECT count(*) FROM approvals WHERE campaign_id = 'cmp_expiring' AND "
                   "status = 'expired'") == 1);
  BOOST_TEST(sim_requests(s, "resend").empty());
  // Its approval request was posted at most once (never after it expired).
  BOOST_TEST(slack_posts_for(s, "cmp_expiring") <= 1);
  auto late = s.cli({"approvals", "approve", approval_id(s, "cmp_expiring"), "--by", "bob"});
  BOOST_TEST(late.exit_code == 1);
  BOOST_TEST(late.err.find("already expired") != std::string::npos);
  BOOST_TEST(s.stop_gatekeeper() == 0);
}

BOOST_AUTO_TEST_CASE(consent_withdrawn_after_approval_is_honoured_by_the_sender) {
  test::PipelineStack s(rules());
  enable_all(s);
  s.start_gatekeeper();
  s.start_sender();

  // Three messages of a sensitive campaign, scheduled 20 s ahead.
  const auto later = std::chrono::system_clock::now() + 20s;
  const std::string not_before = "\"not_before\":\"" + rfc3339_ms(later) + "\"";
  publish_campaign(s, "wd-", 3, campaign("cmp_withdrawn", 3, R"(,"sensitive":true)"), not_before);
  BOOST_TEST_REQUIRE(test::eventually(
      [&] { return count(s, "SELECT count(*) FROM held_messages WHERE status = 'held'") == 3; }));
  auto approve = s.cli({"approvals", "approve", approval_id(s, "cmp_withdrawn"), "--by", "alice"});
  BOOST_TEST_REQUIRE(approve.exit_code == 0, approve.err);
  BOOST_TEST_REQUIRE(test::eventually([&] { return s.read("outbound.approved").size() == 3; }));
  // Approved and on its way; now user0 unsubscribes from everything on email.
  auto out =
      s.cli({"consent", "set", "--tenant", "acme", "--contact", "user0@example.com", "--channel",
             "email", "--status", "opted_out", "--purpose", "all", "--by", "test"});
  BOOST_TEST_REQUIRE(out.exit_code == 0, out.err);
  BOOST_TEST_REQUIRE(test::eventually(
      [&] {
        return result_of(s, "wd-0").has_value() && result_of(s, "wd-1").has_value() &&
               result_of(s, "wd-2").has_value();
      },
      90s));
  BOOST_TEST(result_of(s, "wd-0")->type == "com.hookline.send.suppressed");
  BOOST_TEST(result_of(s, "wd-1")->type == "com.hookline.send.succeeded");
  BOOST_TEST(result_of(s, "wd-2")->type == "com.hookline.send.succeeded");
  auto ids = resend_ids(s);
  BOOST_TEST(!ids.contains("wd-0"));
  BOOST_TEST(ids.size() == 2u);
}

BOOST_AUTO_TEST_CASE(gatekeeper_killed_mid_release_sends_every_message_once) {
  test::PipelineStack s(rules("24h", 25), R"({"release_interval_ms": 50})");
  enable_all(s);
  s.start_gatekeeper();
  s.start_sender();

  constexpr int kMessages = 3000;
  publish_campaign(s, "rel-", kMessages, campaign("cmp_release", kMessages));
  BOOST_TEST_REQUIRE(test::eventually(
      [&] {
        return count(s, "SELECT count(*) FROM held_messages WHERE status = 'held'") == kMessages;
      },
      180s));
  auto approve = s.cli({"approvals", "approve", approval_id(s, "cmp_release"), "--by", "alice"});
  BOOST_TEST_REQUIRE(approve.exit_code == 0, approve.err);
  // Kill it as soon as part of the campaign is released.
  std::int64_t released = 0;
  BOOST_TEST_REQUIRE(test::eventually(
      [&] {
        released = count(s, "SELECT count(*) FROM held_messages WHERE status = 'released'");
        return released > 0;
      },
      60s, 5ms));
  s.gatekeeper().signal(SIGKILL);
  s.gatekeeper().wait(10s);
  BOOST_TEST_MESSAGE("killed with " << released << " of " << kMessages << " released");
  BOOST_TEST_REQUIRE(released < kMessages);
  s.start_gatekeeper();
  BOOST_TEST_REQUIRE(test::eventually([&] { return resend_ids(s).size() == kMessages; }, 300s));
  int repeated = 0;
  for (const auto& [id, n] : resend_ids(s)) repeated += n > 1 ? 1 : 0;
  BOOST_TEST(repeated == 0);
  BOOST_TEST(count(s, "SELECT count(*) FROM held_messages WHERE status = 'released'") == kMessages);
  BOOST_TEST(s.stop_gatekeeper() == 0);
}

BOOST_AUTO_TEST_CASE(outbox_rows_reach_the_gatekeeper_in_order_once_across_a_restart) {
  test::PipelineStack s;
  s.start_gatekeeper();
  auto conn = pqxx::connection(s.env().at("HOOKLINE_DATABASE_URL"));
  auto insert = [&](int from, int to, bool commit) {
    pqxx::work tx(conn);
    for (int i = from; i < to; ++i) {
      tx.exec_params("INSERT INTO outbound_outbox (payload) VALUES ($1)",
                     email_request("ob-" + std::to_string(i), "o@example.com"));
    }
    if (commit) tx.commit();
  };
  insert(0, 200, true);
  insert(200, 250, false);  // rolled back: never published
  BOOST_TEST_REQUIRE(test::eventually([&] { return s.read("outbound.requests").size() >= 200; }));
  BOOST_TEST(s.stop_gatekeeper() == 0);
  insert(250, 400, true);  // while it is down
  s.start_gatekeeper();
  BOOST_TEST_REQUIRE(test::eventually([&] { return s.read("outbound.approved").size() >= 350; }));
  std::vector<int> order;
  std::set<int> seen;
  for (const auto& r : s.read("outbound.requests")) {
    rapidjson::Document d;
    d.Parse(r.value.data(), r.value.size());
    const std::string id = d["id"].GetString();
    order.push_back(std::stoi(id.substr(3)));
    seen.insert(order.back());
  }
  BOOST_TEST(order.size() == 350u);  // no duplicates, nothing rolled back
  BOOST_TEST(seen.size() == 350u);
  BOOST_TEST(std::is_sorted(order.begin(), order.end()));  // one key: one partition, in order
  BOOST_TEST(!seen.contains(200));
  BOOST_TEST(s.read("outbound.approved").size() == 350u);
  BOOST_TEST(s.stop_gatekeeper() == 0);
}
