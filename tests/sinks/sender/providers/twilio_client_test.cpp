// Twilio: the built call (Twilio's parameter names To, From, MessagingServiceSid, Body on POST
// /2010-04-01/Accounts/{AccountSid}/Messages.json), the opt-out text of marketing SMS,
// refusals, and Twilio's error codes.
#define BOOST_TEST_MODULE sender_twilio_client
#include <boost/test/unit_test.hpp>

#include <map>

#include "core/crypto/encoding.h"
#include "sinks/sender/providers/twilio_client.h"
#include "tests/sinks/sender/providers/client_testing.h"

using namespace hookline;
using namespace hookline::sender;
using namespace hookline::sender::test;

namespace {

const std::string kTo = "+15005550006";
const std::string kSid = "AC0123456789abcdef0123456789abcdef";
const std::string kService = "MG0123456789abcdef0123456789abcdef";

SendConnection connection() {
  SendConnection c;
  c.key = "twilio/main";
  c.provider = "twilio";
  c.base_url = "https://api.twilio.com";
  c.credential = "auth-token";
  c.account_sid = kSid;
  c.from = "+15017122661";
  return c;
}

SendRequest sms(std::string text = "Your code is 1234") {
  SendRequest r = request_on(Channel::sms, "twilio/main", kTo);
  r.content.text = std::move(text);
  return r;
}

HttpCall build(const SendRequest& r, const SendConnection& c = connection()) {
  auto call = make_twilio_client()->build(r, c, 1, kNow);
  BOOST_REQUIRE_MESSAGE(call.ok(), why(call));
  return call.value();
}

Error refused(const SendRequest& r, const SendConnection& c = connection()) {
  auto call = make_twilio_client()->build(r, c, 1, kNow);
  BOOST_REQUIRE(!call.ok());
  BOOST_TEST(call.error().kind == ErrorKind::permanent);
  return call.error();
}

SendResult read(const HttpAnswer& a) {
  return make_twilio_client()->interpret(a);
}

int hex(char c) {
  return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The form's fields, in order; each name once.
std::vector<std::pair<std::string, std::string>> form(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const auto pair = body.substr(0, amp);
    const auto eq = pair.find('=');
    BOOST_REQUIRE(eq != std::string_view::npos);
    out.emplace_back(url_decode(pair.substr(0, eq)), url_decode(pair.substr(eq + 1)));
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
  }
  return out;
}

std::map<std::string, std::string> fields(std::string_view body) {
  std::map<std::string, std::string> out;
  for (auto& [k, v] : form(body)) BOOST_TEST(out.emplace(k, v).second);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(sms_is_a_form_post_with_basic_auth) {
  const auto r = sms("Hello & welcome: 100% ok");
  const auto call = build(r);
  BOOST_TEST(call.path == "/2010-04-01/Accounts/" + kSid + "/Messages.json");
  check_common_headers(call, r, "application/x-www-form-urlencoded");
  BOOST_TEST(header(call, "authorization").value_or("") ==
             "Basic " + crypto::base64_encode(kSid + ":auth-token"));
  const auto f = fields(call.body);
  BOOST_TEST(f.size() == 3u);
  BOOST_TEST(f.at("To") == kTo);
  BOOST_TEST(f.at("From") == "+15017122661");
  BOOST_TEST(f.at("Body") == "Hello & welcome: 100% ok");
  // The + of an E.164 number is encoded, never sent as a space.
  BOOST_TEST(call.body.find("To=%2B15005550006") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_messaging_service_goes_as_messaging_service_sid) {
  auto c = connection();
  c.from = kService;
  const auto f = fields(build(sms(), c).body);
  BOOST_TEST(f.at("MessagingServiceSid") == kService);
  BOOST_TEST(f.count("From") == 0u);
  // An alphanumeric sender id that happens to start with MG is a From.
  c.from = "MGMResorts";
  BOOST_TEST(fields(build(sms(), c).body).at("From") == "MGMResorts");
}

BOOST_AUTO_TEST_CASE(marketing_sms_ends_with_the_opt_out_text_once) {
  auto r = sms("Spring sale: 20% off");
  r.purpose = Purpose::marketing;
  auto c = connection();
  c.opt_out_text = "Reply STOP to opt out.";
  BOOST_TEST(fields(build(r, c).body).at("Body") == "Spring sale: 20% off\nReply STOP to opt out.");
  r.content.text = "Spring sale: 20% off. Reply STOP to opt out.  ";
  BOOST_TEST(fields(build(r, c).body).at("Body") == r.content.text);
  // Transactional SMS are left as they are.
  r = sms("Your code is 1234");
  BOOST_TEST(fields(build(r, c).body).at("Body") == "Your code is 1234");
  // Marketing with no opt-out text configured is refused.
  r.purpose = Purpose::marketing;
  c.opt_out_text.clear();
  refused(r, c);
}

BOOST_AUTO_TEST_CASE(requests_it_cannot_send_are_refused) {
  auto r = sms();
  r.channel = Channel::email;
  BOOST_TEST(refused(r).message.find("email") != std::string::npos);
  BOOST_TEST(refused(sms("")).message.find("text") != std::string::npos);
  auto c = connection();
  c.account_sid.clear();
  refused(sms(), c);
  c = connection();
  c.from.clear();
  refused(sms(), c);
}

BOOST_AUTO_TEST_CASE(created_reads_the_sid) {
  const auto s =
      read(answer(201, R"({"sid":"SM0123456789abcdef0123456789abcdef","status":"queued","to":")" +
                           kTo + R"("})"));
  BOOST_TEST(s.outcome == Outcome::sent);
  BOOST_TEST(s.provider_message_id == "SM0123456789abcdef0123456789abcdef");
}

BOOST_AUTO_TEST_CASE(error_codes_decide) {
  const auto error = [](int status, int code) {
    return answer(status,
                  R"({"code":)" + std::to_string(code) + R"(,"message":"The 'To' number )" + kTo +
                      R"( is not valid.","more_info":"https://www.twilio.com/docs/errors/)" +
                      std::to_string(code) + R"(","status":)" + std::to_string(status) + "}");
  };
  auto s = read(error(400, 21211));
  BOOST_TEST(s.outcome == Outcome::permanent);
  BOOST_TEST(s.error_class == "invalid-recipient");
  BOOST_TEST(s.excerpt == "twilio error 21211");
  s = read(error(400, 21610));
  BOOST_TEST(s.outcome == Outcome::permanent);
  BOOST_TEST(s.error_class == "unsubscribed");
  s = read(error(400, 21408));
  BOOST_TEST(s.outcome == Outcome::permanent);
  s = read(error(429, 20429));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.throttled);
  BOOST_TEST(s.error_class == "throttled");
  // A code that is a queue limit, answered with 400, is still worth retrying.
  s = read(error(400, 21611));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.throttled);
  // Unknown code: the status decides.
  s = read(error(400, 99999));
  BOOST_TEST(s.outcome == Outcome::permanent);
  BOOST_TEST(s.error_class == "http-400");
  s = read(error(500, 20500));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.server_failure);
  // 429 without a code, with Retry-After.
  s = read(answer(429, "", {{"Retry-After", "7"}}));
  BOOST_TEST(s.throttled);
  BOOST_REQUIRE(s.retry_after);
  BOOST_TEST(s.retry_after->count() == 7000);
}

BOOST_AUTO_TEST_CASE(excerpts_never_carry_the_number) {
  for (const int code : {21211, 21610, 20429, 12345}) {
    const auto s =
        read(answer(400, R"({"code":)" + std::to_string(code) + R"(,"message":"The 'To' number )" +
                             kTo + R"( is not a valid phone number."})"));
    BOOST_TEST(s.excerpt.find(kTo) == std::string::npos);
    BOOST_TEST(s.excerpt.find("5005550006") == std::string::npos);
  }
  const auto s = read(answer(400, "The 'To' number " + kTo + " is not valid"));  // not JSON
  BOOST_TEST(s.excerpt.find("5005550006") == std::string::npos);
}
