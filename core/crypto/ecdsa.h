#pragma once
// ECDSA over P-256 with SHA-256 (SendGrid's signed event webhook).
#include <optional>
#include <string_view>
#include <utility>

#include "core/crypto/openssl_ptr.h"

namespace hookline::crypto {

// A parsed P-256 public key. Parse once at start-up, verify many times; verification is safe
// from several threads at once.
class EcdsaP256PublicKey {
 public:
  // Accepts a DER SubjectPublicKeyInfo (SendGrid's key, once base64-decoded by the caller) or
  // PEM text ("-----BEGIN PUBLIC KEY-----"). nullopt for anything else, including keys on
  // other curves or of other types.
  static std::optional<EcdsaP256PublicKey> parse(std::string_view der_or_pem) noexcept;

  // True only if `signature_der` (an ASN.1 DER ECDSA-Sig-Value) signs SHA-256(message).
  bool verify(std::string_view message, std::string_view signature_der) const noexcept;

 private:
  explicit EcdsaP256PublicKey(EvpPkeyPtr key) noexcept : key_(std::move(key)) {}
  EvpPkeyPtr key_;
};

// One-shot form of parse + verify; false if the key does not parse.
bool ecdsa_p256_sha256_verify(std::string_view public_key_der_or_pem, std::string_view message,
                              std::string_view signature_der) noexcept;

}  // namespace hookline::crypto
