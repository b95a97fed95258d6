// The registry of built-in signature schemes: every name builds, params are checked, unknown
// params are rejected when the caller finishes the reader, unknown names are reported.
#define BOOST_TEST_MODULE ingest_providers_registry
#include <boost/test/unit_test.hpp>

#include <set>

#include "ingest/providers/registry.h"
#include "tests/ingest/providers/vectors.h"

using namespace hookline::ingest;
using namespace hookline::ingest::test;

namespace {

std::string error_of(std::string_view json) {
  try {
    scheme_from_json(json);
  } catch (const hookline::ConfigError& e) {
    return e.what();
  }
  return "";
}

// The smallest valid manifest object of each scheme.
std::string minimal(const std::string& name) {
  if (name == "hmac") return R"({"name": "hmac", "header": "X-Signature"})";
  return R"({"name": ")" + name + R"("})";
}

}  // namespace

BOOST_AUTO_TEST_CASE(lists_the_built_in_schemes) {
  std::set<std::string> names;
  for (const auto& [name, factory] : scheme_factories()) names.insert(name);
  BOOST_TEST((names == std::set<std::string>{"hmac", "hub-signature", "sendgrid-ecdsa", "shopify",
                                             "slack", "standard-webhooks", "stripe", "twilio"}));
}

BOOST_AUTO_TEST_CASE(every_name_builds_and_answers_its_name) {
  for (const auto& [name, factory] : scheme_factories()) {
    BOOST_TEST_CONTEXT(name) {
      const auto scheme = scheme_from_json(minimal(name));
      BOOST_REQUIRE(scheme);
      BOOST_TEST(scheme->name() == name);
      // With no headers at all, every scheme says which one is missing.
      FakeRequest req;
      req.url = "https://example.com/x";
      const auto r = scheme->verify(req.request(), secrets({"s"}), at(0));
      HOOKLINE_CHECK_FAILS(r, VerifyFailure::missing_header);
      BOOST_TEST(!r.detail.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(unknown_params_are_rejected_by_finish) {
  for (const auto& [name, factory] : scheme_factories()) {
    BOOST_TEST_CONTEXT(name) {
      std::string json = minimal(name);
      json.insert(json.size() - 1, R"(, "surprise": 1)");
      const std::string error = error_of(json);
      BOOST_TEST(error.find("surprise") != std::string::npos, error);
      BOOST_TEST(error.find("unknown key") != std::string::npos, error);
    }
  }
}

BOOST_AUTO_TEST_CASE(params_are_read_with_types_and_ranges) {
  BOOST_TEST(!error_of(R"({"name": "stripe", "tolerance_s": "300"})").empty());
  BOOST_TEST(!error_of(R"({"name": "slack", "tolerance_s": 100000})").empty());
  BOOST_TEST(!error_of(R"({"name": "standard-webhooks", "tolerance_s": -1})").empty());
  BOOST_TEST(error_of(R"({"name": "sendgrid-ecdsa", "tolerance_s": 0})").empty());
  BOOST_TEST(!error_of(R"({"name": "twilio", "tolerance_s": 300})").empty());
  BOOST_TEST(error_of(R"({"name": "hub-signature", "header": "X-Hub-Signature",
                          "algorithm": "sha1", "prefix": "sha1="})")
                 .empty());
}

BOOST_AUTO_TEST_CASE(unknown_or_missing_name) {
  const std::string error = error_of(R"({"name": "stripee"})");
  BOOST_TEST(error.find("scheme.name") != std::string::npos, error);
  BOOST_TEST(error.find("stripee") != std::string::npos, error);
  for (const auto& [name, factory] : scheme_factories()) {
    BOOST_TEST(error.find(name) != std::string::npos, name);
  }
  BOOST_TEST(error_of(R"({"tolerance_s": 300})").find("name") != std::string::npos);
  BOOST_TEST(!error_of(R"({"name": 7})").empty());
}

BOOST_AUTO_TEST_CASE(failure_names) {
  BOOST_TEST(std::string(to_string(VerifyFailure::missing_header)) == "missing_header");
  BOOST_TEST(std::string(to_string(VerifyFailure::malformed_header)) == "malformed_header");
  BOOST_TEST(std::string(to_string(VerifyFailure::bad_signature)) == "bad_signature");
  BOOST_TEST(std::string(to_string(VerifyFailure::stale_timestamp)) == "stale_timestamp");
  BOOST_TEST(std::string(to_string(VerifyFailure::future_timestamp)) == "future_timestamp");
  BOOST_TEST(std::string(to_string(VerifyFailure::no_credentials)) == "no_credentials");
}
