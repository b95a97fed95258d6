#include "sinks/sender/providers/slack_client.h"

#include <string>
#include <string_view>
#include <utility>

#include "sinks/sender/providers/answer_reader.h"
#include "sinks/sender/providers/call_builder.h"
#include "sinks/sender/providers/json_writer.h"

namespace hookline::sender {
namespace {

constexpr std::string_view kProvider = "slack";

struct NamedRule {
  std::string_view name;
  ErrorRule rule;
};

// chat.postMessage error names (https://api.slack.com/methods/chat.postMessage#errors). Names
// not listed are permanent ("rejected"): Slack's errors describe the request, not its health.
constexpr NamedRule kErrors[] = {
    {"ratelimited", throttled_rule()},
    {"rate_limited", throttled_rule()},
    {"internal_error", provider_failure_rule()},
    {"fatal_error", provider_failure_rule()},
    {"service_unavailable", provider_failure_rule()},
    {"request_timeout", provider_failure_rule()},
    {"channel_not_found", permanent_rule("invalid-recipient")},
    {"not_in_channel", permanent_rule("invalid-recipient")},
    {"is_archived", permanent_rule("invalid-recipient")},
    {"invalid_auth", permanent_rule("unauthorized")},
    {"not_authed", permanent_rule("unauthorized")},
    {"account_inactive", permanent_rule("unauthorized")},
    {"token_revoked", permanent_rule("unauthorized")},
    {"token_expired", permanent_rule("unauthorized")},
    {"missing_scope", permanent_rule("forbidden")},
    {"no_text", permanent_rule("invalid-request")},
    {"invalid_blocks", permanent_rule("invalid-request")},
    {"invalid_blocks_format", permanent_rule("invalid-request")},
    {"msg_too_long", permanent_rule("invalid-request")},
    {"too_many_attachments", permanent_rule("invalid-request")},
};
constexpr ErrorRule kOtherError = permanent_rule("rejected");

class SlackClient final : public ProviderClient {
 public:
  Result<HttpCall> build(const SendRequest& request, const SendConnection& connection, int,
                         std::chrono::system_clock::time_point) const override {
    if (auto s = check_channel(kProvider, request, Channel::slack); !s) return s.error();
    const Content& c = request.content;
    if (request.address.empty()) return build_error(kProvider, "the request has no channel id");
    if (connection.credential.empty()) {
      return build_error(kProvider, "the connection has no bot token");
    }
    if (c.text.empty() && c.blocks_json.empty()) {
      return build_error(kProvider, "content.text and content.blocks_json are both empty");
    }
    if (!c.blocks_json.empty() && !is_json_array(c.blocks_json)) {
      return build_error(kProvider, "content.blocks_json is not a JSON array");
    }

    JsonWriter w;
    w.begin_object();
    w.member("channel", request.address);
    if (!c.text.empty()) w.member("text", c.text);
    if (!c.blocks_json.empty()) w.key("blocks").raw(c.blocks_json);
    w.end_object();
    if (!w.ok()) return build_error(kProvider, "the content is not valid UTF-8");

    // Slack wants the charset named for JSON bodies.
    HttpCall call = new_call("/api/chat.postMessage", request, "application/json; charset=utf-8");
    call.headers.emplace_back("authorization", bearer(connection.credential));
    call.body = w.text();
    return finish(kProvider, std::move(call));
  }

  SendResult interpret(const HttpAnswer& answer) const override {
    SendResult r = classify_status(answer);
    if (answer.status == 0) return r;
    rapidjson::Document doc;
    const bool json = parse_json_object(answer.body, doc);
    if (r.outcome == Outcome::sent) {
      const auto* ok = json ? json_member(doc, "ok") : nullptr;
      if (!ok || !ok->IsBool()) {
        // Not Slack's answer (a proxy's page?): whether it was posted is unknown.
        apply_rule(r, provider_failure_rule("bad-answer"), answer);
        return r;
      }
      if (ok->GetBool()) {
        const auto channel = json_string(doc, "channel");
        const auto ts = json_string(doc, "ts");
        if (channel && ts) r.provider_message_id = *channel + ":" + *ts;
        return r;
      }
    }
    const auto error = json ? json_string(doc, "error") : std::nullopt;
    if (error) r.excerpt = safe_excerpt(*error);
    if (r.outcome == Outcome::sent) {
      // 200 with ok: false.
      const ErrorRule* rule = &kOtherError;
      for (const auto& e : kErrors) {
        if (error && e.name == *error) {
          rule = &e.rule;
          break;
        }
      }
      apply_rule(r, *rule, answer);
    }
    return r;
  }
};

}  // namespace

std::unique_ptr<ProviderClient> make_slack_client() {
  return std::make_unique<SlackClient>();
}

}  // namespace hookline::sender
