// Normalized contact addresses and their keyed hashes (contact.h).
#include "processors/gatekeeper/consent/contact.h"

#include <cctype>
#include <optional>
#include <string>

#include "core/crypto/encoding.h"
#include "core/crypto/hmac.h"
#include "core/json_reader.h"

namespace hookline::gatekeeper {
namespace {

constexpr std::string_view kKeyLabel = "hookline consent contact hash v1";
constexpr std::size_t kSecretKeyBytes = 32;

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool starts_with_ignoring_case(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::string normalize_contact(std::string_view address) {
  const std::string_view trimmed = trim(address);
  std::string out;
  out.reserve(trimmed.size());
  if (trimmed.find('@') != std::string_view::npos) {
    for (char c : trimmed)
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out;
  }
  std::string_view number = trimmed;
  for (std::string_view prefix : {"whatsapp:", "sms:", "tel:"}) {
    if (starts_with_ignoring_case(number, prefix)) {
      number.remove_prefix(prefix.size());
      break;
    }
  }
  for (char c : number) {
    if (is_space(c) || c == '-' || c == '.' || c == '(' || c == ')') continue;
    out.push_back(c);
  }
  return out;
}

ContactHasher::ContactHasher(std::string_view secrets_key)
    : key_(crypto::hmac(crypto::HashAlgorithm::sha256, secrets_key, kKeyLabel)) {}

ContactHasher ContactHasher::from_config(const SecretsConfig& secrets) {
  const std::string origin = !secrets.key.empty()        ? std::string("HOOKLINE_SECRET_KEY")
                             : !secrets.key_file.empty() ? secrets.key_file
                                                         : std::string("secret key");
  const std::optional<std::string> key = crypto::base64_decode(secrets.load_key());
  if (!key || key->size() != kSecretKeyBytes) {
    throw ConfigError(origin +
                      ": the secret key must be base64 of exactly 32 bytes "
                      "(e.g. `head -c32 /dev/urandom | base64`)");
  }
  return ContactHasher(*key);
}

std::string ContactHasher::hash(std::string_view tenant, std::string_view address) const {
  std::string data(tenant);
  data.push_back('\n');
  data.append(normalize_contact(address));
  return crypto::hex_encode(crypto::hmac(crypto::HashAlgorithm::sha256, key_, data));
}

}  // namespace hookline::gatekeeper
