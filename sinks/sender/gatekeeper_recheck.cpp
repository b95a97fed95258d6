#include "sinks/sender/gatekeeper_recheck.h"

#include "core/crypto/encoding.h"
#include "processors/gatekeeper/consent/contact.h"
#include "processors/gatekeeper/rules/rules.h"

namespace hookline::sender {

GatekeeperRecheck::GatekeeperRecheck(std::unique_ptr<gatekeeper::ConsentChecker> checker)
    : checker_(std::move(checker)) {}

Result<RecheckVerdict> GatekeeperRecheck::check(const SendRequest& request,
                                                std::chrono::system_clock::time_point now) {
  auto decision = checker_->check(request, now);
  if (!decision) return decision.error();
  return RecheckVerdict{decision->allowed, decision->reason};
}

std::unique_ptr<ConsentRecheck> make_gatekeeper_recheck(const Config& cfg, std::size_t pool_size) {
  const gatekeeper::Rules rules = gatekeeper::load_rules(cfg.topology.dir + "/rules.json");
  const std::optional<std::string> key = crypto::base64_decode(cfg.secrets.load_key());
  if (!key || key->size() != 32) {
    throw ConfigError(
        "the secret key must be base64 of exactly 32 bytes (the consent ledger's "
        "contact hashes are keyed by it)");
  }
  gatekeeper::ConsentCheckOptions options;
  options.pool_size = pool_size;
  return std::make_unique<GatekeeperRecheck>(std::make_unique<gatekeeper::ConsentChecker>(
      cfg.database, gatekeeper::ContactHasher(*key), rules.consent, options));
}

}  // namespace hookline::sender
