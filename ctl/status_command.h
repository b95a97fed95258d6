#pragma once
#include <string>
#include <vector>

#include "core/config.h"

namespace hookline::ctl {

// `hookline status [--json] [--endpoints NAME=URL,...] [--topology FILE]`: one screen with
// consumer lag per component group, the DLQs' size and growth, open approvals, the components'
// endpoints, the sender's circuits and the topology check. Exit codes: 0 all well, 1 error
// (broker unreachable, bad config), 2 usage, 3 something needs attention.
int run_status_command(const std::vector<std::string>& args, const Config& cfg);

}  // namespace hookline::ctl
