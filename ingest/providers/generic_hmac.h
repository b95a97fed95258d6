#pragma once
// Generic HMAC scheme ("hmac"), for providers without a scheme of their own: a configurable
// header holding [prefix]<hex or base64 HMAC>, over the body or a timestamp and the body.
//
// Also the shared pieces of every HMAC-based scheme: signature parsing, the usable secrets of
// a connection, and the constant-time match against each of them. hub-signature and shopify
// are this scheme with fixed settings.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto/hash_algorithm.h"
#include "core/json_reader.h"
#include "ingest/providers/scheme.h"

namespace hookline::ingest {

enum class SignatureEncoding { hex, base64 };

// What the MAC covers: the body; timestamp + "." + body; or timestamp + body.
enum class SignedContent { body, timestamp_dot_body, timestamp_body };

struct GenericHmacConfig {
  std::string scheme_name = "hmac";  // what name() answers
  std::string header;                // required
  crypto::HashAlgorithm algorithm = crypto::HashAlgorithm::sha256;
  SignatureEncoding encoding = SignatureEncoding::hex;
  std::string prefix;            // e.g. "sha256="; compared case-insensitively; may be empty
  std::string timestamp_header;  // empty: no timestamp
  SignedContent signed_content = SignedContent::body;
  std::chrono::seconds tolerance = kDefaultTolerance;  // when timestamp_header is set
};

// Decodes a header value "<prefix><encoded MAC>" into the raw MAC. The prefix compares
// case-insensitively; hex accepts either case; base64 is strict (padded, standard alphabet).
// nullopt unless the decoded MAC has exactly `mac_size` bytes.
std::optional<std::string> parse_hmac_signature(std::string_view value, std::string_view prefix,
                                                SignatureEncoding encoding, std::size_t mac_size);

// The non-empty secrets of a connection. An empty key would let anyone sign, so it never counts.
std::vector<std::string_view> usable_secrets(const Credentials& credentials);

// True if HMAC(alg, secret, message) equals one of `signatures` (raw MACs) for one of
// `secrets`. Every comparison is constant-time.
bool hmac_matches_any(crypto::HashAlgorithm alg, const std::vector<std::string_view>& secrets,
                      std::string_view message, const std::vector<std::string>& signatures);

// Reads an algorithm key ("sha1" | "sha256" | "sha512"); throws ConfigError for other names.
crypto::HashAlgorithm read_hash_algorithm(ObjectReader& params, std::string_view key,
                                          crypto::HashAlgorithm fallback);
const char* to_string(crypto::HashAlgorithm alg) noexcept;

// A scheme from settled settings (used by hub-signature and shopify).
std::unique_ptr<SignatureScheme> make_generic_hmac_scheme(GenericHmacConfig config);
// "hmac": header (required), algorithm, encoding, prefix, timestamp_header, signed,
// tolerance_s. Throws ConfigError.
std::unique_ptr<SignatureScheme> make_generic_hmac_scheme(ObjectReader& params);

}  // namespace hookline::ingest
