#pragma once
// WhatsApp Cloud API (facebook/openapi business-messaging-api): POST
// /{api_version}/{phone_number_id}/messages with a Bearer access token and a JSON body
//   {messaging_product: "whatsapp", recipient_type: "individual", to, type: "template",
//    template: {name, language: {policy: "deterministic", code},
//               components: [{type: "body", parameters: [{type: "text", text}]}]}}
// or, without a template, type "text" with text: {body} (the connection's opt-out text
// appended for marketing). 200 answers {"messages": [{"id": "wamid..."}]}; errors are
// {"error": {"code", "error_subcode", "type", ...}}: codes 4, 80007, 130429, 131048 and 131056
// are rate limits (retryable, throttled; the pause from Retry-After or Meta's
// x-business-use-case-usage estimated_time_to_regain_access), 1, 2, 131000, 131016 and 133004
// are Meta's own failures (retryable), 100, 131026, 131047, 131051 and the like permanent.
// WhatsApp only.
#include <memory>

#include "sinks/sender/provider_client.h"

namespace hookline::sender {

std::unique_ptr<ProviderClient> make_whatsapp_client();

}  // namespace hookline::sender
