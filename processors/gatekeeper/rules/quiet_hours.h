#pragma once
// Quiet hours (rules.h): whether a message of some purpose may go now or must wait for the
// end of the tenant's quiet window. Local time is UTC plus the window's fixed offset (no
// daylight saving: a tenant that observes it changes utc_offset twice a year).
#include <chrono>
#include <optional>
#include <string>

#include "processors/gatekeeper/rules/rules.h"

namespace hookline::gatekeeper {

// When `now` falls inside the window [start, end) and the window applies to `purpose`
// ("marketing", "transactional"): the end of the window, i.e. the next local `end` time after
// `now`. Otherwise nullopt. A window whose end is before its start spans midnight; start ==
// end is no window.
std::optional<std::chrono::system_clock::time_point> quiet_until(
    const QuietHours& quiet, const std::string& purpose, std::chrono::system_clock::time_point now);

}  // namespace hookline::gatekeeper
