#pragma once
// `hookline send`: an operator's test message through the whole outbound path. It writes one
// send request (schemas/outbound.request.v1.schema.json) to outbound.requests, so the
// gatekeeper and the sender treat it as any other, and waits for its result on
// outbound.results.
#include <string>
#include <vector>

#include "core/config.h"

namespace hookline::ctl {

// Runs `hookline send <args...>` (args exclude "send"). Returns the exit code: 0 when the
// request succeeded (or, with --wait 0, was published), 1 for another outcome, no result in
// time, or an error (unknown or disabled connection, database, Kafka; one line
// "hookline send: ..." on stderr), 2 for a usage error. Never throws. The address and the text
// are never printed, logged or audited: the audit_log row (send.test) holds ids only.
int run_send_command(const std::vector<std::string>& args, const hookline::Config& cfg);

}  // namespace hookline::ctl
