#pragma once
// "standard-webhooks": the Standard Webhooks spec, which Svix implements and Resend and many
// others send. Headers webhook-id, webhook-timestamp, webhook-signature (each falling back to
// svix-id, svix-timestamp, svix-signature). The signed content is id + "." + timestamp + "."
// + body. webhook-signature is a space-separated list of "version,base64" entries, any of
// which may match; unknown versions are ignored:
//   v1   base64 HMAC-SHA256 keyed with base64-decode(secret without its "whsec_" prefix)
//   v1a  base64 Ed25519 signature; the public key is credentials.public_key, "whpk_<base64>"
// Params: tolerance_s (default 300).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.h"
#include "ingest/providers/scheme.h"

namespace hookline::ingest {

struct SignatureListEntry {
  enum class Version { v1, v1a };
  Version version = Version::v1;
  std::string signature;  // raw bytes: 32 (v1) or 64 (v1a)
};

// Entries of a known version, in order. nullopt when the list has no entry at all, an entry
// has no ',', a v1/v1a signature is not strict base64 of the right size, or there are more
// than 16 of them. Entries of other versions are checked for the ',' only and skipped.
std::optional<std::vector<SignatureListEntry>> parse_signature_list(std::string_view value);

// The HMAC key of a "whsec_<base64>" secret (the prefix is optional); nullopt if not base64.
std::optional<std::string> decode_standard_webhooks_secret(std::string_view secret);
// The 32 raw bytes of a "whpk_<base64>" public key (prefix optional); nullopt otherwise.
std::optional<std::string> decode_standard_webhooks_public_key(std::string_view key);

std::unique_ptr<SignatureScheme> make_standard_webhooks_scheme(ObjectReader& params);

}  // namespace hookline::ingest
