#pragma once
// hookline dlq list|show|replay: what is parked in outbound.dlq / webhooks.dlq, one record's
// metadata (its body only with --reveal, audited), and replaying a selection back to where it
// came from (ctl/dlq/replayer.h).
#include <string>
#include <vector>

#include "core/config.h"

namespace hookline::ctl {

int run_dlq_command(const std::vector<std::string>& args, const Config& cfg);

}  // namespace hookline::ctl
