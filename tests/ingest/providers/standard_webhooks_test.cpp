// Standard Webhooks / Svix. Vectors, read from tests/fixtures/signature_vectors.json (sources
// there):
//  - standard-webhooks-sign: published in standard-webhooks/standard-webhooks
//    libraries/javascript/src/webhook.test.ts ("sign function works") and svix/svix-webhooks
//    python/tests/test_webhooks.py (test_sign_function); sent with webhook-* and svix-* headers.
// No v1a (Ed25519) vector is published; kV1a below is SELF-COMPUTED over the same id,
// timestamp and payload with the RFC 8032 section 7.1 TEST 1 key (secret key 9d61b19d...7f60,
// public key d75a9801...511a), using Python's cryptography package (Ed25519 is deterministic).
#define BOOST_TEST_MODULE ingest_providers_standard_webhooks
#include <boost/test/unit_test.hpp>

#include <optional>

#include "core/crypto/hmac.h"
#include "ingest/providers/standard_webhooks.h"
#include "tests/ingest/providers/vectors.h"

using namespace hookline::ingest;
using namespace hookline::ingest::test;
namespace hc = hookline::crypto;

namespace {

const std::string kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kTs = 1614265330;
const std::string kBody = R"({"test": 2432232314})";
const std::string kRfc8032Test1PublicKey = "whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
const std::string kRfc8032Test2PublicKey = "whpk_PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw=";
const std::string kV1a =
    "v1a,fldxM4gAKugP6nnt1hdz3sgGfZ6d99nzrMFnZOELIxbzEHoVmAb2ADpkJK7zgPePmPsle0zV9jSeGlHFG2NVAw==";
const std::string kOld = "whsec_" + hc::base64_encode("an old secret, 32 bytes long....");
const std::string kNew = "whsec_" + hc::base64_encode("a new secret, also 32 bytes long");

std::string sign(std::string_view secret, std::string_view body = kBody, std::int64_t ts = kTs) {
  const std::string key = decode_standard_webhooks_secret(secret).value();
  const std::string message = kId + "." + std::to_string(ts) + "." + std::string(body);
  return "v1," + hc::base64_encode(hc::hmac(hc::HashAlgorithm::sha256, key, message));
}

struct Headers {
  std::optional<std::string> id = kId;
  std::optional<std::string> timestamp = std::to_string(kTs);
  std::optional<std::string> signature;
  std::string prefix = "webhook-";
};

VerifyResult run(const Headers& h, const Credentials& c, std::string body = kBody,
                 std::int64_t now = kTs) {
  FakeRequest req;
  req.body = std::move(body);
  if (h.id) req.with(h.prefix + "id", *h.id);
  if (h.timestamp) req.with(h.prefix + "timestamp", *h.timestamp);
  if (h.signature) req.with(h.prefix + "signature", *h.signature);
  return scheme_from_json(R"({"name": "standard-webhooks"})")->verify(req.request(), c, at(now));
}

Headers signed_with(std::string signature) {
  Headers h;
  h.signature = std::move(signature);
  return h;
}

}  // namespace

