// SendGrid, POST https://api.sendgrid.com/v3/mail/send (upstream-specs/providers/sendgrid.json):
// 202 Accepted, no body, X-Message-Id. The credential check GET /v3/scopes (twilio/sendgrid-oai
// tsg_scopes_v3.json) answers the key's scopes. Errors are
// {"errors":[{"message":..,"field":null,..}]}.
#include "sinks/simulator/credentials.h"
#include "sinks/simulator/ids.h"
#include "sinks/simulator/json_text.h"
#include "sinks/simulator/providers.h"

namespace hookline::simulator {
namespace {

Answer sendgrid_error(int status, const std::string& message) {
  return json_answer(status, "{\"errors\":[{\"message\":" + json_quote(message) +
                                 ",\"field\":null,\"help\":null}]}");
}

class SendGrid final : public Provider {
 public:
  const char* name() const noexcept override { return "sendgrid"; }
  const char* path_pattern() const noexcept override { return "/v3/mail/send"; }

  std::optional<std::string> target(const Incoming& in) const override {
    std::string token = bearer_token(in);
    if (token.empty()) return std::nullopt;
    return token;
  }

  std::optional<Answer> validate(const Incoming& in) const override {
    if (!parse_object(in.body)) return sendgrid_error(400, "Bad Request");
    return std::nullopt;
  }

  Answer accept(const Incoming&) const override {
    Answer a;
    a.status = 202;
    a.content_type.clear();
    a.message_id = random_alnum(22);
    a.headers.emplace_back("X-Message-Id", a.message_id);
    return a;
  }

  Answer error(int status) const override {
    switch (status) {
      case 401:
        return sendgrid_error(401, "authorization required");
      case 403:
        return sendgrid_error(403, "access forbidden");
      case 413:
        return sendgrid_error(413, "too big");
      case 429:
        return sendgrid_error(429, "too many requests");
      default:
        if (status >= 500) return sendgrid_error(status, "internal error");
        return sendgrid_error(status, reason_phrase(status));
    }
  }

  Answer wrong_credential() const override {
    return sendgrid_error(401, "The provided authorization grant is invalid, expired, or revoked");
  }

  const char* check_pattern() const noexcept override { return "/v3/scopes"; }
  Answer check(const Incoming&) const override {
    return json_answer(200, R"({"scopes":["mail.send"]})");
  }
};

}  // namespace

std::unique_ptr<Provider> make_sendgrid() {
  return std::make_unique<SendGrid>();
}

}  // namespace hookline::simulator
