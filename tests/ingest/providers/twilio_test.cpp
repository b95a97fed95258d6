// X-Twilio-Signature. Vectors, read from tests/fixtures/signature_vectors.json (sources there),
// all published in twilio/twilio-php tests:
//  - twilio-form-params (tests/Twilio/Unit/RequestValidatorTest.php testValidate; the same
//    example was in Twilio's request-validation docs),
//  - twilio-repeated-param (testValidateWithArrayAndDuplicates),
//  - twilio-json-body-sha256 (testValidateBody, testValidateWithBody),
//  - twilio-port-443 (testValidateAddsPortHttps), twilio-port-80-http (testValidateAddsPortHttp),
//  - twilio-userinfo (testBuildUrlCreds),
//  - twilio-legacy-voice-callback (tests/RequestValidatorTest.php testRequestValidation).
// Each vector's request is sent as Twilio sends it: params as a form body, or the JSON body
// with bodySHA256 in the URL; "requestUrl", where given, is the URL the request arrived on.
#define BOOST_TEST_MODULE ingest_providers_twilio
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <optional>

#include "core/crypto/hmac.h"
#include "ingest/providers/twilio.h"
#include "tests/ingest/providers/vectors.h"

using namespace hookline::ingest;
using namespace hookline::ingest::test;
namespace hc = hookline::crypto;

namespace {

const std::string kUrl = "https://hooks.example.com/webhooks/twilio/main?tenant=7";
const std::string kForm = "MessageSid=SM1&Body=Hello+world%21&From=%2B14155550100";
const std::string kSigned = kUrl + "BodyHello world!From+14155550100MessageSidSM1";

std::string form_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string form_body(const rapidjson::Value& params) {
  std::string out;
  for (auto it = params.MemberBegin(); it != params.MemberEnd(); ++it) {
    const std::string name = form_encode(it->name.GetString());
    auto add = [&](const rapidjson::Value& value) {
      out.append(out.empty() ? "" : "&")
          .append(name)
          .append("=")
          .append(form_encode(value.GetString()));
    };
    if (it->value.IsArray()) {
      for (const auto& value : it->value.GetArray()) add(value);
    } else {
      add(it->value);
    }
  }
  return out;
}

std::string sign(std::string_view token, std::string_view data = kSigned) {
  return hc::base64_encode(hc::hmac(hc::HashAlgorithm::sha1, token, data));
}

VerifyResult run(std::optional<std::string> signature, const Credentials& c,
                 std::string body = kForm, std::string url = kUrl,
                 std::string content_type = "application/x-www-form-urlencoded") {
  FakeRequest req;
  req.body = std::move(body);
  req.url = std::move(url);
  if (!content_type.empty()) req.with("Content-Type", content_type);
  if (signature) req.with("X-Twilio-Signature", *signature);
  return scheme_from_json(R"({"name": "twilio"})")->verify(req.request(), c, at(0));
}

}  // namespace

BOOST_AUTO_TEST_CASE(published_vectors_pass) {
  const auto list = vectors_where("scheme", "twilio");
  BOOST_TEST(list.size() == 7u);
  for (const auto* v : list) {
    BOOST_TEST_CONTEXT(text(*v, "id")) {
      const std::string token = text(*v, "inputs", "secret");
      const std::string url = has(*v, "inputs", "requestUrl") ? text(*v, "inputs", "requestUrl")
                                                              : text(*v, "inputs", "url");
      const bool json = has(*v, "inputs", "body");
      const std::string body =
          json ? text(*v, "inputs", "body") : form_body((*v)["inputs"]["params"]);
      const std::string type = json ? "application/json" : "application/x-www-form-urlencoded";
      const std::string signature = text(*v, "expected", "value");
      HOOKLINE_CHECK_OK(run(signature, secrets({token}), body, url, type));
      HOOKLINE_CHECK_OK(run(signature, secrets({"rotated", token}), body, url, type));
      HOOKLINE_CHECK_FAILS(run(signature, secrets({token + "0"}), body, url, type),
                           VerifyFailure::bad_signature);
      HOOKLINE_CHECK_FAILS(
          run(signature, secrets({token}), body + (json ? " " : "&x=1"), url, type),
          VerifyFailure::bad_signature);
    }
  }
}

