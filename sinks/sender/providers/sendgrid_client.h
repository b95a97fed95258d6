#pragma once
// SendGrid v3 Mail Send (twilio/sendgrid-oai tsg_mail_v3.json): POST /v3/mail/send with a Bearer
// API key and a JSON body
//   {personalizations: [{to: [{email}], custom_args: {hookline_request_id}}], from: {email},
//    subject, content: [{type: "text/plain", value}, {type: "text/html", value}], headers}
// or, for a provider-side template, template_id with personalizations[0].
// dynamic_template_data holding the positional parameters under "1", "2", ... (a template
// reads them as {{[1]}}, {{[2]}}). custom_args sits in the personalization, where the API
// description types it as an object. 202 Accepted carries the message id in X-Message-Id;
// errors are {"errors": [{"message", "field"}]}. SendGrid has no idempotency key: a retried
// attempt after a lost answer may send twice. A `from` of the form "Name <address>" becomes
// from: {email, name}. Email only.
#include <memory>

#include "sinks/sender/provider_client.h"

namespace hookline::sender {

std::unique_ptr<ProviderClient> make_sendgrid_client();

}  // namespace hookline::sender
