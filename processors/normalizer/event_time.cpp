#include "processors/normalizer/event_time.h"

#include <cmath>
#include <cstdio>

#include "core/time_format.h"

namespace hookline::normalizer {
namespace {

constexpr std::int64_t kMaxMs = 253402300799999;  // 9999-12-31T23:59:59.999Z

struct Civil {
  std::int64_t year;
  unsigned month, day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

std::optional<std::int64_t> in_range(std::int64_t ms) {
  if (ms < 0 || ms > kMaxMs) return std::nullopt;
  return ms;
}

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// "<digits>[.<digits>]" as seconds or milliseconds since the epoch.
std::optional<std::int64_t> parse_unix_text(std::string_view text, std::int64_t unit_ms) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 15) return std::nullopt;
  if (dot != std::string_view::npos && frac.empty()) return std::nullopt;
  std::int64_t v = 0;
  for (char c : whole) {
    if (!digit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  for (char c : frac) {
    if (!digit(c)) return std::nullopt;
  }
  if (v > kMaxMs / unit_ms) return std::nullopt;
  std::int64_t ms = v * unit_ms;
  if (unit_ms == 1000) {
    std::int64_t sub = 0;
    for (std::size_t i = 0; i < 3; ++i) sub = sub * 10 + (i < frac.size() ? frac[i] - '0' : 0);
    ms += sub;
  }
  return in_range(ms);
}

}  // namespace

std::optional<TimeFormat> time_format_named(std::string_view name) {
  if (name == "unix_s") return TimeFormat::unix_s;
  if (name == "unix_ms") return TimeFormat::unix_ms;
  if (name == "rfc3339") return TimeFormat::rfc3339;
  return std::nullopt;
}

std::optional<std::int64_t> parse_time_text(std::string_view text, TimeFormat format) {
  switch (format) {
    case TimeFormat::unix_s:
      return parse_unix_text(text, 1000);
    case TimeFormat::unix_ms:
      return parse_unix_text(text, 1);
    case TimeFormat::rfc3339:
      return parse_rfc3339_ms(text);
  }
  return std::nullopt;
}

std::optional<std::int64_t> parse_time(const rapidjson::Value& value, TimeFormat format) {
  if (value.IsString()) {
    return parse_time_text(std::string_view(value.GetString(), value.GetStringLength()), format);
  }
  if (format == TimeFormat::rfc3339 || !value.IsNumber()) return std::nullopt;
  const std::int64_t unit = format == TimeFormat::unix_s ? 1000 : 1;
  if (value.IsInt64()) {
    const std::int64_t v = value.GetInt64();
    if (v < 0 || v > kMaxMs / unit) return std::nullopt;
    return in_range(v * unit);
  }
  if (value.IsUint64()) return std::nullopt;  // beyond int64: far outside the range
  const double d = value.GetDouble();
  if (!std::isfinite(d) || d < 0 || d * static_cast<double>(unit) > static_cast<double>(kMaxMs)) {
    return std::nullopt;
  }
  // Sub-millisecond digits are dropped; the small bias absorbs binary rounding (…840180 s).
  return in_range(static_cast<std::int64_t>(std::floor(d * static_cast<double>(unit) + 1e-3)));
}

std::string format_rfc3339_ms(std::int64_t ms) {
  if (ms < 0) ms = 0;
  if (ms > kMaxMs) ms = kMaxMs;
  const std::int64_t secs = ms / 1000;
  const std::int64_t days = secs / 86400;
  const std::int64_t rem = secs % 86400;
  const Civil c = civil_from_days(days);
  char buf[80];  // roomy enough for any int fields, so -Wformat-truncation stays quiet at -O2
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(c.year),
                c.month, c.day, static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60), static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace hookline::normalizer
