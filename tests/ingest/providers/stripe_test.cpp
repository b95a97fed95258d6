// Stripe-Signature. Vectors, read from tests/fixtures/signature_vectors.json (sources there):
//  - stripe-header-derived: DERIVED, not published by Stripe. Computed with stripe@23.1.0
//    generateTestHeaderString from inputs published in stripe/stripe-node test/Webhook.spec.ts
//    (secret whsec_test_secret, payload) and the timestamp of Stripe's docs example.
//  - stripe-node-hmac-empty, stripe-node-hmac-json, stripe-node-hmac-utf8: published, the v1
//    HMAC primitive from stripe/stripe-node test/crypto/helpers.ts, checked through the HMAC
//    match the Stripe scheme uses.
#define BOOST_TEST_MODULE ingest_providers_stripe
#include <boost/test/unit_test.hpp>

#include "core/crypto/hmac.h"
#include "ingest/providers/generic_hmac.h"
#include "ingest/providers/stripe.h"
#include "tests/ingest/providers/vectors.h"

using namespace hookline::ingest;
using namespace hookline::ingest::test;
namespace hc = hookline::crypto;

namespace {

constexpr std::int64_t kTs = 1492774577;
const std::string kBody = "{\"id\": \"evt_1\", \"object\": \"event\"}";

std::string sign(std::string_view secret, std::int64_t ts, std::string_view body) {
  const std::string t = std::to_string(ts);
  return "v1=" +
         hc::hex_encode(hc::hmac(hc::HashAlgorithm::sha256, secret, t + "." + std::string(body)));
}

std::string header(std::string_view secret, std::int64_t ts = kTs, std::string_view body = kBody) {
  return "t=" + std::to_string(ts) + "," + sign(secret, ts, body);
}

VerifyResult run(const std::string& value, const Credentials& c, std::int64_t now = kTs,
                 const std::string& body = kBody) {
  const auto scheme = scheme_from_json(R"({"name": "stripe"})");
  FakeRequest req;
  req.body = body;
  req.with("Stripe-Signature", value);
  return scheme->verify(req.request(), c, at(now));
}

}  // namespace

BOOST_AUTO_TEST_CASE(derived_header_vector_passes) {
  const auto list = vectors_where("scheme", "stripe");
  BOOST_REQUIRE_EQUAL(list.size(), 1u);
  for (const auto* v : list) {
    BOOST_TEST_CONTEXT(text(*v, "id")) {
      BOOST_TEST(text(*v, "kind") == "derived");
      const auto ts = std::stoll(text(*v, "inputs", "timestamp"));
      const auto result =
          run(text(*v, "expected", "value"), secrets({text(*v, "inputs", "secret")}), ts,
              text(*v, "inputs", "payload"));
      HOOKLINE_CHECK_OK(result);
      // And the same with the secret rotated in as the second of two.
      HOOKLINE_CHECK_OK(run(text(*v, "expected", "value"),
                            secrets({"whsec_other", text(*v, "inputs", "secret")}), ts,
                            text(*v, "inputs", "payload")));
    }
  }
}

BOOST_AUTO_TEST_CASE(published_hmac_primitive_vectors_pass) {
  std::size_t seen = 0;
  for (const auto* v : vectors_where("provider", "stripe")) {
    if (text(*v, "scheme") != "hmac") continue;
    ++seen;
    BOOST_TEST_CONTEXT(text(*v, "id")) {
      const std::string secret = text(*v, "inputs", "secret");
      const std::string payload = text(*v, "inputs", "payload");
      const std::string digest = text(*v, "expected", "digest");
      // The match the Stripe scheme runs on its signed payload, with the v1 parsed by its parser.
      const auto parsed = parse_stripe_signature("t=1,v1=" + digest);
      BOOST_REQUIRE(parsed.has_value());
      BOOST_TEST(hmac_matches_any(hc::HashAlgorithm::sha256, {secret}, payload, parsed->v1));
      BOOST_TEST(!hmac_matches_any(hc::HashAlgorithm::sha256, {"wrong"}, payload, parsed->v1));
    }
  }
  BOOST_TEST(seen == 3u);
}

