#include "ingest/registry/secret_box.h"

#include <utility>

#include "core/json_reader.h"

namespace hookline::ingest {

const char* to_string(SecretField field) noexcept {
  switch (field) {
    case SecretField::secret_primary:
      return "secret_primary";
    case SecretField::secret_secondary:
      return "secret_secondary";
    case SecretField::verify_token:
      return "verify_token";
    case SecretField::send_secret:
      return "send_secret";
  }
  return "unknown";
}

SecretBox SecretBox::from_config(const SecretsConfig& cfg) {
  const std::string origin = !cfg.key.empty()        ? std::string("HOOKLINE_SECRET_KEY")
                             : !cfg.key_file.empty() ? cfg.key_file
                                                     : std::string("secret key");
  return from_base64(cfg.load_key(), origin);
}

SecretBox SecretBox::from_base64(std::string_view key_text, std::string_view origin) {
  std::optional<crypto::AesKey> key = crypto::AesKey::from_base64(key_text);
  if (!key) {
    throw ConfigError(std::string(origin) +
                      ": the secret key must be base64 of exactly 32 bytes "
                      "(e.g. `head -c32 /dev/urandom | base64`)");
  }
  return SecretBox(std::move(*key));
}

std::string SecretBox::associated_data(std::string_view provider, std::string_view connection_id,
                                       SecretField field) {
  std::string ad = "hookline/connection/";
  ad.append(provider).append("/").append(connection_id).append("/").append(to_string(field));
  return ad;
}

std::string SecretBox::seal(std::string_view provider, std::string_view connection_id,
                            SecretField field, std::string_view plaintext) const {
  return crypto::encrypt(key_, plaintext, associated_data(provider, connection_id, field));
}

std::optional<std::string> SecretBox::open(std::string_view provider,
                                           std::string_view connection_id, SecretField field,
                                           std::string_view sealed) const {
  return crypto::decrypt(key_, sealed, associated_data(provider, connection_id, field));
}

}  // namespace hookline::ingest
