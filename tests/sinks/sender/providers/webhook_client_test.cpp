// Outgoing Standard Webhooks: the signer reproduces the published vector
// (tests/fixtures/signature_vectors.json, "standard-webhooks-sign": standard-webhooks'
// webhook.test.ts "sign function works" and svix's test_sign_function), every built call passes
// the ingest's own standard-webhooks verifier, and answers map to sent / retryable / permanent
// / gone.
#define BOOST_TEST_MODULE sender_webhook_client
#include <boost/test/unit_test.hpp>

#include "core/crypto/encoding.h"
#include "core/json_reader.h"
#include "ingest/providers/standard_webhooks.h"
#include "sinks/sender/providers/webhook_client.h"
#include "tests/sinks/sender/providers/client_testing.h"

using namespace hookline;
using namespace hookline::sender;
using namespace hookline::sender::test;

namespace {

const std::string kSecret = "whsec_" + crypto::base64_encode("a 32-byte webhook signing secret");

const rapidjson::Value& published_vector(const rapidjson::Document& doc) {
  for (const auto& v : doc["vectors"].GetArray()) {
    if (std::string(v["id"].GetString()) == "standard-webhooks-sign") return v;
  }
  BOOST_FAIL("no standard-webhooks-sign vector");
  return doc;
}

SendConnection connection() {
  SendConnection c;
  c.key = "webhook/orders";
  c.provider = "webhook";
  c.base_url = "https://hooks.tenant.example";
  c.credential = kSecret;
  c.path = "/hooks/orders";
  return c;
}

SendRequest event() {
  SendRequest r = request_on(Channel::webhook, "webhook/orders", "");
  r.content.event_type = "order.shipped";
  r.content.payload_json = R"({"order_id":"o_42","total":{"amount":1999,"currency":"EUR"}})";
  return r;
}

HttpCall build(const SendRequest& r, const SendConnection& c = connection(),
               std::chrono::system_clock::time_point now = kNow) {
  auto call = make_webhook_client()->build(r, c, 1, now);
  BOOST_REQUIRE_MESSAGE(call.ok(), why(call));
  return call.value();
}

Error refused(const SendRequest& r, const SendConnection& c = connection()) {
  auto call = make_webhook_client()->build(r, c, 1, kNow);
  BOOST_REQUIRE(!call.ok());
  BOOST_TEST(call.error().kind == ErrorKind::permanent);
  return call.error();
}

SendResult read(const HttpAnswer& a) {
  return make_webhook_client()->interpret(a);
}

// The ingest's verifier, as a receiver runs it.
ingest::VerifyResult verify(const HttpCall& call, const std::string& secret,
                            std::chrono::system_clock::time_point now) {
  const auto doc = parse_json_text(R"({"name": "standard-webhooks"})", "test.json");
  ObjectReader reader(doc, "test.json", "scheme");
  const auto scheme = ingest::make_standard_webhooks_scheme(reader);
  ingest::HeaderMap headers;
  for (const auto& [k, v] : call.headers) headers.add(k, v);
  ingest::Request req;
  req.method = call.method;
  req.path = call.path;
  req.body = call.body;
  req.headers = &headers;
  ingest::Credentials credentials;
  credentials.secrets = {secret};
  return scheme->verify(req, credentials, now);
}

}  // namespace

