#pragma once
// Resend (https://resend.com/docs/api-reference/emails/send-email): POST /emails with a Bearer
// API key and a JSON body {from, to: [address], subject, html, text, headers}. The request id
// is the Idempotency-Key, so a retried attempt is sent once. 200 answers {"id": ...}; errors
// are {"statusCode", "name", "message"}, of which only `name` is kept.
// Email only; provider-side templates are not sent (html or text is needed).
#include <memory>

#include "sinks/sender/provider_client.h"

namespace hookline::sender {

std::unique_ptr<ProviderClient> make_resend_client();

}  // namespace hookline::sender
