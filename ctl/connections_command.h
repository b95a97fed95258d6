#pragma once
// `hookline connections ...`: the ingest's connection registry in Postgres.
#include <string>
#include <vector>

#include "core/config.h"

namespace hookline::ctl {

// Runs `hookline connections <args...>` (args exclude "connections"). Returns the exit code:
// 0 done, 1 error (database, secret key, missing file, connection exists / not found; one line
// "hookline connections: ..." on stderr), 2 usage error. Never throws; never prints a secret.
//   add       register a connection with its secrets (sealed with the secret key)
//   list      show connections without their secrets
//   rotate    a new secret becomes primary, the old one secondary; --drop-old finishes
//   disable   the ingest answers 404 for it (kept, with its secrets)
//   enable    undo disable
//   set-send-secret  set or clear the secret the sender calls the provider with (sealed)
//   set-settings     replace the connection's settings (non-secret JSON object)
int run_connections_command(const std::vector<std::string>& args, const hookline::Config& cfg);

}  // namespace hookline::ctl
