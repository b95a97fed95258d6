#pragma once
// The consent ledger in Postgres (migrations/0005_consent_ledger.sql): appending changes,
// reading a contact's current state and history, erasing a contact, and claiming the single
// STOP confirmation.
//
// A ConsentLedger works on a connection its caller owns (the gatekeeper's thread, a slot of the
// ConsentChecker's pool, the CLI); it keeps no state of its own and is as thread-safe as that
// connection (not at all: one user at a time). Errors come back as results: kind retriable
// when the connection or the server failed (lost connection, serialization failure, server
// shutting down), permanent otherwise (a row the table's checks refuse). Messages are one line
// and never contain the database password.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "core/error.h"
#include "processors/gatekeeper/consent/consent_entry.h"

namespace hookline::gatekeeper {

// The LISTEN/NOTIFY channel of ledger appends; the payload is "<tenant>/<contact hash>".
inline constexpr const char* kConsentNotificationChannel = "hookline_consent";

// An audit_log row (migrations/0002) written in the same transaction as a ledger change. Its
// subject is the contact hash; details must hold no personal data (no address).
struct AuditNote {
  std::string actor;         // "ctl:alice", "gatekeeper"
  std::string action;        // "consent.set", "consent.erase"
  std::string details_json;  // a JSON object; "" means {}
};

class ConsentLedger {
 public:
  // `database_url` is only used to remove the password from error messages.
  explicit ConsentLedger(pqxx::connection& conn, std::string database_url = {});

  // Throws db::DbError (one line, no password) unless the ledger's tables exist ("run
  // `hookline db migrate`").
  static void require_tables(pqxx::connection& conn, const std::string& database_url = {});

  // Appends `entry` (its id and recorded_at are ignored: the ledger sets them). Idempotent by
  // evidence: an entry whose non-empty evidence_event_id is already recorded for the same
  // tenant, contact, channel and group is not appended again. True when a row was inserted.
  // `audit`, when given, is written with the row (only when a row was inserted).
  Result<bool> append(const ConsentEntry& entry, const std::optional<AuditNote>& audit = {});

  // The contact's newest entry per (channel, scope, group), ordered by channel, scope, group.
  Result<std::vector<ConsentEntry>> current(const std::string& tenant,
                                            const std::string& contact_hash);
  // Every entry of the contact, oldest first (by occurred_at, then id).
  Result<std::vector<ConsentEntry>> history(const std::string& tenant,
                                            const std::string& contact_hash);

  // In one transaction: removes every entry of the contact (their confirmations go with them)
  // and appends one suppression entry without the address (channel "*", opted_out, scope all,
  // source erasure, reason "erased", occurred now, recorded by `recorded_by`), so the erased
  // contact stays suppressed. `audit`, when given, is written too, with "removed": <count>
  // added to its details. Returns the number of entries removed.
  Result<std::size_t> erase(const std::string& tenant, const std::string& contact_hash,
                            const std::string& recorded_by,
                            const std::optional<AuditNote>& audit = {});

  // Claims the single STOP confirmation of opt-out entry `entry_id` for send request
  // `request_id`. True when newly claimed or already claimed by the same request id; false
  // when another request claimed it or the entry no longer exists (erased).
  Result<bool> claim_confirmation(std::int64_t entry_id, const std::string& request_id);

 private:
  pqxx::connection& conn_;
  std::string url_;
};

}  // namespace hookline::gatekeeper
