#pragma once
// hookline replay raw: re-normalize the raw webhooks of a time range (after a mapping fix).
// The records go back to webhooks.raw, same key and partition, marked hookline-replay-mode:
// renormalize, so the normalizer re-emits their events with the same CloudEvents ids even
// inside its dedup window (consumers dedupe on id). Runs are resumable like dlq replay's.
#include <string>
#include <vector>

#include "core/config.h"

namespace hookline::ctl {

int run_replay_command(const std::vector<std::string>& args, const Config& cfg);

}  // namespace hookline::ctl
