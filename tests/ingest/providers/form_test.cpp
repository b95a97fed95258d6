// application/x-www-form-urlencoded parsing. The Slack vector's body (slack-docs-slash-command
// in tests/fixtures/signature_vectors.json, from Slack's docs) is parsed as a real form.
#define BOOST_TEST_MODULE ingest_providers_form
#include <boost/test/unit_test.hpp>

#include "ingest/providers/form.h"
#include "tests/ingest/providers/vectors.h"

using namespace hookline::ingest;
using namespace hookline::ingest::test;

namespace {
using Fields = FormFields;
}

BOOST_AUTO_TEST_CASE(decodes_plus_and_percent) {
  BOOST_TEST(form_decode("a+b%20c%2b%2F%7e").value() == "a b c+/~");
  BOOST_TEST(form_decode("%00%ff").value() == std::string("\0\xff", 2));
  BOOST_TEST(form_decode("").value().empty());
  for (const char* bad : {"%", "%2", "%zz", "%g0", "a%", "%%41"}) {
    BOOST_TEST(!form_decode(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(splits_pairs_in_order) {
  BOOST_TEST((parse_form("a=1&b=2&a=3").value() == Fields{{"a", "1"}, {"b", "2"}, {"a", "3"}}));
  BOOST_TEST((parse_form("a=&b&=c").value() == Fields{{"a", ""}, {"b", ""}, {"", "c"}}));
  BOOST_TEST((parse_form("&&a=1&&").value() == Fields{{"a", "1"}}));
  BOOST_TEST((parse_form("x=a=b").value() == Fields{{"x", "a=b"}}));
  BOOST_TEST((parse_form("k%3D=v%26w").value() == Fields{{"k=", "v&w"}}));
  BOOST_TEST(parse_form("").value().empty());
  BOOST_TEST(!parse_form("a=1&b=%2").has_value());
  BOOST_TEST(!parse_form("a%G1=1").has_value());
}

BOOST_AUTO_TEST_CASE(parses_the_slack_vector_body) {
  const auto list = vectors_where("id", "slack-docs-slash-command");
  BOOST_REQUIRE_EQUAL(list.size(), 1u);
  const auto fields = parse_form(text(*list[0], "inputs", "payload"));
  BOOST_REQUIRE(fields.has_value());
  BOOST_TEST(fields->size() == 11u);
  BOOST_TEST(fields->at(7).first == "command");
  BOOST_TEST(fields->at(7).second == "/webhook-collect");
  BOOST_TEST(fields->at(8).second == "");
  BOOST_TEST(fields->at(9).second ==
             "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN");
}

BOOST_AUTO_TEST_CASE(content_type) {
  BOOST_TEST(is_form_content_type("application/x-www-form-urlencoded"));
  BOOST_TEST(is_form_content_type("Application/X-WWW-Form-URLEncoded; charset=utf-8"));
  BOOST_TEST(is_form_content_type(" application/x-www-form-urlencoded ;charset=UTF-8"));
  BOOST_TEST(!is_form_content_type("application/json"));
  BOOST_TEST(!is_form_content_type(""));
  BOOST_TEST(!is_form_content_type("application/x-www-form-urlencodedx"));
}
