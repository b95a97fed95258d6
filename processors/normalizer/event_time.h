#pragma once
// Event times as the manifests describe them (a JSON value or a header in unix_s, unix_ms or
// rfc3339), turned into CloudEvents `time`: RFC 3339 UTC with milliseconds. Never throws.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace hookline::normalizer {

enum class TimeFormat {
  unix_s,   // seconds since the epoch: integer, decimal ("1548426417.840180"), or such text
  unix_ms,  // milliseconds since the epoch: integer or digits
  rfc3339,  // 2024-11-22T23:41:12.126Z, any fraction, Z or +hh:mm (a space for T is accepted)
};

std::optional<TimeFormat> time_format_named(std::string_view name);

// Milliseconds since the Unix epoch, or nullopt when malformed or outside 1970-01-01 ..
// 9999-12-31. Fractions below a millisecond are dropped.
std::optional<std::int64_t> parse_time(const rapidjson::Value& value, TimeFormat format);
std::optional<std::int64_t> parse_time_text(std::string_view text, TimeFormat format);

// 2024-11-22T23:41:12.126Z (`ms` within the range parse_time accepts).
std::string format_rfc3339_ms(std::int64_t ms);

}  // namespace hookline::normalizer