BOOST_AUTO_TEST_CASE(parser_accepts_several_v1_and_ignores_other_keys) {
  const std::string a(64, 'a'), b(64, 'B');
  const auto h = parse_stripe_signature("t=1492774577, v1=" + a + ",v0=zz,v1=" + b + ",x=");
  BOOST_REQUIRE(h.has_value());
  BOOST_TEST(h->timestamp == kTs);
  BOOST_TEST(h->timestamp_text == "1492774577");
  BOOST_REQUIRE_EQUAL(h->v1.size(), 2u);
  BOOST_TEST(h->v1[1] == unhex(b));
  const auto no_v1 = parse_stripe_signature("t=5");
  BOOST_REQUIRE(no_v1.has_value());
  BOOST_TEST(no_v1->v1.empty());
}

BOOST_AUTO_TEST_CASE(parser_rejects_malformed_headers) {
  const std::string hex(64, 'a');
  for (const std::string& bad :
       std::vector<std::string>{"", ",", "t", "v1=" + hex, "t=,v1=" + hex, "t=-1,v1=" + hex,
                                "t=12a,v1=" + hex, "t=1,t=2,v1=" + hex, "t=1,v1=" + hex.substr(2),
                                "t=1,v1=" + hex + "zz", "t=1,v1=" + std::string(64, 'g'),
                                "t=1,,v1=" + hex, "t=99999999999,v1=" + hex, "t=01,v1=" + hex}) {
    BOOST_TEST(!parse_stripe_signature(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(any_v1_may_match) {
  const std::string value = "t=" + std::to_string(kTs) + "," + sign("whsec_old", kTs, kBody) + "," +
                            sign("whsec_new", kTs, kBody);
  HOOKLINE_CHECK_OK(run(value, secrets({"whsec_new"})));
  HOOKLINE_CHECK_OK(run(value, secrets({"whsec_old"})));
}

BOOST_AUTO_TEST_CASE(failures) {
  const auto good = secrets({"whsec_right"});
  HOOKLINE_CHECK_OK(run(header("whsec_right"), good));
  HOOKLINE_CHECK_FAILS(run(header("whsec_wrong"), good), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(header("whsec_right"), good, kTs, kBody + " "),
                       VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(header("whsec_right"), good, kTs + 301), VerifyFailure::stale_timestamp);
  HOOKLINE_CHECK_FAILS(run(header("whsec_right"), good, kTs - 301),
                       VerifyFailure::future_timestamp);
  HOOKLINE_CHECK_OK(run(header("whsec_right"), good, kTs + 300));
  HOOKLINE_CHECK_OK(run(header("whsec_right"), good, kTs - 300));
  HOOKLINE_CHECK_FAILS(run("t=abc,v1=00", good), VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(run("t=" + std::to_string(kTs), good), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(header("whsec_right"), secrets({})), VerifyFailure::no_credentials);
  HOOKLINE_CHECK_FAILS(run(header(""), secrets({""})), VerifyFailure::no_credentials);

  const auto scheme = scheme_from_json(R"({"name": "stripe"})");
  FakeRequest req;
  req.body = kBody;
  HOOKLINE_CHECK_FAILS(scheme->verify(req.request(), good, at(kTs)), VerifyFailure::missing_header);
}

BOOST_AUTO_TEST_CASE(secret_rotation) {
  // Rotated out: only the new secret is held, the request was signed with the old one.
  HOOKLINE_CHECK_FAILS(run(header("whsec_old"), secrets({"whsec_new"})),
                       VerifyFailure::bad_signature);
  // During the rotation both are held: either signs.
  HOOKLINE_CHECK_OK(run(header("whsec_old"), secrets({"whsec_old", "whsec_new"})));
  HOOKLINE_CHECK_OK(run(header("whsec_new"), secrets({"whsec_old", "whsec_new"})));
}

BOOST_AUTO_TEST_CASE(tolerance_is_configurable) {
  const auto scheme = scheme_from_json(R"({"name": "stripe", "tolerance_s": 10})");
  FakeRequest req;
  req.body = kBody;
  req.with("Stripe-Signature", header("k"));
  HOOKLINE_CHECK_OK(scheme->verify(req.request(), secrets({"k"}), at(kTs + 10)));
  HOOKLINE_CHECK_FAILS(scheme->verify(req.request(), secrets({"k"}), at(kTs + 11)),
                       VerifyFailure::stale_timestamp);
  BOOST_CHECK_THROW(scheme_from_json(R"({"name": "stripe", "tolerance_s": 0})"),
                    hookline::ConfigError);
}
