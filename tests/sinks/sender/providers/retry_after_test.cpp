// parse_retry_after (RFC 9110 section 10.2.3: delta-seconds or an HTTP-date in any of its
// three forms) and the pause clients read from answers (Retry-After, rate-limit reset headers,
// measured from the answer's Date).
#define BOOST_TEST_MODULE sender_retry_after
#include <boost/test/unit_test.hpp>

#include "sinks/sender/providers/answer_reader.h"
#include "sinks/sender/providers/http_date.h"
#include "tests/sinks/sender/providers/client_testing.h"

using namespace hookline::sender;
using namespace hookline::sender::test;
using std::chrono::milliseconds;

namespace {

// RFC 9110's example instant: Sun, 06 Nov 1994 08:49:37 GMT.
const auto kExample = at(784111777);

std::optional<milliseconds> parse(std::string value,
                                  std::chrono::system_clock::time_point now = kExample) {
  return parse_retry_after({{"content-type", "text/plain"}, {"retry-after", std::move(value)}},
                           now);
}

}  // namespace

BOOST_AUTO_TEST_CASE(delta_seconds) {
  BOOST_TEST(parse("120").value().count() == 120000);
  BOOST_TEST(parse("0").value().count() == 0);
  BOOST_TEST(parse(" 5 ").value().count() == 5000);  // optional white space around
  BOOST_TEST(parse("86400").value().count() == 86400000);
  BOOST_TEST(parse("999999999").value().count() == 86400000);  // more than a day: a day
}

BOOST_AUTO_TEST_CASE(far_dates_are_bounded_or_refused) {
  // A date a year ahead is a day's wait; a year past system_clock's range is not believed.
  BOOST_TEST(parse("Sun, 06 Nov 2095 08:49:37 GMT").value().count() == 86400000);
  BOOST_TEST(!parse("Sun, 06 Nov 9994 08:49:37 GMT").has_value());
}

BOOST_AUTO_TEST_CASE(http_dates_in_all_three_forms) {
  const auto now = kExample - std::chrono::seconds(30);
  BOOST_TEST(parse("Sun, 06 Nov 1994 08:49:37 GMT", now).value().count() == 30000);
  BOOST_TEST(parse("Sunday, 06-Nov-94 08:49:37 GMT", now).value().count() == 30000);
  BOOST_TEST(parse("Sun Nov  6 08:49:37 1994", now).value().count() == 30000);
  // Sub-second "now": rounded up, never shorter than asked.
  BOOST_TEST(
      parse("Sun, 06 Nov 1994 08:49:37 GMT", kExample - milliseconds(1500)).value().count() ==
      1500);
  // A date in the past: go now.
  BOOST_TEST(
      parse("Sun, 06 Nov 1994 08:49:37 GMT", kExample + std::chrono::hours(1)).value().count() ==
      0);
}

BOOST_AUTO_TEST_CASE(header_name_in_any_case) {
  BOOST_TEST(parse_retry_after({{"Retry-After", "3"}}, kExample).value().count() == 3000);
  BOOST_TEST(parse_retry_after({{"RETRY-AFTER", "3"}}, kExample).value().count() == 3000);
}

BOOST_AUTO_TEST_CASE(absent_or_invalid_is_nullopt) {
  BOOST_TEST(!parse_retry_after({}, kExample));
  BOOST_TEST(!parse_retry_after({{"x-retry-after", "3"}}, kExample));
  for (const char* bad :
       {"", "-5", "1.5", "5s", "soon", "1234567890123", "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:49:37 GMT", "sun, 06 nov 1994 08:49:37 gmt"}) {
    BOOST_TEST_CONTEXT("'" << bad << "'") {
      BOOST_TEST(!parse(bad));
    }
  }
}

BOOST_AUTO_TEST_CASE(http_date_parser) {
  const auto t = parse_http_date("Thu, 25 Feb 2021 15:02:10 GMT");
  BOOST_REQUIRE(t);
  BOOST_TEST(std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count() ==
             1614265330);
  BOOST_TEST(parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT").has_value());   // leap year
  BOOST_TEST(!parse_http_date("Mon, 29 Feb 2100 00:00:00 GMT").has_value());  // not one
  BOOST_TEST(!parse_http_date("Thu, 25 Feb 2021 15:02:10 GMT trailing").has_value());
}

BOOST_AUTO_TEST_CASE(answers_measure_dates_from_their_date_header) {
  // The provider's clock says 15:02:10; it asks for 15:02:40: 30 s, whatever our clock says.
  const auto a = answer(503, "", {kDate, {"retry-after", "Thu, 25 Feb 2021 15:02:40 GMT"}});
  BOOST_TEST(retry_delay(a).value().count() == 30000);
  // Without Retry-After: x-ratelimit-reset as seconds, or as a Unix time.
  BOOST_TEST(retry_delay(answer(429, "", {{"x-ratelimit-reset", "12"}})).value().count() == 12000);
  BOOST_TEST(
      retry_delay(answer(429, "", {kDate, {"x-ratelimit-reset", "1614265340"}})).value().count() ==
      10000);
  BOOST_TEST(retry_delay(answer(429, "", {{"ratelimit-reset", "4"}})).value().count() == 4000);
  BOOST_TEST(!retry_delay(answer(429, "", {{"x-ratelimit-reset", "soon"}})));
  BOOST_TEST(!retry_delay(answer(429)));
  // An invalid Retry-After falls back to the reset headers.
  BOOST_TEST(retry_delay(answer(429, "", {{"retry-after", "later"}, {"ratelimit-reset", "4"}}))
                 .value()
                 .count() == 4000);
}
