// Slack Web API, POST https://slack.com/api/chat.postMessage (upstream-specs/providers/
// slack.json): Bearer bot token, JSON or form body, 200 {"ok":true,"channel":..,"ts":..}.
// Errors are {"ok":false,"error":"<code>"}; a missing channel is answered as Slack does (200,
// ok false), and so is a wrong token (200, invalid_auth). Slack's rate limit answer is 429
// with Retry-After and "ratelimited". The credential check is POST /api/auth.test.
#include <chrono>

#include "sinks/simulator/credentials.h"
#include "sinks/simulator/form.h"
#include "sinks/simulator/ids.h"
#include "sinks/simulator/json_text.h"
#include "sinks/simulator/providers.h"

namespace hookline::simulator {
namespace {

Answer slack_error(int status, const char* code) {
  return json_answer(status, std::string("{\"ok\":false,\"error\":\"") + code + "\"}");
}

bool is_form(const Incoming& in) {
  return in.header("content-type").starts_with("application/x-www-form-urlencoded");
}

// The message's channel and text, from a JSON or a form body.
std::pair<std::string, std::string> channel_and_text(const Incoming& in) {
  if (is_form(in)) {
    auto form = parse_form(in.body);
    return {form["channel"], form["text"]};
  }
  auto doc = parse_object(in.body);
  if (!doc) return {};
  return {string_member(*doc, "channel"), string_member(*doc, "text")};
}

class Slack final : public Provider {
 public:
  const char* name() const noexcept override { return "slack"; }
  const char* path_pattern() const noexcept override { return "/api/chat\\.postMessage"; }

  std::optional<std::string> target(const Incoming& in) const override {
    std::string token = bearer_token(in);
    if (token.empty()) return std::nullopt;
    return token;
  }

  std::optional<Answer> validate(const Incoming& in) const override {
    if (!is_form(in) && !parse_object(in.body)) return slack_error(400, "invalid_json");
    if (channel_and_text(in).first.empty()) return slack_error(200, "channel_not_found");
    return std::nullopt;
  }

  Answer accept(const Incoming& in) const override {
    auto [channel, text] = channel_and_text(in);
    const std::string ts = slack_ts(std::chrono::system_clock::now());
    Answer a = json_answer(200, "");
    a.message_id = ts;
    a.body = "{\"ok\":true,\"channel\":" + json_quote(channel) + ",\"ts\":\"" + ts +
             "\",\"message\":{\"type\":\"message\",\"subtype\":\"bot_message\",\"text\":" +
             json_quote(text) + ",\"ts\":\"" + ts + "\",\"bot_id\":\"B0SIMULATOR\"}}";
    return a;
  }

  Answer error(int status) const override {
    switch (status) {
      case 400:
        return slack_error(400, "invalid_arguments");
      case 401:
        return slack_error(401, "not_authed");
      case 403:
        return slack_error(403, "invalid_auth");
      case 404:
        return slack_error(404, "unknown_method");
      case 405:
        return slack_error(405, "invalid_post_type");
      case 408:
        return slack_error(408, "request_timeout");
      case 429:
        return slack_error(429, "ratelimited");
      case 503:
        return slack_error(503, "service_unavailable");
      default:
        if (status >= 500) return slack_error(status, "internal_error");
        return slack_error(status, "fatal_error");
    }
  }

  Answer wrong_credential() const override { return slack_error(200, "invalid_auth"); }

  const char* check_pattern() const noexcept override { return "/api/auth\\.test"; }
  const char* check_method() const noexcept override { return "POST"; }
  Answer check(const Incoming&) const override {
    return json_answer(200,
                       R"({"ok":true,"url":"https://hookline-sim.slack.com/","team":"Hookline )"
                       R"(Simulator","user":"hookline-bot","team_id":"T0SIMULATOR",)"
                       R"("user_id":"U0SIMULATOR","bot_id":"B0SIMULATOR",)"
                       R"("is_enterprise_install":false})");
  }
};

}  // namespace

std::unique_ptr<Provider> make_slack() {
  return std::make_unique<Slack>();
}

}  // namespace hookline::simulator
