// Names of consent statuses, as the ledger and the CLI write them (consent_entry.h).
#include "processors/gatekeeper/consent/consent_entry.h"

namespace hookline::gatekeeper {

const char* to_string(ConsentStatus s) noexcept {
  switch (s) {
    case ConsentStatus::opted_in:
      return "opted_in";
    case ConsentStatus::opted_out:
      return "opted_out";
  }
  return "opted_out";
}

std::optional<ConsentStatus> consent_status_named(const std::string& name) {
  if (name == "opted_in") return ConsentStatus::opted_in;
  if (name == "opted_out") return ConsentStatus::opted_out;
  return std::nullopt;
}

}  // namespace hookline::gatekeeper
