#pragma once
// `hookline approvals`: the campaigns waiting for (or past) a person's decision.
//   list     approvals by status (default pending), newest first
//   show     one approval: its facts, held messages by status, decisions received
//   approve  publish an Approve decision to approvals.decisions (decided_by.operator)
//   deny     publish a Deny decision
// The gatekeeper applies decisions; the CLI only checks that the approval is still pending.
#include <string>
#include <vector>

#include "core/config.h"

namespace hookline::ctl {

int run_approvals_command(const std::vector<std::string>& args, const hookline::Config& cfg);

}  // namespace hookline::ctl
