#include "sinks/sender/providers/http_date.h"

#include <array>
#include <cstdint>

#include "core/time_format.h"

namespace hookline::sender {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kShortDays = {"Mon", "Tue", "Wed", "Thu",
                                                        "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// A cursor over the text; every reader fails (returns false / nullopt) without advancing past
// the end.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool literal(std::string_view s) {
    if (text_.substr(pos_, s.size()) != s) return false;
    pos_ += s.size();
    return true;
  }
  // Exactly n digits.
  std::optional<unsigned> digits(std::size_t n) {
    if (text_.size() - pos_ < n) return std::nullopt;
    unsigned v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const char c = text_[pos_ + i];
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + static_cast<unsigned>(c - '0');
    }
    pos_ += n;
    return v;
  }
  // One of `names`, matched exactly (HTTP-date is case-sensitive).
  template <std::size_t N>
  std::optional<unsigned> one_of(const std::array<std::string_view, N>& names) {
    for (std::size_t i = 0; i < N; ++i) {
      if (literal(names[i])) return static_cast<unsigned>(i);
    }
    return std::nullopt;
  }
  bool done() const { return pos_ == text_.size(); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

struct Fields {
  std::int64_t year = 0;
  unsigned month = 0;  // 1..12
  unsigned day = 0;
  unsigned hour = 0, minute = 0, second = 0;
};

// "HH:MM:SS"
bool time_of_day(Scanner& s, Fields& f) {
  const auto h = s.digits(2);
  if (!h || !s.literal(":")) return false;
  const auto m = s.digits(2);
  if (!m || !s.literal(":")) return false;
  const auto sec = s.digits(2);
  if (!sec) return false;
  f.hour = *h, f.minute = *m, f.second = *sec;
  return true;
}

bool month(Scanner& s, Fields& f) {
  const auto m = s.one_of(kMonths);
  if (!m) return false;
  f.month = *m + 1;
  return true;
}

// Sun, 06 Nov 1994 08:49:37 GMT
std::optional<Fields> imf_fixdate(std::string_view text) {
  Scanner s(text);
  Fields f;
  if (!s.one_of(kShortDays) || !s.literal(", ")) return std::nullopt;
  const auto day = s.digits(2);
  if (!day || !s.literal(" ") || !month(s, f) || !s.literal(" ")) return std::nullopt;
  const auto year = s.digits(4);
  if (!year || !s.literal(" ") || !time_of_day(s, f) || !s.literal(" GMT") || !s.done()) {
    return std::nullopt;
  }
  f.day = *day, f.year = *year;
  return f;
}

// Sunday, 06-Nov-94 08:49:37 GMT
std::optional<Fields> rfc850_date(std::string_view text) {
  Scanner s(text);
  Fields f;
  if (!s.one_of(kLongDays) || !s.literal(", ")) return std::nullopt;
  const auto day = s.digits(2);
  if (!day || !s.literal("-") || !month(s, f) || !s.literal("-")) return std::nullopt;
  const auto yy = s.digits(2);
  if (!yy || !s.literal(" ") || !time_of_day(s, f) || !s.literal(" GMT") || !s.done()) {
    return std::nullopt;
  }
  // RFC 9110 wants the year nearest in the past; a two-digit year this side of 2070 is
  // read as 20yy, which is that for every date an HTTP server sends today.
  f.day = *day, f.year = *yy < 70 ? 2000 + *yy : 1900 + *yy;
  return f;
}

// Sun Nov  6 08:49:37 1994
std::optional<Fields> asctime_date(std::string_view text) {
  Scanner s(text);
  Fields f;
  if (!s.one_of(kShortDays) || !s.literal(" ") || !month(s, f) || !s.literal(" ")) {
    return std::nullopt;
  }
  std::optional<unsigned> day;
  if (s.literal(" ")) {
    day = s.digits(1);
  } else {
    day = s.digits(2);
  }
  if (!day || !s.literal(" ") || !time_of_day(s, f) || !s.literal(" ")) return std::nullopt;
  const auto year = s.digits(4);
  if (!year || !s.done()) return std::nullopt;
  f.day = *day, f.year = *year;
  return f;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  auto f = imf_fixdate(text);
  if (!f) f = rfc850_date(text);
  if (!f) f = asctime_date(text);
  if (!f) return std::nullopt;
  // system_clock counts nanoseconds in 64 bits: it ends in 2262.
  if (f->year < 1970 || f->year > 2200) return std::nullopt;
  if (f->day < 1 || f->day > days_in_month(f->year, f->month) || f->hour > 23 || f->minute > 59 ||
      f->second > 60) {
    return std::nullopt;
  }
  const unsigned second = f->second == 60 ? 59 : f->second;  // a leap second counts as :59
  const std::int64_t seconds =
      days_from_civil(f->year, f->month, f->day) * 86400 + f->hour * 3600 + f->minute * 60 + second;
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace hookline::sender
