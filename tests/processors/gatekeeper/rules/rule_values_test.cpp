// Durations, clock times and UTC offsets as rules.json writes them.
#define BOOST_TEST_MODULE gatekeeper_rule_values
#include <boost/test/unit_test.hpp>

#include "processors/gatekeeper/rules/rule_values.h"

using namespace hookline::gatekeeper;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_CASE(durations_read_and_format) {
  BOOST_TEST(parse_duration("24h").value().count() == 86400);
  BOOST_TEST(parse_duration("30m").value().count() == 1800);
  BOOST_TEST(parse_duration("90s").value().count() == 90);
  BOOST_TEST(parse_duration("1h30m").value().count() == 5400);
  BOOST_TEST(parse_duration("2d").value().count() == 172800);
  BOOST_TEST(parse_duration("1d2h3m4s").value().count() == 93784);
  BOOST_TEST(parse_duration("0").value().count() == 0);
  BOOST_TEST(parse_duration("0s").value().count() == 0);
  BOOST_TEST(format_duration(24h) == "1d");
  BOOST_TEST(format_duration(23h) == "23h");
  BOOST_TEST(format_duration(90s) == "1m30s");
  BOOST_TEST(format_duration(0s) == "0s");
  for (auto d : {1s, 59s, 3600s, 5400s, 86400s, 93784s}) {
    BOOST_TEST(parse_duration(format_duration(d)).value() == d);
  }
}

BOOST_AUTO_TEST_CASE(malformed_durations_are_refused) {
  for (const char* bad : {"", "h", "24", "24x", "1m1h", "1h1h", "-1h", "1.5h", " 1h", "1h ", "24H",
                          "99999999999999999999s", "3651d"}) {
    BOOST_TEST(!parse_duration(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(clock_times_read_and_format) {
  BOOST_TEST(parse_clock_time("00:00").value() == 0);
  BOOST_TEST(parse_clock_time("21:00").value() == 21 * 60);
  BOOST_TEST(parse_clock_time("23:59").value() == 23 * 60 + 59);
  BOOST_TEST(format_clock_time(8 * 60 + 5) == "08:05");
  for (const char* bad : {"24:00", "12:60", "9:00", "09:0", "0900", "09-00", "", "ab:cd"}) {
    BOOST_TEST(!parse_clock_time(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(utc_offsets_read_and_format) {
  BOOST_TEST(parse_utc_offset("+01:00").value() == 60);
  BOOST_TEST(parse_utc_offset("-05:30").value() == -330);
  BOOST_TEST(parse_utc_offset("+00:00").value() == 0);
  BOOST_TEST(parse_utc_offset("Z").value() == 0);
  BOOST_TEST(parse_utc_offset("+14:00").value() == 840);
  BOOST_TEST(format_utc_offset(-330) == "-05:30");
  BOOST_TEST(format_utc_offset(345) == "+05:45");
  for (const char* bad : {"01:00", "+1:00", "+14:01", "-15:00", "+01:60", "+0100", "UTC", ""}) {
    BOOST_TEST(!parse_utc_offset(bad).has_value(), bad);
  }
}
