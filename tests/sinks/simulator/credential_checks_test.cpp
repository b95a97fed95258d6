// The simulator's credential side, on the Engine with no HTTP: each provider's check endpoint
// (GET /domains, GET /v3/scopes, GET /2010-04-01/Accounts/{sid}.json, GET /{version}/{id},
// POST /api/auth.test) in the provider's shape, and valid credentials declared per provider,
// refused in the provider's own way on the send and the check endpoints alike; plus their
// control API JSON.
#define BOOST_TEST_MODULE sinks_simulator_credential_checks
#include <boost/test/unit_test.hpp>

#include "core/crypto/encoding.h"
#include "core/files.h"
#include "core/json_reader.h"
#include "sinks/simulator/credential_list.h"
#include "sinks/simulator/engine.h"
#include "sinks/simulator/providers.h"
#include "sinks/simulator/rules_json.h"
#include "tests/support/process.h"

using namespace hookline;
using namespace hookline::simulator;

namespace {

HeaderList bearer(const std::string& token) {
  return {{"authorization", "Bearer " + token}, {"content-type", "application/json"}};
}

HeaderList basic(const std::string& user, const std::string& password) {
  return {{"authorization", "Basic " + crypto::base64_encode(user + ":" + password)},
          {"content-type", "application/x-www-form-urlencoded"}};
}

struct Sim {
  Engine engine{builtin_providers()};

