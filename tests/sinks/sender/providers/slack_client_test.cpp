// Slack: the built call against slackapi/slack-api-specs' description of chat.postMessage
// (specs/slack.json, Swagger 2: the body's members must be the method's parameters), and the
// reading of answers: 200 with ok:false is a failure, 429 carries Retry-After.
#define BOOST_TEST_MODULE sender_slack_client
#include <boost/test/unit_test.hpp>

#include <set>

#include "sinks/sender/providers/slack_client.h"
#include "tests/sinks/sender/providers/client_testing.h"

using namespace hookline;
using namespace hookline::sender;
using namespace hookline::sender::test;

namespace {

const std::string kChannel = "C1H9RESGL";
const char* const kOperation = "/paths/~1chat.postMessage/post";
const std::string kBlocks =
    R"([{"type":"section","text":{"type":"mrkdwn","text":"Approve *refund #42*?"}}])";

SendConnection connection() {
  SendConnection c;
  c.key = "slack/main";
  c.provider = "slack";
  c.base_url = "https://slack.com";
  c.credential = "xoxb-test";
  return c;
}

SendRequest message() {
  SendRequest r = request_on(Channel::slack, "slack/main", kChannel);
  r.content.text = "Approve refund #42?";
  r.content.blocks_json = kBlocks;
  return r;
}

HttpCall build(const SendRequest& r, const SendConnection& c = connection()) {
  auto call = make_slack_client()->build(r, c, 1, kNow);
  BOOST_REQUIRE_MESSAGE(call.ok(), why(call));
  return call.value();
}

Error refused(const SendRequest& r, const SendConnection& c = connection()) {
  auto call = make_slack_client()->build(r, c, 1, kNow);
  BOOST_REQUIRE(!call.ok());
  BOOST_TEST(call.error().kind == ErrorKind::permanent);
  return call.error();
}

SendResult read(const HttpAnswer& a) {
  return make_slack_client()->interpret(a);
}

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return buf.GetString();
}

HttpAnswer not_ok(const std::string& error) {
  return answer(200, R"({"ok":false,"error":")" + error + R"("})");
}

}  // namespace

BOOST_AUTO_TEST_CASE(post_message_matches_the_api_description) {
  const SpecChecker spec("slack");
  const auto r = message();
  const auto call = build(r);
  // basePath /api + /chat.postMessage
  BOOST_TEST(str(spec.at("/basePath")) == "/api");
  BOOST_TEST(call.path == "/api/chat.postMessage");
  check_common_headers(call, r, "application/json; charset=utf-8");
  // The description's `token` parameter, sent the way Slack takes it with a JSON body.
  BOOST_TEST(header(call, "authorization").value_or("") == "Bearer xoxb-test");

  std::set<std::string> form_data, required;
  for (const auto& p : spec.at(std::string(kOperation) + "/parameters").GetArray()) {
    if (std::string(p["in"].GetString()) != "formData") continue;
    form_data.insert(p["name"].GetString());
    if (p.HasMember("required") && p["required"].GetBool()) required.insert(p["name"].GetString());
  }
  BOOST_REQUIRE(!form_data.empty());
  const auto body = json_of(call.body);
  for (const auto& k : keys(body)) BOOST_TEST_CONTEXT(k) {
      BOOST_TEST(form_data.count(k) == 1u);
    }
  for (const auto& k : required) BOOST_TEST_CONTEXT(k) {
      BOOST_TEST(body.HasMember(k.c_str()));
    }
  BOOST_TEST(str(body["channel"]) == kChannel);
  BOOST_TEST(str(body["text"]) == "Approve refund #42?");
  // A JSON body takes blocks as an array (the form's URL-encoded string, decoded).
  BOOST_REQUIRE(body["blocks"].IsArray());
  BOOST_TEST(to_json(body["blocks"]) == kBlocks);
}

