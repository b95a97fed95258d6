#pragma once
// "sendgrid-ecdsa": SendGrid's signed Event Webhook. X-Twilio-Email-Event-Webhook-Signature is
// the base64 of a DER ECDSA P-256/SHA-256 signature over X-Twilio-Email-Event-Webhook-Timestamp
// followed by the body; the verification key is credentials.public_key (base64 DER
// SubjectPublicKeyInfo as SendGrid shows it, or PEM). Params: tolerance_s (default 300; 0
// disables the freshness check, since SendGrid retries old events with their first timestamp).
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/json_reader.h"
#include "ingest/providers/scheme.h"

namespace hookline::ingest {

inline constexpr std::string_view kSendgridSignatureHeader =
    "X-Twilio-Email-Event-Webhook-Signature";
inline constexpr std::string_view kSendgridTimestampHeader =
    "X-Twilio-Email-Event-Webhook-Timestamp";

// Strict base64 into the DER signature bytes (whose ASN.1 the verification checks);
// nullopt if not base64, empty, or longer than any P-256 signature.
std::optional<std::string> parse_sendgrid_signature(std::string_view value);

// PEM text as it is; otherwise base64 (line breaks and spaces ignored) decoded to DER.
// nullopt when neither.
std::optional<std::string> decode_sendgrid_public_key(std::string_view key);

std::unique_ptr<SignatureScheme> make_sendgrid_ecdsa_scheme(ObjectReader& params);

}  // namespace hookline::ingest
