#pragma once
// Whether a connection's send credentials work, without sending anything: each provider's
// cheapest authenticated call that has no side effect (`hookline connections test`), taken
// from the providers' own API descriptions (resend/resend-openapi resend.yaml "Retrieve a list
// of domains"; twilio/sendgrid-oai tsg_scopes_v3.json ListScope; twilio_api_v2010.json
// FetchAccount; the Graph API phone number node of facebook/openapi; slackapi/slack-api-specs
// auth.test), authenticated as the provider clients do:
//   resend    GET  /domains                                   Bearer <API key>
//   sendgrid  GET  /v3/scopes                                 Bearer <API key>
//   twilio    GET  /2010-04-01/Accounts/{account_sid}.json    Basic account_sid:<auth token>
//   whatsapp  GET  /{api_version}/{phone_number_id}           Bearer <access token>
//   slack     POST /api/auth.test                             Bearer <bot token>
//   webhook   no call: the receiver holds no credential of ours (we sign, it verifies); only
//             the signing secret's form (whsec_<base64>) is checked.
// How answers read (read_credential_answer):
//   2xx                 accepted, unless the answer says otherwise: a SendGrid key without the
//                       mail.send scope, a Twilio account that is not active, Slack ok:false
//   401, 403            rejected; but a Resend 401 restricted_api_key is a valid sending-only
//                       key: accepted
//   408, 429, 5xx       unverified (the provider is busy or failing: try again)
//   other 4xx, 3xx      rejected (an account, phone number id or base_url that is wrong)
//   no answer           unreachable
// Reports hold the provider's error code or name (through safe_excerpt), never an answer body
// or a credential.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "sinks/sender/provider_client.h"
#include "sinks/sender/send_connection.h"

namespace hookline::sender {

enum class CredentialVerdict { accepted, rejected, unverified, unreachable };

// "ok", "rejected", "unverified", "unreachable": the first word of report_line().
const char* to_string(CredentialVerdict v) noexcept;

struct CredentialReport {
  CredentialVerdict verdict = CredentialVerdict::unreachable;
  std::string what;      // "credentials accepted", "credentials refused", ...
  std::string endpoint;  // "GET /domains"; "" when nothing was called
  int status = 0;        // the answer's status; 0 none
  std::string code;      // the provider's error code or name, or the transport error; "" none
  std::optional<std::chrono::milliseconds> elapsed;  // of the call
};

// The check call for `connection` (pure); nullopt for a provider that has none (webhook). An
// Error (kind permanent) naming what the connection lacks (credential, account_sid, ...) or
// when the provider is not one the sender serves.
Result<std::optional<HttpCall>> build_credential_check(const SendConnection& connection);

// Reads the check call's answer (pure); `endpoint` and `elapsed` are left for the caller.
CredentialReport read_credential_answer(std::string_view provider, const HttpAnswer& answer);

// Builds and performs the check on the connection's base_url (HttpCaller with the
// connection's timeout; `ca_file` as the sender's). A connection that cannot be checked
// (build error, or a webhook secret that is not whsec_<base64>) is reported rejected.
CredentialReport check_credentials(const SendConnection& connection,
                                   const std::optional<std::string>& ca_file = std::nullopt);

// One line for an operator:
//   "ok: resend/main credentials accepted (GET /domains, 200, 35 ms)"
//   "rejected: resend/main credentials refused (GET /domains, 403 invalid_api_key, 12 ms)"
//   "unreachable: resend/main got no answer from https://api.resend.com (GET /domains,
//    connection failed, 3 ms)"
std::string report_line(std::string_view connection_key, const CredentialReport& report);

}  // namespace hookline::sender
