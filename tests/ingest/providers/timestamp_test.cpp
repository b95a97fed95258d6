// Unix-seconds parsing and the freshness window shared by the timestamped schemes.
#define BOOST_TEST_MODULE ingest_providers_timestamp
#include <boost/test/unit_test.hpp>

#include "ingest/providers/timestamp.h"
#include "tests/ingest/providers/vectors.h"

using namespace hookline::ingest;
using namespace hookline::ingest::test;
using std::chrono::seconds;

BOOST_AUTO_TEST_CASE(parses_strict_unix_seconds) {
  BOOST_TEST(parse_unix_seconds("0").value() == 0);
  BOOST_TEST(parse_unix_seconds("1531420618").value() == 1531420618);
  BOOST_TEST(parse_unix_seconds("9999999999").value() == 9999999999);
  for (const char* bad : {"", " 1", "1 ", "+1", "-1", "01", "1.5", "1e9", "0x10", "10000000000",
                          "99999999999999999999", "١٢"}) {
    BOOST_TEST(!parse_unix_seconds(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(window) {
  constexpr std::int64_t t = 1'700'000'000;
  BOOST_TEST(check_freshness(t, at(t), seconds(300), "H").ok);
  BOOST_TEST(check_freshness(t, at(t + 300), seconds(300), "H").ok);
  BOOST_TEST(check_freshness(t, at(t - 300), seconds(300), "H").ok);
  HOOKLINE_CHECK_FAILS(check_freshness(t, at(t + 301), seconds(300), "H"),
                       VerifyFailure::stale_timestamp);
  HOOKLINE_CHECK_FAILS(check_freshness(t, at(t - 301), seconds(300), "H"),
                       VerifyFailure::future_timestamp);
  BOOST_TEST(check_freshness(0, at(t), seconds(0), "H").ok);  // zero disables
  // Sub-second "now" rounds down: t + 300.9 is still within 300 s of t.
  BOOST_TEST(
      check_freshness(t, at(t + 300) + std::chrono::milliseconds(900), seconds(300), "H").ok);
  HOOKLINE_CHECK_FAILS(check_timestamp("H", "nope", at(t), seconds(300)),
                       VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(check_timestamp("H", "9999999999", at(t), seconds(300)),
                       VerifyFailure::future_timestamp);
  HOOKLINE_CHECK_FAILS(check_timestamp("H", "0", at(t), seconds(300)),
                       VerifyFailure::stale_timestamp);
}

BOOST_AUTO_TEST_CASE(detail_never_holds_the_value) {
  const auto r = check_timestamp("X-Ts", "12345abc", at(0), seconds(300));
  BOOST_TEST(r.detail.find("12345abc") == std::string::npos);
  BOOST_TEST(r.detail.find("X-Ts") != std::string::npos);
}
