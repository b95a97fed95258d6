// SendGrid: the built call against twilio/sendgrid-oai's description of POST /v3/mail/send
// (specs/sendgrid.json), templates, marketing headers, refusals, and the reading of answers
// (the description's own error examples).
#define BOOST_TEST_MODULE sender_sendgrid_client
#include <boost/test/unit_test.hpp>

#include "sinks/sender/providers/sendgrid_client.h"
#include "tests/sinks/sender/providers/client_testing.h"

using namespace hookline;
using namespace hookline::sender;
using namespace hookline::sender::test;

namespace {

const std::string kTo = "grace.hopper@example.org";
const char* const kBodySchema =
    "/components/requestBodies/PostMailSend/content/application~1json/schema";

SendConnection connection() {
  SendConnection c;
  c.key = "sendgrid/main";
  c.provider = "sendgrid";
  c.base_url = "https://api.sendgrid.com";
  c.credential = "SG.test";
  c.from = "news@acme.example";
  return c;
}

SendRequest email() {
  SendRequest r = request_on(Channel::email, "sendgrid/main", kTo);
  r.content.subject = "Your receipt";
  r.content.html = "<p>Thanks</p>";
  r.content.text = "Thanks";
  return r;
}

HttpCall build(const SendRequest& r, const SendConnection& c = connection()) {
  auto call = make_sendgrid_client()->build(r, c, 1, kNow);
  BOOST_REQUIRE_MESSAGE(call.ok(), why(call));
  return call.value();
}

Error refused(const SendRequest& r, const SendConnection& c = connection()) {
  auto call = make_sendgrid_client()->build(r, c, 1, kNow);
  BOOST_REQUIRE(!call.ok());
  BOOST_TEST(call.error().kind == ErrorKind::permanent);
  return call.error();
}

SendResult read(const HttpAnswer& a) {
  return make_sendgrid_client()->interpret(a);
}

// The `value` of the description's example answer for `status`.
std::string example_answer(const SpecChecker& spec, const std::string& status) {
  const auto& v = spec.at("/components/responses/PostMailSend" + status +
                          "/content/application~1json/examples/Unauthorized request/value");
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return buf.GetString();
}

}  // namespace

BOOST_AUTO_TEST_CASE(content_email_matches_the_api_description) {
  const SpecChecker spec("sendgrid");
  const auto r = email();
  const auto call = build(r);
  BOOST_TEST(call.path == "/v3/mail/send");
  BOOST_TEST(spec.at("/paths/~1v3~1mail~1send/post").IsObject());
  check_common_headers(call, r, "application/json");
  BOOST_TEST(header(call, "authorization").value_or("") == "Bearer SG.test");

  const auto body = json_of(call.body);
  HOOKLINE_CHECK_CONFORMS(spec, kBodySchema, body);
  const auto& p = body["personalizations"];
  BOOST_REQUIRE(p.IsArray());
  BOOST_REQUIRE_EQUAL(p.Size(), 1u);
  BOOST_REQUIRE_EQUAL(p[0]["to"].Size(), 1u);
  BOOST_TEST(str(p[0]["to"][0]["email"]) == kTo);
  BOOST_TEST(str(p[0]["custom_args"]["hookline_request_id"]) == r.id);
  BOOST_TEST(str(body["from"]["email"]) == "news@acme.example");
  BOOST_TEST(str(body["subject"]) == "Your receipt");
  const auto& content = body["content"];
  BOOST_REQUIRE_EQUAL(content.Size(), 2u);
  BOOST_TEST(str(content[0]["type"]) == "text/plain");  // plain first, as SendGrid requires
  BOOST_TEST(str(content[0]["value"]) == "Thanks");
  BOOST_TEST(str(content[1]["type"]) == "text/html");
  BOOST_TEST(str(content[1]["value"]) == "<p>Thanks</p>");
  BOOST_TEST(!body.HasMember("headers"));
  BOOST_TEST(!body.HasMember("template_id"));
}

BOOST_AUTO_TEST_CASE(the_checker_refuses_unknown_and_missing_fields) {
  const SpecChecker spec("sendgrid");
  BOOST_TEST(spec.problems(kBodySchema, json_of(R"({"personalizations":[{"to":[{"email":"a"}]}],
                                                    "from":{"email":"b"}})"))
                 .empty());
  BOOST_TEST(!spec.problems(kBodySchema, json_of(R"({"personalizations":[{"to":[{"mail":"a"}]}],
                                                     "from":{"email":"b"}})"))
                  .empty());
  BOOST_TEST(
      !spec.problems(kBodySchema, json_of(R"({"personalizations":[{"to":[{"email":"a"}]}]})"))
           .empty());
}

BOOST_AUTO_TEST_CASE(template_email_sends_the_id_and_positional_data) {
  const SpecChecker spec("sendgrid");
  auto r = email();
  r.content.html.clear();
  r.content.text.clear();
  r.content.subject.clear();
  r.content.template_ = Template{"d-0123456789abcdef", "", {"Ada", "42.00"}};
  const auto body = json_of(build(r).body);
  HOOKLINE_CHECK_CONFORMS(spec, kBodySchema, body);
  BOOST_TEST(str(body["template_id"]) == "d-0123456789abcdef");
  BOOST_TEST(!body.HasMember("content"));
  BOOST_TEST(!body.HasMember("subject"));
  const auto& data = body["personalizations"][0]["dynamic_template_data"];
  BOOST_TEST(str(data["1"]) == "Ada");
  BOOST_TEST(str(data["2"]) == "42.00");
}

