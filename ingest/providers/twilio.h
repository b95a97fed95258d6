#pragma once
// "twilio": X-Twilio-Signature is the base64 HMAC-SHA1, keyed with the account's auth token,
// of the full public URL Twilio called (query included) followed, for form bodies, by each
// POST parameter's name and value, sorted by name. A repeated parameter contributes
// name+value once per distinct value, values sorted (as the SDKs do). JSON bodies are signed
// differently: the URL carries bodySHA256=<hex SHA-256 of the body>, which must match the
// body, and the signature covers the URL alone.
//
// The URL is request.public_url (built from the configured public base URL, since the node
// usually sits behind a proxy). Like the SDKs, the URL is tried as given, with the scheme's
// default port written out, and with it removed. No params.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.h"
#include "ingest/providers/form.h"
#include "ingest/providers/scheme.h"

namespace hookline::ingest {

inline constexpr std::string_view kTwilioSignatureHeader = "X-Twilio-Signature";

// Base64 of 20 bytes into the raw MAC; nullopt otherwise.
std::optional<std::string> parse_twilio_signature(std::string_view value);

// `url` as given, then (for http and https) the same URL with the default port added when it
// has none, or removed when it is the default one. Userinfo stays as given.
std::vector<std::string> twilio_url_variants(std::string_view url);

// What follows the URL in the signed string: name+value of each parameter, sorted by name,
// then by value, each distinct (name, value) once.
std::string twilio_params_suffix(const FormFields& params);

// The hex value of the bodySHA256 query parameter of `url`, if it has one.
std::optional<std::string> twilio_body_sha256(std::string_view url);

std::unique_ptr<SignatureScheme> make_twilio_scheme(ObjectReader& params);

}  // namespace hookline::ingest
