// The parts every client shares: the registry (make_provider_client), to_string(Outcome), the
// verdicts by status (classify_status), call helpers, and excerpts that never carry personal
// data.
#define BOOST_TEST_MODULE sender_provider_client
#include <boost/test/unit_test.hpp>

#include "sinks/sender/providers/answer_reader.h"
#include "sinks/sender/providers/call_builder.h"
#include "tests/sinks/sender/providers/client_testing.h"

using namespace hookline;
using namespace hookline::sender;
using namespace hookline::sender::test;

BOOST_AUTO_TEST_CASE(every_provider_has_a_client) {
  for (const char* name : {"resend", "sendgrid", "twilio", "whatsapp", "slack", "webhook"}) {
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST(make_provider_client(name) != nullptr);
    }
  }
  BOOST_TEST(make_provider_client("") == nullptr);
  BOOST_TEST(make_provider_client("mailgun") == nullptr);
  BOOST_TEST(make_provider_client("Resend") == nullptr);
}

BOOST_AUTO_TEST_CASE(each_client_refuses_the_channels_it_does_not_serve) {
  const std::pair<const char*, Channel> served[] = {
      {"resend", Channel::email},      {"sendgrid", Channel::email}, {"twilio", Channel::sms},
      {"whatsapp", Channel::whatsapp}, {"slack", Channel::slack},    {"webhook", Channel::webhook}};
  for (const auto& [name, channel] : served) {
    const auto client = make_provider_client(name);
    for (const auto other :
         {Channel::email, Channel::sms, Channel::whatsapp, Channel::slack, Channel::webhook}) {
      if (other == channel) continue;
      BOOST_TEST_CONTEXT(name << " on " << to_string(other)) {
        SendRequest r = request_on(other, std::string(name) + "/main", "someone");
        r.content.text = "hello";
        SendConnection c;
        c.provider = name;
        c.credential = "secret";
        const auto call = client->build(r, c, 1, kNow);
        BOOST_REQUIRE(!call.ok());
        BOOST_TEST(call.error().kind == ErrorKind::permanent);
        BOOST_TEST(call.error().message.find(to_string(other)) != std::string::npos);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(outcome_names) {
  BOOST_TEST(to_string(Outcome::sent) == std::string("sent"));
  BOOST_TEST(to_string(Outcome::retryable) == std::string("retryable"));
  BOOST_TEST(to_string(Outcome::permanent) == std::string("permanent"));
  BOOST_TEST(to_string(Outcome::gone) == std::string("gone"));
}

BOOST_AUTO_TEST_CASE(verdicts_by_status) {
  struct Case {
    int status;
    Outcome outcome;
    bool throttled;
    bool server_failure;
    const char* error_class;
  };
  const Case cases[] = {
      {200, Outcome::sent, false, false, ""},
      {202, Outcome::sent, false, false, ""},
      {408, Outcome::retryable, false, false, "http-408"},
      {429, Outcome::retryable, true, false, "throttled"},
      {500, Outcome::retryable, false, true, "http-500"},
      {503, Outcome::retryable, false, true, "http-503"},
      {400, Outcome::permanent, false, false, "http-400"},
      {404, Outcome::permanent, false, false, "http-404"},
      {302, Outcome::permanent, false, false, "http-302"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.status) {
      const auto r = classify_status(answer(c.status));
      BOOST_TEST(r.status == c.status);
      BOOST_TEST(r.outcome == c.outcome);
      BOOST_TEST(r.throttled == c.throttled);
      BOOST_TEST(r.server_failure == c.server_failure);
      BOOST_TEST(r.error_class == c.error_class);
    }
  }
  auto r = classify_status(transport_failure("timeout"));
  BOOST_TEST(r.outcome == Outcome::retryable);
  BOOST_TEST(r.server_failure);
  BOOST_TEST(r.error_class == "timeout");
  BOOST_TEST(r.excerpt == "timeout");
  r = classify_status(transport_failure("connection failed"));
  BOOST_TEST(r.error_class == "network");
  // Retry-After only where a retry follows.
  BOOST_TEST(classify_status(answer(503, "", {{"retry-after", "9"}})).retry_after.has_value());
  BOOST_TEST(!classify_status(answer(400, "", {{"retry-after", "9"}})).retry_after.has_value());
}

BOOST_AUTO_TEST_CASE(excerpts_redact_addresses_and_numbers) {
  BOOST_TEST(safe_excerpt("invalid recipient ada@example.org, try again") ==
             "invalid recipient [redacted], try again");
  BOOST_TEST(safe_excerpt("The 'To' number +1 (650) 555-1234 is not valid") ==
             "The 'To' number [redacted] is not valid");
  BOOST_TEST(safe_excerpt("whatsapp:+16505551234") == "whatsapp:[redacted]");
  // Error codes stay.
  BOOST_TEST(safe_excerpt("(#131026) Message undeliverable") == "(#131026) Message undeliverable");
  BOOST_TEST(safe_excerpt("twilio error 21211") == "twilio error 21211");
  // Control characters, invalid UTF-8, and the 200-byte cut on a character boundary.
  BOOST_TEST(safe_excerpt("a\r\nb\x01") == "a  b ");
  BOOST_TEST(safe_excerpt(std::string("x\xFFy", 3)) == "x?y");
  const std::string euro = "\xE2\x82\xAC";  // 3 bytes
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += euro;
  const auto cut = safe_excerpt(long_text);
  BOOST_TEST(cut.size() == 198u);  // 66 whole characters
  BOOST_TEST(safe_excerpt(std::string(1000, 'a')).size() == 200u);
}

BOOST_AUTO_TEST_CASE(form_and_path_encoding) {
  BOOST_TEST(form_encode({{"To", "+1 650"}, {"Body", "a&b=c/d~e"}}) ==
             "To=%2B1+650&Body=a%26b%3Dc%2Fd~e");
  BOOST_TEST(encode_path_segment("AC12/../x y") == "AC12%2F..%2Fx%20y");
  BOOST_TEST(encode_path_segment("v21.0") == "v21.0");
}

BOOST_AUTO_TEST_CASE(opt_out_text) {
  SendRequest r = request_on(Channel::sms, "twilio/main", "+15005550006");
  SendConnection c;
  c.opt_out_text = "Reply STOP to opt out.";
  r.content.text = "Sale!";
  BOOST_TEST(message_text("twilio", r, c).value() == "Sale!");  // transactional
  r.purpose = Purpose::marketing;
  BOOST_TEST(message_text("twilio", r, c).value() == "Sale!\nReply STOP to opt out.");
  r.content.text = "Sale!\nReply STOP to opt out.\n";
  BOOST_TEST(message_text("twilio", r, c).value() == r.content.text);
  r.content.text = "Sale! Reply STOP to opt out";  // not the same text: appended
  BOOST_TEST(message_text("twilio", r, c).value() ==
             "Sale! Reply STOP to opt out\nReply STOP to opt out.");
}
