#pragma once
// "shopify": X-Shopify-Hmac-Sha256 holds the base64 HMAC-SHA256 of the raw body, keyed with
// the app's client secret as-is. No timestamp (Shopify signs none); no params.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/json_reader.h"
#include "ingest/providers/scheme.h"

namespace hookline::ingest {

inline constexpr std::string_view kShopifyHmacHeader = "X-Shopify-Hmac-Sha256";

// Base64 of 32 bytes into the raw MAC; nullopt otherwise.
std::optional<std::string> parse_shopify_hmac(std::string_view value);

std::unique_ptr<SignatureScheme> make_shopify_scheme(ObjectReader& params);

}  // namespace hookline::ingest
