#pragma once
// The text forms of values in topology/rules.json: durations ("24h", "30m", "90s", "1h30m"),
// local clock times ("21:00") and fixed UTC offsets ("+01:00", "-05:30"). Each parser returns
// nullopt for anything malformed; the loader turns that into a ConfigError naming the key.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace hookline::gatekeeper {

// One or more <digits><unit> parts, units d, h, m, s, each unit at most once and in that
// order ("1d12h", "90s", "1h30m"); "0" alone is zero. At most 3650 days.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);
// The shortest form parse_duration reads back: "24h", "1h30m", "90s" -> "1m30s", 0 -> "0s".
std::string format_duration(std::chrono::seconds d);

// "HH:MM" (two digits each, 00:00 to 23:59) -> minutes after midnight.
std::optional<int> parse_clock_time(std::string_view text);
std::string format_clock_time(int minutes_after_midnight);

// "+HH:MM" or "-HH:MM" within -14:00 .. +14:00 (minutes 00-59), or "Z" -> minutes east of UTC.
std::optional<int> parse_utc_offset(std::string_view text);
std::string format_utc_offset(int minutes);

}  // namespace hookline::gatekeeper
