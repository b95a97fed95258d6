#pragma once
// One connection of the registry as the ingest and the sender use it: who it belongs to, what
// verifies its webhooks (inbound) and what the sender calls its provider with (outbound),
// decrypted, in memory only. Rows live in Postgres (migrations/0001, 0003), sealed.
#include <cstddef>
#include <string>
#include <string_view>

#include "ingest/providers/scheme.h"

namespace hookline::ingest {

struct Connection {
  std::string tenant;
  std::string provider;     // "stripe"
  std::string id;           // "main": the last segment of /webhooks/<provider>/<id>
  std::string environment;  // dev, staging or prod
  std::string alias;        // free text for operators, empty if none
  bool enabled = true;      // a disabled connection is known but answered 404
  // Decrypted secrets (primary first, then the secondary while rotating) and public_key.
  Credentials credentials;
  std::string verify_token;  // decrypted, empty if none (e.g. WhatsApp hub.verify_token)
  // Outbound: the secret the sender authenticates with (API key, auth or bot token, or a
  // "whsec_..." signing secret), decrypted, empty if none. Never log it.
  std::string send_secret;
  // Non-secret settings, a JSON object as text (Postgres's rendering of the jsonb column); the
  // sender's (base_url, from, rate_per_s, ...) are the object under the key "send".
  std::string settings = "{}";
};

inline constexpr std::size_t kMaxNameLength = 64;

// Provider names, connection ids and tenants: [a-z0-9][a-z0-9._-]{0,63}. They appear in URLs,
// notification payloads ("provider/id"), metric labels and audit subjects.
constexpr bool is_valid_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

// dev, staging or prod.
constexpr bool is_valid_environment(std::string_view environment) noexcept {
  return environment == "dev" || environment == "staging" || environment == "prod";
}

}  // namespace hookline::ingest
