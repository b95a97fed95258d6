// `hookline send` and `hookline connections test` against the whole outbound path (ingest's
// registry, gatekeeper, sender, provider simulator) on a dev broker and a throw-away Postgres:
// a test message is sent exactly once and its outcome read back, a refused one ends
// dead-lettered, bad input is one line; credentials are checked against the simulator (good,
// refused, a closed port, unknown connections). The stack is shared by the test cases.
#define BOOST_TEST_MODULE send_cli
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <regex>

#include <pqxx/pqxx>

#include "tests/support/pipeline_stack.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

const std::string kTwilioSettings =
    R"({"account_sid": "ACtest", "from": "+15005550006", "rate_per_s": 100000, "recipient_interval_ms": 0})";
const std::string kResendSettings = R"({"from": "ops@example.com", "rate_per_s": 100000})";
constexpr const char* kWebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// One stack for every test case: gatekeeper and sender running, twilio/main and resend/main
// sending to the simulator, webhook/orders added for this test.
test::PipelineStack& stack() {
  static test::PipelineStack s;
  static const bool started = [] {
    s.enable_sending("twilio", "main", "twilio-auth-token", kTwilioSettings);
    s.enable_sending("resend", "main", "re_key_main", kResendSettings);
    auto env = s.env();
    env["HOOKLINE_TEST_WEBHOOK_SECRET"] = kWebhookSecret;
    const auto added = test::run(
        test::bin("hookline"),
        {"connections", "add", "--provider", "webhook", "--id", "orders", "--tenant", "acme",
         "--send-secret-env", "HOOKLINE_TEST_WEBHOOK_SECRET", "--settings",
         R"({"send": {"base_url": ")" + s.sim().url() + R"(", "path": "/hooks/orders"}})"},
        env);
    if (added.exit_code != 0) throw std::runtime_error("connections add failed: " + added.err);
    s.start_gatekeeper();
    s.start_sender();
    return true;
  }();
  (void)started;
  return s;
}