BOOST_AUTO_TEST_CASE(text_alone_or_blocks_alone) {
  auto r = message();
  r.content.blocks_json.clear();
  auto body = json_of(build(r).body);
  BOOST_TEST(!body.HasMember("blocks"));
  r = message();
  r.content.text.clear();
  body = json_of(build(r).body);
  BOOST_TEST(!body.HasMember("text"));
  BOOST_TEST(body["blocks"].IsArray());
}

BOOST_AUTO_TEST_CASE(requests_it_cannot_send_are_refused) {
  auto r = message();
  r.channel = Channel::email;
  refused(r);
  r = message();
  r.content.text.clear();
  r.content.blocks_json.clear();
  refused(r);
  r = message();
  r.content.blocks_json = R"({"type":"section"})";  // not an array
  BOOST_TEST(refused(r).message.find("blocks_json") != std::string::npos);
  r.content.blocks_json = "[{";
  refused(r);
  auto c = connection();
  c.credential.clear();
  refused(message(), c);
}

BOOST_AUTO_TEST_CASE(success_reads_the_descriptions_example) {
  const SpecChecker spec("slack");
  const auto s = read(answer(200, to_json(spec.at(std::string(kOperation) +
                                                  "/responses/200/examples/application~1json"))));
  BOOST_TEST(s.outcome == Outcome::sent);
  BOOST_TEST(s.provider_message_id == "C1H9RESGL:1503435956.000247");
}

BOOST_AUTO_TEST_CASE(ok_false_is_a_failure) {
  const SpecChecker spec("slack");
  // The description's error example: too_many_attachments.
  auto s = read(answer(200, to_json(spec.at(std::string(kOperation) +
                                            "/responses/default/examples/application~1json"))));
  BOOST_TEST(s.outcome == Outcome::permanent);
  BOOST_TEST(s.excerpt == "too_many_attachments");
  BOOST_TEST(s.provider_message_id.empty());

  for (const char* e : {"channel_not_found", "not_in_channel", "invalid_auth", "account_inactive",
                        "no_text", "invalid_blocks", "some_future_error"}) {
    BOOST_TEST_CONTEXT(e) {
      s = read(not_ok(e));
      BOOST_TEST(s.outcome == Outcome::permanent);
      BOOST_TEST(s.excerpt == e);
      BOOST_TEST(!s.server_failure);
    }
  }
  BOOST_TEST(read(not_ok("channel_not_found")).error_class == "invalid-recipient");
  s = read(answer(200, R"({"ok":false})"));  // no error name at all
  BOOST_TEST(s.outcome == Outcome::permanent);
  BOOST_TEST(s.error_class == "rejected");
  BOOST_TEST(read(not_ok("invalid_auth")).error_class == "unauthorized");

  for (const char* e :
       {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}) {
    BOOST_TEST_CONTEXT(e) {
      s = read(not_ok(e));
      BOOST_TEST(s.outcome == Outcome::retryable);
      BOOST_TEST(s.server_failure);
      BOOST_TEST(!s.throttled);
    }
  }
  for (const char* e : {"ratelimited", "rate_limited"}) {
    BOOST_TEST_CONTEXT(e) {
      s = read(not_ok(e));
      BOOST_TEST(s.outcome == Outcome::retryable);
      BOOST_TEST(s.throttled);
      BOOST_TEST(s.error_class == "throttled");
    }
  }
}

BOOST_AUTO_TEST_CASE(http_errors) {
  auto s = read(answer(429, R"({"ok":false,"error":"ratelimited"})", {{"retry-after", "30"}}));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.throttled);
  BOOST_REQUIRE(s.retry_after);
  BOOST_TEST(s.retry_after->count() == 30000);
  s = read(answer(503, "Service Unavailable"));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.server_failure);
  BOOST_TEST(s.error_class == "http-503");
  BOOST_TEST(s.excerpt.empty());
  // A 200 that is not Slack's JSON: unknown whether it was posted; retried.
  s = read(answer(200, "<html>captive portal</html>"));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.error_class == "bad-answer");
  s = read(transport_failure("connection failed"));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.error_class == "network");
}
