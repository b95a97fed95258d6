#pragma once
// Seals and opens the secret fields of a connection row with the key-encryption key
// (AES-256-GCM, core/crypto/aes_gcm.h). The associated data binds a sealed value to its row and
// field: "hookline/connection/<provider>/<connection_id>/<field>", so a value copied to another
// row or another column does not open.
#include <optional>
#include <string>
#include <string_view>

#include "core/config.h"
#include "core/crypto/aes_gcm.h"

namespace hookline::ingest {

// The sealed columns of `connections`: the inbound signing secrets and verify token
// (migrations/0001) and the outbound send secret (migrations/0003).
enum class SecretField { secret_primary, secret_secondary, verify_token, send_secret };

// The column name: "secret_primary", "secret_secondary", "verify_token", "send_secret".
const char* to_string(SecretField field) noexcept;

class SecretBox {
 public:
  explicit SecretBox(crypto::AesKey key) : key_(std::move(key)) {}

  // The key of cfg (HOOKLINE_SECRET_KEY or HOOKLINE_SECRET_KEY_FILE). Throws ConfigError with a
  // one-line message naming the source, never the key, when none is configured, the file
  // cannot be read, or the text is not base64 of exactly 32 bytes.
  static SecretBox from_config(const SecretsConfig& cfg);
  // `key_text` must be standard base64 of 32 bytes; `origin` names it in the error.
  static SecretBox from_base64(std::string_view key_text, std::string_view origin);

  // The sealed blob (version | nonce | ciphertext | tag). Throws only if OpenSSL fails.
  std::string seal(std::string_view provider, std::string_view connection_id, SecretField field,
                   std::string_view plaintext) const;
  // The plaintext, or nullopt when the blob was sealed with another key, for another row or
  // field, or was altered.
  std::optional<std::string> open(std::string_view provider, std::string_view connection_id,
                                  SecretField field, std::string_view sealed) const;

  static std::string associated_data(std::string_view provider, std::string_view connection_id,
                                     SecretField field);

 private:
  crypto::AesKey key_;
};

}  // namespace hookline::ingest
