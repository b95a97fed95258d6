// The ingest's request logic without HTTP or Kafka: statuses, reasons, what gets published.
#define BOOST_TEST_MODULE ingest_webhook_handler
#include <boost/test/unit_test.hpp>

#include <mutex>

#include <rapidjson/document.h>

#include "core/crypto/encoding.h"
#include "core/crypto/hmac.h"
#include "ingest/webhook_handler.h"
#include "tests/support/process.h"
#include "tests/support/webhook_signer.h"

using namespace hookline;
using namespace hookline::ingest;

namespace {

constexpr std::int64_t kNow = 1763773200;  // the injected clock
const std::string kBase = "https://hooks.example.com";

class FakePublisher : public Publisher {
 public:
  PublishResult publish(const RawRecord& record) override {
    std::lock_guard l(mu);
    published.push_back(
        {record.key, std::string(record.value), record.headers, record.delivery_id});
    PublishResult r;
    r.outcome = available ? PublishResult::Outcome::acked : PublishResult::Outcome::unavailable;
    return r;
  }
  int queue_depth() const override { return 0; }
  bool healthy() const override { return available; }
  struct Copy {
    std::string key, value;
    kafka::Headers headers;
    std::string delivery_id;
  };
  std::mutex mu;
  std::vector<Copy> published;
  bool available = true;
};

struct Fixture {
  Manifests manifests = load_manifests(test::source("topology/providers"));
  Registry registry;
  FakePublisher publisher;
  metrics::Registry metrics_registry;
  IngestMetrics metrics{metrics_registry};
  WebhookHandler handler{manifests, registry,          publisher,
                         metrics,   HandlerOptions{7}, [] { return Clock::from_time_t(kNow); }};
  test::TestSecrets secrets{"s3cr3t-main", nullptr};

  Fixture() {
    std::vector<Connection> conns;
    for (const auto& [provider, m] : manifests) {
      Connection c;
      c.tenant = "acme";
      c.provider = provider;
      c.id = "main";
      c.environment = "prod";
      c.credentials.secrets = {provider == "resend" ? test::test_whsec() : "s3cr3t-main"};
      c.verify_token = "vt-123";
      conns.push_back(c);
    }
    Connection off = conns.front();
    off.provider = "stripe", off.id = "off", off.enabled = false;
    conns.push_back(off);
    registry.replace(conns);
  }

