// Twilio Messages, POST https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json:
// form-encoded, Basic auth (AccountSid or API key : secret), 201 with the Message resource. The
// credential check GET /2010-04-01/Accounts/{AccountSid}.json answers the Account resource
// (without its auth_token). The credential is the Basic password.
// Errors are {"code":N,"message":..,"more_info":"https://www.twilio.com/docs/errors/N","status":S}.
#include <ctime>

#include "sinks/simulator/credentials.h"
#include "sinks/simulator/form.h"
#include "sinks/simulator/ids.h"
#include "sinks/simulator/json_text.h"
#include "sinks/simulator/providers.h"

namespace hookline::simulator {
namespace {

Answer twilio_error(int status, int code, const std::string& message) {
  const std::string c = std::to_string(code);
  return json_answer(status, "{\"code\":" + c + ",\"message\":" + json_quote(message) +
                                 ",\"more_info\":\"https://www.twilio.com/docs/errors/" + c +
                                 "\",\"status\":" + std::to_string(status) + "}");
}

// RFC 2822, as Twilio writes date_created: "Thu, 30 Jul 2015 20:12:31 +0000".
std::string rfc2822_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

std::string or_null(const std::string& s) {
  return s.empty() ? "null" : json_quote(s);
}

class Twilio final : public Provider {
 public:
  const char* name() const noexcept override { return "twilio"; }
  const char* path_pattern() const noexcept override {
    return "/2010-04-01/Accounts/([A-Za-z0-9]+)/Messages\\.json";
  }

  std::optional<std::string> target(const Incoming& in) const override {
    if (basic_user(in).empty() || in.params.empty()) return std::nullopt;
    return in.params[0];
  }

  std::string credential(const Incoming& in) const override { return basic_password(in); }

  std::optional<Answer> validate(const Incoming& in) const override {
    const auto form = parse_form(in.body);
    auto has = [&](const char* k) {
      auto it = form.find(k);
      return it != form.end() && !it->second.empty();
    };
    if (!has("To")) return twilio_error(400, 21604, "A 'To' phone number is required.");
    if (!has("From") && !has("MessagingServiceSid")) {
      return twilio_error(400, 21603, "A 'From' phone number is required.");
    }
    if (!has("Body") && !has("MediaUrl") && !has("ContentSid")) {
      return twilio_error(400, 21602, "Message body is required.");
    }
    return std::nullopt;
  }

  Answer accept(const Incoming& in) const override {
    const auto form = parse_form(in.body);
    auto field = [&](const char* k) {
      auto it = form.find(k);
      return it == form.end() ? std::string() : it->second;
    };
    const std::string& account = in.params.at(0);
    const std::string sid = "SM" + random_hex(32);
    const std::string now = rfc2822_now();
    const std::string uri = "/2010-04-01/Accounts/" + account + "/Messages/" + sid;
    Answer a = json_answer(201, "");
    a.message_id = sid;
    a.body = "{\"account_sid\":" + json_quote(account) + ",\"api_version\":\"2010-04-01\"" +
             ",\"body\":" + json_quote(field("Body")) + ",\"date_created\":\"" + now +
             "\",\"date_sent\":null,\"date_updated\":\"" + now +
             "\",\"direction\":\"outbound-api\",\"error_code\":null,\"error_message\":null" +
             ",\"from\":" + or_null(field("From")) +
             ",\"messaging_service_sid\":" + or_null(field("MessagingServiceSid")) +
             ",\"num_media\":\"0\",\"num_segments\":\"1\",\"price\":null,\"price_unit\":\"USD\"" +
             ",\"sid\":\"" + sid + "\",\"status\":\"queued\",\"subresource_uris\":{\"media\":\"" +
             uri + "/Media.json\"},\"to\":" + json_quote(field("To")) + ",\"uri\":\"" + uri +
             ".json\"}";
    return a;
  }

  Answer error(int status) const override {
    switch (status) {
      case 401: {
        Answer a = twilio_error(401, 20003, "Authenticate");
        a.headers.emplace_back("WWW-Authenticate", "Basic realm=\"Twilio API\"");
        return a;
      }
      case 404:
        return twilio_error(404, 20404, "The requested resource was not found");
      case 405:
        return twilio_error(405, 20004, "Method not allowed");
      case 429:
        return twilio_error(429, 20429, "Too Many Requests");
      case 503:
        return twilio_error(503, 20503, "Service Unavailable");
      default:
        return twilio_error(status, 20000 + status, reason_phrase(status));
    }
  }

  const char* check_pattern() const noexcept override {
    return "/2010-04-01/Accounts/([A-Za-z0-9]+)\\.json";
  }
  Answer check(const Incoming& in) const override {
    const std::string account = json_quote(in.params.at(0));
    const std::string now = rfc2822_now();
    const std::string uri = "/2010-04-01/Accounts/" + in.params.at(0);
    return json_answer(
        200, "{\"date_created\":\"" + now + "\",\"date_updated\":\"" + now +
                 "\",\"friendly_name\":\"Hookline Simulator\",\"owner_account_sid\":" + account +
                 ",\"sid\":" + account +
                 ",\"status\":\"active\",\"subresource_uris\":{\"messages\":\"" + uri +
                 "/Messages.json\"},\"type\":\"Full\",\"uri\":\"" + uri + ".json\"}");
  }
};

}  // namespace

std::unique_ptr<Provider> make_twilio() {
  return std::make_unique<Twilio>();
}

}  // namespace hookline::simulator