BOOST_AUTO_TEST_CASE(marketing_email_carries_one_click_unsubscribe) {
  const SpecChecker spec("sendgrid");
  auto r = email();
  r.purpose = Purpose::marketing;
  auto c = connection();
  c.unsubscribe_url = "https://acme.example/u/default";
  c.unsubscribe_mailto = "mailto:unsubscribe@acme.example";
  const auto body = json_of(build(r, c).body);
  HOOKLINE_CHECK_CONFORMS(spec, kBodySchema, body);
  BOOST_TEST(str(body["headers"]["List-Unsubscribe"]) ==
             "<https://acme.example/u/default>, <mailto:unsubscribe@acme.example>");
  BOOST_TEST(str(body["headers"]["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click");

  c.unsubscribe_url.clear();
  BOOST_TEST(refused(r, c).message.find("unsubscribe") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_display_name_goes_in_from_name) {
  const SpecChecker spec("sendgrid");
  auto c = connection();
  c.from = R"("Acme News" <news@acme.example>)";
  const auto body = json_of(build(email(), c).body);
  HOOKLINE_CHECK_CONFORMS(spec, kBodySchema, body);
  BOOST_TEST(str(body["from"]["email"]) == "news@acme.example");
  BOOST_TEST(str(body["from"]["name"]) == "Acme News");
  c.from = "Acme <news@acme.example>";
  BOOST_TEST(str(json_of(build(email(), c).body)["from"]["name"]) == "Acme");
  BOOST_TEST(!json_of(build(email()).body)["from"].HasMember("name"));
}

BOOST_AUTO_TEST_CASE(requests_it_cannot_send_are_refused) {
  auto r = email();
  r.channel = Channel::whatsapp;
  BOOST_TEST(refused(r).message.find(kTo) == std::string::npos);
  r = email();
  r.content.html.clear();
  r.content.text.clear();
  refused(r);
  auto c = connection();
  c.credential.clear();
  refused(email(), c);
}

BOOST_AUTO_TEST_CASE(accepted_reads_the_message_id_header) {
  const auto s = read(answer(202, "", {{"x-message-id", "W86EgYT6SQKk0lRflfLRsA"}}));
  BOOST_TEST(s.outcome == Outcome::sent);
  BOOST_TEST(s.provider_message_id == "W86EgYT6SQKk0lRflfLRsA");
}

BOOST_AUTO_TEST_CASE(the_descriptions_error_examples) {
  const SpecChecker spec("sendgrid");
  auto s = read(answer(400, example_answer(spec, "400")));
  BOOST_TEST(s.outcome == Outcome::permanent);
  BOOST_TEST(s.excerpt == "invalid request");  // field "null" is left out
  s = read(answer(401, example_answer(spec, "401")));
  BOOST_TEST(s.outcome == Outcome::permanent);
  BOOST_TEST(s.error_class == "unauthorized");
  s = read(answer(413, example_answer(spec, "413")));
  BOOST_TEST(s.outcome == Outcome::permanent);
  s = read(answer(500, example_answer(spec, "500")));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.server_failure);
  BOOST_TEST(s.error_class == "http-500");
  BOOST_TEST(s.excerpt == "internal server error");
}

BOOST_AUTO_TEST_CASE(recipient_errors_are_classed_and_redacted) {
  const auto s = read(answer(
      400,
      R"({"errors":[{"message":"The to email )" + kTo +
          R"( does not contain a valid address.","field":"personalizations.0.to.0.email"}]})"));
  BOOST_TEST(s.outcome == Outcome::permanent);
  BOOST_TEST(s.error_class == "invalid-recipient");
  BOOST_TEST(s.excerpt.find(kTo) == std::string::npos);
  BOOST_TEST(s.excerpt.find("grace.hopper") == std::string::npos);
  BOOST_TEST(s.excerpt.find("personalizations.0.to.0.email") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(rate_limit_reset_is_a_unix_time) {
  // X-RateLimit-Reset is when the window resets (Unix seconds); measured from Date.
  const auto s = read(answer(429, R"({"errors":[{"message":"too many requests"}]})",
                             {kDate, {"x-ratelimit-reset", "1614265390"}}));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.throttled);
  BOOST_REQUIRE(s.retry_after);
  BOOST_TEST(s.retry_after->count() == 60000);
  // Retry-After wins when both are there.
  const auto both =
      read(answer(429, "", {kDate, {"retry-after", "5"}, {"x-ratelimit-reset", "1614265390"}}));
  BOOST_TEST(both.retry_after->count() == 5000);
}

BOOST_AUTO_TEST_CASE(transport_failures_are_retryable) {
  const auto s = read(transport_failure("timeout"));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.error_class == "timeout");
  BOOST_TEST(s.server_failure);
}
