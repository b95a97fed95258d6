#pragma once
#include <chrono>
#include <string>

namespace hookline {

// RFC 3339 UTC with milliseconds: 2026-11-22T01:00:00.123Z.
std::string rfc3339_ms(std::chrono::system_clock::time_point t);

}  // namespace hookline
