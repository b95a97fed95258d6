// The Prometheus text reader of `hookline status`: samples, labels with escapes, comments,
// timestamps, special values, and garbage that is skipped and counted, never fatal.
#define BOOST_TEST_MODULE status_prometheus_text
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "ctl/status/prometheus_text.h"

using namespace hookline::ctl::status;

BOOST_AUTO_TEST_CASE(reads_samples_with_and_without_labels) {
  const auto m = parse_prometheus_text(
      "# HELP hookline_sender_circuit_state Circuit breaker per connection\n"
      "# TYPE hookline_sender_circuit_state gauge\n"
      "hookline_sender_circuit_state{connection=\"resend/main\"} 2\n"
      "hookline_sender_ledger_skips_total 17\n"
      "process:up{a=\"1\",b=\"two\",} 1 1700000000000\n");
  BOOST_TEST(m.skipped == 0u);
  BOOST_TEST_REQUIRE(m.samples.size() == 3u);
  BOOST_TEST(m.samples[0].name == "hookline_sender_circuit_state");
  BOOST_TEST_REQUIRE(m.samples[0].label("connection") != nullptr);
  BOOST_TEST(*m.samples[0].label("connection") == "resend/main");
  BOOST_TEST(m.samples[0].value == 2.0);
  BOOST_TEST(!m.samples[0].timestamp_ms.has_value());
  BOOST_TEST(m.samples[1].labels.empty());
  BOOST_TEST(m.samples[1].value == 17.0);
  BOOST_TEST(m.samples[2].name == "process:up");
  BOOST_TEST(m.samples[2].labels.size() == 2u);
  BOOST_TEST(*m.samples[2].label("b") == "two");
  BOOST_TEST(m.samples[2].label("c") == nullptr);
  BOOST_TEST(m.samples[2].timestamp_ms.value_or(0) == 1700000000000LL);
  BOOST_TEST(m.find("hookline_sender_ledger_skips_total").size() == 1u);
  BOOST_TEST(m.find("nothing").empty());
}

BOOST_AUTO_TEST_CASE(label_values_unescape_backslash_quote_and_newline) {
  auto s = parse_sample_line(R"(m{v="a \"quoted\" \\ and \n end, {not} = labels"} 1)");
  BOOST_TEST_REQUIRE(s.has_value());
  BOOST_TEST(*s->label("v") == "a \"quoted\" \\ and \n end, {not} = labels");
  BOOST_TEST(parse_sample_line(R"(m{v=""} 1)").has_value());
  BOOST_TEST(*parse_sample_line(R"(m{v=""} 1)")->label("v") == "");
}

BOOST_AUTO_TEST_CASE(blanks_around_parts_and_crlf_are_accepted) {
  const auto m = parse_prometheus_text("  m { a = \"1\" , b=\"2\" }   3.5  \r\n\tn\t4\r\n\n   \n");
  BOOST_TEST(m.skipped == 0u);
  BOOST_TEST_REQUIRE(m.samples.size() == 2u);
  BOOST_TEST(m.samples[0].value == 3.5);
  BOOST_TEST(*m.samples[0].label("b") == "2");
  BOOST_TEST(m.samples[1].name == "n");
  BOOST_TEST(m.samples[1].value == 4.0);
}

BOOST_AUTO_TEST_CASE(special_and_exponent_values) {
  auto value = [](const std::string& text) {
    auto s = parse_sample_line("m " + text);
    BOOST_TEST_REQUIRE(s.has_value(), text);
    return s->value;
  };
  BOOST_TEST(value("+Inf") == std::numeric_limits<double>::infinity());
  BOOST_TEST(value("-Inf") == -std::numeric_limits<double>::infinity());
  BOOST_TEST(std::isnan(value("NaN")));
  BOOST_TEST(value("1.5e3") == 1500.0);
  BOOST_TEST(value("-0.25") == -0.25);
  BOOST_TEST(value(".5") == 0.5);
  BOOST_TEST(value("+7") == 7.0);
}

BOOST_AUTO_TEST_CASE(malformed_lines_are_skipped_and_counted) {
  const char* bad[] = {
      "m",                     // no value
      "m{} ",                  // no value after labels
      "m abc",                 // not a number
      "m 1 2 3",               // too many fields
      "m 1 1.5",               // timestamp not an integer
      "m{a=\"1\"",             // unterminated labels
      "m{a=\"1} 1",            // unterminated value
      "m{a=1} 1",              // unquoted value
      "m{a=\"\\x\"} 1",        // unknown escape
      "m{a=\"1\",a=\"2\"} 1",  // label named twice
      "m{1a=\"1\"} 1",         // bad label name
      "9m 1",                  // bad metric name
      "m{a=\"1\"}} 1",         // stray brace
      "m 0x10",                // hex is not the format's
      "m infinity",            // nor is this spelling
      "m 1e999",               // out of a double's range
      "m{a=\"1\" b=\"2\"} 1",  // missing comma
      "{a=\"1\"} 1",           // no name
      "m \"1\"",               // quoted value
      "m 1 -",                 // dangling sign as timestamp
  };
  std::string text = "good 1\n";
  for (const char* line : bad) {
    BOOST_TEST(!parse_sample_line(line).has_value(), line);
    text += std::string(line) + "\n";
  }
  text += "also_good{x=\"y\"} 2\n";
  const auto m = parse_prometheus_text(text);
  BOOST_TEST(m.skipped == std::size(bad));
  BOOST_TEST_REQUIRE(m.samples.size() == 2u);
  BOOST_TEST(m.samples[1].name == "also_good");
}

BOOST_AUTO_TEST_CASE(binary_garbage_never_crashes) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 37 + 11) % 256));
  junk += "\nm{a=\"\\";  // ends inside an escape
  const auto m = parse_prometheus_text(junk);
  BOOST_TEST(m.skipped > 0u);
  const auto empty = parse_prometheus_text("");
  BOOST_TEST(empty.samples.empty());
  BOOST_TEST(empty.skipped == 0u);
}

BOOST_AUTO_TEST_CASE(samples_past_the_limit_are_counted_as_skipped) {
  std::string text;
  for (int i = 0; i < 10; ++i) text += "m{i=\"" + std::to_string(i) + "\"} 1\n";
  const auto m = parse_prometheus_text(text, 4);
  BOOST_TEST(m.samples.size() == 4u);
  BOOST_TEST(m.skipped == 6u);
}
