#include "sinks/sender/providers/twilio_client.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "sinks/sender/providers/answer_reader.h"
#include "sinks/sender/providers/call_builder.h"

namespace hookline::sender {
namespace {

constexpr std::string_view kProvider = "twilio";
constexpr std::string_view kMessagingServicePrefix = "MG";
constexpr std::size_t kSidLength = 34;  // two letters and 32 hex digits

// A Messaging Service SID ("MG" and 32 hex digits) rather than a number or an alphanumeric
// sender id (which may start with "MG" too, like "MGM").
bool messaging_service_sid(std::string_view from) noexcept {
  if (from.size() != kSidLength || !from.starts_with(kMessagingServicePrefix)) return false;
  for (const char c : from.substr(kMessagingServicePrefix.size())) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

struct CodeRule {
  std::int64_t code;
  ErrorRule rule;
};

// Twilio error codes (https://www.twilio.com/docs/api/errors) whose meaning is more than their
// HTTP status says; the others keep classify_status's verdict.
constexpr CodeRule kErrors[] = {
    {20429, throttled_rule()},                      // Too Many Requests
    {14107, throttled_rule()},                      // Message rate limit exceeded
    {21611, throttled_rule("queue-full")},          // From has too many queued messages
    {20003, permanent_rule("unauthorized")},        // Authentication failed
    {21211, permanent_rule("invalid-recipient")},   // Invalid 'To' phone number
    {21217, permanent_rule("invalid-recipient")},   // Phone number does not appear valid
    {21612, permanent_rule("invalid-recipient")},   // 'To' not reachable by SMS from 'From'
    {21614, permanent_rule("invalid-recipient")},   // 'To' is not a mobile number
    {21610, permanent_rule("unsubscribed")},        // Recipient replied STOP
    {21408, permanent_rule("region-not-enabled")},  // Region not enabled for the account
    {21212, permanent_rule("invalid-sender")},      // Invalid 'From' phone number
    {21606, permanent_rule("invalid-sender")},      // 'From' cannot send this message
    {21602, permanent_rule("invalid-request")},     // Message body is required
    {21617, permanent_rule("invalid-request")},     // Body exceeds 1600 characters
};

class TwilioClient final : public ProviderClient {
 public:
  Result<HttpCall> build(const SendRequest& request, const SendConnection& connection, int,
                         std::chrono::system_clock::time_point) const override {
    if (auto s = check_channel(kProvider, request, Channel::sms); !s) return s.error();
    if (request.address.empty()) return build_error(kProvider, "the request has no address");
    if (connection.account_sid.empty()) {
      return build_error(kProvider, "the connection has no account_sid");
    }
    if (connection.credential.empty()) {
      return build_error(kProvider, "the connection has no auth token");
    }
    if (connection.from.empty()) return build_error(kProvider, "the connection has no from");
    if (request.content.template_ && request.content.text.empty()) {
      return build_error(kProvider, "templates are not sent through Twilio; content.text is empty");
    }
    auto body = message_text(kProvider, request, connection);
    if (!body) return body.error();

    HeaderList form;
    form.emplace_back("To", request.address);
    if (messaging_service_sid(connection.from)) {
      form.emplace_back("MessagingServiceSid", connection.from);
    } else {
      form.emplace_back("From", connection.from);
    }
    form.emplace_back("Body", std::move(*body));

    HttpCall call = new_call(
        "/2010-04-01/Accounts/" + encode_path_segment(connection.account_sid) + "/Messages.json",
        request, "application/x-www-form-urlencoded");
    call.headers.emplace_back("authorization",
                              basic_auth(connection.account_sid, connection.credential));
    call.body = form_encode(form);
    return finish(kProvider, std::move(call));
  }

  SendResult interpret(const HttpAnswer& answer) const override {
    SendResult r = classify_status(answer);
    if (answer.status == 0) return r;
    rapidjson::Document doc;
    const bool json = parse_json_object(answer.body, doc);
    if (r.outcome == Outcome::sent) {
      if (json) r.provider_message_id = json_string(doc, "sid").value_or("");
      return r;
    }
    if (!json) return r;
    const auto code = json_integer(doc, "code");
    if (!code) return r;
    r.excerpt = "twilio error " + std::to_string(*code);
    for (const auto& e : kErrors) {
      if (e.code == *code) {
        apply_rule(r, e.rule, answer);
        break;
      }
    }
    return r;
  }
};

}  // namespace

std::unique_ptr<ProviderClient> make_twilio_client() {
  return std::make_unique<TwilioClient>();
}

}  // namespace hookline::sender
