#pragma once
// "hub-signature": GitHub's X-Hub-Signature-256 ("sha256=" + hex HMAC-SHA256 of the body,
// keyed with the webhook secret as-is), which Meta (WhatsApp, Instagram, Messenger) uses too
// with the app secret. "algorithm": "sha1" serves the legacy X-Hub-Signature.
//
// Params: header (default X-Hub-Signature-256, or X-Hub-Signature for sha1), algorithm
// ("sha256" default, "sha1"), prefix (default "<algorithm>=").
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/crypto/hash_algorithm.h"
#include "core/json_reader.h"
#include "ingest/providers/scheme.h"

namespace hookline::ingest {

inline constexpr std::string_view kHubSignature256Header = "X-Hub-Signature-256";
inline constexpr std::string_view kHubSignatureSha1Header = "X-Hub-Signature";

// "sha256=<64 hex>" (or the given prefix and algorithm) into the raw MAC; nullopt otherwise.
std::optional<std::string> parse_hub_signature(
    std::string_view value, std::string_view prefix = "sha256=",
    crypto::HashAlgorithm algorithm = crypto::HashAlgorithm::sha256);

std::unique_ptr<SignatureScheme> make_hub_signature_scheme(ObjectReader& params);

}  // namespace hookline::ingest