BOOST_AUTO_TEST_CASE(signer_reproduces_the_published_vector) {
  const auto doc =
      parse_json_file(std::string(HOOKLINE_SOURCE_DIR) + "/tests/fixtures/signature_vectors.json");
  const auto& v = published_vector(doc);
  const auto& in = v["inputs"];
  const auto key = webhook_signing_key(in["secret"].GetString());
  BOOST_REQUIRE(key);
  BOOST_TEST(standard_webhooks_signature(*key, in["id"].GetString(), in["timestamp"].GetString(),
                                         in["payload"].GetString()) ==
             std::string(v["expected"]["value"].GetString()));
  BOOST_TEST(std::string(v["expected"]["value"].GetString()) ==
             "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

BOOST_AUTO_TEST_CASE(signing_keys) {
  BOOST_TEST(webhook_signing_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").has_value());
  BOOST_TEST(webhook_signing_key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").has_value());  // no prefix
  BOOST_TEST(!webhook_signing_key("whsec_").has_value());
  BOOST_TEST(!webhook_signing_key("whsec_not base64!").has_value());
  BOOST_TEST(!webhook_signing_key("").has_value());
}

BOOST_AUTO_TEST_CASE(call_follows_standard_webhooks) {
  const auto r = event();
  const auto call = build(r);
  BOOST_TEST(call.path == "/hooks/orders");
  check_common_headers(call, r, "application/json");
  BOOST_TEST(header(call, "webhook-id").value_or("") == r.id);
  BOOST_TEST(header(call, "webhook-timestamp").value_or("") == "1614265330");
  BOOST_TEST(header(call, "webhook-signature").value_or("").starts_with("v1,"));
  BOOST_TEST(!header(call, "authorization"));

  const auto body = json_of(call.body);
  BOOST_TEST(keys(body) == (std::vector<std::string>{"type", "timestamp", "data"}));
  BOOST_TEST(str(body["type"]) == "order.shipped");
  BOOST_TEST(str(body["timestamp"]) == "2021-02-25T15:02:10.000Z");
  BOOST_TEST(str(body["data"]["order_id"]) == "o_42");
  // The payload goes byte for byte.
  BOOST_TEST(call.body.find(r.content.payload_json) != std::string::npos);

  // The signature over id.timestamp.body.
  const auto key = webhook_signing_key(kSecret);
  BOOST_TEST(header(call, "webhook-signature").value() ==
             standard_webhooks_signature(*key, r.id, "1614265330", call.body));
}

BOOST_AUTO_TEST_CASE(the_ingest_verifier_accepts_what_we_send) {
  const auto call = build(event());
  const auto ok = verify(call, kSecret, kNow);
  BOOST_CHECK_MESSAGE(ok.ok, ok.detail);
  // And refuses it under another secret or with the body changed.
  BOOST_TEST(!verify(call, "whsec_" + crypto::base64_encode("another secret"), kNow).ok);
  auto tampered = call;
  tampered.body.back() = ' ';
  BOOST_TEST(!verify(tampered, kSecret, kNow).ok);
}

BOOST_AUTO_TEST_CASE(each_attempt_is_signed_at_its_own_time_with_the_same_id) {
  const auto first = build(event(), connection(), kNow);
  const auto later = build(event(), connection(), kNow + std::chrono::minutes(10));
  BOOST_TEST(header(first, "webhook-id").value_or("a") ==
             header(later, "webhook-id").value_or("b"));
  BOOST_TEST(header(later, "webhook-timestamp").value_or("") == "1614265930");
  BOOST_TEST(verify(later, kSecret, kNow + std::chrono::minutes(10)).ok);
}

BOOST_AUTO_TEST_CASE(an_empty_payload_is_an_empty_object) {
  auto r = event();
  r.content.payload_json.clear();
  BOOST_TEST(json_of(build(r).body)["data"].ObjectEmpty());
}

BOOST_AUTO_TEST_CASE(requests_it_cannot_send_are_refused) {
  auto r = event();
  r.channel = Channel::email;
  refused(r);
  r = event();
  r.content.event_type.clear();
  refused(r);
  r = event();
  r.content.payload_json = "[1,2]";
  BOOST_TEST(refused(r).message.find("payload_json") != std::string::npos);
  r.content.payload_json = R"({"a":)";
  refused(r);
  auto c = connection();
  c.credential = "not-a-secret!";
  const auto e = refused(event(), c);
  BOOST_TEST(e.message.find("not-a-secret") == std::string::npos);  // secrets never in errors
  c = connection();
  c.path = "hooks";  // not absolute
  refused(event(), c);
}

BOOST_AUTO_TEST_CASE(answers) {
  auto s = read(answer(204));
  BOOST_TEST(s.outcome == Outcome::sent);
  s = read(answer(200, "thanks, contact ada@example.org"));
  BOOST_TEST(s.outcome == Outcome::sent);
  BOOST_TEST(s.excerpt.empty());

  s = read(answer(410, "gone"));
  BOOST_TEST(s.outcome == Outcome::gone);
  BOOST_TEST(s.error_class == "gone");
  BOOST_TEST(to_string(s.outcome) == std::string("gone"));

  for (const int status : {429, 502, 503, 504}) {
    BOOST_TEST_CONTEXT(status) {
      s = read(answer(status, "", {kDate, {"retry-after", "Thu, 25 Feb 2021 15:03:10 GMT"}}));
      BOOST_TEST(s.outcome == Outcome::retryable);
      BOOST_TEST(s.throttled);
      BOOST_REQUIRE(s.retry_after);
      BOOST_TEST(s.retry_after->count() == 60000);
    }
  }
  for (const int status : {500, 501, 408}) {
    BOOST_TEST_CONTEXT(status) {
      s = read(answer(status));
      BOOST_TEST(s.outcome == Outcome::retryable);
      BOOST_TEST(!s.throttled);
      BOOST_TEST(s.error_class == "http-" + std::to_string(status));
    }
  }
  BOOST_TEST(read(answer(500)).server_failure);
  BOOST_TEST(read(answer(503)).server_failure);
  for (const int status : {400, 401, 403, 404, 413, 422, 301}) {
    BOOST_TEST_CONTEXT(status) {
      s = read(answer(status, R"({"error":"bad signature for ada@example.org"})"));
      BOOST_TEST(s.outcome == Outcome::permanent);
      BOOST_TEST(s.excerpt.empty());  // the receiver's body is never kept
    }
  }
  s = read(transport_failure("timeout"));
  BOOST_TEST(s.outcome == Outcome::retryable);
  BOOST_TEST(s.server_failure);
  BOOST_TEST(s.error_class == "timeout");
}
