// WhatsApp Cloud API: the built call against facebook/openapi's description of
// POST /{Version}/{Phone-Number-ID}/messages (specs/whatsapp.json), the opt-out text of
// marketing text messages, refusals, and Meta's error codes.
#define BOOST_TEST_MODULE sender_whatsapp_client
#include <boost/test/unit_test.hpp>

#include "sinks/sender/providers/whatsapp_client.h"
#include "tests/sinks/sender/providers/client_testing.h"

using namespace hookline;
using namespace hookline::sender;
using namespace hookline::sender::test;

namespace {

const std::string kTo = "+16505551234";
const char* const kOperation = "/paths/~1{Version}~1{Phone-Number-ID}~1messages/post";
const char* const kMessage = "/components/schemas/Message";

SendConnection connection() {
  SendConnection c;
  c.key = "whatsapp/main";
  c.provider = "whatsapp";
  c.base_url = "https://graph.facebook.com";
  c.credential = "EAAB-test-token";
  c.phone_number_id = "106540352242922";
  c.api_version = "v21.0";
  return c;
}

SendRequest templated() {
  SendRequest r = request_on(Channel::whatsapp, "whatsapp/main", kTo);
  r.content.template_ = Template{"order_confirmation", "en_US", {"Ada", "#1042"}};
  return r;
}

SendRequest text(std::string body) {
  SendRequest r = request_on(Channel::whatsapp, "whatsapp/main", kTo);
  r.content.text = std::move(body);
  return r;
}

HttpCall build(const SendRequest& r, const SendConnection& c = connection()) {
  auto call = make_whatsapp_client()->build(r, c, 1, kNow);
  BOOST_REQUIRE_MESSAGE(call.ok(), why(call));
  return call.value();
}

Error refused(const SendRequest& r, const SendConnection& c = connection()) {
  auto call = make_whatsapp_client()->build(r, c, 1, kNow);
  BOOST_REQUIRE(!call.ok());
  BOOST_TEST(call.error().kind == ErrorKind::permanent);
  return call.error();
}

SendResult read(const HttpAnswer& a) {
  return make_whatsapp_client()->interpret(a);
}

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return buf.GetString();
}

HttpAnswer meta_error(int status, int code,
                      std::vector<std::pair<std::string, std::string>> h = {}) {
  return answer(status,
                R"({"error":{"message":"(#)" + std::to_string(code) + R"() Recipient )" + kTo +
                    R"( failed","type":"OAuthException","code":)" + std::to_string(code) +
                    R"(,"error_data":{"messaging_product":"whatsapp","details":"to )" + kTo +
                    R"("},"fbtrace_id":"AbCdEf"}})",
                std::move(h));
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_checker_accepts_the_descriptions_examples_and_refuses_unknown_fields) {
  const SpecChecker spec("whatsapp");
  const std::string examples =
      std::string(kOperation) + "/requestBody/content/application~1json/examples/";
  HOOKLINE_CHECK_CONFORMS(spec, kMessage, spec.at(examples + "Send Text Message/value"));
  // The description's template example leaves out language.policy, which its own schema
  // requires: that is its one problem (we send policy "deterministic", the only value).
  const auto problems =
      spec.problems(kMessage, spec.at(examples + "Send Message Template Text/value"));
  BOOST_TEST(problems == std::vector<std::string>{"/template/language/policy: required, missing"});
  auto doc = json_of(R"({"messaging_product":"whatsapp","recipient_type":"individual","to":"1",
                         "type":"text","text":{"body":"x","bogus":1}})");
  BOOST_TEST(!spec.problems(kMessage, doc).empty());
}

BOOST_AUTO_TEST_CASE(template_message_matches_the_api_description) {
  const SpecChecker spec("whatsapp");
  const auto r = templated();
  const auto call = build(r);
  BOOST_TEST(call.path == "/v21.0/106540352242922/messages");
  check_common_headers(call, r, "application/json");
  BOOST_TEST(header(call, "authorization").value_or("") == "Bearer EAAB-test-token");

  const auto body = json_of(call.body);
  HOOKLINE_CHECK_CONFORMS(spec, kMessage, body);
  BOOST_TEST(str(body["messaging_product"]) == "whatsapp");
  BOOST_TEST(str(body["recipient_type"]) == "individual");
  BOOST_TEST(str(body["to"]) == kTo);
  BOOST_TEST(str(body["type"]) == "template");
  const auto& t = body["template"];
  BOOST_TEST(str(t["name"]) == "order_confirmation");
  BOOST_TEST(str(t["language"]["code"]) == "en_US");
  BOOST_TEST(str(t["language"]["policy"]) == "deterministic");  // required by the description
  BOOST_REQUIRE_EQUAL(t["components"].Size(), 1u);
  const auto& component = t["components"][0];
  BOOST_TEST(str(component["type"]) == "body");
  BOOST_REQUIRE_EQUAL(component["parameters"].Size(), 2u);
  BOOST_TEST(str(component["parameters"][0]["type"]) == "text");
  BOOST_TEST(str(component["parameters"][0]["text"]) == "Ada");
  BOOST_TEST(str(component["parameters"][1]["text"]) == "#1042");
}

