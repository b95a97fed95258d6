#include "sinks/sender/providers/resend_client.h"

#include <string_view>
#include <utility>

#include "sinks/sender/providers/answer_reader.h"
#include "sinks/sender/providers/call_builder.h"
#include "sinks/sender/providers/json_writer.h"

namespace hookline::sender {
namespace {

constexpr std::string_view kProvider = "resend";

struct NamedRule {
  std::string_view name;
  ErrorRule rule;
};

// Resend's error names (https://resend.com/docs/api-reference/errors) whose meaning is more
// than their status says; the others keep classify_status's verdict.
constexpr NamedRule kErrors[] = {
    {"rate_limit_exceeded", throttled_rule()},
    {"daily_quota_exceeded", throttled_rule("quota-exceeded")},
    {"monthly_quota_exceeded", throttled_rule("quota-exceeded")},
    // The same key is still being processed: the first attempt's answer will decide.
    {"concurrent_idempotent_requests", {Outcome::retryable, "idempotency-conflict", false, false}},
    {"invalid_idempotent_request", permanent_rule("idempotency-conflict")},
    {"invalid_idempotency_key", permanent_rule("invalid-request")},
    {"missing_api_key", permanent_rule("unauthorized")},
    {"invalid_api_key", permanent_rule("unauthorized")},
    {"invalid_api_Key", permanent_rule("unauthorized")},
    {"restricted_api_key", permanent_rule("unauthorized")},
    {"invalid_from_address", permanent_rule("invalid-sender")},
    {"validation_error", permanent_rule("invalid-request")},
    {"missing_required_field", permanent_rule("invalid-request")},
    {"invalid_parameter", permanent_rule("invalid-request")},
    {"invalid_attachment", permanent_rule("invalid-request")},
    {"application_error", provider_failure_rule()},
    {"internal_server_error", provider_failure_rule()},
};

class ResendClient final : public ProviderClient {
 public:
  Result<HttpCall> build(const SendRequest& request, const SendConnection& connection, int,
                         std::chrono::system_clock::time_point) const override {
    if (auto s = check_channel(kProvider, request, Channel::email); !s) return s.error();
    const Content& c = request.content;
    if (request.address.empty()) return build_error(kProvider, "the request has no address");
    if (connection.from.empty()) return build_error(kProvider, "the connection has no from");
    if (connection.credential.empty()) {
      return build_error(kProvider, "the connection has no API key");
    }
    if (c.subject.empty()) return build_error(kProvider, "content.subject is empty");
    if (c.html.empty() && c.text.empty()) {
      return build_error(kProvider, "content.html and content.text are both empty");
    }
    auto headers = email_headers(kProvider, request, connection);
    if (!headers) return headers.error();

    JsonWriter w;
    w.begin_object();
    w.member("from", connection.from);
    w.key("to").begin_array().string(request.address).end_array();
    w.member("subject", c.subject);
    if (!c.html.empty()) w.member("html", c.html);
    if (!c.text.empty()) w.member("text", c.text);
    if (!headers->empty()) {
      w.key("headers").begin_object();
      for (const auto& [name, value] : *headers) w.member(name, value);
      w.end_object();
    }
    w.end_object();
    if (!w.ok()) return build_error(kProvider, "the content is not valid UTF-8");

    HttpCall call = new_call("/emails", request, "application/json");
    call.headers.emplace_back("authorization", bearer(connection.credential));
    call.headers.emplace_back("idempotency-key", request.id);
    call.body = w.text();
    return finish(kProvider, std::move(call));
  }

  SendResult interpret(const HttpAnswer& answer) const override {
    SendResult r = classify_status(answer);
    if (answer.status == 0) return r;
    rapidjson::Document doc;
    const bool json = parse_json_object(answer.body, doc);
    if (r.outcome == Outcome::sent) {
      if (json) r.provider_message_id = json_string(doc, "id").value_or("");
      return r;
    }
    if (!json) return r;
    const auto name = json_string(doc, "name");
    if (!name) return r;
    r.excerpt = safe_excerpt(*name);
    for (const auto& e : kErrors) {
      if (e.name == *name) {
        apply_rule(r, e.rule, answer);
        break;
      }
    }
    return r;
  }
};

}  // namespace

std::unique_ptr<ProviderClient> make_resend_client() {
  return std::make_unique<ResendClient>();
}

}  // namespace hookline::sender
