#pragma once
// "stripe": Stripe-Signature "t=<unix seconds>,v1=<hex>[,v1=<hex>...]"; each v1 is a hex
// HMAC-SHA256 of t + "." + body, keyed with the endpoint secret exactly as configured
// ("whsec_..." included, as Stripe does). Any v1 may match (Stripe sends several while an
// endpoint secret rolls); other keys (v0, ...) are ignored. Params: tolerance_s (default 300).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.h"
#include "ingest/providers/scheme.h"

namespace hookline::ingest {

inline constexpr std::string_view kStripeSignatureHeader = "Stripe-Signature";

struct StripeSignatureHeader {
  std::int64_t timestamp = 0;
  std::string timestamp_text;   // as sent: the signed payload starts with it
  std::vector<std::string> v1;  // raw 32-byte MACs; may be empty (then nothing can match)
};

// Comma-separated key=value items (spaces around items allowed). nullopt when an item has no
// '=', t is missing, repeated or not Unix seconds, or a v1 is not 64 hex digits.
std::optional<StripeSignatureHeader> parse_stripe_signature(std::string_view value);

std::unique_ptr<SignatureScheme> make_stripe_scheme(ObjectReader& params);

}  // namespace hookline::ingest
