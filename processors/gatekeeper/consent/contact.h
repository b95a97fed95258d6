#pragma once
// Contact addresses as the consent ledger keys them. Addresses are personal data: never log
// them; log or audit the hash at most.
#include <string>
#include <string_view>

#include "core/config.h"

namespace hookline::gatekeeper {

// The ledger's form of an address: trimmed; email addresses (anything with '@') lower-cased;
// phone numbers without a "whatsapp:" / "sms:" / "tel:" prefix and without spaces, dashes,
// dots and parentheses ("+1 (415) 555-0100" -> "+14155550100").
std::string normalize_contact(std::string_view address);

// HMAC-SHA-256 of "<tenant>\n<normalized contact>" under a key derived from the secrets key
// (HMAC-SHA-256(secrets key, "hookline consent contact hash v1")), as 64 lower-case hex digits.
// Keyed, so the hashes of phone numbers cannot be reversed by trying every number.
class ContactHasher {
 public:
  // `secrets_key` is the raw 32-byte secrets key (the base64 of SecretsConfig::load_key(),
  // decoded).
  explicit ContactHasher(std::string_view secrets_key);
  // The hasher of the configured secrets key (HOOKLINE_SECRET_KEY or HOOKLINE_SECRET_KEY_FILE).
  // Throws ConfigError with a one-line message naming the source, never the key, when none is
  // configured, the file cannot be read, or the text is not base64 of exactly 32 bytes.
  static ContactHasher from_config(const SecretsConfig& secrets);
  std::string hash(std::string_view tenant, std::string_view address) const;  // normalizes

 private:
  std::string key_;
};

}  // namespace hookline::gatekeeper
