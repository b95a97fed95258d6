#include "core/time_format.h"

#include <cstdio>
#include <ctime>
#include <optional>
#include <string_view>

namespace hookline {

namespace {

constexpr std::int64_t kMaxMs = 253402300799999;  // 9999-12-31T23:59:59.999Z

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

}  // namespace

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

std::optional<std::int64_t> parse_rfc3339_ms(std::string_view t) {
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
  const std::int64_t out = secs * 1000 + ms;
  if (out < 0 || out > kMaxMs) return std::nullopt;
  return out;
}

std::string rfc3339_ms(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto secs = time_point_cast<seconds>(t);
  const auto ms = duration_cast<milliseconds>(t - secs).count();
  const std::time_t tt = system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace hookline
