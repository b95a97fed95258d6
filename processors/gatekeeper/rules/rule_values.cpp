// Parsing and formatting of durations, clock times and UTC offsets for the rules file.
#include "processors/gatekeeper/rules/rule_values.h"

#include <array>
#include <cstdint>
#include <cstdlib>

namespace hookline::gatekeeper {
namespace {

constexpr std::int64_t kMaxDurationSeconds = 3650LL * 24 * 3600;
constexpr int kMaxOffsetMinutes = 14 * 60;

struct Unit {
  char name;
  std::int64_t seconds;
};
constexpr std::array<Unit, 4> kUnits{{{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Two decimal digits at text[at], or -1.
int two_digits(std::string_view text, std::size_t at) {
  if (at + 2 > text.size() || !is_digit(text[at]) || !is_digit(text[at + 1])) return -1;
  return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

std::string pad2(int v) {
  std::string s = std::to_string(v);
  return s.size() < 2 ? "0" + s : s;
}

}  // namespace

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text == "0") return std::chrono::seconds(0);
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t next_unit = 0;  // units must come in kUnits order, each at most once
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t value = 0;
    const std::size_t digits_start = i;
    while (i < text.size() && is_digit(text[i])) {
      value = value * 10 + (text[i] - '0');
      if (value > kMaxDurationSeconds) return std::nullopt;
      ++i;
    }
    if (i == digits_start || i == text.size()) return std::nullopt;  // no number, or no unit
    const char unit = text[i++];
    std::size_t u = next_unit;
    while (u < kUnits.size() && kUnits[u].name != unit) ++u;
    if (u == kUnits.size()) return std::nullopt;
    next_unit = u + 1;
    total += value * kUnits[u].seconds;
    if (total > kMaxDurationSeconds) return std::nullopt;
  }
  return std::chrono::seconds(total);
}

std::string format_duration(std::chrono::seconds d) {
  std::int64_t left = d.count();
  if (left <= 0) return "0s";
  std::string out;
  for (const auto& unit : kUnits) {
    if (left >= unit.seconds) {
      out += std::to_string(left / unit.seconds);
      out.push_back(unit.name);
      left %= unit.seconds;
    }
  }
  return out;
}

std::optional<int> parse_clock_time(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const int h = two_digits(text, 0);
  const int m = two_digits(text, 3);
  if (h < 0 || m < 0 || h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::string format_clock_time(int minutes_after_midnight) {
  return pad2(minutes_after_midnight / 60) + ":" + pad2(minutes_after_midnight % 60);
}

std::optional<int> parse_utc_offset(std::string_view text) {
  if (text == "Z") return 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') {
    return std::nullopt;
  }
  const int h = two_digits(text, 1);
  const int m = two_digits(text, 4);
  if (h < 0 || m < 0 || m > 59) return std::nullopt;
  const int minutes = h * 60 + m;
  if (minutes > kMaxOffsetMinutes) return std::nullopt;
  return text[0] == '-' ? -minutes : minutes;
}

std::string format_utc_offset(int minutes) {
  const int magnitude = std::abs(minutes);
  return std::string(minutes < 0 ? "-" : "+") + pad2(magnitude / 60) + ":" + pad2(magnitude % 60);
}

}  // namespace hookline::gatekeeper
