#pragma once
// `hookline consent ...`: one contact's consent in the ledger (migrations/0005).
#include <string>
#include <vector>

#include "core/config.h"

namespace hookline::ctl {

// Runs `hookline consent <args...>` (args exclude "consent"). Returns the exit code: 0 done,
// 1 error (database; one line "hookline consent: ..." on stderr), 2 usage error, missing or
// bad secret key, or an erase without --yes. Never throws; addresses appear only on stdout
// (get, history and export show the contact's entries), never in errors or the audit log.
//   get      the contact's current entries (newest per channel, purpose scope and group)
//   set      append an entry (an operator's opt-in or opt-out)
//   history  every entry, oldest first
//   export   the GDPR export: a JSON document with every entry
//   erase    remove the contact's history, keeping one hashed suppression entry
int run_consent_command(const std::vector<std::string>& args, const hookline::Config& cfg);

}  // namespace hookline::ctl
