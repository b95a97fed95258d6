#pragma once
// The simulated providers (one file each: provider_<name>.cpp) and the list of all of them.
#include <memory>
#include <vector>

#include "sinks/simulator/provider.h"

namespace hookline::simulator {

// Resend: POST /emails, Bearer, 200 {"id":"<uuid>"}, honours Idempotency-Key.
std::unique_ptr<Provider> make_resend();
// SendGrid: POST /v3/mail/send, Bearer, 202 with an empty body and X-Message-Id.
std::unique_ptr<Provider> make_sendgrid();
// Twilio: POST /2010-04-01/Accounts/{sid}/Messages.json, form body, Basic, 201 JSON.
std::unique_ptr<Provider> make_twilio();
// WhatsApp Cloud: POST /{version}/{phone_number_id}/messages, Bearer, 200 with a wamid.
std::unique_ptr<Provider> make_whatsapp();
// Slack: POST /api/chat.postMessage, Bearer, 200 {"ok":true,...}.
std::unique_ptr<Provider> make_slack();
// Outgoing webhooks: POST /hooks/<anything>, no authentication, 200 {}.
std::unique_ptr<Provider> make_webhook();

// Every provider above, in routing order.
std::vector<std::unique_ptr<Provider>> builtin_providers();

// Whether `name` is one of the providers above.
bool is_provider_name(std::string_view name) noexcept;

}  // namespace hookline::simulator
