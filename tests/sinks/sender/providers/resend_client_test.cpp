// Resend: the built call against resend/resend-openapi's description of POST /emails
// (specs/resend.json), marketing headers, refusals, and the reading of answers.
#define BOOST_TEST_MODULE sender_resend_client
#include <boost/test/unit_test.hpp>

#include "sinks/sender/providers/resend_client.h"
#include "tests/sinks/sender/providers/client_testing.h"

using namespace hookline;
using namespace hookline::sender;
using namespace hookline::sender::test;

namespace {

const std::string kTo = "ada.lovelace@example.org";

SendConnection connection() {
  SendConnection c;
  c.key = "resend/main";
  c.provider = "resend";
  c.base_url = "https://api.resend.com";
  c.credential = "re_test_123";
  c.from = "Acme <news@acme.example>";
  return c;
}

SendRequest email() {
  SendRequest r = request_on(Channel::email, "resend/main", kTo);
  r.content.subject = "Your receipt";
  r.content.html = "<p>Thanks</p>";
  r.content.text = "Thanks";
  return r;
}

HttpCall build(const SendRequest& r, const SendConnection& c = connection()) {
  auto call = make_resend_client()->build(r, c, 1, kNow);
  BOOST_REQUIRE_MESSAGE(call.ok(), why(call));
  return call.value();
}

Error refused(const SendRequest& r, const SendConnection& c = connection()) {
  auto call = make_resend_client()->build(r, c, 1, kNow);
  BOOST_REQUIRE(!call.ok());
  BOOST_TEST(call.error().kind == ErrorKind::permanent);
  return call.error();
}

SendResult read(const HttpAnswer& a) {
  return make_resend_client()->interpret(a);
}

}  // namespace

BOOST_AUTO_TEST_CASE(transactional_email_matches_the_api_description) {
  const SpecChecker spec("resend");
  const auto r = email();
  const auto call = build(r);
  BOOST_TEST(call.path == "/emails");
  BOOST_TEST(spec.at("/paths/~1emails/post").IsObject());
  check_common_headers(call, r, "application/json");
  BOOST_TEST(header(call, "authorization").value_or("") == "Bearer re_test_123");
  // The description's one header parameter.
  BOOST_TEST(str(spec.at("/paths/~1emails/post/parameters/0/name")) == "Idempotency-Key");
  BOOST_TEST(header(call, "Idempotency-Key").value_or("") == r.id);

  const auto body = json_of(call.body);
  HOOKLINE_CHECK_CONFORMS(spec, "/components/schemas/SendEmailRequest", body);
  BOOST_TEST(str(body["from"]) == "Acme <news@acme.example>");
  BOOST_REQUIRE(body["to"].IsArray());
  BOOST_REQUIRE_EQUAL(body["to"].Size(), 1u);
  BOOST_TEST(str(body["to"][0]) == kTo);
  BOOST_TEST(str(body["subject"]) == "Your receipt");
  BOOST_TEST(str(body["html"]) == "<p>Thanks</p>");
  BOOST_TEST(str(body["text"]) == "Thanks");
  BOOST_TEST(!body.HasMember("headers"));  // transactional: no List-Unsubscribe
}

BOOST_AUTO_TEST_CASE(the_checker_refuses_unknown_and_missing_fields) {
  const SpecChecker spec("resend");
  const char* const schema = "/components/schemas/SendEmailRequest";
  BOOST_TEST(spec.problems(schema, json_of(R"({"from":"a","to":["b"],"subject":"c"})")).empty());
  BOOST_TEST(!spec.problems(schema, json_of(R"({"from":"a","to":["b"],"subject":"c","body":"d"})"))
                  .empty());
  BOOST_TEST(!spec.problems(schema, json_of(R"({"from":"a","to":["b"]})")).empty());
  BOOST_TEST(!spec.problems(schema, json_of(R"({"from":"a","to":[1],"subject":"c"})")).empty());
}

BOOST_AUTO_TEST_CASE(text_only_and_html_only_bodies_leave_the_other_out) {
  auto r = email();
  r.content.html.clear();
  auto body = json_of(build(r).body);
  BOOST_TEST(!body.HasMember("html"));
  BOOST_TEST(str(body["text"]) == "Thanks");
  r = email();
  r.content.text.clear();
  body = json_of(build(r).body);
  BOOST_TEST(!body.HasMember("text"));
}

