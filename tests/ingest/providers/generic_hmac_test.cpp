// Generic HMAC ("hmac"). Vectors, read from tests/fixtures/signature_vectors.json (sources
// there): every vector of scheme "hmac", run through a generic configuration of its algorithm
// and encoding with the bare digest in a custom header:
//  - github-docs-hello-world (GitHub docs), whatsapp-sdk-x-hub-256 (WhatsApp Node.js SDK tests),
//  - stripe-node-hmac-empty, stripe-node-hmac-json, stripe-node-hmac-utf8 (stripe-node
//    test/crypto/helpers.ts).
// The SHA-1/SHA-512, base64 and timestamp variants below are signed at run time.
#define BOOST_TEST_MODULE ingest_providers_generic_hmac
#include <boost/test/unit_test.hpp>

#include <optional>

#include "core/crypto/hmac.h"
#include "ingest/providers/generic_hmac.h"
#include "tests/ingest/providers/vectors.h"

using namespace hookline::ingest;
using namespace hookline::ingest::test;
namespace hc = hookline::crypto;

namespace {

constexpr std::int64_t kTs = 1700000000;
const std::string kBody = R"({"event":"ping"})";
const std::string kTsManifest =
    R"({"name": "hmac", "header": "X-Signature", "encoding": "base64", "algorithm": "sha512",
        "timestamp_header": "X-Timestamp", "signed": "timestamp.body", "tolerance_s": 60})";

VerifyResult run(std::string_view manifest, std::optional<std::string> signature,
                 const Credentials& c, std::string body = kBody,
                 std::optional<std::string> ts = std::nullopt, std::int64_t now = kTs) {
  FakeRequest req;
  req.body = std::move(body);
  if (signature) req.with("X-Signature", *signature);
  if (ts) req.with("X-Timestamp", *ts);
  return scheme_from_json(manifest)->verify(req.request(), c, at(now));
}

std::string sign512(std::string_view secret, std::string_view message) {
  return hc::base64_encode(hc::hmac(hc::HashAlgorithm::sha512, secret, message));
}

const std::string kTsText = std::to_string(kTs);

}  // namespace

BOOST_AUTO_TEST_CASE(published_hmac_vectors_pass) {
  const auto list = vectors_where("scheme", "hmac");
  BOOST_TEST(list.size() == 5u);
  for (const auto* v : list) {
    BOOST_TEST_CONTEXT(text(*v, "id")) {
      const std::string manifest = R"({"name": "hmac", "header": "X-Signature", "algorithm": ")" +
                                   text(*v, "algorithm") + R"(", "encoding": ")" +
                                   text(*v, "encoding") + R"("})";
      const std::string secret = text(*v, "inputs", "secret");
      const std::string body = text(*v, "inputs", "payload");
      const std::string digest = text(*v, "expected", "digest");
      HOOKLINE_CHECK_OK(run(manifest, digest, secrets({secret}), body));
      HOOKLINE_CHECK_OK(run(manifest, digest, secrets({"old", secret}), body));
      HOOKLINE_CHECK_FAILS(run(manifest, digest, secrets({"new"}), body),
                           VerifyFailure::bad_signature);
      HOOKLINE_CHECK_FAILS(run(manifest, digest, secrets({secret}), body + "x"),
                           VerifyFailure::bad_signature);
    }
  }
}

BOOST_AUTO_TEST_CASE(parser) {
  const std::string mac(32, '\x5a');
  const std::string hex = hc::hex_encode(mac), b64 = hc::base64_encode(mac);
  BOOST_TEST(parse_hmac_signature(hex, "", SignatureEncoding::hex, 32).value() == mac);
  BOOST_TEST(parse_hmac_signature("sha256=" + hex, "sha256=", SignatureEncoding::hex, 32).value() ==
             mac);
  BOOST_TEST(parse_hmac_signature(b64, "", SignatureEncoding::base64, 32).value() == mac);
  BOOST_TEST(!parse_hmac_signature(b64, "", SignatureEncoding::hex, 32).has_value());
  BOOST_TEST(!parse_hmac_signature(hex, "", SignatureEncoding::hex, 20).has_value());
  BOOST_TEST(!parse_hmac_signature(hex, "sha256=", SignatureEncoding::hex, 32).has_value());
  BOOST_TEST(!parse_hmac_signature("", "", SignatureEncoding::base64, 32).has_value());
  BOOST_TEST(!parse_hmac_signature("sha", "sha256=", SignatureEncoding::hex, 32).has_value());
}