  Response post(const test::SignedRequest& sr, HeaderMap* override_headers = nullptr,
                std::string connection = "main") {
    HeaderMap h;
    for (const auto& [k, v] : sr.headers) h.add(k, v);
    Request r;
    r.method = "POST";
    r.path = sr.path;
    r.body = sr.body;
    r.headers = override_headers ? override_headers : &h;
    r.public_url = kBase + sr.path;
    std::string provider = sr.path.substr(10, sr.path.find('/', 10) - 10);
    return handler.post(r, provider, connection);
  }
  test::SignedRequest sign(const std::string& provider, const std::string& id = "1") {
    return test::sign_delivery(
        provider, "main",
        provider == "resend" ? test::TestSecrets{test::test_whsec(), nullptr} : secrets, id, kBase,
        kNow);
  }
  std::string reason(const Response& r) {
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    return d.IsObject() && d.HasMember("reason") ? d["reason"].GetString() : "";
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(handler, Fixture)

BOOST_AUTO_TEST_CASE(valid_delivery_is_published_then_answered_200) {
  auto sr = sign("stripe", "abc");
  Response r = post(sr);
  BOOST_CHECK_EQUAL(r.status, 200);
  BOOST_REQUIRE_EQUAL(publisher.published.size(), 1u);
  const auto& rec = publisher.published[0];
  BOOST_CHECK_EQUAL(rec.key, "stripe/main/evt_abc");
  BOOST_CHECK(rec.value == sr.body);
  BOOST_CHECK_EQUAL(rec.delivery_id, "evt_abc");
  auto header = [&](const std::string& name) {
    for (const auto& [k, v] : rec.headers)
      if (k == name) return v;
    return std::string("<absent>");
  };
  BOOST_CHECK_EQUAL(header("hookline-event-type"), "payment_intent.succeeded");
  BOOST_CHECK_EQUAL(header("hookline-tenant"), "acme");
  BOOST_CHECK_EQUAL(header("hookline-key-source"), "event-id");
  BOOST_CHECK_EQUAL(header("hookline-received-at"), "2025-11-22T01:00:00.000Z");
  BOOST_CHECK(header("http-stripe-signature").starts_with("t="));
  BOOST_CHECK_EQUAL(
      metrics_registry.expose().find("hookline_ingest_requests_total{provider=\"stripe\","
                                     "connection=\"main\",status=\"200\"} 1") != std::string::npos,
      true);
}

BOOST_AUTO_TEST_CASE(batch_providers_are_keyed_by_connection) {
  BOOST_CHECK_EQUAL(post(sign("whatsapp", "w1")).status, 200);
  BOOST_REQUIRE_EQUAL(publisher.published.size(), 1u);
  BOOST_CHECK_EQUAL(publisher.published[0].key, "whatsapp/main");
  BOOST_CHECK(publisher.published[0].delivery_id.starts_with("sha256:"));
}

BOOST_AUTO_TEST_CASE(every_shipped_provider_accepts_its_signed_delivery) {
  test::EcdsaKeyPair pair;
  std::vector<Connection> conns;
  for (const auto& [provider, m] : manifests) {
    auto c = *registry.find(provider, "main");
    if (provider == "sendgrid") c.credentials.public_key = pair.public_key_base64();
    conns.push_back(c);
  }
  registry.replace(conns);
  for (const auto& [provider, m] : manifests) {
    test::TestSecrets s = provider == "resend" ? test::TestSecrets{test::test_whsec(), nullptr}
                                               : test::TestSecrets{"s3cr3t-main", &pair};
    auto sr = test::sign_delivery(provider, "main", s, "p1", kBase, kNow);
    Response r = post(sr);
    BOOST_CHECK_MESSAGE(r.status == 200, provider << ": " << r.status << " " << r.body);
  }
  BOOST_CHECK_EQUAL(publisher.published.size(), manifests.size());
}

BOOST_AUTO_TEST_CASE(refusals_publish_nothing) {
  auto sr = sign("github");
  sr.body += " ";  // tampered
  Response bad = post(sr);
  BOOST_CHECK_EQUAL(bad.status, 401);
  BOOST_CHECK_EQUAL(reason(bad), "bad_signature");
  BOOST_CHECK(bad.body.find("s3cr3t") == std::string::npos);

  HeaderMap none;
  none.add("Content-Type", "application/json");
  BOOST_CHECK_EQUAL(reason(post(sign("github"), &none)), "missing_header");

  BOOST_CHECK_EQUAL(post(sign("stripe"), nullptr, "nope").status, 404);
  Response off = post(sign("stripe"), nullptr, "off");
  BOOST_CHECK_EQUAL(off.status, 404);
  BOOST_CHECK_EQUAL(reason(off), "connection_disabled");

  auto big = sign("example-generic");
  big.body.assign(manifests.at("example-generic").body_limit + 1, 'x');
  BOOST_CHECK_EQUAL(post(big).status, 413);

  Request r;
  HeaderMap h;
  r.headers = &h;
  BOOST_CHECK_EQUAL(reason(handler.post(r, "unknownprovider", "main")), "unknown_provider");
  BOOST_CHECK(publisher.published.empty());
  BOOST_CHECK(metrics_registry.expose().find("hookline_ingest_verification_failures_total{provider="
                                             "\"github\",reason=\"bad_signature\"} 1") !=
              std::string::npos);
}

BOOST_AUTO_TEST_CASE(kafka_unavailable_is_503_with_retry_after) {
  publisher.available = false;
  Response r = post(sign("stripe"));
  BOOST_CHECK_EQUAL(r.status, 503);
  BOOST_CHECK_EQUAL(reason(r), "kafka_unavailable");
  BOOST_REQUIRE_EQUAL(r.headers.size(), 1u);
  BOOST_CHECK_EQUAL(r.headers[0].first, "Retry-After");
  BOOST_CHECK_EQUAL(r.headers[0].second, "7");
}

BOOST_AUTO_TEST_CASE(registry_not_loaded_is_503) {
  Registry empty;
  WebhookHandler h(manifests, empty, publisher, metrics, HandlerOptions{5});
  HeaderMap hm;
  Request r;
  r.headers = &hm;
  Response res = h.post(r, "stripe", "main");
  BOOST_CHECK_EQUAL(res.status, 503);
}

BOOST_AUTO_TEST_CASE(default_connection_when_the_url_names_none) {
  auto sr = sign("stripe");
  Response r = post(sr, nullptr, "");
  // Two stripe connections (main, off) and none named "default": no default.
  BOOST_CHECK_EQUAL(r.status, 404);
  Response g = post(sign("github"), nullptr, "");  // github has only "main"
  BOOST_CHECK_EQUAL(g.status, 200);
}

BOOST_AUTO_TEST_CASE(slack_url_verification_is_answered_not_published) {
  test::TestSecrets s{"s3cr3t-main", nullptr};
  auto sr = test::sign_delivery("slack", "main", s, "x", kBase, kNow);
  sr.body =
      R"({"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})";
  for (auto& [k, v] : sr.headers) {
    if (k == "X-Slack-Signature") {
      v = "v0=" + crypto::hex_encode(crypto::hmac(crypto::HashAlgorithm::sha256, "s3cr3t-main",
                                                  "v0:" + std::to_string(kNow) + ":" + sr.body));
    }
  }
  Response r = post(sr);
  BOOST_CHECK_EQUAL(r.status, 200);
  BOOST_CHECK(r.body.find("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P") !=
              std::string::npos);
  BOOST_CHECK(publisher.published.empty());
}

BOOST_AUTO_TEST_CASE(meta_subscription_handshake) {
  std::multimap<std::string, std::string> q{
      {"hub.mode", "subscribe"}, {"hub.verify_token", "vt-123"}, {"hub.challenge", "1158201444"}};
  Response ok = handler.get("whatsapp", "main", q);
  BOOST_CHECK_EQUAL(ok.status, 200);
  BOOST_CHECK_EQUAL(ok.body, "1158201444");
  q.find("hub.verify_token")->second = "wrong";
  BOOST_CHECK_EQUAL(handler.get("whatsapp", "main", q).status, 403);
  q.erase("hub.challenge");
  BOOST_CHECK_EQUAL(handler.get("whatsapp", "main", q).status, 400);
  BOOST_CHECK_EQUAL(handler.get("stripe", "main", q).status, 405);
  BOOST_CHECK_EQUAL(handler.get("whatsapp", "nope", q).status, 404);
}

BOOST_AUTO_TEST_SUITE_END()