BOOST_AUTO_TEST_CASE(marketing_email_carries_one_click_unsubscribe) {
  const SpecChecker spec("resend");
  auto r = email();
  r.purpose = Purpose::marketing;
  r.content.unsubscribe_url = "https://acme.example/u/abc";
  auto c = connection();
  c.unsubscribe_url = "https://acme.example/u/default";
  c.unsubscribe_mailto = "unsubscribe@acme.example";
  const auto body = json_of(build(r, c).body);
  HOOKLINE_CHECK_CONFORMS(spec, "/components/schemas/SendEmailRequest", body);
  BOOST_REQUIRE(body.HasMember("headers"));
  BOOST_TEST(str(body["headers"]["List-Unsubscribe"]) ==
             "<https://acme.example/u/abc>, <mailto:unsubscribe@acme.example>");
  BOOST_TEST(str(body["headers"]["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click");

  // Without the request's own URL, the connection's; without a mailto, the URL alone.
  r.content.unsubscribe_url.clear();
  c.unsubscribe_mailto.clear();
  const auto fallback = json_of(build(r, c).body);
  BOOST_TEST(str(fallback["headers"]["List-Unsubscribe"]) == "<https://acme.example/u/default>");
}

BOOST_AUTO_TEST_CASE(marketing_email_without_an_https_unsubscribe_url_is_refused) {
  auto r = email();
  r.purpose = Purpose::marketing;
  BOOST_TEST(refused(r).message.find("unsubscribe") != std::string::npos);
  r.content.unsubscribe_url = "http://acme.example/u/abc";
  refused(r);
  r.content.unsubscribe_url = "https://acme.example/u/a>b";
  refused(r);
}

BOOST_AUTO_TEST_CASE(requests_it_cannot_send_are_refused_without_personal_data) {
  auto r = email();
  r.channel = Channel::sms;
  const auto e = refused(r);
  BOOST_TEST(e.message.find("sms") != std::string::npos);
  BOOST_TEST(e.message.find(kTo) == std::string::npos);

  r = email();
  r.content.html.clear();
  r.content.text.clear();
  refused(r);
  r = email();
  r.content.subject.clear();
  refused(r);
  r = email();
  r.address.clear();
  refused(r);
  auto c = connection();
  c.from.clear();
  refused(email(), c);
  r = email();
  r.content.html = std::string("\xC3\x28", 2);  // invalid UTF-8
  refused(r);
  r = email();
  r.id = "req\r\nX-Injected: 1";
  refused(r);
}

BOOST_AUTO_TEST_CASE(success_reads_the_email_id) {
  const auto s = read(answer(200, R"({"id":"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"})"));
  BOOST_TEST(to_string(s.outcome) == std::string("sent"));
  BOOST_TEST(s.status == 200);
  BOOST_TEST(s.provider_message_id == "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794");
  BOOST_TEST(!s.throttled);
  BOOST_TEST(!s.server_failure);
}

BOOST_AUTO_TEST_CASE(rate_limit_is_throttled_with_retry_after) {
  const auto s = read(answer(
      429, R"({"statusCode":429,"name":"rate_limit_exceeded","message":"Too many requests."})",
      {kDate, {"retry-after", "2"}, {"ratelimit-reset", "1"}}));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.throttled);
  BOOST_TEST(s.error_class == "throttled");
  BOOST_REQUIRE(s.retry_after);
  BOOST_TEST(s.retry_after->count() == 2000);
  BOOST_TEST(s.excerpt == "rate_limit_exceeded");
  // Without Retry-After, Resend's ratelimit-reset (seconds).
  const auto reset = read(answer(429, "", {{"ratelimit-reset", "3"}}));
  BOOST_REQUIRE(reset.retry_after);
  BOOST_TEST(reset.retry_after->count() == 3000);
}

BOOST_AUTO_TEST_CASE(error_families) {
  // 5xx: retryable, counts toward the breaker.
  auto s = read(answer(503, "<html>upstream busy</html>"));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.server_failure);
  BOOST_TEST(s.error_class == "http-503");
  BOOST_TEST(s.excerpt.empty());  // a body that is not Resend's error is never echoed
  // 408: retryable, not the provider's health.
  s = read(answer(408));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(!s.server_failure);
  // 422 validation: permanent.
  s = read(answer(
      422, R"({"statusCode":422,"name":"validation_error","message":"Invalid `to` field."})"));
  BOOST_TEST(s.outcome == Outcome::permanent);
  BOOST_TEST(s.error_class == "invalid-request");
  BOOST_TEST(s.excerpt == "validation_error");
  // 401/403 keys.
  s = read(
      answer(403, R"({"statusCode":403,"name":"invalid_api_Key","message":"API key is invalid"})"));
  BOOST_TEST(s.outcome == Outcome::permanent);
  BOOST_TEST(s.error_class == "unauthorized");
  // 409: the same idempotency key still in flight is worth another try.
  s = read(
      answer(409, R"({"statusCode":409,"name":"concurrent_idempotent_requests","message":"x"})"));
  BOOST_TEST(s.outcome == Outcome::retryable);
  // Transport failures.
  s = read(transport_failure("timeout"));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.server_failure);
  BOOST_TEST(s.error_class == "timeout");
  s = read(transport_failure("connection failed"));
  BOOST_TEST(s.error_class == "network");
  BOOST_TEST(s.status == 0);
}

BOOST_AUTO_TEST_CASE(excerpts_never_carry_the_recipient) {
  const auto s = read(
      answer(422, R"({"statusCode":422,"name":"validation_error","message":"Invalid `to` field: )" +
                      kTo + R"("})"));
  BOOST_TEST(s.excerpt.find(kTo) == std::string::npos);
  BOOST_TEST(s.excerpt.find("ada.lovelace") == std::string::npos);
  BOOST_TEST(s.excerpt.size() <= 200u);
}
