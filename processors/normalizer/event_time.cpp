#include "processors/normalizer/event_time.h"

#include <cmath>
#include <cstdio>

namespace hookline::normalizer {
namespace {

constexpr std::int64_t kMaxMs = 253402300799999;  // 9999-12-31T23:59:59.999Z

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

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

bool leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

std::optional<std::int64_t> in_range(std::int64_t ms) {
  if (ms < 0 || ms > kMaxMs) return std::nullopt;
  return ms;
}

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// Exactly `n` digits at text[pos..]; advances pos.
std::optional<unsigned> digits(std::string_view text, std::size_t& pos, std::size_t n) {
  if (text.size() - pos < n) return std::nullopt;
  unsigned v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[pos + i];
    if (!digit(c)) return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  pos += n;
  return v;
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

std::optional<std::int64_t> parse_rfc3339(std::string_view t) {
  std::size_t pos = 0;
  const auto year = digits(t, pos, 4);
  if (!year || pos >= t.size() || t[pos++] != '-') return std::nullopt;
  const auto month = digits(t, pos, 2);
  if (!month || pos >= t.size() || t[pos++] != '-') return std::nullopt;
  const auto day = digits(t, pos, 2);
  if (!day || pos >= t.size()) return std::nullopt;
  const char sep = t[pos++];
  if (sep != 'T' && sep != 't' && sep != ' ') return std::nullopt;
  const auto hour = digits(t, pos, 2);
  if (!hour || pos >= t.size() || t[pos++] != ':') return std::nullopt;
  const auto minute = digits(t, pos, 2);
  if (!minute || pos >= t.size() || t[pos++] != ':') return std::nullopt;
  const auto second = digits(t, pos, 2);
  if (!second) return std::nullopt;
  unsigned ms = 0;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    std::size_t n = 0;
    while (pos < t.size() && digit(t[pos])) {
      if (n < 3) ms = ms * 10 + static_cast<unsigned>(t[pos] - '0');
      ++n, ++pos;
    }
    if (n == 0) return std::nullopt;
    for (; n < 3; ++n) ms *= 10;
  }
  if (pos >= t.size()) return std::nullopt;  // a time zone is required
  std::int64_t offset_min = 0;
  const char z = t[pos++];
  if (z == '+' || z == '-') {
    const auto oh = digits(t, pos, 2);
    if (!oh || pos >= t.size() || t[pos++] != ':') return std::nullopt;
    const auto om = digits(t, pos, 2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    offset_min = static_cast<std::int64_t>(*oh * 60 + *om) * (z == '-' ? -1 : 1);
  } else if (z != 'Z' && z != 'z') {
    return std::nullopt;
  }
  if (pos != t.size()) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > days_in_month(*year, *month) || *hour > 23 ||
      *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  const unsigned sec = *second == 60 ? 59 : *second;  // a leap second counts as :59
  const std::int64_t days = days_from_civil(*year, *month, *day);
  const std::int64_t secs = days * 86400 + *hour * 3600 + *minute * 60 + sec - offset_min * 60;
  return in_range(secs * 1000 + ms);
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
      return parse_rfc3339(text);
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
