#pragma once
// The simulated providers (one file each: provider_<name>.cpp) and the list of all of them.
#include <memory>
#include <vector>

#include "sinks/simulator/provider.h"

namespace hookline::simulator {

// Resend: POST /emails, Bearer, 200 {"id":"<uuid>"}, honours Idempotency-Key; check
// GET /domains; a wrong key is 403 invalid_api_key.
std::unique_ptr<Provider> make_resend();
// SendGrid: POST /v3/mail/send, Bearer, 202 with an empty body and X-Message-Id; check
// GET /v3/scopes.
std::unique_ptr<Provider> make_sendgrid();
// Twilio: POST /2010-04-01/Accounts/{sid}/Messages.json, form body, Basic, 201 JSON; check
// GET /2010-04-01/Accounts/{sid}.json.
std::unique_ptr<Provider> make_twilio();
// WhatsApp Cloud: POST /{version}/{phone_number_id}/messages, Bearer, 200 with a wamid; check
// GET /{version}/{phone_number_id}.
std::unique_ptr<Provider> make_whatsapp();
// Slack: POST /api/chat.postMessage, Bearer, 200 {"ok":true,...}; check POST /api/auth.test;
// a wrong token is 200 {"ok":false,"error":"invalid_auth"}.
std::unique_ptr<Provider> make_slack();
// Outgoing webhooks: POST /hooks/<anything>, no authentication, 200 {}; no check endpoint.
std::unique_ptr<Provider> make_webhook();

// Every provider above, in routing order.
std::vector<std::unique_ptr<Provider>> builtin_providers();

// Whether `name` is one of the providers above.
bool is_provider_name(std::string_view name) noexcept;

}  // namespace hookline::simulator
