// hookline-ingest end to end: the real binary, the dev broker, Postgres, connections added
// through the CLI, deliveries signed as each provider signs them, webhooks.raw read back.
#define BOOST_TEST_MODULE ingest_integration
#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <map>
#include <set>

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include "core/files.h"
#include "core/json_reader.h"
#include "tests/support/ingest_stack.h"
#include "tests/support/topic_reader.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

httplib::Result send(httplib::Client& c, const test::SignedRequest& r) {
  httplib::Headers h;
  std::string content_type = "application/json";
  for (const auto& [k, v] : r.headers) {
    if (k == "Content-Type")
      content_type = v;
    else
      h.emplace(k, v);
  }
  return c.Post(r.path.c_str(), h, r.body, content_type.c_str());
}

std::vector<std::string> providers() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(test::source("topology/providers"))) {
    out.push_back(e.path().stem().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Validates a record's headers (as an object) against schemas/webhooks.raw.headers.v1.
bool headers_match_schema(const test::ReadRecord& rec, std::string& why) {
  static const auto schema_doc =
      parse_json_file(test::source("schemas/webhooks.raw.headers.v1.schema.json"));
  static const rapidjson::SchemaDocument schema(schema_doc);
  rapidjson::Document obj(rapidjson::kObjectType);
  for (const auto& [k, v] : rec.headers) {
    obj.AddMember(rapidjson::Value(k.c_str(), obj.GetAllocator()),
                  rapidjson::Value(v.c_str(), obj.GetAllocator()), obj.GetAllocator());
  }
  for (const auto& [k, v] : rec.headers) {
    if (!k.starts_with("hookline-") && !k.starts_with("http-")) {
      why = "header " + k + " is neither hookline-* nor http-*";
      return false;
    }
  }
  rapidjson::SchemaValidator validator(schema);
  if (obj.Accept(validator)) return true;
  rapidjson::StringBuffer sb;
  validator.GetInvalidSchemaPointer().StringifyUriFragment(sb);
  why = std::string(sb.GetString()) + " " + validator.GetInvalidSchemaKeyword() + " in";
  for (const auto& [k, v] : rec.headers) why += " " + k + "=" + v;
  return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_manifest_published_once_with_headers_and_exact_bytes) {
  test::IngestStack stack;
  stack.register_all();
  stack.start_ingest();
  httplib::Client c(stack.base_url());

  std::map<std::string, test::SignedRequest> sent;  // provider -> request
  for (const auto& provider : providers()) {
    auto sr = test::sign_delivery(provider, "main", stack.secrets_for(provider), "it-" + provider,
                                  stack.base_url(), unix_now());
    auto res = send(c, sr);
    BOOST_REQUIRE_MESSAGE(res, provider << ": no answer");
    BOOST_CHECK_MESSAGE(res->status == 200, provider << ": " << res->status << " " << res->body);
    sent.emplace(provider, sr);
  }

  // Refused deliveries publish nothing.
  auto forged = test::sign_delivery("stripe", "main", {"wrong-secret", nullptr}, "forged",
                                    stack.base_url(), unix_now());
  BOOST_CHECK_EQUAL(send(c, forged)->status, 401);
  auto stale = test::sign_delivery("slack", "main", stack.secrets_for("slack"), "stale",
                                   stack.base_url(), unix_now() - 3600);
  BOOST_CHECK_EQUAL(send(c, stale)->status, 401);
  auto unknown = test::sign_delivery("github", "nope", stack.secrets_for("github"), "x",
                                     stack.base_url(), unix_now());
  BOOST_CHECK_EQUAL(send(c, unknown)->status, 404);
  BOOST_CHECK_EQUAL(c.Post("/webhooks/nosuchprovider/main", "{}", "application/json")->status, 404);
  auto big = test::sign_delivery("example-generic", "main", stack.secrets_for("example-generic"),
                                 "big", stack.base_url(), unix_now());
  big.body.assign(300000, 'x');
  BOOST_CHECK_EQUAL(send(c, big)->status, 413);
  BOOST_CHECK_EQUAL(c.Put("/webhooks/stripe/main", "{}", "application/json")->status, 405);

  auto records = test::read_topic(stack.broker().bootstrap(), "webhooks.raw");
  BOOST_CHECK_EQUAL(records.size(), sent.size());
  std::set<std::string> seen;
  for (const auto& rec : records) {
    const std::string provider = rec.header("hookline-provider");
    BOOST_CHECK_MESSAGE(seen.insert(provider).second, provider << " published twice");
    auto it = sent.find(provider);
    BOOST_REQUIRE_MESSAGE(it != sent.end(), "unexpected record from " << provider);
    BOOST_CHECK_MESSAGE(rec.value == it->second.body, provider << ": body bytes differ");
    BOOST_CHECK_EQUAL(rec.header("hookline-connection"), "main");
    BOOST_CHECK_EQUAL(rec.header("hookline-tenant"), "acme");
    BOOST_CHECK_EQUAL(rec.header("hookline-environment"), "dev");
    std::string why;
    BOOST_CHECK_MESSAGE(headers_match_schema(rec, why), provider << ": headers: " << why);
    BOOST_REQUIRE(rec.key);
    BOOST_CHECK(rec.key->starts_with(provider + "/main"));
  }
  BOOST_CHECK_EQUAL(records.size(), providers().size());

  // GitHub's delivery id and event type travel in headers; the signature header is kept.
  for (const auto& rec : records) {
    if (rec.header("hookline-provider") != "github") continue;
    BOOST_CHECK_EQUAL(rec.header("hookline-delivery-id"), "d-it-github");
    BOOST_CHECK_EQUAL(rec.header("hookline-event-type"), "push");
    BOOST_CHECK(rec.header("http-x-hub-signature-256").starts_with("sha256="));
    BOOST_CHECK_EQUAL(*rec.key, "github/main/d-it-github");
  }

  // Metrics count what happened, with bounded labels.
  auto metrics = c.Get("/metrics");
  BOOST_REQUIRE(metrics && metrics->status == 200);
  BOOST_CHECK(
      metrics->body.find(
          R"(hookline_ingest_requests_total{provider="stripe",connection="main",status="401"} 1)") !=
      std::string::npos);
  BOOST_CHECK(
      metrics->body.find(
          R"(hookline_ingest_verification_failures_total{provider="slack",reason="stale_timestamp"} 1)") !=
      std::string::npos);

  // Graceful stop on SIGTERM.
  stack.ingest().signal(SIGTERM);
  auto code = stack.ingest().wait(30s);
  BOOST_REQUIRE(code.has_value());
  BOOST_CHECK_EQUAL(*code, 0);
}

BOOST_AUTO_TEST_CASE(kafka_down_means_503_and_nothing_unacknowledged_is_published) {
  test::IngestStack stack(R"({"ack_timeout_ms": 1500, "retry_after_s": 3})");
  stack.add_connection("stripe", "main", stack.secrets_for("stripe").secret);
  stack.start_ingest();
  httplib::Client c(stack.base_url());
  c.set_read_timeout(30, 0);

  auto before = test::sign_delivery("stripe", "main", stack.secrets_for("stripe"), "before",
                                    stack.base_url(), unix_now());
  BOOST_REQUIRE_EQUAL(send(c, before)->status, 200);

  BOOST_REQUIRE(stack.broker().control("all", "down"));
  std::set<std::string> refused;
  for (int i = 0; i < 3; ++i) {
    auto sr = test::sign_delivery("stripe", "main", stack.secrets_for("stripe"),
                                  "down-" + std::to_string(i), stack.base_url(), unix_now());
    auto res = send(c, sr);
    BOOST_REQUIRE(res);
    BOOST_CHECK_EQUAL(res->status, 503);
    BOOST_CHECK_EQUAL(res->get_header_value("Retry-After"), "3");
    refused.insert("evt_down-" + std::to_string(i));
  }
  auto ready = c.Get("/readyz");
  BOOST_CHECK(ready && ready->status == 503);

  BOOST_REQUIRE(stack.broker().control("all", "up"));
  // The node recovers by itself: the same kind of delivery is accepted again.
  int accepted_status = 0;
  BOOST_REQUIRE(test::eventually(
      [&] {
        auto sr = test::sign_delivery("stripe", "main", stack.secrets_for("stripe"), "after",
                                      stack.base_url(), unix_now());
        auto res = send(c, sr);
        accepted_status = res ? res->status : 0;
        return accepted_status == 200;
      },
      60s, 200ms));

  auto records = test::read_topic(stack.broker().bootstrap(), "webhooks.raw");
  std::map<std::string, int> count;
  for (const auto& r : records) ++count[r.header("hookline-delivery-id")];
  BOOST_CHECK_EQUAL(count["evt_before"], 1);
  BOOST_CHECK_EQUAL(count["evt_after"], 1);
  for (const auto& id : refused) {
    BOOST_CHECK_MESSAGE(count[id] == 0, id << " was answered 503 but published");
  }
}

BOOST_AUTO_TEST_CASE(registry_changes_are_followed_without_restart) {
  test::IngestStack stack;
  stack.add_connection("shopify", "main", stack.secrets_for("shopify").secret);
  stack.start_ingest();
  httplib::Client c(stack.base_url());
  auto to_new = test::sign_delivery("shopify", "late", stack.secrets_for("shopify"), "l1",
                                    stack.base_url(), unix_now());
  BOOST_CHECK_EQUAL(send(c, to_new)->status, 404);
  stack.add_connection("shopify", "late", stack.secrets_for("shopify").secret);
  BOOST_CHECK(test::eventually([&] { return send(c, to_new)->status == 200; }));

  // Rotation: the new secret is accepted at once, the old one still (second secret).
  auto rot = stack.cli({"connections", "rotate", "--provider", "shopify", "--id", "late",
                        "--secret", "rotated-secret"});
  BOOST_REQUIRE_MESSAGE(rot.exit_code == 0, rot.err);
  auto with_new = test::sign_delivery("shopify", "late", {"rotated-secret", nullptr}, "l2",
                                      stack.base_url(), unix_now());
  BOOST_CHECK(test::eventually([&] { return send(c, with_new)->status == 200; }));
  auto with_old = test::sign_delivery("shopify", "late", stack.secrets_for("shopify"), "l3",
                                      stack.base_url(), unix_now());
  BOOST_CHECK_EQUAL(send(c, with_old)->status, 200);

  auto dis = stack.cli({"connections", "disable", "--provider", "shopify", "--id", "late"});
  BOOST_REQUIRE_MESSAGE(dis.exit_code == 0, dis.err);
  BOOST_CHECK(test::eventually([&] { return send(c, with_new)->status == 404; }));
}

BOOST_AUTO_TEST_CASE(meta_handshake_over_http) {
  test::IngestStack stack;
  stack.add_connection("whatsapp", "main", stack.secrets_for("whatsapp").secret);
  stack.start_ingest();
  httplib::Client c(stack.base_url());
  auto ok = c.Get(
      "/webhooks/whatsapp/main?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42");
  BOOST_REQUIRE(ok);
  BOOST_CHECK_EQUAL(ok->status, 200);
  BOOST_CHECK_EQUAL(ok->body, "42");
  auto bad =
      c.Get("/webhooks/whatsapp/main?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=42");
  BOOST_CHECK_EQUAL(bad->status, 403);
  BOOST_CHECK(bad->body.find("42") == std::string::npos);
  BOOST_CHECK_EQUAL(c.Get("/webhooks/whatsapp/main?hub.mode=subscribe")->status, 400);
}

BOOST_AUTO_TEST_CASE(serves_https_when_given_a_certificate) {
  test::TempDir dir;
  const std::string key = dir.file("key.pem"), cert = dir.file("cert.pem");
  auto gen =
      test::run("/usr/bin/openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                                     key, "-out", cert, "-days", "1", "-subj", "/CN=localhost"});
  BOOST_REQUIRE_MESSAGE(gen.exit_code == 0, gen.err);
  test::IngestStack stack(R"({"tls_cert_file": ")" + cert + R"(", "tls_key_file": ")" + key +
                          R"("})");
  stack.add_connection("shopify", "main", stack.secrets_for("shopify").secret);
  stack.start_ingest(/*tls=*/true);
  httplib::SSLClient c("127.0.0.1", stack.port());
  c.enable_server_certificate_verification(false);
  auto health = c.Get("/healthz");
  BOOST_REQUIRE_MESSAGE(health, "no TLS answer");
  BOOST_CHECK_EQUAL(health->status, 200);
  auto sr = test::sign_delivery("shopify", "main", stack.secrets_for("shopify"), "tls",
                                "https://127.0.0.1:" + std::to_string(stack.port()), unix_now());
  httplib::Headers h;
  for (const auto& [k, v] : sr.headers) {
    if (k != "Content-Type") h.emplace(k, v);
  }
  auto res = c.Post(sr.path.c_str(), h, sr.body, "application/json");
  BOOST_REQUIRE(res);
  BOOST_CHECK_EQUAL(res->status, 200);
  // Plain HTTP to the TLS port gets no HTTP answer.
  httplib::Client plain(stack.base_url());
  plain.set_read_timeout(5, 0);
  auto wrong = plain.Get("/healthz");
  BOOST_CHECK(!wrong || wrong->status != 200);
}

BOOST_AUTO_TEST_CASE(stalled_clients_are_cut_off) {
  // The keep-alive timeout is far beyond the receive deadline below, so only the read timeout
  // can end the stalled connection: the node answers 400 and closes it at once.
  test::IngestStack stack(R"({"read_timeout_ms": 500, "keep_alive_timeout_s": 3600})");
  stack.add_connection("shopify", "main", stack.secrets_for("shopify").secret);
  stack.start_ingest();
  // A client that announces a body and never sends it.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(stack.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_REQUIRE_EQUAL(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string partial =
      "POST /webhooks/shopify/main HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc";
  BOOST_REQUIRE(::send(fd, partial.data(), partial.size(), 0) > 0);
  // Everything the node sends until it closes the connection (read returns 0 or an error).
  // The receive deadline only keeps a broken node from hanging the test.
  timeval tv{120, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string answer;
  char buf[512];
  ssize_t n = 0;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) answer.append(buf, static_cast<size_t>(n));
  const int recv_errno = errno;
  ::close(fd);
  BOOST_CHECK_MESSAGE(n == 0 || recv_errno == ECONNRESET,
                      "the stalled connection was not closed (errno " << recv_errno << ")");
  BOOST_CHECK_MESSAGE(answer.starts_with("HTTP/1.1 400 "), "answer: " << answer);
  BOOST_CHECK(answer.find("Connection: close\r\n") != std::string::npos);
  BOOST_CHECK(answer.find("unreadable_request") != std::string::npos);
  // The stall did not publish anything and the node still serves.
  httplib::Client c(stack.base_url());
  BOOST_CHECK_EQUAL(c.Get("/healthz")->status, 200);
  BOOST_CHECK(test::read_topic(stack.broker().bootstrap(), "webhooks.raw").empty());
}
