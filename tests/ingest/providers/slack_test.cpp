// Slack v0 signatures. Vectors, read from tests/fixtures/signature_vectors.json (sources there):
//  - slack-docs-slash-command: published, the worked example of Slack's "Verifying requests
//    from Slack" docs, pinned by slackapi/python-slack-sdk
//    tests/slack_sdk/signature/test_signature_verifier.py.
#define BOOST_TEST_MODULE ingest_providers_slack
#include <boost/test/unit_test.hpp>

#include <optional>

#include "core/crypto/hmac.h"
#include "ingest/providers/slack.h"
#include "tests/ingest/providers/vectors.h"

using namespace hookline::ingest;
using namespace hookline::ingest::test;
namespace hc = hookline::crypto;

namespace {

constexpr std::int64_t kTs = 1531420618;
const std::string kBody = "token=abc&command=%2Fhook&text=hello";

std::string sign(std::string_view secret, std::int64_t ts = kTs, std::string_view body = kBody) {
  const std::string base = "v0:" + std::to_string(ts) + ":" + std::string(body);
  return "v0=" + hc::hex_encode(hc::hmac(hc::HashAlgorithm::sha256, secret, base));
}

FakeRequest request(std::optional<std::string> signature, std::optional<std::string> ts,
                    std::string body = kBody) {
  FakeRequest req;
  req.body = std::move(body);
  if (signature) req.with("X-Slack-Signature", *signature);
  if (ts) req.with("X-Slack-Request-Timestamp", *ts);
  return req;
}

VerifyResult run(const FakeRequest& req, const Credentials& c, std::int64_t now = kTs) {
  return scheme_from_json(R"({"name": "slack"})")->verify(req.request(), c, at(now));
}

const std::string kTsText = std::to_string(kTs);

}  // namespace

BOOST_AUTO_TEST_CASE(published_vectors_pass) {
  const auto list = vectors_where("provider", "slack");
  BOOST_REQUIRE_EQUAL(list.size(), 1u);
  for (const auto* v : list) {
    BOOST_TEST_CONTEXT(text(*v, "id")) {
      const std::string ts = text(*v, "inputs", "timestamp");
      auto req = request(text(*v, "expected", "value"), ts, text(*v, "inputs", "payload"));
      req.with("Content-Type", "application/x-www-form-urlencoded");
      const auto now = std::stoll(ts);
      HOOKLINE_CHECK_OK(run(req, secrets({text(*v, "inputs", "secret")}), now));
      HOOKLINE_CHECK_OK(run(req, secrets({"rotated-out", text(*v, "inputs", "secret")}), now));
      HOOKLINE_CHECK_FAILS(run(req, secrets({"8f742231b10e8888abcd99yyyzzz85a6"}), now),
                           VerifyFailure::bad_signature);
    }
  }
}

BOOST_AUTO_TEST_CASE(parser) {
  const std::string hex(64, 'A');
  BOOST_TEST(parse_slack_signature("v0=" + hex).value() == unhex(hex));
  for (const std::string& bad :
       std::vector<std::string>{std::string(), "v0=", "v1=" + hex, hex, "v0=" + hex + "a",
                                "v0=" + hex.substr(2), "v0= " + hex.substr(1), "v0:" + hex}) {
    BOOST_TEST(!parse_slack_signature(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(failures) {
  const auto good = secrets({"signing"});
  HOOKLINE_CHECK_OK(run(request(sign("signing"), kTsText), good));
  HOOKLINE_CHECK_FAILS(run(request(sign("wrong"), kTsText), good), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(request(sign("signing"), kTsText, kBody + "&x=1"), good),
                       VerifyFailure::bad_signature);
  // The timestamp is signed: changing it breaks the signature even inside the window.
  HOOKLINE_CHECK_FAILS(run(request(sign("signing"), std::to_string(kTs + 1)), good),
                       VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(request(sign("signing"), kTsText), good, kTs + 301),
                       VerifyFailure::stale_timestamp);
  HOOKLINE_CHECK_FAILS(run(request(sign("signing"), kTsText), good, kTs - 301),
                       VerifyFailure::future_timestamp);
  HOOKLINE_CHECK_FAILS(run(request(std::nullopt, kTsText), good), VerifyFailure::missing_header);
  HOOKLINE_CHECK_FAILS(run(request(sign("signing"), std::nullopt), good),
                       VerifyFailure::missing_header);
  HOOKLINE_CHECK_FAILS(run(request("v0=xyz", kTsText), good), VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(run(request(sign("signing"), "1531420618.5"), good),
                       VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(run(request(sign("signing"), "-1"), good), VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(run(request(sign("signing"), kTsText), secrets({})),
                       VerifyFailure::no_credentials);
}

BOOST_AUTO_TEST_CASE(secret_rotation) {
  HOOKLINE_CHECK_FAILS(run(request(sign("old"), kTsText), secrets({"new"})),
                       VerifyFailure::bad_signature);
  HOOKLINE_CHECK_OK(run(request(sign("old"), kTsText), secrets({"old", "new"})));
  HOOKLINE_CHECK_OK(run(request(sign("new"), kTsText), secrets({"old", "new"})));
}
