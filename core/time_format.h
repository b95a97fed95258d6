#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hookline {

// RFC 3339 UTC with milliseconds: 2026-11-22T01:00:00.123Z.
std::string rfc3339_ms(std::chrono::system_clock::time_point t);

// Milliseconds since the Unix epoch of an RFC 3339 time (2024-11-22T23:41:12.126Z: any
// fraction, Z or +hh:mm, a space for T accepted), or nullopt when malformed or outside
// 1970-01-01 .. 9999-12-31. Fractions below a millisecond are dropped.
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text);

// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12, day 1-31).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);
// Days in `month` (1-12) of `year`.
unsigned days_in_month(std::int64_t year, unsigned month);

}  // namespace hookline
