#define BOOST_TEST_MODULE sender_flow_retry_headers
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "core/kafka/message.h"
#include "sinks/sender/flow/retry_headers.h"

using namespace hookline;
using namespace hookline::sender;
using namespace std::chrono_literals;
using std::chrono::system_clock;

namespace {

const system_clock::time_point t0 =
    std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + 1h + 2min + 3s + 456ms;

int count(const kafka::Headers& h, const std::string& name) {
  return static_cast<int>(
      std::count_if(h.begin(), h.end(), [&](auto& p) { return p.first == name; }));
}

std::string value(const kafka::Headers& h, const std::string& name) {
  for (auto it = h.rbegin(); it != h.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return "<missing>";
}

// Decoding `headers` fails and the message names `header`.
void check_refused(const kafka::Headers& headers, const std::string& header) {
  const auto r = decode_retry_headers(headers);
  BOOST_TEST_REQUIRE(!r.ok(), "expected a refusal naming " << header);
  BOOST_TEST((r.error().kind == ErrorKind::permanent));
  BOOST_TEST(r.error().message.find("'" + header + "'") != std::string::npos, r.error().message);
}

}  // namespace

BOOST_AUTO_TEST_CASE(round_trip_keeps_other_headers) {
  kafka::Headers h{{"traceparent", "00-abc-def-01"},
                   {"attempt", "1"},
                   {"content-type", "application/json"},
                   {"due", "2000-01-01T00:00:00.000Z"}};
  RetryHeaders r{3, t0 + 30s, "http-503", t0 - 10min};
  encode_retry_headers(r, h);
  BOOST_TEST(count(h, "attempt") == 1);
  BOOST_TEST(count(h, "due") == 1);
  BOOST_TEST(value(h, "attempt") == "3");
  BOOST_TEST(value(h, "due") == "2026-11-22T01:02:33.456Z");
  BOOST_TEST(value(h, "last-error") == "http-503");
  BOOST_TEST(value(h, "first-failed-at") == "2026-11-22T00:52:03.456Z");
  // Others kept, in their order.
  BOOST_TEST(h[0].first == "traceparent");
  BOOST_TEST(h[1].first == "content-type");

  const auto d = decode_retry_headers(h);
  BOOST_TEST_REQUIRE(d.ok(), (d.ok() ? "" : d.error().message));
  BOOST_TEST(d->attempt == 3);
  BOOST_TEST((*d->due == t0 + 30s));
  BOOST_TEST(d->last_error == "http-503");
  BOOST_TEST((*d->first_failed_at == t0 - 10min));
}

BOOST_AUTO_TEST_CASE(no_retry_headers_is_a_first_attempt) {
  const auto d = decode_retry_headers({{"content-type", "application/json"}});
  BOOST_TEST_REQUIRE(d.ok());
  BOOST_TEST(d->attempt == 0);
  BOOST_TEST(!d->due.has_value());
  BOOST_TEST(!d->first_failed_at.has_value());
  BOOST_TEST(d->last_error.empty());
}

BOOST_AUTO_TEST_CASE(the_newest_of_repeated_headers_wins) {
  kafka::Headers h{{"attempt", "1"},
                   {"due", "2026-11-22T01:00:00.000Z"},
                   {"first-failed-at", "2026-11-22T00:00:00Z"},
                   {"attempt", "2"}};
  const auto d = decode_retry_headers(h);
  BOOST_TEST_REQUIRE(d.ok(), (d.ok() ? "" : d.error().message));
  BOOST_TEST(d->attempt == 2);
}

BOOST_AUTO_TEST_CASE(garbage_is_refused_naming_the_header) {
  const kafka::Headers good{{"attempt", "2"},
                            {"due", "2026-11-22T01:00:00.000Z"},
                            {"first-failed-at", "2026-11-22T00:00:00.000Z"}};
  BOOST_TEST(decode_retry_headers(good).ok());
  auto with = [&](const std::string& name, const std::string& v) {
    kafka::Headers h = good;
    h.emplace_back(name, v);
    return h;
  };
  for (const char* bad : {"", "abc", "-1", "+3", " 3", "3 ", "0x10", "1.5", "99999999999"}) {
    BOOST_TEST_CONTEXT("attempt '" << bad << "'") {
      check_refused(with("attempt", bad), "attempt");
    }
  }
  for (const char* bad :
       {"", "tomorrow", "2026-11-22", "2026-11-22T01:00:00", "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T01:00:00.Z",
        "2026-11-22T01:00:00Zjunk", "2026-11-22 01:00:00Z", "1763773200000"}) {
    BOOST_TEST_CONTEXT("due '" << bad << "'") {
      check_refused(with("due", bad), "due");
      check_refused(with("first-failed-at", bad), "first-failed-at");
    }
  }
  // A retry must say when it is due and when it first failed.
  check_refused({{"attempt", "2"}, {"first-failed-at", "2026-11-22T00:00:00Z"}}, "due");
  check_refused({{"attempt", "2"}, {"due", "2026-11-22T00:00:00Z"}}, "first-failed-at");
  // Retry headers without an attempt.
  check_refused({{"due", "2026-11-22T00:00:00Z"}}, "due");
  check_refused({{"last-error", "http-500"}}, "last-error");
  // attempt 0 alone is a first attempt written explicitly.
  BOOST_TEST(decode_retry_headers({{"attempt", "0"}}).ok());
}

BOOST_AUTO_TEST_CASE(rfc3339_variants) {
  const auto at = [](const char* s) { return parse_rfc3339(s); };
  BOOST_TEST((*at("2026-11-22T01:02:03.456Z") == t0));
  BOOST_TEST((*at("2026-11-22t01:02:03.456z") == t0));
  BOOST_TEST((*at("2026-11-22T01:02:03.456789Z") == t0));  // kept to the millisecond
  BOOST_TEST((*at("2026-11-22T02:02:03.456+01:00") == t0));
  BOOST_TEST((*at("2026-11-21T23:32:03.456-01:30") == t0));
  BOOST_TEST((*at("2026-11-22T01:02:03Z") == t0 - 456ms));
  BOOST_TEST(
      (*at("2024-02-29T00:00:00Z") == std::chrono::sys_days{std::chrono::year{2024} / 2 / 29}));
  BOOST_TEST(!at("2025-02-29T00:00:00Z").has_value());
  BOOST_TEST(!at("2026-11-22T01:02:03+1:00").has_value());
}

BOOST_AUTO_TEST_CASE(last_error_is_cut_to_200_bytes_on_a_character_boundary) {
  std::string long_error(199, 'x');
  long_error += "\xC3\xA9\xC3\xA9";  // "éé": the first straddles byte 200
  kafka::Headers h;
  encode_retry_headers({1, t0, long_error, t0}, h);
  BOOST_TEST(value(h, "last-error") == std::string(199, 'x'));
  BOOST_TEST(truncate_utf8(std::string(250, 'a')).size() == 200u);
  BOOST_TEST(truncate_utf8("short") == "short");
}

BOOST_AUTO_TEST_CASE(dlq_headers) {
  kafka::Headers h{{"attempt", "8"}, {"hookline-error-class", "stale"}, {"x-keep", "1"}};
  DlqHeaders dlq;
  dlq.original_topic = "outbound.retry.1h";
  dlq.original_partition = 4;
  dlq.original_offset = 123456789012;
  dlq.error_class = "http-503";
  dlq.provider_status = 503;
  dlq.provider_answer = std::string(300, 'y');
  dlq.attempts = 8;
  dlq.failed_at = t0;
  put_dlq_headers(dlq, h);
  BOOST_TEST(value(h, "hookline-original-topic") == "outbound.retry.1h");
  BOOST_TEST(value(h, "hookline-original-partition") == "4");
  BOOST_TEST(value(h, "hookline-original-offset") == "123456789012");
  BOOST_TEST(value(h, "hookline-error-class") == "http-503");
  BOOST_TEST(count(h, "hookline-error-class") == 1);
  BOOST_TEST(value(h, "hookline-provider-status") == "503");
  BOOST_TEST(value(h, "hookline-provider-answer") == std::string(200, 'y'));
  BOOST_TEST(value(h, "hookline-attempts") == "8");
  BOOST_TEST(value(h, "hookline-failed-at") == "2026-11-22T01:02:03.456Z");
  BOOST_TEST(value(h, "x-keep") == "1");
  BOOST_TEST(value(h, "attempt") == "8");
  BOOST_TEST(h.size() == 10u);
}
