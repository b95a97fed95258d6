// hookline-sender on the dev broker against the provider simulator: pace, Retry-After pauses,
// retries through the tiers, the DLQ, a SIGKILL, a throttled connection beside an unthrottled
// one on the same partition, approval requests posted to Slack, and the consent recheck just
// before sending.
#define BOOST_TEST_MODULE sender
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <csignal>
#include <map>
#include <pqxx/pqxx>
#include <set>

#include <rapidjson/document.h>

#include "tests/support/sender_stack.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

const std::string kFrom = R"("from": "news@example.com")";

std::map<std::string, int> results_by_type(test::SenderStack& s,
                                           std::set<std::string>* ids = nullptr,
                                           const std::string& type = "") {
  std::map<std::string, int> n;
  for (const auto& r : s.read("outbound.results")) {
    ++n[r.header("ce_type")];
    if (ids && r.header("ce_type") == type) ids->insert(r.key.value_or(""));
  }
  return n;
}

int succeeded(test::SenderStack& s) {
  return results_by_type(s)["com.hookline.send.succeeded"];
}

std::vector<std::string> ids(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

void publish(test::SenderStack& s, const std::string& connection,
             const std::vector<std::string>& request_ids, std::int32_t partition = -1) {
  std::vector<std::pair<std::string, std::string>> v;
  for (const auto& id : request_ids)
    v.emplace_back(connection, test::email_request(id, connection));
  s.publish(v, "outbound.approved", partition);
}

std::vector<test::SimRequest> received(test::SenderStack& s, const std::string& target) {
  test::SimQuery q;
  q.target = target;
  return s.sim().requests(q);
}

}  // namespace

