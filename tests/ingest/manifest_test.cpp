// Provider manifests: every shipped one loads and names a registered scheme, every registered
// scheme is used by a shipped manifest, and mistakes are refused with file and key.
#define BOOST_TEST_MODULE ingest_manifest
#include <boost/test/unit_test.hpp>

#include <set>

#include "core/files.h"
#include "ingest/manifest.h"
#include "ingest/providers/registry.h"
#include "tests/support/process.h"

using namespace hookline;
using namespace hookline::ingest;

namespace {

void expect_error(const std::string& json, const std::string& fragment,
                  const std::string& file = "acme.json") {
  test::TempDir dir;
  write_file_atomic(dir.file(file), json);
  try {
    (void)load_manifests(dir.path());
    BOOST_ERROR("expected an error for " << json);
  } catch (const ConfigError& e) {
    BOOST_CHECK_MESSAGE(std::string(e.what()).find(fragment) != std::string::npos, e.what());
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(shipped_manifests_and_registered_schemes_match) {
  auto manifests = load_manifests(test::source("topology/providers"));
  std::set<std::string> shipped;
  for (const auto& [name, m] : manifests) shipped.insert(name);
  for (const char* p : {"stripe", "github", "slack", "twilio", "whatsapp", "shopify", "resend",
                        "sendgrid", "example-generic"}) {
    BOOST_CHECK_MESSAGE(shipped.contains(p), p << " has no manifest");
  }
  std::set<std::string> used;
  for (const auto& [name, m] : manifests) {
    BOOST_REQUIRE(m.scheme);
    BOOST_CHECK(scheme_factories().contains(m.scheme_name));
    used.insert(m.scheme_name);
    BOOST_CHECK(!m.delivery_id.empty());
    BOOST_CHECK(m.delivery_id.back().kind == Extractor::Kind::body_hash);
    BOOST_CHECK_GT(m.body_limit, 0u);
  }
  for (const auto& [scheme, factory] : scheme_factories()) {
    BOOST_CHECK_MESSAGE(used.contains(scheme), "scheme " << scheme << " is used by no manifest");
  }
  BOOST_CHECK(manifests.at("sendgrid").batch);
  BOOST_CHECK(manifests.at("whatsapp").batch);
  BOOST_CHECK(!manifests.at("stripe").batch);
  BOOST_CHECK(manifests.at("whatsapp").handshake == Handshake::meta_verify_token);
  BOOST_CHECK(manifests.at("slack").handshake == Handshake::slack_url_verification);
  BOOST_CHECK_EQUAL(manifests.at("example-generic").body_limit, 262144u);
  BOOST_CHECK_EQUAL(manifests.at("stripe").body_limit, kDefaultBodyLimit);
}

BOOST_AUTO_TEST_CASE(mistakes_are_refused_with_file_and_key) {
  expect_error(R"({"provider": "acme", "scheme": {"name": "shopify"}, "bacth": true})",
               "'bacth': unknown key");
  expect_error(R"({"provider": "acme", "scheme": {"name": "nope"}})", "scheme.name");
  expect_error(R"({"provider": "acme", "scheme": {"name": "shopify", "header": "x"}})",
               "'scheme.header': unknown key");
  expect_error(R"({"provider": "acme"})", "'scheme': is required");
  expect_error(R"({"provider": "other", "scheme": {"name": "shopify"}})",
               "name it <provider>.json");
  expect_error(R"({"provider": "acme", "scheme": {"name": "shopify"},
                   "delivery_id": [{"header": "a", "json_pointer": "/b"}]})",
               "exactly one of");
  expect_error(R"({"provider": "acme", "scheme": {"name": "shopify"},
                   "delivery_id": [{"json_pointer": "id"}]})",
               "not a valid JSON pointer");
  expect_error(R"({"provider": "acme", "scheme": {"name": "shopify"}, "handshake": "wave"})",
               "'handshake'");
  expect_error(R"({"provider": "Acme!", "scheme": {"name": "shopify"}})", "'provider'",
               "Acme!.json");
}

BOOST_AUTO_TEST_CASE(the_normalizer_section_is_left_to_the_normalizer) {
  test::TempDir dir;
  write_file_atomic(dir.file("acme.json"), R"({"provider": "acme", "scheme": {"name": "shopify"},
      "normalize": {"anything": ["the normalizer validates this"]}})");
  BOOST_CHECK_NO_THROW(load_manifests(dir.path()));
}
