#pragma once
// The consent check (DESIGN.md decision 8), used twice: by the gatekeeper before a request is
// approved and by the sender right before it calls the provider. It reads the contact's current
// entries from the ledger (through a small cache) and applies the rules (consent_rules.h).
//
// Cache: entries per (tenant, contact hash), at most `cache_entries`, each for at most
// `cache_ttl`. Every ledger append sends a Postgres NOTIFY on channel `hookline_consent` with
// "<tenant>/<contact hash>"; the checker LISTENs on its own connection and drops that entry, so
// a consent withdrawn while a message waits is seen by the next check. When the listening
// connection is lost the whole cache is dropped and the TTL bounds staleness until it is back.
//
// Thread-safe. Errors (Postgres unreachable) come back as results of kind retriable: a check
// that cannot be made means "do not send now".
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/error.h"
#include "processors/gatekeeper/consent/contact.h"
#include "processors/gatekeeper/rules/rules.h"
#include "sinks/sender/send_request.h"

namespace hookline::gatekeeper {

struct ConsentDecision {
  bool allowed = false;
  // Reason code, always set: allowed ones (no_consent_required, opted_in, transactional,
  // stop_confirmation) and suppressing ones (no_opt_in, opted_out, stop_keyword, hard_bounce,
  // complaint, unsubscribed, erased, confirmation_already_sent).
  std::string reason;
  std::int64_t entry_id = 0;  // the ledger entry that decided, 0 when none
};

struct ConsentCheckOptions {
  std::size_t cache_entries = 100000;
  std::chrono::milliseconds cache_ttl{std::chrono::seconds(30)};
  bool listen = true;  // LISTEN for invalidations (off: TTL only)
  std::size_t pool_size = 4;
  // Called with each ledger lookup's duration in seconds (for a latency histogram); may be empty.
  std::function<void(double)> on_lookup;
  // Reconnect delays of the listening connection (doubling from min to max).
  std::chrono::milliseconds listen_backoff_min{500};
  std::chrono::milliseconds listen_backoff_max{30000};
};

class ConsentChecker {
 public:
  // Connects (throws db::DbError when Postgres is unreachable or the ledger tables are
  // missing: run `hookline db migrate`).
  ConsentChecker(const DatabaseConfig& db, ContactHasher hasher, ConsentRules rules,
                 ConsentCheckOptions options = {});
  ~ConsentChecker();
  ConsentChecker(const ConsentChecker&) = delete;
  ConsentChecker& operator=(const ConsentChecker&) = delete;

  // The decision for `request` now. A request of kind opt_out_confirmation that the rules let
  // through claims the confirmation of the STOP that blocks it (a second request is
  // suppressed confirmation_already_sent; the same request id checked again keeps its claim).
  Result<ConsentDecision> check(const sender::SendRequest& request,
                                std::chrono::system_clock::time_point now);

  // Drops the cached entries of one contact (the NOTIFY handler calls this).
  void invalidate(const std::string& tenant, const std::string& contact_hash);
  std::size_t cached() const;
  // Whether the invalidation listener is connected and LISTENing (always false with listen off).
  bool listening() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hookline::gatekeeper