BOOST_AUTO_TEST_CASE(sends_and_writes_one_result_per_request) {
  test::SenderStack s;
  s.add_connection("resend", "main", "re_key_main", "{" + kFrom + "}");
  s.start();
  publish(s, "resend/main", ids("ok-", 5));
  BOOST_TEST_REQUIRE(test::eventually([&] { return succeeded(s) == 5; }, 30s, 100ms));
  const auto got = received(s, "re_key_main");
  BOOST_TEST(got.size() == 5u);
  for (const auto& r : got) {
    BOOST_TEST(r.headers.count("idempotency-key") == 1u);
    BOOST_TEST(r.headers.at("idempotency-key") == r.headers.at("x-hookline-request-id"));
  }
  for (const auto& r : s.read("outbound.results")) {
    BOOST_TEST(r.header("ce_specversion") == "1.0");
    BOOST_TEST(r.value.find("user@example.com") == std::string::npos);  // no PII
    BOOST_TEST(r.value.find("\"provider_message_id\"") != std::string::npos);
  }
  BOOST_TEST(s.stop() == 0);
  // Replayed: the sent-ledger knows them; nothing is sent again.
  publish(s, "resend/main", ids("ok-", 5));
  s.start();
  BOOST_TEST_REQUIRE(test::eventually([&] { return succeeded(s) == 10; }, 30s, 100ms));
  BOOST_TEST(received(s, "re_key_main").size() == 5u);
  BOOST_TEST(s.metrics().find("hookline_sender_ledger_skips_total 5") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_limited_connection_keeps_its_rate) {
  test::SenderStack s;
  constexpr double kRate = 20;
  constexpr int kBurst = 5;
  s.add_connection("resend", "paced", "re_key_paced",
                   "{" + kFrom + R"(, "rate_per_s": 20, "burst": 5})");
  publish(s, "resend/paced", ids("p-", 260));
  s.start();
  BOOST_TEST_REQUIRE(
      test::eventually([&] { return received(s, "re_key_paced").size() == 260u; }, 60s, 100ms));
  auto got = received(s, "re_key_paced");
  std::vector<std::int64_t> t;
  for (const auto& r : got) t.push_back(r.time_ms);
  std::sort(t.begin(), t.end());
  // Never more than burst + N per second over any 10 s window (1 ms of clock granularity).
  std::size_t most = 0;
  for (std::size_t i = 0, j = 0; i < t.size(); ++i) {
    while (t[i] - t[j] >= 10000) ++j;
    most = std::max(most, i - j + 1);
  }
  BOOST_TEST(most <= static_cast<std::size_t>(kBurst + kRate * 10 + 1));
  // After the burst, the measured rate is within 5 % of N.
  const double span_s = static_cast<double>(t.back() - t.front()) / 1000.0;
  const double measured = (static_cast<double>(t.size()) - kBurst) / span_s;
  BOOST_TEST_MESSAGE("configured " << kRate << "/s, measured " << measured << "/s over " << span_s
                                   << " s; most in a 10 s window " << most);
  BOOST_TEST(std::abs(measured - kRate) / kRate <= 0.05);
}

BOOST_AUTO_TEST_CASE(retry_after_pauses_only_that_connection) {
  test::SenderStack s;
  // A: one request a second, so the 429's answer is back before A's next is due even on a
  // loaded machine under the sanitizers (at 10/s a slow answer let the next one go first).
  s.add_connection("resend", "a", "re_key_a", "{" + kFrom + R"(, "rate_per_s": 1, "burst": 1})");
  s.add_connection("resend", "b", "re_key_b", "{" + kFrom + R"(, "rate_per_s": 50})");
  test::SimFault f;
  f.match.target = "re_key_a";
  f.status = 429;
  f.retry_after_s = 3;
  s.sim().add_fault(f);
  s.start();
  publish(s, "resend/a", ids("a-", 5), 0);
  publish(s, "resend/b", ids("b-", 10), 0);
  BOOST_TEST_REQUIRE(test::eventually([&] { return succeeded(s) == 15; }, 60s, 100ms));
  auto a = received(s, "re_key_a");
  auto b = received(s, "re_key_b");
  BOOST_TEST_REQUIRE(a.size() == 6u);  // one 429, then all five
  BOOST_TEST(a.front().status == 429);
  const std::int64_t throttled_at = a.front().time_ms;
  for (std::size_t i = 1; i < a.size(); ++i) {
    BOOST_TEST(a[i].time_ms - throttled_at >= 3000 - 5, "A sent before its Retry-After ended");
  }
  // B went on meanwhile: all of it done well before A's pause ended.
  for (const auto& r : b) BOOST_TEST(r.time_ms - throttled_at < 3000);
  BOOST_TEST(results_by_type(s)["com.hookline.send.retrying"] == 0);  // a pause, not a retry
}

BOOST_AUTO_TEST_CASE(a_5xx_burst_is_retried_through_the_tiers_and_ends_sent) {
  test::SenderStack s;
  s.add_connection("resend", "flaky", "re_key_flaky", "{" + kFrom + "}");
  test::SimFault f;
  f.match.target = "re_key_flaky";
  f.status = 503;
  f.count = 2;
  s.sim().add_fault(f);
  s.start();
  publish(s, "resend/flaky", {"flaky-1"});
  BOOST_TEST_REQUIRE(test::eventually([&] { return succeeded(s) == 1; }, 60s, 100ms));
  auto got = received(s, "re_key_flaky");
  BOOST_TEST_REQUIRE(got.size() == 3u);
  BOOST_TEST(got[0].status == 503);
  BOOST_TEST(got[1].status == 503);
  BOOST_TEST(got[2].status == 200);
  auto n = results_by_type(s);
  BOOST_TEST(n["com.hookline.send.retrying"] == 2);
  BOOST_TEST(n["com.hookline.send.succeeded"] == 1);
  // Backoff 2^attempt s ±25 %: the second try at least 1.5 s after the first.
  BOOST_TEST(got[1].time_ms - got[0].time_ms >= 1500);
  BOOST_TEST(got[2].time_ms - got[1].time_ms >= 3000);
  auto retried = s.read("outbound.retry.30s");
  BOOST_TEST_REQUIRE(retried.size() == 2u);
  BOOST_TEST(retried[1].header("attempt") == "2");
  BOOST_TEST(!retried[1].header("last-error").empty());
  BOOST_TEST(!retried[1].header("due").empty());
  BOOST_TEST(!retried[1].header("first-failed-at").empty());
  BOOST_TEST(s.read("outbound.dlq").empty());
}

BOOST_AUTO_TEST_CASE(a_permanent_4xx_lands_in_the_dlq_after_one_attempt) {
  test::SenderStack s;
  s.add_connection("resend", "strict", "re_key_strict", "{" + kFrom + "}");
  test::SimFault f;
  f.match.target = "re_key_strict";
  f.status = 422;
  s.sim().add_fault(f);
  s.start();
  publish(s, "resend/strict", {"bad-1"});
  BOOST_TEST_REQUIRE(test::eventually([&] { return !s.read("outbound.dlq").empty(); }, 30s, 100ms));
  auto dlq = s.read("outbound.dlq");
  BOOST_TEST_REQUIRE(dlq.size() == 1u);
  const auto& d = dlq[0];
  BOOST_TEST(d.header("hookline-original-topic") == "outbound.approved");
  BOOST_TEST(!d.header("hookline-original-partition").empty());
  BOOST_TEST(!d.header("hookline-original-offset").empty());
  BOOST_TEST(!d.header("hookline-error-class").empty());
  BOOST_TEST(d.header("hookline-provider-status") == "422");
  BOOST_TEST(d.header("hookline-attempts") == "1");
  BOOST_TEST(d.header("hookline-provider-answer").find("user@example.com") == std::string::npos);
  BOOST_TEST(received(s, "re_key_strict").size() == 1u);
  BOOST_TEST(test::eventually(
      [&] { return results_by_type(s)["com.hookline.send.dead_lettered"] == 1; }, 10s, 100ms));
}

BOOST_AUTO_TEST_CASE(exhausted_attempts_land_in_the_dlq) {
  // The sender allows 3 attempts for Resend; connection "down" says 2, "down3" nothing.
  test::SenderStack s(R"({"max_attempts_by_provider": {"resend": 3}})");
  s.add_connection("resend", "down", "re_key_down", "{" + kFrom + R"(, "max_attempts": 2})");
  s.add_connection("resend", "down3", "re_key_down3", "{" + kFrom + "}");
  for (const char* target : {"re_key_down", "re_key_down3"}) {
    test::SimFault f;
    f.match.target = target;
    f.status = 500;
    f.count = -1;
    s.sim().add_fault(f);
  }
  s.start();
  publish(s, "resend/down", {"down-1"});
  publish(s, "resend/down3", {"down3-1"});
  BOOST_TEST_REQUIRE(
      test::eventually([&] { return s.read("outbound.dlq").size() == 2u; }, 60s, 100ms));
  std::map<std::string, std::string> attempts;
  for (const auto& d : s.read("outbound.dlq")) {
    BOOST_TEST(d.header("hookline-error-class") == "attempts-exhausted");
    BOOST_TEST(d.header("hookline-provider-status") == "500");
    attempts[d.key.value_or("")] = d.header("hookline-attempts");
  }
  BOOST_TEST(attempts["resend/down"] == "2");
  BOOST_TEST(attempts["resend/down3"] == "3");
  BOOST_TEST(received(s, "re_key_down").size() == 2u);
  BOOST_TEST(received(s, "re_key_down3").size() == 3u);
}

BOOST_AUTO_TEST_CASE(sigkill_loses_no_request_and_resends_no_known_success) {
  test::SenderStack s;
  s.add_connection("resend", "bulk", "re_key_bulk", "{" + kFrom + R"(, "rate_per_s": 60})");
  const auto all = ids("k-", 300);
  publish(s, "resend/bulk", all);
  s.start();
  BOOST_TEST_REQUIRE(
      test::eventually([&] { return received(s, "re_key_bulk").size() >= 100u; }, 60s, 20ms));
  s.sender().signal(SIGKILL);
  BOOST_TEST(s.sender().wait(10s).value_or(0) == 128 + SIGKILL);
  std::set<std::string> known;  // the sent-ledger right after the kill
  {
    auto conn = s.db().connect();
    pqxx::nontransaction tx(*conn);
    for (const auto& row : tx.exec("SELECT request_id FROM sent_ledger")) {
      known.insert(row[0].as<std::string>());
    }
  }
  s.start();
  std::set<std::string> done;
  BOOST_TEST_REQUIRE(test::eventually(
      [&] {
        done.clear();
        results_by_type(s, &done, "com.hookline.send.succeeded");
        return done.size() == all.size();
      },
      90s, 200ms));
  std::map<std::string, int> sends;
  for (const auto& r : received(s, "re_key_bulk")) ++sends[r.headers.at("x-hookline-request-id")];
  std::size_t twice = 0;
  for (const auto& id : all) {
    BOOST_TEST(sends[id] >= 1, id << " never sent");
    if (known.contains(id)) BOOST_TEST(sends[id] == 1, id << " was known sent, yet sent again");
    if (sends[id] > 1) ++twice;
  }
  BOOST_TEST_MESSAGE("known sent at the kill " << known.size() << "; sent twice (in flight at "
                                               << "the kill) " << twice);
}

BOOST_AUTO_TEST_CASE(a_throttled_connection_does_not_slow_another_on_its_partition) {
  test::SenderStack s(R"({"queue_capacity": 1000})");
  s.add_connection("resend", "slow", "re_key_slow", "{" + kFrom + R"(, "rate_per_s": 2})");
  s.add_connection("resend", "fast", "re_key_fast",
                   "{" + kFrom + R"(, "rate_per_s": 100, "burst": 10})");
  // Interleaved on one partition: 1 slow request for every 5 fast ones.
  std::vector<std::pair<std::string, std::string>> v;
  for (int i = 0; i < 500; ++i) {
    if (i % 5 == 0)
      v.emplace_back("resend/slow", test::email_request("s-" + std::to_string(i), "resend/slow"));
    v.emplace_back("resend/fast", test::email_request("f-" + std::to_string(i), "resend/fast"));
  }
  s.publish(v, "outbound.approved", 0);
  s.start();
  BOOST_TEST_REQUIRE(
      test::eventually([&] { return received(s, "re_key_fast").size() == 500u; }, 60s, 100ms));
  std::vector<std::int64_t> t;
  for (const auto& r : received(s, "re_key_fast")) t.push_back(r.time_ms);
  std::sort(t.begin(), t.end());
  const double span_s = static_cast<double>(t.back() - t.front()) / 1000.0;
  const double measured = (static_cast<double>(t.size()) - 10) / span_s;
  const std::size_t slow_done = received(s, "re_key_slow").size();
  BOOST_TEST_MESSAGE("fast: " << measured << "/s (configured 100/s); slow sent meanwhile: "
                              << slow_done << " of 100");
  BOOST_TEST(std::abs(measured - 100.0) / 100.0 <= 0.05);
  BOOST_TEST(slow_done < 100u);  // the slow one was still throttled while fast finished
}

BOOST_AUTO_TEST_CASE(a_webhook_destination_that_is_gone_is_disabled_and_its_requests_parked) {
  test::SenderStack s;
  // A Standard Webhooks signing secret (whsec_ + base64 of 24 bytes).
  s.add_connection("webhook", "orders", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                   R"({"path": "/hooks/orders", "rate_per_s": 5, "burst": 1})");
  test::SimFault f;
  f.match.path_prefix = "/hooks/orders";
  f.status = 410;
  f.count = -1;
  s.sim().add_fault(f);
  s.start();
  auto webhook = [](const std::string& id) {
    return R"({"schema_version":1,"id":")" + id +
           R"(","tenant":"acme","connection":"webhook/orders","channel":"webhook",
           "purpose":"transactional","contact":{"id":"c-1"},
           "content":{"event_type":"order.paid","payload":{"order":1}}})";
  };
  s.publish({{"webhook/orders", webhook("w-1")},
             {"webhook/orders", webhook("w-2")},
             {"webhook/orders", webhook("w-3")}});
  BOOST_TEST_REQUIRE(
      test::eventually([&] { return s.read("outbound.dlq").size() == 3u; }, 30s, 100ms));
  test::SimQuery q;
  q.path_prefix = "/hooks/orders";
  const auto calls = s.sim().requests(q);
  BOOST_TEST(calls.size() == 1u);  // the first answer disabled it: the others were never sent
  BOOST_TEST_REQUIRE(!calls.empty());
  BOOST_TEST(calls[0].headers.at("webhook-id") == "w-1");
  BOOST_TEST(!calls[0].headers.at("webhook-signature").empty());
  for (const auto& d : s.read("outbound.dlq")) {
    BOOST_TEST(d.header("hookline-error-class").find("gone") != std::string::npos);
  }
  // Recorded: the registry has it disabled, with an audit row by the sender.
  BOOST_TEST_REQUIRE(test::eventually(
      [&] {
        auto conn = s.db().connect();
        pqxx::nontransaction tx(*conn);
        auto r = tx.exec(
            "SELECT status FROM connections WHERE provider = 'webhook' AND connection_id = "
            "'orders'");
        return !r.empty() && r[0][0].as<std::string>() == "disabled";
      },
      10s, 100ms));
  {
    auto conn = s.db().connect();
    pqxx::nontransaction tx(*conn);
    auto r = tx.exec("SELECT count(*) FROM audit_log WHERE actor = 'hookline-sender'");
    BOOST_TEST(r[0][0].as<int>() >= 1);
  }
  // A later request for it is parked without a call.
  s.publish({{"webhook/orders", webhook("w-4")}});
  BOOST_TEST_REQUIRE(
      test::eventually([&] { return s.read("outbound.dlq").size() == 4u; }, 30s, 100ms));
  BOOST_TEST(s.sim().requests(q).size() == 1u);
}

