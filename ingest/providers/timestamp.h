#pragma once
// Unix-seconds timestamps in signature headers, and the freshness window around `now` that
// stops a captured request from being replayed later.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/json_reader.h"
#include "ingest/providers/scheme.h"

namespace hookline::ingest {

// Ten digits reach the year 2286; anything longer is not a timestamp a provider sends.
inline constexpr std::size_t kMaxTimestampDigits = 10;
// The largest tolerance_s a manifest may set (one day).
inline constexpr std::int64_t kMaxToleranceSeconds = 86'400;

// Strict Unix seconds: 1 to 10 ASCII digits, no sign, no spaces, no fraction, and no leading
// zero (except "0" itself). nullopt for anything else.
std::optional<std::int64_t> parse_unix_seconds(std::string_view text) noexcept;

// ok when `timestamp` lies within [now - tolerance, now + tolerance]; otherwise
// stale_timestamp or future_timestamp naming `header`. A zero tolerance disables the check.
VerifyResult check_freshness(std::int64_t timestamp, Clock::time_point now,
                             std::chrono::seconds tolerance, std::string_view header);

// parse_unix_seconds + check_freshness: malformed_header when `value` does not parse.
VerifyResult check_timestamp(std::string_view header, std::string_view value, Clock::time_point now,
                             std::chrono::seconds tolerance);

// Reads "tolerance_s" (default 300 s, at most kMaxToleranceSeconds, at least `min_seconds`;
// pass 0 for schemes where zero disables the check). Throws ConfigError.
std::chrono::seconds read_tolerance(ObjectReader& params, std::int64_t min_seconds = 1);

}  // namespace hookline::ingest
