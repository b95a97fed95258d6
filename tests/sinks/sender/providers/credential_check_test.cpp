// The credential check of `hookline connections test`: the call built per provider (endpoint,
// method, authentication as the clients do it), answers read on bytes (refusals, sending-only
// keys, missing scopes, inactive accounts, a busy provider, no answer), the operator's line,
// and whole checks against the provider simulator run in-process (good and refused
// credentials, a closed port).
#define BOOST_TEST_MODULE sender_credential_check
#include <boost/test/unit_test.hpp>

#include "core/crypto/encoding.h"
#include "sinks/sender/providers/credential_check.h"
#include "sinks/simulator/engine.h"
#include "sinks/simulator/providers.h"
#include "sinks/simulator/sim_server.h"
#include "tests/sinks/sender/providers/client_testing.h"
#include "tests/support/process.h"

using namespace hookline;
using namespace hookline::sender;
using namespace std::chrono_literals;
using sender::test::header;

namespace hookline::sender {
inline std::ostream& operator<<(std::ostream& os, CredentialVerdict v) {
  return os << to_string(v);
}
}  // namespace hookline::sender

namespace {

SendConnection connection(const std::string& provider, const std::string& credential,
                          const std::string& base_url = "https://api.example.com") {
  SendConnection c;
  c.key = provider + "/main";
  c.provider = provider;
  c.base_url = base_url;
  c.credential = credential;
  c.account_sid = "AC0123456789abcdef";
  c.phone_number_id = "1098765";
  c.api_version = "v21.0";
  c.timeout = 5s;
  return c;
}

HttpCall built(const SendConnection& c) {
  auto call = build_credential_check(c);
  BOOST_REQUIRE_MESSAGE(call.ok(), (call.ok() ? std::string() : call.error().message));
  BOOST_REQUIRE(call->has_value());
  return **call;
}

HttpAnswer answer(int status, std::string body) {
  HttpAnswer a;
  a.status = status;
  a.body = std::move(body);
  a.headers = {{"content-type", "application/json"}};
  return a;
}

// A provider simulator in this process, on 127.0.0.1 and a free port.
struct InProcessSim {
  simulator::Engine engine{simulator::builtin_providers()};
  simulator::SimServer server{engine, simulator::ServerOptions{"127.0.0.1", 0, 4}};
  InProcessSim() { server.start(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server.port()); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(each_provider_gets_its_cheapest_authenticated_call) {
  const HttpCall re = built(connection("resend", "re_key"));
  BOOST_TEST(re.method == "GET");
  BOOST_TEST(re.path == "/domains");
  BOOST_TEST(header(re, "authorization").value_or("") == "Bearer re_key");
  BOOST_TEST(re.body.empty());

  const HttpCall sg = built(connection("sendgrid", "SG.key"));
  BOOST_TEST(sg.method == "GET");
  BOOST_TEST(sg.path == "/v3/scopes");
  BOOST_TEST(header(sg, "authorization").value_or("") == "Bearer SG.key");

  const HttpCall tw = built(connection("twilio", "auth-token"));
  BOOST_TEST(tw.method == "GET");
  BOOST_TEST(tw.path == "/2010-04-01/Accounts/AC0123456789abcdef.json");
  BOOST_TEST(header(tw, "authorization").value_or("") ==
             "Basic " + crypto::base64_encode("AC0123456789abcdef:auth-token"));

  const HttpCall wa = built(connection("whatsapp", "EAAtoken"));
  BOOST_TEST(wa.method == "GET");
  BOOST_TEST(wa.path == "/v21.0/1098765");
  BOOST_TEST(header(wa, "authorization").value_or("") == "Bearer EAAtoken");

  const HttpCall sl = built(connection("slack", "xoxb-token"));
  BOOST_TEST(sl.method == "POST");
  BOOST_TEST(sl.path == "/api/auth.test");
  BOOST_TEST(header(sl, "authorization").value_or("") == "Bearer xoxb-token");

  for (const HttpCall& call : {re, sg, tw, wa, sl}) {
    BOOST_TEST(header(call, "user-agent").value_or("") == "hookline-sender/0.1");
  }
}

BOOST_AUTO_TEST_CASE(connections_that_cannot_be_checked_say_what_they_lack) {
  auto webhook =
      build_credential_check(connection("webhook", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
  BOOST_REQUIRE(webhook.ok());
  BOOST_TEST(!webhook->has_value());  // nothing to call

  auto no_sid = connection("twilio", "tok");
  no_sid.account_sid.clear();
  BOOST_TEST(build_credential_check(no_sid).error().message ==
             "twilio: the connection has no account_sid");
  auto no_phone = connection("whatsapp", "EAA");
  no_phone.phone_number_id.clear();
  BOOST_TEST(build_credential_check(no_phone).error().message ==
             "whatsapp: the connection has no phone_number_id");
  BOOST_TEST(build_credential_check(connection("resend", "")).error().message ==
             "resend: the connection has no send secret");
  BOOST_TEST(build_credential_check(connection("stripe", "sk")).error().message ==
             "stripe: the sender has no client for this provider");
  // A credential with a line break cannot become a header.
  BOOST_TEST(!build_credential_check(connection("resend", "re_a\r\nx: y")).ok());

  const auto r = check_credentials(no_sid);
  BOOST_TEST(r.verdict == CredentialVerdict::rejected);
  BOOST_TEST(report_line("twilio/main", r) ==
             "rejected: twilio/main cannot be checked: the connection has no account_sid");
}

BOOST_AUTO_TEST_CASE(answers_are_read_per_provider) {
  struct Case {
    const char* provider;
    int status;
    const char* body;
    CredentialVerdict verdict;
    const char* code;
    const char* what_starts;
  };
  const Case cases[] = {
      {"resend", 200, R"({"object":"list","data":[]})", CredentialVerdict::accepted, "",
       "credentials accepted"},
      // A sending-only key may not list domains, but it is a good key.
      {"resend", 401,
       R"({"statusCode":401,"name":"restricted_api_key","message":"This API key is restricted to only send emails"})",
       CredentialVerdict::accepted, "restricted_api_key", "credentials accepted (a sending-only"},
      {"resend", 403,
       R"({"statusCode":403,"name":"invalid_api_key","message":"API key is invalid."})",
       CredentialVerdict::rejected, "invalid_api_key", "credentials refused"},
      {"resend", 503, R"({"name":"application_error"})", CredentialVerdict::unverified,
       "application_error", "could not be checked"},
      {"sendgrid", 200, R"({"scopes":["alerts.read","mail.send"]})", CredentialVerdict::accepted,
       "", "credentials accepted"},
      {"sendgrid", 200, R"({"scopes":["alerts.read"]})", CredentialVerdict::rejected, "",
       "credentials accepted, but the key lacks the mail.send scope"},
      {"sendgrid", 401, R"({"errors":[{"field":null,"message":"authorization required"}]})",
       CredentialVerdict::rejected, "authorization required", "credentials refused"},
      {"twilio", 200, R"({"sid":"AC1","status":"active"})", CredentialVerdict::accepted, "",
       "credentials accepted"},
      {"twilio", 200, R"({"sid":"AC1","status":"suspended"})", CredentialVerdict::rejected, "",
       "credentials accepted, but the account is suspended"},
      {"twilio", 401, R"({"code":20003,"message":"Authenticate","status":401})",
       CredentialVerdict::rejected, "twilio error 20003", "credentials refused"},
      {"twilio", 404, R"({"code":20404,"message":"not found","status":404})",
       CredentialVerdict::rejected, "twilio error 20404", "call refused"},
      {"twilio", 429, R"({"code":20429})", CredentialVerdict::unverified, "twilio error 20429",
       "could not be checked"},
      {"whatsapp", 200, R"({"id":"1098765","verified_name":"Acme"})", CredentialVerdict::accepted,
       "", "credentials accepted"},
      {"whatsapp", 401, R"({"error":{"message":"x","type":"OAuthException","code":190}})",
       CredentialVerdict::rejected, "whatsapp error 190 (OAuthException)", "credentials refused"},
      {"whatsapp", 400,
       R"({"error":{"message":"Unsupported get request","type":"GraphMethodException","code":100,"error_subcode":33}})",
       CredentialVerdict::rejected, "whatsapp error 100/33 (GraphMethodException)", "call refused"},
      {"slack", 200, R"({"ok":true,"team_id":"T1","user_id":"U1"})", CredentialVerdict::accepted,
       "", "credentials accepted"},
      {"slack", 200, R"({"ok":false,"error":"invalid_auth"})", CredentialVerdict::rejected,
       "invalid_auth", "credentials refused"},
      {"slack", 200, R"({"ok":false,"error":"token_revoked"})", CredentialVerdict::rejected,
       "token_revoked", "credentials refused"},
      {"slack", 200, R"({"ok":false,"error":"service_unavailable"})", CredentialVerdict::unverified,
       "service_unavailable", "could not be checked"},
      {"slack", 200, "<html>not slack</html>", CredentialVerdict::rejected, "",
       "got an answer that is not Slack's"},
      {"slack", 429, R"({"ok":false,"error":"ratelimited"})", CredentialVerdict::unverified,
       "ratelimited", "could not be checked"},
      {"resend", 301, "", CredentialVerdict::rejected, "", "call refused"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.provider << " " << c.status << " " << c.body) {
      const auto r = read_credential_answer(c.provider, answer(c.status, c.body));
      BOOST_TEST(r.verdict == c.verdict);
      BOOST_TEST(r.status == c.status);
      BOOST_TEST(r.code == c.code);
      BOOST_TEST(r.what.starts_with(c.what_starts), r.what);
    }
  }
  HttpAnswer none;
  none.transport_error = "connection failed";
  const auto r = read_credential_answer("resend", none);
  BOOST_TEST(r.verdict == CredentialVerdict::unreachable);
  BOOST_TEST(r.code == "connection failed");
}

BOOST_AUTO_TEST_CASE(provider_texts_in_reports_are_excerpts_without_personal_data) {
  const auto r = read_credential_answer(
      "sendgrid",
      answer(403, R"({"errors":[{"message":"access forbidden for ops@example.com"}]})"));
  BOOST_TEST(r.verdict == CredentialVerdict::rejected);
  BOOST_TEST(r.code.find("ops@example.com") == std::string::npos);
  BOOST_TEST(r.code.find("[redacted]") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_report_is_one_line) {
  CredentialReport r;
  r.verdict = CredentialVerdict::accepted;
  r.what = "credentials accepted";
  r.endpoint = "GET /domains";
  r.status = 200;
  r.elapsed = 35ms;
  BOOST_TEST(report_line("resend/main", r) ==
             "ok: resend/main credentials accepted (GET /domains, 200, 35 ms)");
  r.verdict = CredentialVerdict::rejected;
  r.what = "credentials refused";
  r.status = 403;
  r.code = "invalid_api_key";
  r.elapsed = 12ms;
  BOOST_TEST(
      report_line("resend/main", r) ==
      "rejected: resend/main credentials refused (GET /domains, 403 invalid_api_key, 12 ms)");
  r.verdict = CredentialVerdict::unreachable;
  r.what = "got no answer from http://127.0.0.1:1";
  r.status = 0;
  r.code = "connection failed";
  r.elapsed = 1ms;
  BOOST_TEST(report_line("resend/main", r) ==
             "unreachable: resend/main got no answer from http://127.0.0.1:1 (GET /domains, "
             "connection failed, 1 ms)");
}

BOOST_AUTO_TEST_CASE(webhook_connections_are_not_called_but_their_secret_is_checked) {
  const auto good = check_credentials(
      connection("webhook", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "http://127.0.0.1:1"));
  BOOST_TEST(good.verdict == CredentialVerdict::accepted);
  BOOST_TEST(good.endpoint.empty());
  BOOST_TEST(
      report_line("webhook/orders", good).starts_with("ok: webhook/orders has nothing to call"));
  const auto bad = check_credentials(connection("webhook", "whsec_not base64!"));
  BOOST_TEST(bad.verdict == CredentialVerdict::rejected);
  BOOST_TEST(report_line("webhook/orders", bad) ==
             "rejected: webhook/orders cannot sign: its send secret is not a whsec_<base64> "
             "signing secret");
}

BOOST_AUTO_TEST_CASE(checks_against_the_simulator_accept_good_and_refuse_wrong_credentials) {
  InProcessSim sim;
  for (const char* provider : {"resend", "sendgrid", "twilio", "whatsapp", "slack"}) {
    BOOST_TEST_CONTEXT(provider) {
      const std::string good = std::string(provider) + "-good";
      sim.engine.set_credentials(provider, {good});
      const auto ok = check_credentials(connection(provider, good, sim.url()));
      BOOST_TEST(ok.verdict == CredentialVerdict::accepted, report_line("x/main", ok));
      BOOST_TEST(ok.elapsed.has_value());
      const auto refused = check_credentials(connection(provider, "wrong", sim.url()));
      BOOST_TEST(refused.verdict == CredentialVerdict::rejected, report_line("x/main", refused));
      BOOST_TEST(refused.what == "credentials refused");
    }
  }
  // The simulator saw each check twice, on the check endpoints only.
  const auto records = sim.engine.requests({});
  BOOST_TEST(records.size() == 10u);
  for (const auto& r : records) BOOST_TEST(r.message_id.empty());

  // A base_url written with a trailing slash works the same.
  const auto line = report_line(
      "resend/main", check_credentials(connection("resend", "resend-good", sim.url() + "/")));
  BOOST_TEST(line.starts_with("ok: resend/main credentials accepted (GET /domains, 200, "), line);
}

BOOST_AUTO_TEST_CASE(a_closed_port_is_unreachable_in_one_line) {
  const std::string url = "http://127.0.0.1:" + std::to_string(hookline::test::closed_port());
  const auto r = check_credentials(connection("resend", "re_key", url));
  BOOST_TEST(r.verdict == CredentialVerdict::unreachable);
  const std::string line = report_line("resend/main", r);
  BOOST_TEST(line.starts_with("unreachable: resend/main got no answer from " + url +
                              " (GET /domains, connection failed, "),
             line);
  BOOST_TEST(line.find('\n') == std::string::npos);
  BOOST_TEST(line.find("re_key") == std::string::npos);
}