BOOST_AUTO_TEST_CASE(timestamp_modes) {
  const auto good = secrets({"k"});
  HOOKLINE_CHECK_OK(run(kTsManifest, sign512("k", kTsText + "." + kBody), good, kBody, kTsText));
  HOOKLINE_CHECK_FAILS(run(kTsManifest, sign512("k", kTsText + kBody), good, kBody, kTsText),
                       VerifyFailure::bad_signature);
  const std::string concat = R"({"name": "hmac", "header": "X-Signature", "encoding": "base64",
      "algorithm": "sha512", "timestamp_header": "X-Timestamp", "signed": "timestamp+body"})";
  HOOKLINE_CHECK_OK(run(concat, sign512("k", kTsText + kBody), good, kBody, kTsText));
  // Timestamp checked but not signed.
  const std::string unsigned_ts = R"({"name": "hmac", "header": "X-Signature",
      "encoding": "base64", "algorithm": "sha512", "timestamp_header": "X-Timestamp"})";
  HOOKLINE_CHECK_OK(run(unsigned_ts, sign512("k", kBody), good, kBody, kTsText));
  HOOKLINE_CHECK_FAILS(run(unsigned_ts, sign512("k", kBody), good, kBody, kTsText, kTs + 301),
                       VerifyFailure::stale_timestamp);
}

BOOST_AUTO_TEST_CASE(failures) {
  const auto good = secrets({"k"});
  const std::string sig = sign512("k", kTsText + "." + kBody);
  HOOKLINE_CHECK_FAILS(run(kTsManifest, sign512("x", kTsText + "." + kBody), good, kBody, kTsText),
                       VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(kTsManifest, sig, good, kBody + " ", kTsText),
                       VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(kTsManifest, sig, good, kBody, kTsText, kTs + 61),
                       VerifyFailure::stale_timestamp);
  HOOKLINE_CHECK_FAILS(run(kTsManifest, sig, good, kBody, kTsText, kTs - 61),
                       VerifyFailure::future_timestamp);
  HOOKLINE_CHECK_FAILS(run(kTsManifest, std::nullopt, good, kBody, kTsText),
                       VerifyFailure::missing_header);
  HOOKLINE_CHECK_FAILS(run(kTsManifest, sig, good, kBody, std::nullopt),
                       VerifyFailure::missing_header);
  HOOKLINE_CHECK_FAILS(run(kTsManifest, "abc", good, kBody, kTsText),
                       VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(run(kTsManifest, sig, good, kBody, "soon"), VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(run(kTsManifest, sig, secrets({}), kBody, kTsText),
                       VerifyFailure::no_credentials);
}

BOOST_AUTO_TEST_CASE(secret_rotation) {
  const auto old_sig = sign512("old", kTsText + "." + kBody);
  const auto new_sig = sign512("new", kTsText + "." + kBody);
  HOOKLINE_CHECK_FAILS(run(kTsManifest, old_sig, secrets({"new"}), kBody, kTsText),
                       VerifyFailure::bad_signature);
  HOOKLINE_CHECK_OK(run(kTsManifest, old_sig, secrets({"old", "new"}), kBody, kTsText));
  HOOKLINE_CHECK_OK(run(kTsManifest, new_sig, secrets({"old", "new"}), kBody, kTsText));
}

BOOST_AUTO_TEST_CASE(config_errors) {
  for (
      const char* bad : {
          R"({"name": "hmac"})",
          R"({"name": "hmac", "header": ""})",
          R"({"name": "hmac", "header": "X", "algorithm": "md5"})",
          R"({"name": "hmac", "header": "X", "encoding": "base32"})",
          R"({"name": "hmac", "header": "X", "signed": "timestamp.body"})",
          R"({"name": "hmac", "header": "X", "signed": "body.timestamp", "timestamp_header": "T"})",
          R"({"name": "hmac", "header": "X", "tolerance_s": 30})",
          R"({"name": "hmac", "header": "X", "timestamp_header": "T", "tolerance_s": 0})",
          R"({"name": "hmac", "header": "X", "secret": "inline"})",
      }) {
    BOOST_CHECK_THROW(scheme_from_json(bad), hookline::ConfigError);
  }
}
