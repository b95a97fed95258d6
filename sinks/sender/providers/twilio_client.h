#pragma once
// Twilio Programmable Messaging (API 2010-04-01): POST
// /2010-04-01/Accounts/{account_sid}/Messages.json, form-encoded To, From, Body, with basic
// auth account_sid:auth token. When the connection's `from` is a Messaging Service SID ("MG"
// and 32 hex digits) it goes as MessagingServiceSid instead of From. 201 Created answers
// {"sid": "SM..."}; errors are {"code", "message", "more_info", "status"}, of which only the
// code is kept (messages quote the number). Marketing SMS carry the connection's opt-out
// text. SMS only.
#include <memory>

#include "sinks/sender/provider_client.h"

namespace hookline::sender {

std::unique_ptr<ProviderClient> make_twilio_client();

}  // namespace hookline::sender
