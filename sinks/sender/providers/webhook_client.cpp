#include "sinks/sender/providers/webhook_client.h"

#include <string>
#include <utility>

#include "core/crypto/encoding.h"
#include "core/crypto/hmac.h"
#include "core/time_format.h"
#include "sinks/sender/providers/answer_reader.h"
#include "sinks/sender/providers/call_builder.h"
#include "sinks/sender/providers/json_writer.h"

namespace hookline::sender {
namespace {

constexpr std::string_view kProvider = "webhook";
constexpr std::string_view kSecretPrefix = "whsec_";
constexpr int kGone = 410;

class WebhookClient final : public ProviderClient {
 public:
  Result<HttpCall> build(const SendRequest& request, const SendConnection& connection, int,
                         std::chrono::system_clock::time_point now) const override {
    if (auto s = check_channel(kProvider, request, Channel::webhook); !s) return s.error();
    const Content& c = request.content;
    if (request.id.empty()) return build_error(kProvider, "the request has no id");
    if (c.event_type.empty()) return build_error(kProvider, "content.event_type is empty");
    if (!c.payload_json.empty() && !is_json_object(c.payload_json)) {
      return build_error(kProvider, "content.payload_json is not a JSON object");
    }
    const auto key = webhook_signing_key(connection.credential);
    if (!key) {
      return build_error(kProvider, "the connection's signing secret is not whsec_<base64>");
    }

    JsonWriter w;
    w.begin_object();
    w.member("type", c.event_type);
    w.member("timestamp", rfc3339_ms(now));
    w.key("data").raw(c.payload_json.empty() ? std::string_view("{}") : c.payload_json);
    w.end_object();
    if (!w.ok()) return build_error(kProvider, "content.event_type is not valid UTF-8");

    const std::string timestamp = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
    HttpCall call = new_call(connection.path, request, "application/json");
    call.body = w.text();
    call.headers.emplace_back("webhook-id", request.id);
    call.headers.emplace_back("webhook-timestamp", timestamp);
    call.headers.emplace_back("webhook-signature",
                              standard_webhooks_signature(*key, request.id, timestamp, call.body));
    return finish(kProvider, std::move(call));
  }

  SendResult interpret(const HttpAnswer& answer) const override {
    SendResult r = classify_status(answer);
    switch (answer.status) {
      case kGone:
        r.outcome = Outcome::gone;
        r.error_class = "gone";
        break;
      case 502:
      case 503:
      case 504:
        r.throttled = true;
        break;
      default:
        break;
    }
    return r;
  }
};

}  // namespace

std::unique_ptr<ProviderClient> make_webhook_client() {
  return std::make_unique<WebhookClient>();
}

std::optional<std::string> webhook_signing_key(std::string_view secret) {
  if (secret.starts_with(kSecretPrefix)) secret.remove_prefix(kSecretPrefix.size());
  auto key = crypto::base64_decode(secret);
  if (!key || key->empty()) return std::nullopt;
  return key;
}

std::string standard_webhooks_signature(std::string_view key, std::string_view id,
                                        std::string_view timestamp, std::string_view body) {
  std::string message;
  message.reserve(id.size() + timestamp.size() + body.size() + 2);
  message.append(id).append(".").append(timestamp).append(".").append(body);
  return "v1," + crypto::base64_encode(crypto::hmac(crypto::HashAlgorithm::sha256, key, message));
}

}  // namespace hookline::sender
