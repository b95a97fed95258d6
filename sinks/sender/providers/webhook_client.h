#pragma once
// Outgoing webhooks signed per Standard Webhooks 1.0 (https://www.standardwebhooks.com/):
// POST {connection.path} on the connection's base_url with the JSON body
//   {"type": content.event_type, "timestamp": <RFC 3339 of the attempt>, "data": <payload>}
// (payload_json, a JSON object, sent byte for byte; {} when empty) and the headers
// webhook-id (the request id: the same on every attempt, so receivers deduplicate),
// webhook-timestamp (Unix seconds of the attempt) and webhook-signature
// "v1,<base64 HMAC-SHA256 of id.timestamp.body>" keyed with the base64-decoded
// "whsec_<base64>" connection secret. request.address is not used: the destination is the
// connection's path.
// Answers: 2xx sent; 410 Gone is Outcome::gone (disable the endpoint); 429, 502, 503 and 504
// are throttled and retryable; other 5xx and 408 retryable; other 4xx (and 3xx: redirects are
// not followed) permanent. The receiver's body is never kept: it is the tenant's, not ours.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sinks/sender/provider_client.h"

namespace hookline::sender {

std::unique_ptr<ProviderClient> make_webhook_client();

// The HMAC key of a Standard Webhooks secret, "whsec_<base64>" (the prefix is optional);
// nullopt when it is not strict base64 or is empty.
std::optional<std::string> webhook_signing_key(std::string_view secret);

// "v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>"
std::string standard_webhooks_signature(std::string_view key, std::string_view id,
                                        std::string_view timestamp, std::string_view body);

}  // namespace hookline::sender