// The request id the command printed ("" when none).
std::string request_id(const std::string& out) {
  std::smatch m;
  static const std::regex published(R"(published request (\S+) on )");
  return std::regex_search(out, m, published) ? m[1].str() : std::string();
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::int64_t count(const std::string& sql) {
  pqxx::connection conn(stack().env().at("HOOKLINE_DATABASE_URL"));
  pqxx::nontransaction tx(conn);
  return tx.exec1(sql)[0].as<std::int64_t>();
}

// Simulator requests carrying this request id.
std::vector<test::SimRequest> received(const std::string& provider, const std::string& id) {
  test::SimQuery q;
  q.provider = provider;
  std::vector<test::SimRequest> out;
  for (auto& r : stack().sim().requests(q)) {
    const auto it = r.headers.find(provider == "webhook" ? "webhook-id" : "x-hookline-request-id");
    if (it != r.headers.end() && it->second == id) out.push_back(std::move(r));
  }
  return out;
}

void check_no_personal_data(const test::RunResult& r, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    BOOST_TEST(r.out.find(s) == std::string::npos, "stdout shows " << s);
    BOOST_TEST(r.err.find(s) == std::string::npos, "stderr shows " << s);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_test_sms_goes_through_the_pipeline_once_and_its_address_is_never_shown) {
  auto& s = stack();
  const auto r = s.cli({"send", "--connection", "twilio/main", "--to", "+14155550142", "--text",
                        "Operator check 7731", "--by", "tester", "--wait", "60"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.out << r.err);
  const std::string id = request_id(r.out);
  BOOST_TEST_REQUIRE(id.starts_with("ctl-"), r.out);
  BOOST_TEST(r.out.find("succeeded: request " + id +
                        " on twilio/main (attempt 1, provider message id SM") != std::string::npos,
             r.out);
  BOOST_TEST(r.err.empty(), r.err);
  check_no_personal_data(r, {"4155550142", "Operator check"});

  // The simulator received it exactly once, with the address and the text.
  const auto got = received("twilio", id);
  BOOST_TEST_REQUIRE(got.size() == 1u);
  BOOST_TEST(got[0].body.find("To=%2B14155550142") != std::string::npos);
  BOOST_TEST(got[0].body.find("Operator+check+7731") != std::string::npos);

  // It went in through outbound.requests, keyed by its connection, as a valid send request.
  const auto requests = s.read("outbound.requests");
  const auto it = std::find_if(requests.begin(), requests.end(), [&](const auto& rec) {
    return rec.value.find("\"id\":\"" + id + "\"") != std::string::npos;
  });
  BOOST_TEST_REQUIRE((it != requests.end()));
  BOOST_TEST(it->key.value_or("") == "twilio/main");
  BOOST_TEST(it->value.find("\"tenant\":\"acme\"") != std::string::npos);  // the connection's
  BOOST_TEST(it->value.find("\"purpose\":\"transactional\"") != std::string::npos);

  // Audited with ids only.
  BOOST_TEST(count("SELECT count(*) FROM audit_log WHERE action = 'send.test' AND actor = "
                   "'ctl:tester' AND subject = 'twilio/main' AND details->>'request_id' = '" +
                   id + "'") == 1);
  BOOST_TEST(count("SELECT count(*) FROM audit_log WHERE action = 'send.test' AND (details::text "
                   "LIKE '%4155550142%' OR details::text LIKE '%Operator%')") == 0);
}

BOOST_AUTO_TEST_CASE(a_webhook_test_carries_the_text_as_its_payload) {
  auto& s = stack();
  const auto r = s.cli(
      {"send", "--connection", "webhook/orders", "--text", "ping 42", "--id", "ctl-webhook-1"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(r.out.find("succeeded: request ctl-webhook-1 on webhook/orders") != std::string::npos,
             r.out);
  const auto got = received("webhook", "ctl-webhook-1");
  BOOST_TEST_REQUIRE(got.size() == 1u);
  BOOST_TEST(got[0].path == "/hooks/orders");
  BOOST_TEST(got[0].body.find(R"("type":"hookline.test")") != std::string::npos);
  BOOST_TEST(got[0].body.find(R"("data":{"text":"ping 42"})") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_permanent_refusal_ends_dead_lettered_and_exits_1) {
  auto& s = stack();
  test::SimFault refuse;
  refuse.match.provider = "resend";
  refuse.status = 400;
  s.sim().add_fault(refuse);
  const auto r = s.cli({"send", "--connection", "resend/main", "--to", "pat@example.com", "--text",
                        "hello", "--subject", "Check", "--id", "ctl-refused-1"});
  BOOST_TEST(r.exit_code == 1, r.out << r.err);
  BOOST_TEST(r.out.find("published request ctl-refused-1 on resend/main (email, transactional") !=
                 std::string::npos,
             r.out);
  BOOST_TEST(r.out.find("dead_lettered: request ctl-refused-1 on resend/main: http-400 (attempt "
                        "1, provider status 400)") != std::string::npos,
             r.out);
  BOOST_TEST(received("resend", "ctl-refused-1").size() == 1u);  // tried once, never again
  check_no_personal_data(r, {"pat@example.com"});
}

BOOST_AUTO_TEST_CASE(without_waiting_it_only_publishes_and_a_timeout_says_so) {
  auto& s = stack();
  const auto quick = s.cli({"send", "--connection", "twilio/main", "--to", "+14155550143", "--text",
                            "x", "--wait", "0"});
  BOOST_TEST_REQUIRE(quick.exit_code == 0, quick.out << quick.err);
  const std::string id = request_id(quick.out);
  BOOST_TEST(lines(quick.out) == 1u, quick.out);
  BOOST_TEST(test::eventually([&] { return received("twilio", id).size() == 1u; }));

  // The simulator answers the next Resend call late: no result within the wait.
  test::SimFault slow;
  slow.match.provider = "resend";
  slow.status = std::nullopt;
  slow.delay_ms = 4000;
  s.sim().add_fault(slow);
  const auto late = s.cli({"send", "--connection", "resend/main", "--to", "pat@example.com",
                           "--text", "hello", "--id", "ctl-late-1", "--wait", "1"});
  BOOST_TEST(late.exit_code == 1, late.out << late.err);
  BOOST_TEST(late.out.find("no result within 1 s; the request is still in the pipeline (id "
                           "ctl-late-1)") != std::string::npos,
             late.out);
}

BOOST_AUTO_TEST_CASE(bad_input_is_one_line_on_stderr_and_a_non_zero_exit) {
  auto& s = stack();
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string says;
  };
  const std::vector<Case> cases{
      {{"--connection", "resend/nope", "--to", "a@example.com", "--text", "x"},
       1,
       "hookline send: no connection resend/nope in the registry"},
      {{"--connection", "twilio/main", "--text", "x"}, 2, "--to ADDRESS is required"},
      {{"--connection", "twilio/main", "--to", "+14155550144", "--text", "x", "--purpose", "promo"},
       2,
       "--purpose must be transactional or marketing"},
      {{"--connection", "twilio/main", "+14155550144", "--text", "x"}, 2, "unexpected argument"},
      {{"--connection", "twilio/main", "--to", "+14155550144"}, 2, "--text is required"},
      {{"--connection", "twilio", "--to", "+14155550144", "--text", "x"},
       2,
       "--connection must be PROVIDER/ID"},
      {{"--connection", "stripe/main", "--to", "+14155550144", "--text", "x"},
       1,
       "the sender has no client for provider stripe"},
      {{"--connection", "twilio/main", "--to", "+14155550144", "--text", "x", "--wait", "-1"},
       2,
       "--wait must be a whole number from 0 to 3600"},
      {{"--connection", "twilio/main", "--to", "+14155550144", "--text", "x", "--id", "bad id"},
       2,
       "the send request would not be valid"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args{"send"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = s.cli(args);
    BOOST_TEST_CONTEXT(c.says) {
      BOOST_TEST(r.exit_code == c.exit_code);
      BOOST_TEST(lines(r.err) == 1u, r.err);
      BOOST_TEST(r.err.find(c.says) != std::string::npos, r.err);
      BOOST_TEST(r.out.empty(), r.out);
      check_no_personal_data(r, {"4155550144"});
    }
  }
  BOOST_TEST(count("SELECT count(*) FROM audit_log WHERE action = 'send.test' AND "
                   "details->>'request_id' = 'bad id'") == 0);

  // A broker that does not answer: one line, no client logs, nothing audited.
  auto env = s.env();
  const std::string nowhere = "127.0.0.1:" + std::to_string(test::closed_port());
  env["HOOKLINE_KAFKA_BOOTSTRAP"] = nowhere;
  for (const char* wait : {"30", "0"}) {  // reading results first, or only publishing
    const auto r = test::run(test::bin("hookline"),
                             {"send", "--connection", "twilio/main", "--to", "+14155550144",
                              "--text", "x", "--id", "ctl-no-broker-1", "--wait", wait},
                             env);
    BOOST_TEST_CONTEXT("--wait " << wait) {
      BOOST_TEST(r.exit_code == 1);
      BOOST_TEST(lines(r.err) == 1u, r.err);
      BOOST_TEST(r.err.find("hookline send: Kafka at " + nowhere + " did not answer within") !=
                     std::string::npos,
                 r.err);
      BOOST_TEST(r.out.empty(), r.out);
    }
  }
  BOOST_TEST(count("SELECT count(*) FROM audit_log WHERE details->>'request_id' = "
                   "'ctl-no-broker-1'") == 0);
}

BOOST_AUTO_TEST_CASE(connections_test_reports_accepted_refused_and_unreachable_credentials) {
  auto& s = stack();
  auto ok = s.cli({"connections", "test", "twilio/main"});
  BOOST_TEST(ok.exit_code == 0, ok.out << ok.err);
  BOOST_TEST(ok.out.starts_with("ok: twilio/main credentials accepted (GET "
                                "/2010-04-01/Accounts/ACtest.json, 200, "),
             ok.out);
  BOOST_TEST(lines(ok.out) == 1u);
  BOOST_TEST(ok.err.empty(), ok.err);

  // Once the simulator knows the valid tokens, a wrong one is refused; a right one passes.
  s.sim().set_valid_credentials("twilio", {"another-token"});
  s.sim().set_valid_credentials("resend", {"re_key_main"});
  auto refused = s.cli({"connections", "test", "twilio/main"});
  BOOST_TEST(refused.exit_code == 1, refused.out << refused.err);
  BOOST_TEST(refused.out.starts_with("rejected: twilio/main credentials refused (GET "
                                     "/2010-04-01/Accounts/ACtest.json, 401 twilio error 20003, "),
             refused.out);
  BOOST_TEST(lines(refused.out) == 1u);
  auto resend = s.cli({"connections", "test", "resend/main"});
  BOOST_TEST(resend.exit_code == 0, resend.out << resend.err);
  BOOST_TEST(resend.out.starts_with("ok: resend/main credentials accepted (GET /domains, 200, "),
             resend.out);
  check_no_personal_data(refused, {"twilio-auth-token"});
  check_no_personal_data(resend, {"re_key_main"});
  // A send with refused credentials ends dead-lettered as unauthorized.
  const auto sent = s.cli({"send", "--connection", "twilio/main", "--to", "+14155550145", "--text",
                           "x", "--id", "ctl-unauthorized-1"});
  BOOST_TEST(sent.exit_code == 1, sent.out << sent.err);
  BOOST_TEST(sent.out.find("dead_lettered: request ctl-unauthorized-1 on twilio/main: "
                           "unauthorized (attempt 1, provider status 401)") != std::string::npos,
             sent.out);
  s.sim().set_valid_credentials("twilio", {});

  // A webhook connection has nothing to call: its secret's form is checked.
  auto webhook = s.cli({"connections", "test", "webhook/orders"});
  BOOST_TEST(webhook.exit_code == 0, webhook.out << webhook.err);
  BOOST_TEST(webhook.out.starts_with("ok: webhook/orders has nothing to call"), webhook.out);

  // A provider that is down: one line, no client noise.
  const std::string down = "http://127.0.0.1:" + std::to_string(test::closed_port());
  s.enable_sending("sendgrid", "main", "SG.key", R"({"base_url": ")" + down + R"("})");
  auto unreachable = s.cli({"connections", "test", "sendgrid/main"});
  BOOST_TEST(unreachable.exit_code == 1, unreachable.out << unreachable.err);
  BOOST_TEST(unreachable.out.starts_with("unreachable: sendgrid/main got no answer from " + down +
                                         " (GET /v3/scopes, connection failed, "),
             unreachable.out);
  BOOST_TEST(lines(unreachable.out) == 1u);
  BOOST_TEST(unreachable.err.empty(), unreachable.err);

  // Connections that cannot be tested.
  struct Case {
    std::string connection;
    std::string says;
  };
  for (const Case& c : std::vector<Case>{
           {"resend/nope", "hookline connections: connection resend/nope does not exist"},
           {"stripe/main", "the sender has no client for provider stripe"},
           {"whatsapp/main", "connection whatsapp/main has no send secret"},
       }) {
    const auto r = s.cli({"connections", "test", c.connection});
    BOOST_TEST_CONTEXT(c.connection) {
      BOOST_TEST(r.exit_code == 1);
      BOOST_TEST(lines(r.err) == 1u, r.err);
      BOOST_TEST(r.err.find(c.says) != std::string::npos, r.err);
      BOOST_TEST(r.out.empty(), r.out);
    }
  }
  const auto usage = s.cli({"connections", "test"});
  BOOST_TEST(usage.exit_code == 2);
  BOOST_TEST(lines(usage.err) == 1u, usage.err);
}
