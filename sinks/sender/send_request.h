#pragma once
// A send request (schemas/outbound.request.v1.schema.json) as the sender uses it: read from
// `outbound.approved` (or a retry tier), keyed by its connection ("<provider>/<connection id>").
// Contact address and content are personal data: never log them or put them in metrics.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace hookline::sender {

enum class Channel { email, sms, whatsapp, slack, webhook };
enum class Purpose { transactional, marketing };

const char* to_string(Channel c) noexcept;
const char* to_string(Purpose p) noexcept;

struct Template {
  std::string name;                     // provider template name (WhatsApp, SendGrid id)
  std::string language;                 // e.g. "en_US" (WhatsApp); empty: none
  std::vector<std::string> parameters;  // positional body parameters
};

struct Content {
  std::string subject;                // email
  std::string html;                   // email
  std::string text;                   // email, sms, whatsapp text, slack fallback text
  std::optional<Template> template_;  // whatsapp, email (provider-side template)
  std::string blocks_json;            // slack: a JSON array of Block Kit blocks; "" none
  std::string event_type;             // webhook: the event type
  std::string payload_json;           // webhook: the JSON object sent; "" none
  std::string unsubscribe_url;        // marketing email: List-Unsubscribe target
};

struct Campaign {
  std::string id;
  std::int64_t recipients = 1;
  double risk_score = 0;
  bool sensitive = false;
  bool ai_drafted = false;
  std::string name;     // "" when not given
  std::string preview;  // "" when not given
};

enum class Kind { message, opt_out_confirmation };

struct SendRequest {
  std::string id;  // request id: the idempotency key, unique per send
  std::string tenant;
  std::string connection;  // "<provider>/<connection id>", also the Kafka key
  Channel channel = Channel::email;
  Purpose purpose = Purpose::transactional;
  std::string contact_id;
  std::string address;  // email address, E.164 number, Slack channel id, or webhook URL path
  Content content;
  std::optional<Campaign> campaign;
  Kind kind = Kind::message;
  std::string subscription_group;  // "" when none
  std::optional<std::chrono::system_clock::time_point> not_before;
  std::optional<std::chrono::system_clock::time_point> expires_at;

  // "resend" of "resend/main".
  std::string provider() const;
};

}  // namespace hookline::sender
