#pragma once
// hookline-sender's consent recheck: the gatekeeper's ConsentChecker (the same consent ledger,
// rules and cache the gatekeeper uses before approval, processors/gatekeeper/consent), behind
// the sender's ConsentRecheck interface. Linked into the hookline-sender program only.
#include <cstddef>
#include <memory>

#include "core/config.h"
#include "processors/gatekeeper/consent/consent_check.h"
#include "sinks/sender/consent_recheck.h"

namespace hookline::sender {

class GatekeeperRecheck final : public ConsentRecheck {
 public:
  explicit GatekeeperRecheck(std::unique_ptr<gatekeeper::ConsentChecker> checker);
  Result<RecheckVerdict> check(const SendRequest& request,
                               std::chrono::system_clock::time_point now) override;

 private:
  std::unique_ptr<gatekeeper::ConsentChecker> checker_;
};

// Builds it from the config: the rules of <topology dir>/rules.json, contact hashes keyed by
// the secrets key, `pool_size` Postgres connections. Throws ConfigError (rules, key) or
// db::DbError (Postgres unreachable, ledger tables missing).
std::unique_ptr<ConsentRecheck> make_gatekeeper_recheck(const Config& cfg, std::size_t pool_size);

}  // namespace hookline::sender
