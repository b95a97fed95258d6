#pragma once
// One row of the consent ledger (migrations/0005_consent_ledger.sql): a contact's opt-in or
// opt-out on one channel (or all: "*"), for a purpose scope, with where it came from and its
// evidence. The ledger is a history: entries are appended, never updated; a contact's current
// consent is the newest entry per (channel, scope, group).
//
// Contacts are kept twice: `contact_hash` (HMAC-SHA-256 under a key derived from the secrets
// key, see contact.h), which every lookup uses, and `contact` in clear text for the GDPR export,
// which an erase removes (the hash stays, as a suppression entry). Neither is ever logged.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "processors/gatekeeper/rules/rules.h"

namespace hookline::gatekeeper {

enum class ConsentStatus { opted_in, opted_out };

const char* to_string(ConsentStatus s) noexcept;
std::optional<ConsentStatus> consent_status_named(const std::string& name);

inline constexpr const char* kAllChannels = "*";

struct ConsentEntry {
  std::int64_t id = 0;  // ledger row id (0 before it is stored)
  std::string tenant;
  std::string contact_hash;            // hex
  std::optional<std::string> contact;  // normalized address; nullopt once erased
  std::string channel;                 // "email", "sms", "whatsapp", ... or "*"
  ConsentStatus status = ConsentStatus::opted_out;
  Scope scope = Scope::all;
  ConsentSource source = ConsentSource::api;
  std::string reason;             // keyword:STOP, hard_bounce, unsubscribe, cli, ...
  std::string group;              // subscription group; "" = the whole channel
  std::string evidence_event_id;  // the CloudEvents id it came from; "" when none
  std::chrono::system_clock::time_point occurred_at{};
  std::chrono::system_clock::time_point recorded_at{};  // set by the ledger
  std::string recorded_by;  // "hookline-gatekeeper", "ctl:<operator>", ...
};

}  // namespace hookline::gatekeeper
