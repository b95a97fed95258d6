#define BOOST_TEST_MODULE sinks_simulator_engine
#include <boost/test/unit_test.hpp>

#include <regex>

#include "core/json_reader.h"
#include "sinks/simulator/engine.h"
#include "sinks/simulator/providers.h"

using namespace hookline;
using namespace hookline::simulator;

namespace {

// An engine on a hand-moved clock.
struct Sim {
  std::chrono::steady_clock::time_point now{std::chrono::seconds(1000)};
  Engine engine{builtin_providers(), EngineOptions{100, 100},
                Clocks{[this] { return now; },
                       [] {
                         return std::chrono::system_clock::time_point(
                             std::chrono::milliseconds(1700000000123));
                       }}};

  Verdict post(const std::string& path, const std::string& body, HeaderList headers = {}) {
    Incoming in;
    in.path = path;
    in.body = body;
    in.headers = std::move(headers);
    return engine.handle(std::move(in));
  }
  Verdict resend(const std::string& body = R"({"to":"a@example.com"})",
                 const std::string& key = "re_a", const std::string& idempotency_key = "") {
    HeaderList h{{"authorization", "Bearer " + key}, {"content-type", "application/json"}};
    if (!idempotency_key.empty()) h.emplace_back("idempotency-key", idempotency_key);
    return post("/emails", body, h);
  }
  Verdict slack(const std::string& token = "xoxb-1") {
    return post("/api/chat.postMessage", R"({"channel":"C123","text":"hi"})",
                {{"authorization", "Bearer " + token}, {"content-type", "application/json"}});
  }
  Verdict twilio(const std::string& sid = "AC0123") {
    return post("/2010-04-01/Accounts/" + sid + "/Messages.json",
                "To=%2B15005550006&From=%2B15005550001&Body=hello+there",
                {{"authorization", "Basic QUMwMTIzOnRva2Vu"},  // AC0123:token
                 {"content-type", "application/x-www-form-urlencoded"}});
  }
  Verdict whatsapp(const std::string& token = "EAA1") {
    return post("/v21.0/1098765/messages",
                R"({"messaging_product":"whatsapp","to":"+49 151 2345","type":"text"})",
                {{"authorization", "Bearer " + token}, {"content-type", "application/json"}});
  }
  Record last() { return engine.requests({}).back(); }
};

rapidjson::Document json(const Answer& a) {
  return parse_json_text(a.body, "answer");
}

std::string header(const Answer& a, const std::string& name) {
  for (const auto& [k, v] : a.headers) {
    if (k == name) return v;
  }
  return {};
}

Fault fault(Match m, std::optional<int> status, int count = 1) {
  Fault f;
  f.match = std::move(m);
  f.status = status;
  f.count = count;
  return f;
}

RateRule rate(Match m, double per_s, double burst) {
  RateRule r;
  r.match = std::move(m);
  r.rate_per_s = per_s;
  r.burst = burst;
  return r;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(resend_answers_an_id, Sim) {
  Verdict v = resend();
  BOOST_CHECK_EQUAL(v.answer.status, 200);
  const std::string id = json(v.answer)["id"].GetString();
  BOOST_CHECK(
      std::regex_match(id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                      "[0-9a-f]{12}")));
  BOOST_CHECK_EQUAL(v.answer.message_id, id);
  const Record r = last();
  BOOST_CHECK_EQUAL(r.provider, "resend");
  BOOST_CHECK_EQUAL(r.target, "re_a");
  BOOST_CHECK_EQUAL(r.status, 200);
  BOOST_CHECK_EQUAL(r.time_ms, 1700000000123);
  BOOST_CHECK_EQUAL(r.message_id, id);
  BOOST_CHECK_EQUAL(r.body, R"({"to":"a@example.com"})");
}

BOOST_FIXTURE_TEST_CASE(sendgrid_answers_202_with_a_message_id_header, Sim) {
  Verdict v =
      post("/v3/mail/send", R"({"personalizations":[]})", {{"authorization", "Bearer SG.key"}});
  BOOST_CHECK_EQUAL(v.answer.status, 202);
  BOOST_CHECK(v.answer.body.empty());
  BOOST_CHECK(!header(v.answer, "X-Message-Id").empty());
  BOOST_CHECK_EQUAL(last().target, "SG.key");
}

BOOST_FIXTURE_TEST_CASE(twilio_answers_201_with_a_queued_message, Sim) {
  Verdict v = twilio();
  BOOST_CHECK_EQUAL(v.answer.status, 201);
  auto doc = json(v.answer);
  const std::string sid = doc["sid"].GetString();
  BOOST_CHECK(std::regex_match(sid, std::regex("SM[0-9a-f]{32}")));
  BOOST_CHECK_EQUAL(doc["status"].GetString(), "queued");
  BOOST_CHECK_EQUAL(doc["to"].GetString(), "+15005550006");
  BOOST_CHECK_EQUAL(doc["body"].GetString(), "hello there");
  BOOST_CHECK_EQUAL(doc["account_sid"].GetString(), "AC0123");
  BOOST_CHECK_EQUAL(last().target, "AC0123");  // the AccountSid of the path
}

BOOST_FIXTURE_TEST_CASE(twilio_refuses_a_message_without_a_recipient, Sim) {
  Verdict v = post("/2010-04-01/Accounts/AC0123/Messages.json", "From=%2B1&Body=x",
                   {{"authorization", "Basic QUMwMTIzOnRva2Vu"}});
  BOOST_CHECK_EQUAL(v.answer.status, 400);
  BOOST_CHECK_EQUAL(json(v.answer)["code"].GetInt(), 21604);
}

BOOST_FIXTURE_TEST_CASE(whatsapp_answers_the_contact_and_a_wamid, Sim) {
  Verdict v = whatsapp();
  BOOST_CHECK_EQUAL(v.answer.status, 200);
  auto doc = json(v.answer);
  BOOST_CHECK_EQUAL(doc["messaging_product"].GetString(), "whatsapp");
  BOOST_CHECK_EQUAL(doc["contacts"][0]["input"].GetString(), "+49 151 2345");
  BOOST_CHECK_EQUAL(doc["contacts"][0]["wa_id"].GetString(), "491512345");
  BOOST_CHECK(std::string(doc["messages"][0]["id"].GetString()).starts_with("wamid."));
}

BOOST_FIXTURE_TEST_CASE(slack_answers_ok_with_channel_and_ts, Sim) {
  Verdict v = slack();
  BOOST_CHECK_EQUAL(v.answer.status, 200);
  auto doc = json(v.answer);
  BOOST_CHECK(doc["ok"].GetBool());
  BOOST_CHECK_EQUAL(doc["channel"].GetString(), "C123");
  const std::string ts = doc["ts"].GetString();
  BOOST_CHECK(std::regex_match(ts, std::regex("[0-9]+\\.[0-9]{6}")));
  BOOST_CHECK(json(slack().answer)["ts"].GetString() != ts);  // every message its own ts
}

BOOST_FIXTURE_TEST_CASE(webhooks_answer_an_empty_object_and_match_by_path, Sim) {
  Verdict v = post("/hooks/acme/orders", R"({"type":"order.paid"})",
                   {{"content-type", "application/json"}, {"webhook-id", "msg_1"}});
  BOOST_CHECK_EQUAL(v.answer.status, 200);
  BOOST_CHECK_EQUAL(v.answer.body, "{}");
  const Record r = last();
  BOOST_CHECK_EQUAL(r.provider, "webhook");
  BOOST_CHECK_EQUAL(r.target, "/hooks/acme/orders");
  BOOST_REQUIRE_EQUAL(r.headers.size(), 2u);
  BOOST_CHECK_EQUAL(r.headers[1].second, "msg_1");
}

BOOST_FIXTURE_TEST_CASE(missing_authentication_is_401_in_the_providers_shape, Sim) {
  BOOST_CHECK_EQUAL(json(post("/emails", "{}").answer)["name"].GetString(), "missing_api_key");
  BOOST_CHECK_EQUAL(post("/v3/mail/send", "{}").answer.status, 401);
  Verdict tw = post("/2010-04-01/Accounts/AC1/Messages.json", "To=1",
                    {{"authorization", "Bearer not-basic"}});
  BOOST_CHECK_EQUAL(tw.answer.status, 401);
  BOOST_CHECK_EQUAL(json(tw.answer)["code"].GetInt(), 20003);
  Verdict wa = post("/v21.0/1/messages", "{}", {{"authorization", "Basic abc"}});
  BOOST_CHECK_EQUAL(wa.answer.status, 401);
  BOOST_CHECK_EQUAL(json(wa.answer)["error"]["code"].GetInt(), 190);
  Verdict sl = post("/api/chat.postMessage", "{}", {{"authorization", "Bearer "}});
  BOOST_CHECK_EQUAL(sl.answer.status, 401);
  BOOST_CHECK_EQUAL(json(sl.answer)["error"].GetString(), "not_authed");
  BOOST_CHECK_EQUAL(last().status, 401);
  BOOST_CHECK_EQUAL(last().target, "");
}

BOOST_FIXTURE_TEST_CASE(malformed_json_is_400, Sim) {
  BOOST_CHECK_EQUAL(resend("{not json").answer.status, 400);
  BOOST_CHECK_EQUAL(post("/v3/mail/send", "[", {{"authorization", "Bearer k"}}).answer.status, 400);
  BOOST_CHECK_EQUAL(post("/v21.0/1/messages", "", {{"authorization", "Bearer k"}}).answer.status,
                    400);
  Verdict sl = post("/api/chat.postMessage", "{", {{"authorization", "Bearer k"}});
  BOOST_CHECK_EQUAL(sl.answer.status, 400);
  BOOST_CHECK_EQUAL(json(sl.answer)["error"].GetString(), "invalid_json");
  BOOST_CHECK_EQUAL(post("/hooks/x", "{", {{"content-type", "application/json"}}).answer.status,
                    400);
  BOOST_CHECK_EQUAL(post("/hooks/x", "plain text").answer.status, 200);  // not JSON: any body
}

BOOST_FIXTURE_TEST_CASE(unknown_paths_are_404_and_other_methods_405, Sim) {
  Verdict v = post("/v1/unknown", "{}");
  BOOST_CHECK_EQUAL(v.answer.status, 404);
  BOOST_CHECK_EQUAL(last().provider, "unknown");
  Incoming get;
  get.method = "GET";
  get.path = "/emails";
  BOOST_CHECK_EQUAL(engine.handle(get).answer.status, 405);
  BOOST_CHECK_EQUAL(last().provider, "resend");
}

BOOST_FIXTURE_TEST_CASE(over_the_rate_limit_is_429_with_retry_after_and_is_recorded, Sim) {
  engine.add_rate_rule(rate(Match{"slack", "xoxb-1", ""}, 2, 2));
  BOOST_CHECK_EQUAL(slack().answer.status, 200);
  BOOST_CHECK_EQUAL(slack().answer.status, 200);
  Verdict limited = slack();
  BOOST_CHECK_EQUAL(limited.answer.status, 429);
  BOOST_CHECK_EQUAL(header(limited.answer, "Retry-After"), "1");
  BOOST_CHECK_EQUAL(json(limited.answer)["error"].GetString(), "ratelimited");
  BOOST_CHECK_EQUAL(last().status, 429);
  BOOST_CHECK_EQUAL(slack("xoxb-2").answer.status, 200);  // another token: no rule
  now += std::chrono::milliseconds(500);
  BOOST_CHECK_EQUAL(slack().answer.status, 200);  // one token back after 500 ms
  BOOST_CHECK_EQUAL(slack().answer.status, 429);
  BOOST_CHECK_EQUAL(engine.stats().by_provider.at("slack").at(429), 2);
}

BOOST_FIXTURE_TEST_CASE(each_provider_answers_429_in_its_own_shape, Sim) {
  engine.add_rate_rule(rate(Match{}, 1, 1));
  BOOST_CHECK_EQUAL(whatsapp().answer.status, 200);
  Verdict wa = whatsapp();
  BOOST_CHECK_EQUAL(wa.answer.status, 429);
  BOOST_CHECK_EQUAL(json(wa.answer)["error"]["code"].GetInt(), 130429);
  Verdict tw = twilio();
  BOOST_CHECK_EQUAL(json(tw.answer)["code"].GetInt(), 20429);
  Verdict re = resend();
  BOOST_CHECK_EQUAL(json(re.answer)["name"].GetString(), "rate_limit_exceeded");
  BOOST_CHECK_EQUAL(header(re.answer, "Retry-After"), "1");
}

BOOST_FIXTURE_TEST_CASE(faults_apply_count_times_in_order_then_normal_answers, Sim) {
  engine.add_fault(fault(Match{"resend", "", ""}, 503, 2));
  Fault with_body = fault(Match{"resend", "", ""}, 500);
  with_body.body = R"({"custom":true})";
  with_body.retry_after_s = 7;
  engine.add_fault(with_body);
  Verdict a = resend(), b = resend(), c = resend(), d = resend();
  BOOST_CHECK_EQUAL(a.answer.status, 503);
  BOOST_CHECK_EQUAL(json(a.answer)["statusCode"].GetInt(), 503);  // Resend's error shape
  BOOST_CHECK_EQUAL(b.answer.status, 503);
  BOOST_CHECK_EQUAL(c.answer.status, 500);
  BOOST_CHECK_EQUAL(c.answer.body, R"({"custom":true})");
  BOOST_CHECK_EQUAL(header(c.answer, "Retry-After"), "7");
  BOOST_CHECK_EQUAL(d.answer.status, 200);
  BOOST_CHECK(engine.faults().empty());
}

BOOST_FIXTURE_TEST_CASE(a_fault_selects_by_target_and_takes_no_rate_token, Sim) {
  engine.add_rate_rule(rate(Match{"resend", "", ""}, 1, 1));
  engine.add_fault(fault(Match{"resend", "re_b", ""}, 502));
  BOOST_CHECK_EQUAL(resend("{}", "re_b").answer.status, 502);
  BOOST_CHECK_EQUAL(resend("{}", "re_a").answer.status, 200);  // the token was still there
  BOOST_CHECK_EQUAL(resend("{}", "re_a").answer.status, 429);
}

BOOST_FIXTURE_TEST_CASE(status_zero_closes_and_a_delay_is_passed_on, Sim) {
  Fault cut = fault(Match{"webhook", "", ""}, 0);
  cut.delay_ms = 250;
  engine.add_fault(cut);
  engine.add_fault(fault(Match{"webhook", "", ""}, std::nullopt));  // slow, normal answer
  Verdict closed = post("/hooks/a", "{}");
  BOOST_CHECK(closed.close);
  BOOST_CHECK_EQUAL(closed.delay.count(), 250);
  BOOST_CHECK_EQUAL(last().status, 0);
  Verdict slow = post("/hooks/a", "{}");
  BOOST_CHECK(!slow.close);
  BOOST_CHECK_EQUAL(slow.answer.status, 200);
  BOOST_CHECK_EQUAL(last().status, 200);
}

BOOST_FIXTURE_TEST_CASE(webhook_faults_answer_gone, Sim) {
  engine.add_fault(fault(Match{"", "", "/hooks/dead"}, 410, -1));
  BOOST_CHECK_EQUAL(post("/hooks/dead/1", "{}").answer.status, 410);
  BOOST_CHECK_EQUAL(post("/hooks/dead/2", "{}").answer.status, 410);
  BOOST_CHECK_EQUAL(post("/hooks/alive", "{}").answer.status, 200);
}

BOOST_FIXTURE_TEST_CASE(a_repeated_idempotency_key_replays_the_first_answer, Sim) {
  Verdict first = resend(R"({"to":"a"})", "re_a", "req-1");
  Verdict again = resend(R"({"to":"a"})", "re_a", "req-1");
  BOOST_CHECK_EQUAL(again.answer.status, 200);
  BOOST_CHECK_EQUAL(again.answer.body, first.answer.body);
  auto records = engine.requests({});
  BOOST_REQUIRE_EQUAL(records.size(), 2u);
  BOOST_CHECK(!records[0].idempotent_replay);
  BOOST_CHECK(records[1].idempotent_replay);
  BOOST_CHECK_EQUAL(records[1].headers[1].second, "req-1");
  Verdict other = resend(R"({"to":"b"})", "re_a", "req-1");
  BOOST_CHECK_EQUAL(other.answer.status, 409);
  BOOST_CHECK_EQUAL(json(other.answer)["name"].GetString(), "invalid_idempotent_request");
  BOOST_CHECK(resend(R"({"to":"a"})", "re_a", "req-2").answer.body != first.answer.body);
}

BOOST_FIXTURE_TEST_CASE(a_failed_attempt_does_not_pin_its_idempotency_key, Sim) {
  engine.add_fault(fault(Match{"resend", "", ""}, 503));
  BOOST_CHECK_EQUAL(resend("{}", "re_a", "req-1").answer.status, 503);
  Verdict retry = resend("{}", "re_a", "req-1");
  BOOST_CHECK_EQUAL(retry.answer.status, 200);
  BOOST_CHECK(!last().idempotent_replay);
}

BOOST_FIXTURE_TEST_CASE(reset_forgets_rules_faults_keys_and_records, Sim) {
  engine.add_rate_rule(rate(Match{}, 1, 1));
  engine.add_fault(fault(Match{"slack", "", ""}, 500, -1));
  (void)resend("{}", "re_a", "req-1");
  engine.reset();
  BOOST_CHECK(engine.requests({}).empty());
  BOOST_CHECK(engine.rate_rules().empty());
  BOOST_CHECK(engine.faults().empty());
  BOOST_CHECK_EQUAL(slack().answer.status, 200);
  BOOST_CHECK_EQUAL(slack().answer.status, 200);
  (void)resend("{}", "re_a", "req-1");
  BOOST_CHECK(!last().idempotent_replay);
  BOOST_CHECK_EQUAL(engine.stats().total, 3);
}