BOOST_AUTO_TEST_CASE(url_variants) {
  using V = std::vector<std::string>;
  BOOST_TEST(twilio_url_variants("https://a.com/x?y=1") ==
             (V{"https://a.com/x?y=1", "https://a.com:443/x?y=1"}));
  BOOST_TEST(twilio_url_variants("https://a.com:443/x") ==
             (V{"https://a.com:443/x", "https://a.com/x"}));
  BOOST_TEST(twilio_url_variants("HTTP://u:p@a.com:80?q") ==
             (V{"HTTP://u:p@a.com:80?q", "HTTP://u:p@a.com?q"}));
  BOOST_TEST(twilio_url_variants("http://u:p@a.com") ==
             (V{"http://u:p@a.com", "http://u:p@a.com:80"}));
  BOOST_TEST(twilio_url_variants("https://[::1]/x") ==
             (V{"https://[::1]/x", "https://[::1]:443/x"}));
  BOOST_TEST(twilio_url_variants("https://[::1]:443/x") ==
             (V{"https://[::1]:443/x", "https://[::1]/x"}));
  BOOST_TEST(twilio_url_variants("https://a.com:8443/x") == (V{"https://a.com:8443/x"}));
  BOOST_TEST(twilio_url_variants("ftp://a.com/x") == (V{"ftp://a.com/x"}));
  BOOST_TEST(twilio_url_variants("not a url") == (V{"not a url"}));
}

BOOST_AUTO_TEST_CASE(params_suffix_sorts_and_deduplicates) {
  const FormFields params{{"b", "2"}, {"a", "z"}, {"a", "y"}, {"a", "z"}, {"c", ""}};
  BOOST_TEST(twilio_params_suffix(params) == "ayazb2c");
  BOOST_TEST(twilio_body_sha256("https://a/x?foo=1&bodySHA256=ab12#frag").value() == "ab12");
  BOOST_TEST(!twilio_body_sha256("https://a/x?foo=1").has_value());
  BOOST_TEST(!twilio_body_sha256("https://a/bodySHA256=1").has_value());
}

BOOST_AUTO_TEST_CASE(failures) {
  const auto good = secrets({"token"});
  HOOKLINE_CHECK_OK(run(sign("token"), good));
  HOOKLINE_CHECK_OK(run(sign("token"), good, kForm, kUrl, ""));  // no Content-Type: a form
  HOOKLINE_CHECK_FAILS(run(sign("wrong"), good), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(sign("token"), good, kForm + "&Extra=1"), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(sign("token"), good, kForm, kUrl + "&other=2"),
                       VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(std::nullopt, good), VerifyFailure::missing_header);
  HOOKLINE_CHECK_FAILS(run("not base64", good), VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(run(hc::base64_encode(std::string(32, 'x')), good),
                       VerifyFailure::malformed_header);
  HOOKLINE_CHECK_FAILS(run(sign("token"), secrets({})), VerifyFailure::no_credentials);
  // A body the signature does not cover is refused: not a form, no bodySHA256.
  HOOKLINE_CHECK_FAILS(run(sign("token", kUrl), good, "{}", kUrl, "application/json"),
                       VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(sign("token"), good, "Body=%zz", kUrl), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_FAILS(run(sign("token"), good, kForm, ""), VerifyFailure::bad_signature);
  // JSON body whose hash is not the one in the URL.
  const std::string json_url = kUrl + "&bodySHA256=" + std::string(64, '0');
  HOOKLINE_CHECK_FAILS(run(sign("token", json_url), good, "{}", json_url, "application/json"),
                       VerifyFailure::bad_signature);
}

BOOST_AUTO_TEST_CASE(secret_rotation) {
  HOOKLINE_CHECK_FAILS(run(sign("old"), secrets({"new"})), VerifyFailure::bad_signature);
  HOOKLINE_CHECK_OK(run(sign("old"), secrets({"old", "new"})));
  HOOKLINE_CHECK_OK(run(sign("new"), secrets({"old", "new"})));
}
