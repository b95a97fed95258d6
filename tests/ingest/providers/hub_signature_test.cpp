// X-Hub-Signature-256 (GitHub; Meta: WhatsApp, Instagram, Messenger). Vectors, read from
// tests/fixtures/signature_vectors.json (sources there):
//  - github-docs-hello-world: published in GitHub's "Validating webhook deliveries" docs
//    (github/docs content/webhooks/using-webhooks/validating-webhook-deliveries.md).
//  - whatsapp-sdk-x-hub-256: published in WhatsApp/WhatsApp-Nodejs-SDK
//    src/__tests__/utils.test.ts (app secret TEST_APP_SECRET from its jest.config.ts).
//    Meta itself publishes no worked example (see the file's "unavailable" list).
#define BOOST_TEST_MODULE ingest_providers_hub_signature
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <optional>

#include "core/crypto/hmac.h"
#include "ingest/providers/hub_signature.h"
#include "tests/ingest/providers/vectors.h"

using namespace hookline::ingest;
using namespace hookline::ingest::test;
namespace hc = hookline::crypto;

namespace {

const std::string kBody = R"({"action":"opened","number":1})";

std::string sign(std::string_view secret, std::string_view body = kBody) {
  return "sha256=" + hc::hex_encode(hc::hmac(hc::HashAlgorithm::sha256, secret, body));
}

VerifyResult run(std::optional<std::string> value, const Credentials& c, std::string body = kBody,
                 std::string_view manifest = R"({"name": "hub-signature"})",
                 std::string header = "X-Hub-Signature-256") {
  FakeRequest req;
  req.body = std::move(body);
  if (value) req.with(header, *value);
  return scheme_from_json(manifest)->verify(req.request(), c, at(0));
}

}  // namespace

BOOST_AUTO_TEST_CASE(published_vectors_pass) {
  std::size_t seen = 0;
  for (const auto* v : vectors_where("scheme", "hmac")) {
    if (!has(*v, "expected", "header") || text(*v, "expected", "header") != "X-Hub-Signature-256") {
      continue;
    }
    ++seen;
    BOOST_TEST_CONTEXT(text(*v, "id")) {
      const std::string secret = text(*v, "inputs", "secret");
      const std::string body = text(*v, "inputs", "payload");
      const std::string value = text(*v, "expected", "value");
      HOOKLINE_CHECK_OK(run(value, secrets({secret}), body));
      HOOKLINE_CHECK_OK(run(value, secrets({"old", secret}), body));
      HOOKLINE_CHECK_FAILS(run(value, secrets({secret + "x"}), body), VerifyFailure::bad_signature);
      // Header names are case-insensitive, hex digits too.
      std::string upper = value;
      for (std::size_t i = 7; i < upper.size(); ++i) {
        upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
      }
      HOOKLINE_CHECK_OK(run(upper, secrets({secret}), body, R"({"name": "hub-signature"})",
                            "x-hub-signature-256"));
    }
  }
  BOOST_TEST(seen == 2u);  // github-docs-hello-world, whatsapp-sdk-x-hub-256
}

BOOST_AUTO_TEST_CASE(parser) {
  const std::string hex(64, 'f');
  BOOST_TEST(parse_hub_signature("sha256=" + hex).value() == unhex(hex));
  BOOST_TEST(parse_hub_signature("SHA256=" + hex).has_value());
  BOOST_TEST(
      parse_hub_signature("sha1=" + hex.substr(24), "sha1=", hc::HashAlgorithm::sha1).has_value());
  for (const std::string& bad :
       std::vector<std::string>{std::string(), "sha256=", "sha1=" + hex, hex, "sha256=" + hex + "0",
                                "sha256=" + hex.substr(1) + "g", "sha256=" + hex.substr(2)}) {
    BOOST_TEST(!parse_hub_signature(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(failures) {
  const auto good = secrets({"s3cret"});
  HOOKLINE_CHECK_OK(run(sign("s3cret"), good));
  HOOKLINE_CHECK_FAILS(run(sign("wrong"), good), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(sign("s3cret"), good, kBody + "\n"), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(std::nullopt, good), VerifyFailure::missing_header);
  HOOKLINE_CHECK_FAILS(run("sha1=abc", good), VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(run(sign("s3cret"), secrets({})), VerifyFailure::no_credentials);
}

BOOST_AUTO_TEST_CASE(secret_rotation) {
  HOOKLINE_CHECK_FAILS(run(sign("old"), secrets({"new"})), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_OK(run(sign("old"), secrets({"old", "new"})));
  HOOKLINE_CHECK_OK(run(sign("new"), secrets({"old", "new"})));
}

BOOST_AUTO_TEST_CASE(legacy_sha1_and_custom_header) {
  const std::string sha1 = "sha1=" + hc::hex_encode(hc::hmac(hc::HashAlgorithm::sha1, "k", kBody));
  HOOKLINE_CHECK_OK(run(sha1, secrets({"k"}), kBody,
                        R"({"name": "hub-signature", "algorithm": "sha1"})", "X-Hub-Signature"));
  HOOKLINE_CHECK_FAILS(
      run(sha1, secrets({"k"}), kBody, R"({"name": "hub-signature", "algorithm": "sha1"})"),
      VerifyFailure::missing_header);
  HOOKLINE_CHECK_OK(run(sign("k").substr(7), secrets({"k"}), kBody,
                        R"({"name": "hub-signature", "header": "X-Sig", "prefix": ""})", "X-Sig"));
  BOOST_CHECK_THROW(scheme_from_json(R"({"name": "hub-signature", "algorithm": "sha512"})"),
                    hookline::ConfigError);
  BOOST_CHECK_THROW(scheme_from_json(R"({"name": "hub-signature", "algorithm": "md5"})"),
                    hookline::ConfigError);
}