  Verdict call(const std::string& method, const std::string& path, HeaderList headers,
               const std::string& body = "") {
    Incoming in;
    in.method = method;
    in.path = path;
    in.headers = std::move(headers);
    in.body = body;
    return engine.handle(std::move(in));
  }
  // The send endpoints, with valid bodies.
  Verdict send_resend(const std::string& key) {
    return call("POST", "/emails", bearer(key), R"({"to":"a@example.com"})");
  }
  Verdict send_sendgrid(const std::string& key) {
    return call("POST", "/v3/mail/send", bearer(key), R"({"personalizations":[]})");
  }
  Verdict send_twilio(const std::string& token) {
    return call("POST", "/2010-04-01/Accounts/AC0123/Messages.json", basic("AC0123", token),
                "To=%2B15005550006&From=%2B15005550001&Body=hi");
  }
  Verdict send_whatsapp(const std::string& token) {
    return call("POST", "/v21.0/1098765/messages", bearer(token), R"({"to":"15551234567"})");
  }
  Verdict send_slack(const std::string& token) {
    return call("POST", "/api/chat.postMessage", bearer(token), R"({"channel":"C1","text":"x"})");
  }
  // The check endpoints.
  Verdict check_resend(const std::string& key) { return call("GET", "/domains", bearer(key)); }
  Verdict check_sendgrid(const std::string& key) { return call("GET", "/v3/scopes", bearer(key)); }
  Verdict check_twilio(const std::string& token) {
    return call("GET", "/2010-04-01/Accounts/AC0123.json", basic("AC0123", token));
  }
  Verdict check_whatsapp(const std::string& token) {
    return call("GET", "/v21.0/1098765", bearer(token));
  }
  Verdict check_slack(const std::string& token) {
    return call("POST", "/api/auth.test", bearer(token));
  }
};

rapidjson::Document json(const Verdict& v) {
  return parse_json_text(v.answer.body, "answer");
}

template <class F>
std::string error_of(F fn) {
  try {
    fn();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(each_check_endpoint_answers_in_its_providers_shape, Sim) {
  auto re = check_resend("re_a");
  BOOST_CHECK_EQUAL(re.answer.status, 200);
  BOOST_CHECK_EQUAL(json(re)["object"].GetString(), "list");
  BOOST_CHECK(json(re)["data"].IsArray());

  auto sg = check_sendgrid("SG.a");
  BOOST_CHECK_EQUAL(sg.answer.status, 200);
  BOOST_CHECK_EQUAL(json(sg)["scopes"][0].GetString(), "mail.send");

  auto tw = check_twilio("token");
  BOOST_CHECK_EQUAL(tw.answer.status, 200);
  BOOST_CHECK_EQUAL(json(tw)["sid"].GetString(), "AC0123");
  BOOST_CHECK_EQUAL(json(tw)["status"].GetString(), "active");
  BOOST_CHECK(!json(tw).HasMember("auth_token"));

  auto wa = check_whatsapp("EAA1");
  BOOST_CHECK_EQUAL(wa.answer.status, 200);
  BOOST_CHECK_EQUAL(json(wa)["id"].GetString(), "1098765");
  BOOST_CHECK(json(wa).HasMember("verified_name"));

  auto sl = check_slack("xoxb-1");
  BOOST_CHECK_EQUAL(sl.answer.status, 200);
  BOOST_CHECK(json(sl)["ok"].GetBool());
  BOOST_CHECK(json(sl).HasMember("team_id"));

  // Recorded like sends: provider, method, path, target; no message id.
  const auto records = engine.requests({});
  BOOST_REQUIRE_EQUAL(records.size(), 5u);
  BOOST_CHECK_EQUAL(records[0].provider, "resend");
  BOOST_CHECK_EQUAL(records[0].method, "GET");
  BOOST_CHECK_EQUAL(records[0].path, "/domains");
  BOOST_CHECK_EQUAL(records[2].provider, "twilio");
  BOOST_CHECK_EQUAL(records[2].target, "AC0123");
  BOOST_CHECK_EQUAL(records[3].provider, "whatsapp");
  BOOST_CHECK_EQUAL(records[4].target, "xoxb-1");
  for (const auto& r : records) BOOST_CHECK(r.message_id.empty());
}

BOOST_FIXTURE_TEST_CASE(check_endpoints_refuse_other_methods_and_missing_credentials, Sim) {
  BOOST_CHECK_EQUAL(call("POST", "/domains", bearer("re_a"), "{}").answer.status, 405);
  BOOST_CHECK_EQUAL(call("GET", "/api/auth.test", bearer("xoxb-1")).answer.status, 405);
  BOOST_CHECK_EQUAL(call("DELETE", "/v21.0/1098765", bearer("EAA1")).answer.status, 405);
  auto missing = call("GET", "/domains", {});
  BOOST_CHECK_EQUAL(missing.answer.status, 401);
  BOOST_CHECK_EQUAL(json(missing)["name"].GetString(), "missing_api_key");
  auto tw = call("GET", "/2010-04-01/Accounts/AC0123.json", {});
  BOOST_CHECK_EQUAL(tw.answer.status, 401);
  BOOST_CHECK_EQUAL(json(tw)["code"].GetInt(), 20003);
  // Paths that only look alike stay unknown.
  BOOST_CHECK_EQUAL(call("GET", "/v21/1098765", bearer("EAA1")).answer.status, 404);
  BOOST_CHECK_EQUAL(call("GET", "/domains/d1", bearer("re_a")).answer.status, 404);
}

BOOST_FIXTURE_TEST_CASE(without_declared_credentials_any_non_empty_one_is_accepted, Sim) {
  BOOST_CHECK_EQUAL(send_resend("anything").answer.status, 200);
  BOOST_CHECK_EQUAL(check_resend("anything-else").answer.status, 200);
  BOOST_CHECK_EQUAL(send_twilio("whatever").answer.status, 201);
  BOOST_CHECK(engine.credential_counts().empty());
}

BOOST_FIXTURE_TEST_CASE(declared_credentials_refuse_others_in_each_providers_way, Sim) {
  engine.set_credentials("resend", {"re_good", "re_other"});
  engine.set_credentials("sendgrid", {"SG.good"});
  engine.set_credentials("twilio", {"good-token"});
  engine.set_credentials("whatsapp", {"EAAgood"});
  engine.set_credentials("slack", {"xoxb-good"});

  // Good ones pass on both endpoints.
  BOOST_CHECK_EQUAL(send_resend("re_good").answer.status, 200);
  BOOST_CHECK_EQUAL(check_resend("re_other").answer.status, 200);
  BOOST_CHECK_EQUAL(send_sendgrid("SG.good").answer.status, 202);
  BOOST_CHECK_EQUAL(check_sendgrid("SG.good").answer.status, 200);
  BOOST_CHECK_EQUAL(send_twilio("good-token").answer.status, 201);
  BOOST_CHECK_EQUAL(check_twilio("good-token").answer.status, 200);
  BOOST_CHECK_EQUAL(send_whatsapp("EAAgood").answer.status, 200);
  BOOST_CHECK_EQUAL(check_whatsapp("EAAgood").answer.status, 200);
  BOOST_CHECK_EQUAL(send_slack("xoxb-good").answer.status, 200);
  BOOST_CHECK_EQUAL(check_slack("xoxb-good").answer.status, 200);

  // Wrong ones get what the provider answers a wrong key.
  for (const Verdict& v : {send_resend("re_bad"), check_resend("re_bad")}) {
    BOOST_CHECK_EQUAL(v.answer.status, 403);
    BOOST_CHECK_EQUAL(json(v)["name"].GetString(), "invalid_api_key");
  }
  for (const Verdict& v : {send_sendgrid("SG.bad"), check_sendgrid("SG.bad")}) {
    BOOST_CHECK_EQUAL(v.answer.status, 401);
    BOOST_CHECK(json(v)["errors"].IsArray());
  }
  for (const Verdict& v : {send_twilio("bad-token"), check_twilio("bad-token")}) {
    BOOST_CHECK_EQUAL(v.answer.status, 401);
    BOOST_CHECK_EQUAL(json(v)["code"].GetInt(), 20003);
  }
  for (const Verdict& v : {send_whatsapp("EAAbad"), check_whatsapp("EAAbad")}) {
    BOOST_CHECK_EQUAL(v.answer.status, 401);
    BOOST_CHECK_EQUAL(json(v)["error"]["code"].GetInt(), 190);
  }
  for (const Verdict& v : {send_slack("xoxb-bad"), check_slack("xoxb-bad")}) {
    BOOST_CHECK_EQUAL(v.answer.status, 200);  // as Slack does
    BOOST_CHECK(!json(v)["ok"].GetBool());
    BOOST_CHECK_EQUAL(json(v)["error"].GetString(), "invalid_auth");
  }
  // Twilio's credential is the password: the right user with a wrong password is refused.
  BOOST_CHECK_EQUAL(
      call("GET", "/2010-04-01/Accounts/AC0123.json", basic("good-token", "x")).answer.status, 401);
  // Refused requests are recorded with their status and nothing is sent.
  RecordFilter bad_key;
  bad_key.provider = "resend";
  bad_key.target = "re_bad";
  bad_key.status = 403;
  const auto refused = engine.requests(bad_key);
  BOOST_CHECK_EQUAL(refused.size(), 2u);
  for (const auto& r : refused) BOOST_CHECK(r.message_id.empty());
  // Webhooks carry no credential: unaffected.
  BOOST_CHECK_EQUAL(
      call("POST", "/hooks/a", {{"content-type", "application/json"}}, "{}").answer.status, 200);

  const auto counts = engine.credential_counts();
  BOOST_CHECK_EQUAL(counts.at("resend"), 2u);
  BOOST_CHECK_EQUAL(counts.at("slack"), 1u);

  // An empty list accepts any again; reset forgets every declaration.
  engine.set_credentials("resend", {});
  BOOST_CHECK_EQUAL(send_resend("re_bad").answer.status, 200);
  engine.reset();
  BOOST_CHECK_EQUAL(check_slack("xoxb-bad").answer.status, 200);
  BOOST_CHECK(json(check_slack("xoxb-bad"))["ok"].GetBool());
  BOOST_CHECK(engine.credential_counts().empty());
}

BOOST_FIXTURE_TEST_CASE(faults_and_rate_limits_apply_to_check_endpoints, Sim) {
  Fault down;
  down.match = Match{"resend", "", "/domains"};
  down.status = 503;
  engine.add_fault(down);
  Fault cut;
  cut.match = Match{"twilio", "", ""};
  cut.status = 0;
  engine.add_fault(cut);
  Fault created;
  created.match = Match{"whatsapp", "", ""};
  created.status = 203;
  engine.add_fault(created);

  auto re = check_resend("re_a");
  BOOST_CHECK_EQUAL(re.answer.status, 503);
  BOOST_CHECK_EQUAL(json(re)["name"].GetString(), "application_error");
  BOOST_CHECK_EQUAL(send_resend("re_a").answer.status, 200);  // the fault matched /domains only
  BOOST_CHECK(check_twilio("token").close);
  // A 2xx fault answers with the check's own success body.
  auto wa = check_whatsapp("EAA1");
  BOOST_CHECK_EQUAL(wa.answer.status, 203);
  BOOST_CHECK_EQUAL(json(wa)["id"].GetString(), "1098765");

  RateRule one;
  one.match = Match{"slack", "", ""};
  one.rate_per_s = 0.001;
  one.burst = 1;
  engine.add_rate_rule(one);
  BOOST_CHECK_EQUAL(check_slack("xoxb-1").answer.status, 200);
  auto limited = check_slack("xoxb-1");
  BOOST_CHECK_EQUAL(limited.answer.status, 429);
  BOOST_CHECK_EQUAL(json(limited)["error"].GetString(), "ratelimited");
}

BOOST_AUTO_TEST_CASE(a_credential_list_keeps_declarations_per_provider) {
  CredentialList list;
  BOOST_CHECK(list.accepts("resend", "anything"));
  list.set("resend", {"a", "b"});
  BOOST_CHECK(list.accepts("resend", "a"));
  BOOST_CHECK(!list.accepts("resend", "c"));
  BOOST_CHECK(!list.accepts("resend", ""));
  BOOST_CHECK(list.accepts("twilio", "c"));
  list.set("resend", {"c"});  // replaces
  BOOST_CHECK(!list.accepts("resend", "a"));
  BOOST_CHECK(list.accepts("resend", "c"));
  list.clear();
  BOOST_CHECK(list.accepts("resend", "a"));
}

BOOST_AUTO_TEST_CASE(credential_rules_are_read_strictly_and_rendered_as_counts) {
  const CredentialRule r =
      parse_credential_rule(R"({"provider":"resend","valid":["re_1","re_2"]})");
  BOOST_CHECK_EQUAL(r.provider, "resend");
  BOOST_REQUIRE_EQUAL(r.valid.size(), 2u);
  BOOST_CHECK_EQUAL(r.valid[1], "re_2");
  BOOST_CHECK(parse_credential_rule(R"({"provider":"slack","valid":[]})").valid.empty());

  BOOST_CHECK(contains(error_of([] { parse_credential_rule(R"({"valid":["a"]})"); }),
                       "key 'provider': is required"));
  BOOST_CHECK(
      contains(error_of([] { parse_credential_rule(R"({"provider":"webhook","valid":["a"]})"); }),
               "key 'provider': webhook requests carry no credential"));
  BOOST_CHECK(
      contains(error_of([] { parse_credential_rule(R"({"provider":"stripe","valid":["a"]})"); }),
               "key 'provider': must be one of"));
  BOOST_CHECK(contains(error_of([] { parse_credential_rule(R"({"provider":"resend"})"); }),
                       "key 'valid': is required"));
  BOOST_CHECK(
      contains(error_of([] { parse_credential_rule(R"({"provider":"resend","valid":"re_1"})"); }),
               "key 'valid': must be an array"));
  // Bad values are named by position, never echoed.
  const std::string bad =
      error_of([] { parse_credential_rule(R"({"provider":"resend","valid":["re_secret",""]})"); });
  BOOST_CHECK(contains(bad, "key 'valid[1]': must be 1 to"));
  BOOST_CHECK(!contains(bad, "re_secret"));
  BOOST_CHECK(
      contains(error_of([] { parse_credential_rule(R"({"provider":"resend","valid":[1]})"); }),
               "key 'valid[0]': must be a string"));
  BOOST_CHECK(
      contains(error_of([] { parse_credential_rule(R"({"provider":"resend","valid":[],"x":1})"); }),
               "key 'x': unknown key"));

  auto doc = parse_json_text(render_credential_counts({{"resend", 2}, {"twilio", 1}}), "counts");
  BOOST_CHECK_EQUAL(doc["credentials"]["resend"].GetUint64(), 2u);
  BOOST_CHECK_EQUAL(doc["credentials"]["twilio"].GetUint64(), 1u);

  test::TempDir dir;
  const std::string path = dir.file("sim.json");
  write_file_atomic(path, R"({"credentials":[{"provider":"twilio","valid":["tok"]}]})");
  const InitialRules rules = load_rules_file(path);
  BOOST_REQUIRE_EQUAL(rules.credentials.size(), 1u);
  BOOST_CHECK_EQUAL(rules.credentials[0].provider, "twilio");
  write_file_atomic(path, R"({"credentials":[{"provider":"webhook","valid":["x"]}]})");
  BOOST_CHECK(contains(error_of([&] { (void)load_rules_file(path); }),
                       path + ": credentials[0]: key 'provider'"));
}