BOOST_AUTO_TEST_CASE(published_vectors_pass) {
  const auto list = vectors_where("scheme", "standard-webhooks");
  BOOST_REQUIRE_EQUAL(list.size(), 1u);
  for (const auto* v : list) {
    BOOST_TEST_CONTEXT(text(*v, "id")) {
      for (const std::string prefix : {"webhook-", "svix-"}) {
        Headers h;
        h.id = text(*v, "inputs", "id");
        h.timestamp = text(*v, "inputs", "timestamp");
        h.signature = text(*v, "expected", "value");
        h.prefix = prefix;
        const auto now = std::stoll(text(*v, "inputs", "timestamp"));
        const std::string secret = text(*v, "inputs", "secret");
        const std::string body = text(*v, "inputs", "payload");
        HOOKLINE_CHECK_OK(run(h, secrets({secret}), body, now));
        HOOKLINE_CHECK_OK(run(h, secrets({kOld, secret}), body, now));
        HOOKLINE_CHECK_FAILS(run(h, secrets({kNew}), body, now), VerifyFailure::bad_signature);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(self_computed_v1a_passes) {
  HOOKLINE_CHECK_OK(run(signed_with(kV1a), public_key(kRfc8032Test1PublicKey)));
  HOOKLINE_CHECK_FAILS(run(signed_with(kV1a), public_key(kRfc8032Test2PublicKey)),
                       VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(signed_with(kV1a), public_key(kRfc8032Test1PublicKey), kBody + " "),
                       VerifyFailure::bad_signature);
  // A v1a entry among others; the HMAC secret is wrong, the public key verifies.
  auto c = public_key(kRfc8032Test1PublicKey);
  c.secrets = {kNew};
  HOOKLINE_CHECK_OK(run(signed_with(sign(kOld) + " v2,abc " + kV1a), c));
}

BOOST_AUTO_TEST_CASE(parser) {
  const auto list = parse_signature_list(sign(kOld) + "  v9,whatever " + kV1a + " v1a," +
                                         std::string(86, 'A') + "==");
  BOOST_REQUIRE(list.has_value());
  BOOST_REQUIRE_EQUAL(list->size(), 3u);
  BOOST_TEST((list->at(0).version == SignatureListEntry::Version::v1));
  BOOST_TEST(list->at(0).signature.size() == 32u);
  BOOST_TEST((list->at(1).version == SignatureListEntry::Version::v1a));
  BOOST_TEST(list->at(1).signature.size() == 64u);
  BOOST_TEST(parse_signature_list("v2,xyz")->empty());
  std::string many;
  for (int i = 0; i < 16; ++i) many += sign(kOld) + " ";
  BOOST_TEST(parse_signature_list(many).has_value());
  BOOST_TEST(!parse_signature_list(many + sign(kOld)).has_value());
  for (const std::string& bad :
       std::vector<std::string>{std::string(), " ", "v1", "v1,", "v1,abc", "v1,@@@@",
                                "v1," + std::string(40, 'A') + "==", "v1a," + sign(kOld).substr(3),
                                sign(kOld) + " v1"}) {
    BOOST_TEST(!parse_signature_list(bad).has_value(), bad);
  }
  BOOST_TEST(decode_standard_webhooks_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").has_value());
  BOOST_TEST(decode_standard_webhooks_secret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").has_value());
  BOOST_TEST(!decode_standard_webhooks_secret("whsec_not base64").has_value());
  BOOST_TEST(decode_standard_webhooks_public_key(kRfc8032Test1PublicKey).has_value());
  BOOST_TEST(!decode_standard_webhooks_public_key("whpk_AAAA").has_value());
}

BOOST_AUTO_TEST_CASE(failures) {
  const auto good = secrets({kOld});
  HOOKLINE_CHECK_OK(run(signed_with(sign(kOld)), good));
  HOOKLINE_CHECK_FAILS(run(signed_with(sign(kNew)), good), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(signed_with(sign(kOld)), good, kBody + "\n"),
                       VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(signed_with(sign(kOld)), good, kBody, kTs + 301),
                       VerifyFailure::stale_timestamp);
  HOOKLINE_CHECK_FAILS(run(signed_with(sign(kOld)), good, kBody, kTs - 301),
                       VerifyFailure::future_timestamp);
  // id and timestamp are signed.
  auto other_id = signed_with(sign(kOld));
  other_id.id = "msg_other";
  HOOKLINE_CHECK_FAILS(run(other_id, good), VerifyFailure::bad_signature);
  auto other_ts = signed_with(sign(kOld));
  other_ts.timestamp = std::to_string(kTs + 1);
  HOOKLINE_CHECK_FAILS(run(other_ts, good), VerifyFailure::bad_signature);
  // Only unknown versions: nothing can match.
  HOOKLINE_CHECK_FAILS(run(signed_with("v2,abc"), good), VerifyFailure::bad_signature);

  for (int missing = 0; missing < 3; ++missing) {
    auto h = signed_with(sign(kOld));
    (missing == 0 ? h.id : missing == 1 ? h.timestamp : h.signature) = std::nullopt;
    HOOKLINE_CHECK_FAILS(run(h, good), VerifyFailure::missing_header);
  }
  HOOKLINE_CHECK_FAILS(run(signed_with("v1,not-base64"), good), VerifyFailure::malformed_header);
  auto bad_ts = signed_with(sign(kOld));
  bad_ts.timestamp = "2021-02-25T15:02:10Z";
  HOOKLINE_CHECK_FAILS(run(bad_ts, good), VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(run(signed_with(sign(kOld)), secrets({})), VerifyFailure::no_credentials);
  HOOKLINE_CHECK_FAILS(run(signed_with(sign(kOld)), secrets({"whsec_!!"})),
                       VerifyFailure::no_credentials);
  HOOKLINE_CHECK_FAILS(run(signed_with(sign(kOld)), secrets({"whsec_"})),
                       VerifyFailure::no_credentials);
}

BOOST_AUTO_TEST_CASE(secret_rotation) {
  HOOKLINE_CHECK_FAILS(run(signed_with(sign(kOld)), secrets({kNew})), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_OK(run(signed_with(sign(kOld)), secrets({kOld, kNew})));
  HOOKLINE_CHECK_OK(run(signed_with(sign(kNew)), secrets({kOld, kNew})));
  // Svix sends both signatures while its own secret rolls: either held secret matches.
  HOOKLINE_CHECK_OK(run(signed_with(sign(kOld) + " " + sign(kNew)), secrets({kNew})));
}
