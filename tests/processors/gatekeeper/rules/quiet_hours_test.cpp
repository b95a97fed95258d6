// Quiet hours at fixed UTC offsets: inside or outside the window, and where it ends.
#define BOOST_TEST_MODULE gatekeeper_quiet_hours
#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>

#include "core/time_format.h"
#include "processors/gatekeeper/rules/quiet_hours.h"

using namespace hookline::gatekeeper;
using Clock = std::chrono::system_clock;

namespace {

Clock::time_point at(const std::string& rfc3339) {
  const auto ms = hookline::parse_rfc3339_ms(rfc3339);
  BOOST_REQUIRE_MESSAGE(ms.has_value(), rfc3339);
  return Clock::time_point(std::chrono::milliseconds(*ms));
}

// The end of the window as RFC 3339 UTC, or "open" when `now` is outside it.
std::string until(const QuietHours& q, const std::string& now,
                  const std::string& purpose = "marketing") {
  const auto end = quiet_until(q, purpose, at(now));
  return end ? hookline::rfc3339_ms(*end) : "open";
}

QuietHours window(int start_h, int start_m, int end_h, int end_m, int offset_minutes = 0) {
  QuietHours q;
  q.start_minute = start_h * 60 + start_m;
  q.end_minute = end_h * 60 + end_m;
  q.utc_offset_minutes = offset_minutes;
  return q;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_window_spanning_midnight_in_utc) {
  const QuietHours q;  // 21:00-08:00 UTC, marketing
  BOOST_TEST(until(q, "2025-03-10T20:59:59.999Z") == "open");
  BOOST_TEST(until(q, "2025-03-10T21:00:00.000Z") == "2025-03-11T08:00:00.000Z");
  BOOST_TEST(until(q, "2025-03-10T23:59:59.000Z") == "2025-03-11T08:00:00.000Z");
  BOOST_TEST(until(q, "2025-03-11T00:00:00.000Z") == "2025-03-11T08:00:00.000Z");
  BOOST_TEST(until(q, "2025-03-11T07:59:59.999Z") == "2025-03-11T08:00:00.000Z");
  BOOST_TEST(until(q, "2025-03-11T08:00:00.000Z") == "open");
  BOOST_TEST(until(q, "2025-03-11T12:00:00.000Z") == "open");
  // Across a month and a year end.
  BOOST_TEST(until(q, "2025-02-28T22:00:00.000Z") == "2025-03-01T08:00:00.000Z");
  BOOST_TEST(until(q, "2024-12-31T23:30:00.000Z") == "2025-01-01T08:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(only_the_listed_purposes_wait) {
  QuietHours q;
  BOOST_TEST(until(q, "2025-03-10T22:00:00.000Z", "transactional") == "open");
  q.purposes = {"marketing", "transactional"};
  BOOST_TEST(until(q, "2025-03-10T22:00:00.000Z", "transactional") == "2025-03-11T08:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(a_window_within_one_day) {
  const QuietHours q = window(12, 0, 14, 30);
  BOOST_TEST(until(q, "2025-03-10T11:59:00.000Z") == "open");
  BOOST_TEST(until(q, "2025-03-10T12:00:00.000Z") == "2025-03-10T14:30:00.000Z");
  BOOST_TEST(until(q, "2025-03-10T14:29:59.000Z") == "2025-03-10T14:30:00.000Z");
  BOOST_TEST(until(q, "2025-03-10T14:30:00.000Z") == "open");
  BOOST_TEST(until(q, "2025-03-10T23:00:00.000Z") == "open");
}

BOOST_AUTO_TEST_CASE(a_positive_offset) {
  const QuietHours q = window(21, 0, 8, 0, 60);  // 21:00-08:00 at +01:00 = 20:00-07:00 UTC
  BOOST_TEST(until(q, "2025-03-10T19:59:00.000Z") == "open");
  BOOST_TEST(until(q, "2025-03-10T20:00:00.000Z") == "2025-03-11T07:00:00.000Z");
  // 00:30 local on the 11th is still the 10th in UTC.
  BOOST_TEST(until(q, "2025-03-10T23:30:00.000Z") == "2025-03-11T07:00:00.000Z");
  BOOST_TEST(until(q, "2025-03-11T06:59:00.000Z") == "2025-03-11T07:00:00.000Z");
  BOOST_TEST(until(q, "2025-03-11T07:00:00.000Z") == "open");
}

BOOST_AUTO_TEST_CASE(a_negative_half_hour_offset) {
  const QuietHours q = window(22, 0, 7, 0, -330);  // at -05:30: 03:30-12:30 UTC
  BOOST_TEST(until(q, "2025-03-10T03:29:00.000Z") == "open");
  BOOST_TEST(until(q, "2025-03-10T03:30:00.000Z") == "2025-03-10T12:30:00.000Z");
  BOOST_TEST(until(q, "2025-03-10T12:29:59.000Z") == "2025-03-10T12:30:00.000Z");
  BOOST_TEST(until(q, "2025-03-10T12:30:00.000Z") == "open");
  BOOST_TEST(until(q, "2025-03-10T00:00:00.000Z") == "open");  // 18:30 local on the 9th
}

BOOST_AUTO_TEST_CASE(an_offset_moving_the_window_across_utc_midnight) {
  // 09:00-17:00 at +10:00 is 23:00-07:00 UTC.
  const QuietHours q = window(9, 0, 17, 0, 600);
  BOOST_TEST(until(q, "2025-03-10T22:59:00.000Z") == "open");
  BOOST_TEST(until(q, "2025-03-10T23:00:00.000Z") == "2025-03-11T07:00:00.000Z");
  BOOST_TEST(until(q, "2025-03-11T02:00:00.000Z") == "2025-03-11T07:00:00.000Z");
  BOOST_TEST(until(q, "2025-03-11T07:00:00.000Z") == "open");
}

BOOST_AUTO_TEST_CASE(start_equal_to_end_is_no_window) {
  const QuietHours q = window(8, 0, 8, 0);
  for (const char* t :
       {"2025-03-10T08:00:00.000Z", "2025-03-10T03:00:00.000Z", "2025-03-10T23:00:00.000Z"}) {
    BOOST_TEST(until(q, t) == "open");
  }
}

BOOST_AUTO_TEST_CASE(times_before_1970_at_an_offset) {
  // floor, not truncation, toward the epoch: 1969-12-31T22:00Z is inside 21:00-08:00.
  const QuietHours q;
  BOOST_TEST(until(q, "1970-01-01T00:00:00.000Z") == "1970-01-01T08:00:00.000Z");
  const auto before = quiet_until(q, "marketing", Clock::time_point(std::chrono::hours(-2)));
  BOOST_TEST_REQUIRE(before.has_value());
  BOOST_TEST(hookline::rfc3339_ms(*before) == "1970-01-01T08:00:00.000Z");
}
