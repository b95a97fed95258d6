// SendGrid signed Event Webhook (ECDSA P-256). Vectors, read from
// tests/fixtures/signature_vectors.json (sources there), all published in sendgrid/sendgrid-nodejs
// packages/eventwebhook/src/eventwebhook.spec.js:
//  - sendgrid-single-event ("should verify a valid single event signature"),
//  - sendgrid-multiple-events ("should verify a valid multi event signature"),
//  - sendgrid-object-payload-2020 ("should verify a valid signature").
// The connection holds one public key, so "rotation" here means a key that is not the signer's
// (another vector's key) fails; there is no second key to try.
#define BOOST_TEST_MODULE ingest_providers_sendgrid_ecdsa
#include <boost/test/unit_test.hpp>

#include <optional>

#include "ingest/providers/sendgrid_ecdsa.h"
#include "tests/ingest/providers/vectors.h"

using namespace hookline::ingest;
using namespace hookline::ingest::test;

namespace {

struct Vector {
  std::string id, key, timestamp, body, signature;
  std::int64_t ts = 0;
};

std::vector<Vector> vectors() {
  std::vector<Vector> out;
  for (const auto* v : vectors_where("provider", "sendgrid")) {
    Vector x{text(*v, "id"), text(*v, "inputs", "publicKey"), text(*v, "inputs", "timestamp"),
             text(*v, "inputs", "payload"), text(*v, "expected", "value")};
    x.ts = std::stoll(x.timestamp);
    out.push_back(std::move(x));
  }
  return out;
}

std::string pem(std::string_view base64) {
  std::string out = "-----BEGIN PUBLIC KEY-----\n";
  for (std::size_t i = 0; i < base64.size(); i += 64) {
    out.append(base64.substr(i, 64)).append("\n");
  }
  return out + "-----END PUBLIC KEY-----\n";
}

VerifyResult run(const Vector& v, const Credentials& c, std::int64_t now,
                 std::optional<std::string> signature, std::optional<std::string> timestamp,
                 std::string_view manifest = R"({"name": "sendgrid-ecdsa"})") {
  FakeRequest req;
  req.body = v.body;
  if (signature) req.with("X-Twilio-Email-Event-Webhook-Signature", *signature);
  if (timestamp) req.with("X-Twilio-Email-Event-Webhook-Timestamp", *timestamp);
  return scheme_from_json(manifest)->verify(req.request(), c, at(now));
}

VerifyResult run(const Vector& v, const Credentials& c, std::int64_t now) {
  return run(v, c, now, v.signature, v.timestamp);
}

}  // namespace

BOOST_AUTO_TEST_CASE(published_vectors_pass) {
  const auto list = vectors();
  BOOST_REQUIRE_EQUAL(list.size(), 3u);
  for (const auto& v : list) {
    BOOST_TEST_CONTEXT(v.id) {
      HOOKLINE_CHECK_OK(run(v, public_key(v.key), v.ts));
      HOOKLINE_CHECK_OK(run(v, public_key(pem(v.key)), v.ts));
      HOOKLINE_CHECK_OK(run(v, public_key(v.key.substr(0, 40) + "\n" + v.key.substr(40)), v.ts));
    }
  }
}

