// Resend, POST https://api.resend.com/emails (upstream-specs/providers/resend.json), and the
// credential check GET /domains (resend/resend-openapi resend.yaml: a list object). Errors are
// {"statusCode":N,"name":"<code>","message":"..."}; a wrong key is 403 invalid_api_key.
#include "sinks/simulator/credentials.h"
#include "sinks/simulator/ids.h"
#include "sinks/simulator/json_text.h"
#include "sinks/simulator/providers.h"

namespace hookline::simulator {
namespace {

constexpr std::size_t kMaxIdempotencyKey = 256;

Answer resend_error(int status, const char* name, const char* message) {
  return json_answer(status, "{\"statusCode\":" + std::to_string(status) + ",\"name\":\"" + name +
                                 "\",\"message\":\"" + message + "\"}");
}

class Resend final : public Provider {
 public:
  const char* name() const noexcept override { return "resend"; }
  const char* path_pattern() const noexcept override { return "/emails"; }

  std::optional<std::string> target(const Incoming& in) const override {
    std::string token = bearer_token(in);
    if (token.empty()) return std::nullopt;
    return token;
  }

  std::optional<Answer> validate(const Incoming& in) const override {
    if (in.header("idempotency-key").size() > kMaxIdempotencyKey) {
      return resend_error(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
    }
    if (!parse_object(in.body)) {
      return resend_error(400, "validation_error", "The request body is not valid JSON.");
    }
    return std::nullopt;
  }

  Answer accept(const Incoming&) const override {
    Answer a = json_answer(200, "");
    a.message_id = uuid_v4();
    a.body = "{\"id\":\"" + a.message_id + "\"}";
    return a;
  }

  Answer error(int status) const override {
    switch (status) {
      case 401:
        return resend_error(401, "missing_api_key", "Missing API key in the authorization header.");
      case 403:
        return resend_error(403, "invalid_api_key", "API key is invalid.");
      case 404:
        return resend_error(404, "not_found", "The requested endpoint does not exist.");
      case 405:
        return resend_error(405, "method_not_allowed",
                            "Method is not allowed for the requested path.");
      case 409:
        return resend_error(409, "invalid_idempotent_request",
                            "Same idempotency key used with a different request payload.");
      case 422:
        return resend_error(422, "validation_error", "The request is not valid.");
      case 429:
        return resend_error(429, "rate_limit_exceeded",
                            "Too many requests. See rate limit response headers for more "
                            "information.");
      default:
        if (status >= 500) {
          return resend_error(status, "application_error",
                              "An unexpected error occurred, please try again.");
        }
        return resend_error(status, reason_code(status).c_str(), reason_phrase(status));
    }
  }

  bool honours_idempotency_key() const noexcept override { return true; }

  Answer wrong_credential() const override { return error(403); }

  const char* check_pattern() const noexcept override { return "/domains"; }
  Answer check(const Incoming&) const override {
    return json_answer(200, R"({"object":"list","has_more":false,"data":[]})");
  }
};

}  // namespace

std::unique_ptr<Provider> make_resend() {
  return std::make_unique<Resend>();
}

}  // namespace hookline::simulator
