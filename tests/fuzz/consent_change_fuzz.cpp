// Fuzzes the consent.changes reader (strict JSON + schema validation + mapping to a ledger
// entry), with the default rules and a fixed key.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "processors/gatekeeper/consent/consent_change.h"

namespace gk = hookline::gatekeeper;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gk::ConsentRules rules;
  static const gk::ContactHasher hasher(std::string(32, '\x01'));
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto entry = gk::consent_entry_from_change(input, rules, hasher);
  if (!entry) {
    if (entry.error().message.empty()) __builtin_trap();  // every refusal says why
    return 0;
  }
  // What is accepted is a complete entry.
  if (entry->tenant.empty() || entry->channel.empty() || entry->contact_hash.size() != 64 ||
      !entry->contact || entry->contact->empty() || entry->evidence_event_id.empty()) {
    __builtin_trap();
  }
  return 0;
}
