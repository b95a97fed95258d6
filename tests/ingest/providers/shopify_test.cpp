// X-Shopify-Hmac-Sha256. Shopify publishes no secret/body/signature triple (see the
// "unavailable" list of tests/fixtures/signature_vectors.json), so the vector below is
// SELF-COMPUTED, not published:
//   printf '%s' '{"id":820982911946154508,"email":"jon@doe.ca","topic":"orders/create"}' |
//     openssl dgst -sha256 -hmac hookline_shopify_test_secret -binary | base64
// (cross-checked with Python's hmac module).
#define BOOST_TEST_MODULE ingest_providers_shopify
#include <boost/test/unit_test.hpp>

#include <optional>

#include "core/crypto/hmac.h"
#include "ingest/providers/shopify.h"
#include "tests/ingest/providers/vectors.h"

using namespace hookline::ingest;
using namespace hookline::ingest::test;
namespace hc = hookline::crypto;

namespace {

const std::string kSelfComputedSecret = "hookline_shopify_test_secret";
const std::string kSelfComputedBody =
    R"({"id":820982911946154508,"email":"jon@doe.ca","topic":"orders/create"})";
const std::string kSelfComputedHmac = "sroQrR8HpuHzBERy4ArITKnHn6ttGg7ktdUh3jPvScA=";

std::string sign(std::string_view secret, std::string_view body = kSelfComputedBody) {
  return hc::base64_encode(hc::hmac(hc::HashAlgorithm::sha256, secret, body));
}

VerifyResult run(std::optional<std::string> value, const Credentials& c,
                 std::string body = kSelfComputedBody) {
  FakeRequest req;
  req.body = std::move(body);
  if (value) req.with("X-Shopify-Hmac-Sha256", *value);
  return scheme_from_json(R"({"name": "shopify"})")->verify(req.request(), c, at(0));
}

}  // namespace

BOOST_AUTO_TEST_CASE(self_computed_vector_passes) {
  BOOST_TEST(sign(kSelfComputedSecret) == kSelfComputedHmac);
  HOOKLINE_CHECK_OK(run(kSelfComputedHmac, secrets({kSelfComputedSecret})));
  HOOKLINE_CHECK_OK(run(kSelfComputedHmac, secrets({"previous", kSelfComputedSecret})));
}

BOOST_AUTO_TEST_CASE(parser) {
  BOOST_TEST(parse_shopify_hmac(kSelfComputedHmac).has_value());
  for (const std::string& bad :
       std::vector<std::string>{std::string(), "sroQrR8HpuHzBERy4ArITKnHn6ttGg7ktdUh3jPvScA",
                                "sroQ", "sroQrR8HpuHzBERy4ArITKnHn6ttGg7ktdUh3jPvScA=\n",
                                "sroQrR8HpuHzBERy4ArITKnHn6ttGg7ktdUh3jPvScB=",
                                "sha256=sroQrR8HpuHzBERy4ArITKnHn6ttGg7ktdUh3jPvScA=",
                                "sroQrR8HpuHzBERy4ArITKnHn6ttGg7ktdUh3jPvScA=sroQ"}) {
    BOOST_TEST(!parse_shopify_hmac(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(failures) {
  const auto good = secrets({kSelfComputedSecret});
  HOOKLINE_CHECK_FAILS(run(kSelfComputedHmac, secrets({"wrong"})), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(kSelfComputedHmac, good, kSelfComputedBody + " "),
                       VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(std::nullopt, good), VerifyFailure::missing_header);
  HOOKLINE_CHECK_FAILS(run("not base64!", good), VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(run(hc::hex_encode(hc::hmac(hc::HashAlgorithm::sha256, kSelfComputedSecret,
                                                   kSelfComputedBody)),
                           good),
                       VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(run(kSelfComputedHmac, secrets({})), VerifyFailure::no_credentials);
}

BOOST_AUTO_TEST_CASE(secret_rotation) {
  HOOKLINE_CHECK_FAILS(run(sign("old"), secrets({"new"})), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_OK(run(sign("old"), secrets({"old", "new"})));
  HOOKLINE_CHECK_OK(run(sign("new"), secrets({"old", "new"})));
}

BOOST_AUTO_TEST_CASE(takes_no_params) {
  BOOST_CHECK_THROW(scheme_from_json(R"({"name": "shopify", "header": "X-Other"})"),
                    hookline::ConfigError);
}
