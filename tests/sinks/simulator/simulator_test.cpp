#define BOOST_TEST_MODULE sinks_simulator
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <regex>

#include <httplib.h>

#include "core/files.h"
#include "core/json_reader.h"
#include "tests/support/process.h"
#include "tests/support/provider_sim.h"

using namespace hookline;
using namespace hookline::test;

namespace {

httplib::Headers bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

rapidjson::Document json(const httplib::Result& res) {
  return parse_json_text(res->body, "answer");
}

// One simulator for the suite (started on first use); each test starts from a reset.
ProviderSim& shared_sim() {
  static ProviderSim sim;
  return sim;
}

struct Fixture {
  Fixture() {
    sim.reset();
    cli.set_read_timeout(10, 0);
  }
  ProviderSim& sim = shared_sim();
  httplib::Client cli{sim.url()};

  httplib::Result resend(const std::string& key = "re_key_a",
                         const std::string& idempotency_key = "",
                         const std::string& body = R"({"to":"a@example.com"})") {
    auto h = bearer(key);
    if (!idempotency_key.empty()) h.emplace("Idempotency-Key", idempotency_key);
    return cli.Post("/emails", h, body, "application/json");
  }
  httplib::Result slack(const std::string& token = "xoxb-1") {
    return cli.Post("/api/chat.postMessage", bearer(token), R"({"channel":"C1","text":"hi"})",
                    "application/json");
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(simulator, Fixture)

BOOST_AUTO_TEST_CASE(each_provider_endpoint_answers_its_shape) {
  auto re = resend();
  BOOST_REQUIRE(re);
  BOOST_CHECK_EQUAL(re->status, 200);
  BOOST_CHECK(json(re).HasMember("id"));

  auto sg = cli.Post("/v3/mail/send", bearer("SG.key"), "{}", "application/json");
  BOOST_REQUIRE(sg);
  BOOST_CHECK_EQUAL(sg->status, 202);
  BOOST_CHECK(sg->body.empty());
  BOOST_CHECK(!sg->get_header_value("X-Message-Id").empty());

  httplib::Headers basic{httplib::make_basic_authentication_header("AC123", "token")};
  auto tw = cli.Post("/2010-04-01/Accounts/AC123/Messages.json", basic,
                     "To=%2B15005550006&From=%2B15005550001&Body=hi",
                     "application/x-www-form-urlencoded");
  BOOST_REQUIRE(tw);
  BOOST_CHECK_EQUAL(tw->status, 201);
  BOOST_CHECK(
      std::regex_match(std::string(json(tw)["sid"].GetString()), std::regex("SM[0-9a-f]{32}")));
  BOOST_CHECK_EQUAL(json(tw)["status"].GetString(), "queued");

  auto wa = cli.Post("/v21.0/1234567/messages", bearer("EAA-token"),
                     R"({"messaging_product":"whatsapp","to":"15551234567","type":"text"})",
                     "application/json");
  BOOST_REQUIRE(wa);
  BOOST_CHECK_EQUAL(wa->status, 200);
  BOOST_CHECK_EQUAL(json(wa)["contacts"][0]["wa_id"].GetString(), "15551234567");
  BOOST_CHECK(std::string(json(wa)["messages"][0]["id"].GetString()).starts_with("wamid."));

  auto sl = slack();
  BOOST_REQUIRE(sl);
  BOOST_CHECK_EQUAL(sl->status, 200);
  BOOST_CHECK(json(sl)["ok"].GetBool());
  BOOST_CHECK_EQUAL(json(sl)["channel"].GetString(), "C1");

  auto hook = cli.Post("/hooks/acme/orders", R"({"type":"order.paid"})", "application/json");
  BOOST_REQUIRE(hook);
  BOOST_CHECK_EQUAL(hook->status, 200);
  BOOST_CHECK_EQUAL(hook->body, "{}");

  auto records = sim.requests();
  BOOST_REQUIRE_EQUAL(records.size(), 6u);
  std::vector<std::string> providers;
  for (const auto& r : records) providers.push_back(r.provider);
  BOOST_CHECK((providers == std::vector<std::string>{"resend", "sendgrid", "twilio", "whatsapp",
                                                     "slack", "webhook"}));
  BOOST_CHECK_EQUAL(records[2].target, "AC123");
  BOOST_CHECK_EQUAL(records[5].target, "/hooks/acme/orders");
}

BOOST_AUTO_TEST_CASE(missing_auth_is_401_bad_json_400_unknown_path_404) {
  auto re = cli.Post("/emails", "{}", "application/json");
  BOOST_REQUIRE(re);
  BOOST_CHECK_EQUAL(re->status, 401);
  BOOST_CHECK_EQUAL(json(re)["name"].GetString(), "missing_api_key");
  auto tw = cli.Post("/2010-04-01/Accounts/AC1/Messages.json", "To=1",
                     "application/x-www-form-urlencoded");
  BOOST_REQUIRE(tw);
  BOOST_CHECK_EQUAL(tw->status, 401);
  BOOST_CHECK_EQUAL(json(tw)["code"].GetInt(), 20003);
  auto bad = resend("re_key_a", "", "{\"to\":");
  BOOST_REQUIRE(bad);
  BOOST_CHECK_EQUAL(bad->status, 400);
  auto unknown = cli.Post("/v2/nowhere", "{}", "application/json");
  BOOST_REQUIRE(unknown);
  BOOST_CHECK_EQUAL(unknown->status, 404);
  auto records = sim.requests();
  BOOST_REQUIRE_EQUAL(records.size(), 4u);
  BOOST_CHECK_EQUAL(records[3].provider, "unknown");
}

BOOST_AUTO_TEST_CASE(over_the_burst_is_429_with_retry_after) {
  sim.add_rate_limit(SimRateLimit{SimMatch{"slack", "xoxb-1", ""}, 0.5, 3});
  for (int i = 0; i < 3; ++i) {
    auto ok = slack();
    BOOST_REQUIRE(ok);
    BOOST_CHECK_EQUAL(ok->status, 200);
  }
  auto limited = slack();
  BOOST_REQUIRE(limited);
  BOOST_CHECK_EQUAL(limited->status, 429);
  const int retry_after = std::stoi(limited->get_header_value("Retry-After"));
  BOOST_CHECK_GE(retry_after, 1);
  BOOST_CHECK_LE(retry_after, 2);
  BOOST_CHECK_EQUAL(json(limited)["error"].GetString(), "ratelimited");
  auto other = slack("xoxb-2");
  BOOST_REQUIRE(other);
  BOOST_CHECK_EQUAL(other->status, 200);  // the rule selects one token
  SimQuery q;
  q.provider = "slack";
  q.status = 429;
  auto rejected = sim.requests(q);
  BOOST_REQUIRE_EQUAL(rejected.size(), 1u);
  BOOST_CHECK_EQUAL(rejected[0].target, "xoxb-1");
}

BOOST_AUTO_TEST_CASE(faults_are_applied_count_times_in_order) {
  SimFault first;
  first.match.provider = "resend";
  first.status = 503;
  first.count = 2;
  first.retry_after_s = 2;
  sim.add_fault(first);
  SimFault second;
  second.match.target = "re_key_a";
  second.status = 500;
  second.body = R"({"message":"boom"})";
  sim.add_fault(second);
  std::vector<int> statuses;
  for (int i = 0; i < 4; ++i) {
    auto res = resend();
    BOOST_REQUIRE(res);
    statuses.push_back(res->status);
    if (i == 0) BOOST_CHECK_EQUAL(res->get_header_value("Retry-After"), "2");
    if (i == 2) BOOST_CHECK_EQUAL(res->body, R"({"message":"boom"})");
  }
  BOOST_CHECK((statuses == std::vector<int>{503, 503, 500, 200}));
}

BOOST_AUTO_TEST_CASE(a_fault_until_removed_applies_until_deleted) {
  SimFault outage;
  outage.match.target = "re_key_a";
  outage.status = 500;
  outage.count = -1;
  const auto id = sim.add_fault(outage);
  BOOST_CHECK_EQUAL(resend()->status, 500);
  BOOST_CHECK_EQUAL(resend()->status, 500);
  sim.remove_fault(id);
  BOOST_CHECK_EQUAL(resend()->status, 200);
  // Removing it again, or a fault that never was: 404 naming it.
  auto res = cli.Delete("/_sim/faults/" + std::to_string(id));
  BOOST_REQUIRE(res);
  BOOST_CHECK_EQUAL(res->status, 404);
  BOOST_CHECK(res->body.find(std::to_string(id)) != std::string::npos);
  BOOST_CHECK_EQUAL(cli.Delete("/_sim/faults/99999999999999999999999")->status, 404);
}

BOOST_AUTO_TEST_CASE(status_zero_closes_the_connection_unanswered) {
  SimFault cut;
  cut.match.provider = "webhook";
  cut.status = 0;
  sim.add_fault(cut);
  auto res = cli.Post("/hooks/x", "{}", "application/json");
  BOOST_CHECK(!res);
  httplib::Client again(sim.url());
  auto next = again.Post("/hooks/x", "{}", "application/json");
  BOOST_REQUIRE(next);
  BOOST_CHECK_EQUAL(next->status, 200);
  auto records = sim.requests(SimQuery{"webhook", "", "", std::nullopt, 0});
  BOOST_REQUIRE_EQUAL(records.size(), 2u);
  BOOST_CHECK_EQUAL(records[0].status, 0);
}

BOOST_AUTO_TEST_CASE(a_delayed_answer_runs_into_the_client_timeout) {
  SimFault slow;
  slow.match.path_prefix = "/hooks/slow";
  slow.status = std::nullopt;
  slow.delay_ms = 5000;
  sim.add_fault(slow);
  httplib::Client impatient(sim.url());
  impatient.set_read_timeout(0, 200000);  // 200 ms
  auto res = impatient.Post("/hooks/slow", "{}", "application/json");
  BOOST_CHECK(!res);
  auto fast = cli.Post("/hooks/fast", "{}", "application/json");  // other requests go on
  BOOST_REQUIRE(fast);
  BOOST_CHECK_EQUAL(fast->status, 200);
}

BOOST_AUTO_TEST_CASE(a_repeated_idempotency_key_is_replayed_and_flagged) {
  auto first = resend("re_key_a", "req-1");
  auto again = resend("re_key_a", "req-1");
  BOOST_REQUIRE(first && again);
  BOOST_CHECK_EQUAL(again->status, 200);
  BOOST_CHECK_EQUAL(again->body, first->body);
  auto records = sim.requests(SimQuery{"resend", "re_key_a", "", std::nullopt, 0});
  BOOST_REQUIRE_EQUAL(records.size(), 2u);
  BOOST_CHECK(!records[0].idempotent_replay);
  BOOST_CHECK(records[1].idempotent_replay);
  BOOST_CHECK_EQUAL(records[1].headers.at("idempotency-key"), "req-1");
  BOOST_CHECK_EQUAL(records[1].message_id, records[0].message_id);
}

BOOST_AUTO_TEST_CASE(records_are_queryable_since_a_seq) {
  (void)resend("re_key_a");
  (void)resend("re_key_b");
  (void)slack();
  auto all = sim.requests();
  BOOST_REQUIRE_EQUAL(all.size(), 3u);
  BOOST_CHECK_LT(all[0].seq, all[1].seq);
  BOOST_CHECK_GT(all[0].time_ms, 1700000000000);
  BOOST_CHECK_EQUAL(all[0].method, "POST");
  BOOST_CHECK_EQUAL(all[0].path, "/emails");
  BOOST_CHECK_EQUAL(all[0].headers.at("content-type"), "application/json");
  BOOST_CHECK(!all[0].headers.contains("authorization"));
  BOOST_CHECK_EQUAL(all[0].body, R"({"to":"a@example.com"})");
  SimQuery since;
  since.since_seq = all[0].seq;
  BOOST_CHECK_EQUAL(sim.requests(since).size(), 2u);
  SimQuery by_target;
  by_target.target = "re_key_b";
  BOOST_CHECK_EQUAL(sim.requests(by_target).size(), 1u);
  BOOST_CHECK(sim.stats_json().find(R"("resend":{"200":2})") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(reset_clears_rules_faults_and_records) {
  sim.add_rate_limit(SimRateLimit{SimMatch{}, 1, 1});
  SimFault f;
  f.count = -1;
  sim.add_fault(f);
  BOOST_CHECK_EQUAL(resend()->status, 503);
  sim.reset();
  BOOST_CHECK(sim.requests().empty());
  BOOST_CHECK_EQUAL(resend()->status, 200);
  BOOST_CHECK_EQUAL(resend()->status, 200);
}

BOOST_AUTO_TEST_CASE(bad_control_requests_are_400) {
  auto res = cli.Post("/_sim/faults", R"({"status":503,"cuont":2})", "application/json");
  BOOST_REQUIRE(res);
  BOOST_CHECK_EQUAL(res->status, 400);
  BOOST_CHECK(res->body.find("cuont") != std::string::npos);
  BOOST_CHECK_THROW(sim.add_rate_limit(SimRateLimit{SimMatch{"nope", "", ""}, 1, 1}),
                    std::runtime_error);
  auto health = cli.Get("/healthz");
  BOOST_REQUIRE(health);
  BOOST_CHECK_EQUAL(health->status, 200);
  BOOST_CHECK(sim.requests().empty());  // the control API is not recorded
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(initial_rules_come_from_the_config_file) {
  TempDir dir;
  write_file_atomic(
      dir.file("sim.json"),
      R"({"faults":[{"match":{"provider":"slack"},"status":429,"retry_after_s":3}]})");
  ProviderSim sim({"--config", dir.file("sim.json"), "--threads", "4"});
  httplib::Client cli(sim.url());
  auto res =
      cli.Post("/api/chat.postMessage", bearer("xoxb"), R"({"channel":"C1"})", "application/json");
  BOOST_REQUIRE(res);
  BOOST_CHECK_EQUAL(res->status, 429);
  BOOST_CHECK_EQUAL(res->get_header_value("Retry-After"), "3");
  BOOST_CHECK_EQUAL(json(res)["error"].GetString(), "ratelimited");
}

BOOST_AUTO_TEST_CASE(bad_flags_exit_2_and_sigterm_exits_0) {
  auto bad = run(bin("hookline-provider-sim"), {"--threads", "none"});
  BOOST_CHECK_EQUAL(bad.exit_code, 2);
  BOOST_CHECK(bad.err.find("--threads") != std::string::npos);
  auto bad_config = run(bin("hookline-provider-sim"), {"--config", "/nonexistent/sim.json"});
  BOOST_CHECK_EQUAL(bad_config.exit_code, 1);
  auto help = run(bin("hookline-provider-sim"), {"--help"});
  BOOST_CHECK_EQUAL(help.exit_code, 0);
  BOOST_CHECK(help.out.find("--port-file") != std::string::npos);
  ProviderSim sim;
  BOOST_CHECK_EQUAL(sim.process().stop(), 0);
}