namespace {

// An approvals.requests value as the gatekeeper writes it (schemas/approvals.requests.v1).
std::string approval_request(const std::string& approval_id, const std::string& campaign_id) {
  return R"({"schema_version":1,"approval_id":")" + approval_id +
         R"(","tenant":"acme","campaign_id":")" + campaign_id +
         R"(","campaign_name":"Spring & summer sale","recipients":5000,"risk_score":0.4,
         "sensitive":false,"ai_drafted":true,"reasons":["recipients_over","ai_drafted"],
         "preview":"20% off <everything>","requested_at":"2026-01-01T09:00:00.000Z",
         "expires_at":"2200-01-01T00:00:00.000Z",
         "slack":{"connection":"slack/approvals","channel":"C0APPROVALS"}})";
}

// The outbound.results records of one request id.
std::vector<test::ReadRecord> results_of(test::SenderStack& s, const std::string& request_id) {
  std::vector<test::ReadRecord> out;
  for (auto& r : s.read("outbound.results")) {
    if (r.key.value_or("") == request_id) out.push_back(std::move(r));
  }
  return out;
}

// Opts `address` (tenant acme) out of email for every purpose, as an operator would
// (`hookline consent set`: source api, reason code opted_out).
void opt_out(test::SenderStack& s, const std::string& address) {
  auto r = s.cli({"consent", "set", "--tenant", "acme", "--contact", address, "--channel", "email",
                  "--status", "opted_out", "--purpose", "all", "--by", "sender-test"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_approval_request_is_posted_to_slack_once_with_both_buttons) {
  test::SenderStack s;
  s.add_connection("slack", "approvals", "xoxb-approvals-token");
  s.start();
  const std::string value = approval_request("apr-7", "cmp_2026_spring_sale");
  s.publish({{"cmp_2026_spring_sale", value}}, "approvals.requests");
  BOOST_TEST_REQUIRE(
      test::eventually([&] { return results_of(s, "approval.apr-7").size() == 1u; }, 30s, 100ms));
  // Published again (the gatekeeper after a crash): the sent-ledger knows it.
  s.publish({{"cmp_2026_spring_sale", value}}, "approvals.requests");
  BOOST_TEST_REQUIRE(
      test::eventually([&] { return results_of(s, "approval.apr-7").size() == 2u; }, 30s, 100ms));
  for (const auto& r : results_of(s, "approval.apr-7")) {
    BOOST_TEST(r.header("ce_type") == "com.hookline.send.succeeded");
    BOOST_TEST(r.header("ce_id") == "approval.apr-7.succeeded.1");
  }

  const auto posts = received(s, "xoxb-approvals-token");
  BOOST_TEST_REQUIRE(posts.size() == 1u);
  BOOST_TEST(posts[0].provider == "slack");
  BOOST_TEST(posts[0].path == "/api/chat.postMessage");
  BOOST_TEST(posts[0].status == 200);
  rapidjson::Document body;
  body.Parse(posts[0].body.c_str());
  BOOST_TEST_REQUIRE(body.IsObject());
  BOOST_TEST(std::string(body["channel"].GetString()) == "C0APPROVALS");
  BOOST_TEST(std::string(body["text"].GetString()) ==
             "Campaign Spring &amp; summer sale is waiting for approval");
  BOOST_TEST_REQUIRE(body["blocks"].IsArray());
  const rapidjson::Value* actions = nullptr;
  for (const auto& b : body["blocks"].GetArray()) {
    if (std::string(b["type"].GetString()) == "actions") actions = &b;
  }
  BOOST_TEST_REQUIRE(actions != nullptr);
  BOOST_TEST(std::string((*actions)["block_id"].GetString()) == "hookline.approval");
  std::map<std::string, std::string> value_by_action;
  for (const auto& e : (*actions)["elements"].GetArray()) {
    value_by_action[e["action_id"].GetString()] = e["value"].GetString();
  }
  BOOST_TEST(value_by_action.size() == 2u);
  BOOST_TEST(value_by_action["hookline.approve"] == "cmp_2026_spring_sale");
  BOOST_TEST(value_by_action["hookline.deny"] == "cmp_2026_spring_sale");
  BOOST_TEST(s.read("outbound.dlq").empty());
  BOOST_TEST(s.metrics().find(R"(hookline_sender_approval_requests_total{outcome="accepted"} 2)") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unreadable_approval_request_is_parked_in_the_dlq) {
  test::SenderStack s;
  s.add_connection("slack", "approvals", "xoxb-approvals-token");
  s.start();
  s.publish({{"cmp-bad", R"({"schema_version":1,"approval_id":"apr-8"})"}}, "approvals.requests");
  BOOST_TEST_REQUIRE(
      test::eventually([&] { return s.read("outbound.dlq").size() == 1u; }, 30s, 100ms));
  const auto d = s.read("outbound.dlq")[0];
  BOOST_TEST(d.header("hookline-original-topic") == "approvals.requests");
  BOOST_TEST(d.header("hookline-error-class") == "invalid-approval-request");
  BOOST_TEST(d.header("hookline-provider-answer").find("required") != std::string::npos);
  BOOST_TEST(received(s, "xoxb-approvals-token").empty());
}

BOOST_AUTO_TEST_CASE(a_consent_withdrawn_before_the_send_is_honoured) {
  test::SenderStack s;
  s.add_connection("resend", "main", "re_key_main", "{" + kFrom + "}");
  s.start();
  s.publish(
      {{"resend/main", test::email_request("before-1", "resend/main", "", "first@example.com")}});
  BOOST_TEST_REQUIRE(test::eventually([&] { return succeeded(s) == 1; }, 30s, 100ms));
  // The sender runs; then a contact opts out while its message waits for the sender.
  opt_out(s, "Leaving@Example.com");
  s.publish(
      {{"resend/main", test::email_request("after-1", "resend/main", "", "leaving@example.com")},
       {"resend/main", test::email_request("other-1", "resend/main", "", "staying@example.com")}});
  BOOST_TEST_REQUIRE(test::eventually(
      [&] { return results_of(s, "after-1").size() == 1u && succeeded(s) == 2; }, 30s, 100ms));
  const auto suppressed = results_of(s, "after-1");
  BOOST_TEST(suppressed[0].header("ce_type") == "com.hookline.send.suppressed");
  BOOST_TEST(suppressed[0].value.find(R"("outcome":"suppressed")") != std::string::npos);
  BOOST_TEST(suppressed[0].value.find(R"("reason":"opted_out")") != std::string::npos);
  BOOST_TEST(suppressed[0].value.find("leaving@") == std::string::npos);  // no PII
  std::set<std::string> sent;
  for (const auto& r : received(s, "re_key_main"))
    sent.insert(r.headers.at("x-hookline-request-id"));
  BOOST_TEST((sent == std::set<std::string>{"before-1", "other-1"}));
  BOOST_TEST(s.read("outbound.dlq").empty());
  BOOST_TEST(s.read("outbound.retry.30s").empty());
  BOOST_TEST(s.metrics().find(R"(hookline_sender_suppressed_total{reason="opted_out"} 1)") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(without_the_recheck_a_withdrawn_consent_is_not_looked_at) {
  test::SenderStack s(R"({"consent_recheck": false})");
  s.add_connection("resend", "main", "re_key_main", "{" + kFrom + "}");
  opt_out(s, "leaving@example.com");
  s.start();
  s.publish(
      {{"resend/main", test::email_request("after-1", "resend/main", "", "leaving@example.com")}});
  BOOST_TEST_REQUIRE(test::eventually([&] { return succeeded(s) == 1; }, 30s, 100ms));
  BOOST_TEST(received(s, "re_key_main").size() == 1u);
}