BOOST_AUTO_TEST_CASE(failures) {
  const auto list = vectors();
  BOOST_REQUIRE_EQUAL(list.size(), 3u);
  const auto& v = list[0];
  const auto key = public_key(v.key);
  // Another key (rotated out, or simply wrong).
  HOOKLINE_CHECK_FAILS(run(v, public_key(list[1].key), v.ts), VerifyFailure::bad_signature);
  auto tampered = v;
  tampered.body[10] = 'X';
  HOOKLINE_CHECK_FAILS(run(tampered, key, v.ts), VerifyFailure::bad_signature);
  // The timestamp is signed.
  HOOKLINE_CHECK_FAILS(run(v, key, v.ts, v.signature, std::to_string(v.ts + 1)),
                       VerifyFailure::bad_signature);
  // Another vector's signature.
  HOOKLINE_CHECK_FAILS(run(v, key, v.ts, list[1].signature, v.timestamp),
                       VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(v, key, v.ts + 301), VerifyFailure::stale_timestamp);
  HOOKLINE_CHECK_FAILS(run(v, key, v.ts - 301), VerifyFailure::future_timestamp);
  HOOKLINE_CHECK_FAILS(run(v, key, v.ts, std::nullopt, v.timestamp), VerifyFailure::missing_header);
  HOOKLINE_CHECK_FAILS(run(v, key, v.ts, v.signature, std::nullopt), VerifyFailure::missing_header);
  HOOKLINE_CHECK_FAILS(run(v, key, v.ts, "MEUCIGHQ!!", v.timestamp),
                       VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(run(v, key, v.ts, v.signature, "1600112502x"),
                       VerifyFailure::malformed_header);
  // Base64 that is not DER: parsed, but does not verify.
  HOOKLINE_CHECK_FAILS(run(v, key, v.ts, "AAAA", v.timestamp), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(v, Credentials{}, v.ts), VerifyFailure::no_credentials);
  HOOKLINE_CHECK_FAILS(run(v, public_key("not a key"), v.ts), VerifyFailure::no_credentials);
  HOOKLINE_CHECK_FAILS(
      run(v, public_key("whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="), v.ts),
      VerifyFailure::no_credentials);
  // An HMAC secret is no substitute for the public key.
  HOOKLINE_CHECK_FAILS(run(v, secrets({"secret"}), v.ts), VerifyFailure::no_credentials);
}

BOOST_AUTO_TEST_CASE(tolerance_zero_disables_freshness) {
  const auto v = vectors().at(0);
  const auto key = public_key(v.key);
  constexpr std::int64_t kMuchLater = 1'900'000'000;
  HOOKLINE_CHECK_OK(run(v, key, kMuchLater, v.signature, v.timestamp,
                        R"({"name": "sendgrid-ecdsa", "tolerance_s": 0})"));
  HOOKLINE_CHECK_FAILS(run(v, key, kMuchLater, v.signature, "soon",
                           R"({"name": "sendgrid-ecdsa", "tolerance_s": 0})"),
                       VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(run(v, key, kMuchLater), VerifyFailure::stale_timestamp);
}

BOOST_AUTO_TEST_CASE(key_cache_follows_the_key) {
  // One scheme object, verifying for connections with different keys in turn.
  const auto list = vectors();
  const auto scheme = scheme_from_json(R"({"name": "sendgrid-ecdsa"})");
  for (int round = 0; round < 2; ++round) {
    for (const auto& v : list) {
      for (const auto& k : list) {
        FakeRequest req;
        req.body = v.body;
        req.with("X-Twilio-Email-Event-Webhook-Signature", v.signature);
        req.with("X-Twilio-Email-Event-Webhook-Timestamp", v.timestamp);
        const auto r = scheme->verify(req.request(), public_key(k.key), at(v.ts));
        BOOST_TEST(r.ok == (&v == &k), v.id << " with key of " << k.id);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(parsers) {
  BOOST_TEST(parse_sendgrid_signature("MEUC").has_value());
  BOOST_TEST(!parse_sendgrid_signature("").has_value());
  BOOST_TEST(!parse_sendgrid_signature("MEU").has_value());
  BOOST_TEST(!parse_sendgrid_signature(std::string(120, 'A')).has_value());
  BOOST_TEST(
      decode_sendgrid_public_key("  -----BEGIN PUBLIC KEY-----\n").value().starts_with("-----"));
  BOOST_TEST(!decode_sendgrid_public_key("   ").has_value());
  BOOST_TEST(!decode_sendgrid_public_key("abc").has_value());
}
