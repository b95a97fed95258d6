#pragma once
#include <string>
#include <vector>

#include "core/config.h"

namespace hookline::ctl {

// `hookline topology apply|check [--topology FILE]`. Exit codes: 0 in step, 1 error,
// 2 usage, 3 drift found.
int run_topology_command(const std::vector<std::string>& args, const Config& cfg);

}  // namespace hookline::ctl