BOOST_AUTO_TEST_CASE(a_template_without_parameters_has_no_components) {
  auto r = templated();
  r.content.template_->parameters.clear();
  const auto body = json_of(build(r).body);
  BOOST_TEST(!body["template"].HasMember("components"));
}

BOOST_AUTO_TEST_CASE(text_message_matches_the_api_description) {
  const SpecChecker spec("whatsapp");
  const auto body = json_of(build(text("Your order shipped")).body);
  HOOKLINE_CHECK_CONFORMS(spec, kMessage, body);
  BOOST_TEST(str(body["type"]) == "text");
  BOOST_TEST(str(body["text"]["body"]) == "Your order shipped");
  BOOST_TEST(!body.HasMember("template"));
}

BOOST_AUTO_TEST_CASE(marketing_text_ends_with_the_opt_out_text_once) {
  auto r = text("New arrivals are in");
  r.purpose = Purpose::marketing;
  auto c = connection();
  c.opt_out_text = "Reply STOP to opt out.";
  BOOST_TEST(str(json_of(build(r, c).body)["text"]["body"]) ==
             "New arrivals are in\nReply STOP to opt out.");
  r.content.text = "New arrivals are in\nReply STOP to opt out.";
  BOOST_TEST(str(json_of(build(r, c).body)["text"]["body"]) == r.content.text);
  // A marketing template is the approved template, unchanged.
  auto t = templated();
  t.purpose = Purpose::marketing;
  BOOST_TEST(build(t, c).body.find("STOP") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(requests_it_cannot_send_are_refused) {
  auto r = templated();
  r.channel = Channel::sms;
  BOOST_TEST(refused(r).message.find(kTo) == std::string::npos);
  r = templated();
  r.content.template_->language.clear();
  BOOST_TEST(refused(r).message.find("language") != std::string::npos);
  refused(text(""));
  auto c = connection();
  c.phone_number_id.clear();
  refused(templated(), c);
  c = connection();
  c.phone_number_id = "1065/../x";
  BOOST_TEST(build(templated(), c).path == "/v21.0/1065%2F..%2Fx/messages");
}

BOOST_AUTO_TEST_CASE(success_reads_the_descriptions_example_answer) {
  const SpecChecker spec("whatsapp");
  const auto& example =
      spec.at(std::string(kOperation) +
              "/responses/200/content/application~1json/examples/Example response/value");
  const auto s = read(answer(200, to_json(example)));
  BOOST_TEST(s.outcome == Outcome::sent);
  BOOST_TEST(s.provider_message_id == "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCOTY3NDc0NDFDRUI3NTA0Q0UA");
}

BOOST_AUTO_TEST_CASE(rate_limit_codes_are_throttled) {
  for (const int code : {130429, 131056, 4, 80007}) {
    BOOST_TEST_CONTEXT("code " << code) {
      const auto s = read(meta_error(400, code));
      BOOST_TEST(s.outcome == Outcome::retryable);
      BOOST_TEST(s.throttled);
      BOOST_TEST(s.error_class == "throttled");
      BOOST_TEST(!s.server_failure);
    }
  }
  // The pause Meta estimates, in minutes, when there is no Retry-After.
  const auto s = read(meta_error(
      429, 80007,
      {{"x-business-use-case-usage",
        R"({"102290129340398":[{"type":"whatsapp","call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":2}]})"}}));
  BOOST_REQUIRE(s.retry_after);
  BOOST_TEST(s.retry_after->count() == 120000);
}

BOOST_AUTO_TEST_CASE(permanent_and_retryable_codes) {
  auto s = read(meta_error(400, 131026));
  BOOST_TEST(s.outcome == Outcome::permanent);
  BOOST_TEST(s.error_class == "invalid-recipient");
  BOOST_TEST(s.excerpt == "whatsapp error 131026 (OAuthException)");
  s = read(meta_error(400, 131047));
  BOOST_TEST(s.outcome == Outcome::permanent);
  BOOST_TEST(s.error_class == "outside-window");
  for (const int code : {131051, 100, 132001}) {
    BOOST_TEST(read(meta_error(400, code)).outcome == Outcome::permanent);
  }
  s = read(meta_error(500, 131000));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.server_failure);
  s = read(meta_error(400, 131016));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.server_failure);
  // An unknown code: the status decides.
  s = read(meta_error(400, 999999));
  BOOST_TEST(s.outcome == Outcome::permanent);
  BOOST_TEST(s.error_class == "http-400");
  s = read(answer(502, "<html>bad gateway</html>"));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.excerpt.empty());
  s = read(transport_failure("timeout"));
  BOOST_TEST(s.error_class == "timeout");
}

BOOST_AUTO_TEST_CASE(excerpts_never_carry_the_number) {
  for (const int code : {131026, 130429, 100, 424242}) {
    const auto s = read(meta_error(400, code));
    BOOST_TEST(s.excerpt.find("6505551234") == std::string::npos);
  }
}
