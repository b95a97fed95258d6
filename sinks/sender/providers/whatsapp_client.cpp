#include "sinks/sender/providers/whatsapp_client.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "sinks/sender/providers/answer_reader.h"
#include "sinks/sender/providers/call_builder.h"
#include "sinks/sender/providers/json_writer.h"

namespace hookline::sender {
namespace {

constexpr std::string_view kProvider = "whatsapp";

struct CodeRule {
  std::int64_t code;
  ErrorRule rule;
};

// Cloud API error codes (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes)
// whose meaning is more than their HTTP status says (Meta answers most errors with 400).
constexpr CodeRule kErrors[] = {
    // Rate limits: pause the connection.
    {4, throttled_rule()},       // Application request limit reached
    {80007, throttled_rule()},   // WhatsApp Business Account rate limit
    {130429, throttled_rule()},  // Cloud API throughput reached
    {131048, throttled_rule()},  // Spam rate limit hit
    {131056, throttled_rule()},  // Pair rate limit: too many messages to this recipient
    // Meta's own failures.
    {1, provider_failure_rule()},       // API Unknown
    {2, provider_failure_rule()},       // API Service
    {131000, provider_failure_rule()},  // Something went wrong
    {131016, provider_failure_rule()},  // Service unavailable
    {133004, provider_failure_rule()},  // Server temporarily unavailable
    // Never worth retrying.
    {0, permanent_rule("unauthorized")},            // AuthException
    {10, permanent_rule("forbidden")},              // Permission denied
    {190, permanent_rule("unauthorized")},          // Access token expired
    {200, permanent_rule("forbidden")},             // Permissions error
    {100, permanent_rule("invalid-request")},       // Invalid parameter
    {131008, permanent_rule("invalid-request")},    // Required parameter is missing
    {131009, permanent_rule("invalid-request")},    // Parameter value is not valid
    {131051, permanent_rule("invalid-request")},    // Unsupported message type
    {131026, permanent_rule("invalid-recipient")},  // Message undeliverable
    {131030, permanent_rule("invalid-recipient")},  // Recipient not in allowed list
    {131047, permanent_rule("outside-window")},     // More than 24 h since the user wrote
    {131050, permanent_rule("unsubscribed")},       // User stopped marketing messages
    {131031, permanent_rule("account-blocked")},    // Business account locked
    {368, permanent_rule("account-blocked")},       // Temporarily blocked for policy
    {132000, permanent_rule("invalid-template")},   // Parameter count mismatch
    {132001, permanent_rule("invalid-template")},   // Template does not exist
    {132005, permanent_rule("invalid-template")},   // Translated text too long
    {132007, permanent_rule("invalid-template")},   // Format character policy violated
    {132012, permanent_rule("invalid-template")},   // Parameter format mismatch
    {132015, permanent_rule("invalid-template")},   // Template paused
    {132016, permanent_rule("invalid-template")},   // Template disabled
};

// Meta's usage header: {"<business id>": [{"type": "whatsapp", "call_count": 100, ...,
// "estimated_time_to_regain_access": <minutes>}]}. The longest wait it names, if any.
std::optional<std::chrono::milliseconds> regain_access(const HttpAnswer& answer) {
  const auto header = answer_header(answer, "x-business-use-case-usage");
  if (!header) return std::nullopt;
  rapidjson::Document doc;
  if (!parse_json_object(*header, doc)) return std::nullopt;
  std::int64_t minutes = 0;
  const rapidjson::Value& root = doc;  // const iterators: clang's C++20 rewritten != is ambiguous
  for (const auto& business : root.GetObject()) {
    if (!business.value.IsArray()) continue;
    for (const auto& usage : business.value.GetArray()) {
      if (const auto m = json_integer(usage, "estimated_time_to_regain_access")) {
        minutes = std::max(minutes, *m);
      }
    }
  }
  if (minutes <= 0) return std::nullopt;
  return std::chrono::minutes(minutes);
}

class WhatsAppClient final : public ProviderClient {
 public:
  Result<HttpCall> build(const SendRequest& request, const SendConnection& connection, int,
                         std::chrono::system_clock::time_point) const override {
    if (auto s = check_channel(kProvider, request, Channel::whatsapp); !s) return s.error();
    if (request.address.empty()) return build_error(kProvider, "the request has no address");
    if (connection.phone_number_id.empty()) {
      return build_error(kProvider, "the connection has no phone_number_id");
    }
    if (connection.api_version.empty()) {
      return build_error(kProvider, "the connection has no api_version");
    }
    if (connection.credential.empty()) {
      return build_error(kProvider, "the connection has no access token");
    }

    JsonWriter w;
    w.begin_object();
    w.member("messaging_product", "whatsapp");
    w.member("recipient_type", "individual");
    w.member("to", request.address);
    if (const auto& t = request.content.template_) {
      if (t->name.empty()) return build_error(kProvider, "content.template has no name");
      if (t->language.empty()) return build_error(kProvider, "content.template has no language");
      w.member("type", "template");
      w.key("template").begin_object();
      w.member("name", t->name);
      w.key("language").begin_object();
      w.member("policy", "deterministic").member("code", t->language);
      w.end_object();
      if (!t->parameters.empty()) {
        w.key("components").begin_array().begin_object();
        w.member("type", "body");
        w.key("parameters").begin_array();
        for (const auto& p : t->parameters) {
          w.begin_object().member("type", "text").member("text", p).end_object();
        }
        w.end_array();
        w.end_object().end_array();
      }
      w.end_object();
    } else {
      auto text = message_text(kProvider, request, connection);
      if (!text) return text.error();
      w.member("type", "text");
      w.key("text").begin_object().member("body", *text).end_object();
    }
    w.end_object();
    if (!w.ok()) return build_error(kProvider, "the content is not valid UTF-8");

    std::string path = "/";  // appended piecewise: GCC 12 -Wrestrict misfires on "/" + s
    path.append(encode_path_segment(connection.api_version));
    path.append("/");
    path.append(encode_path_segment(connection.phone_number_id));
    path.append("/messages");
    HttpCall call = new_call(path, request, "application/json");
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
      const auto* messages = json ? json_member(doc, "messages") : nullptr;
      if (messages && messages->IsArray() && !messages->Empty()) {
        r.provider_message_id = json_string((*messages)[0], "id").value_or("");
      }
      return r;
    }
    const auto* error = json ? json_member(doc, "error") : nullptr;
    const auto code = error ? json_integer(*error, "code") : std::nullopt;
    if (code) {
      const auto subcode = json_integer(*error, "error_subcode");
      const auto type = json_string(*error, "type");
      std::string excerpt = "whatsapp error ";
      excerpt.append(std::to_string(*code));
      if (subcode) {
        excerpt.append("/");
        excerpt.append(std::to_string(*subcode));
      }
      if (type) {
        excerpt.append(" (");
        excerpt.append(*type);
        excerpt.append(")");
      }
      r.excerpt = safe_excerpt(excerpt);
      for (const auto& e : kErrors) {
        if (e.code == *code) {
          apply_rule(r, e.rule, answer);
          break;
        }
      }
    }
    if (r.throttled && !r.retry_after) r.retry_after = regain_access(answer);
    return r;
  }
};

}  // namespace

std::unique_ptr<ProviderClient> make_whatsapp_client() {
  return std::make_unique<WhatsAppClient>();
}

}  // namespace hookline::sender
