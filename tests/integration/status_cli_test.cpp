// `hookline status` against the whole pipeline (ingest, normalizer, gatekeeper, sender and the
// provider simulator on one dev broker and a fresh Postgres): a request the provider refuses
// lands in outbound.dlq and shows as growth in the last hour (exit 3) and as not replayed until
// the replay cursor moves past it; a campaign waiting for approval shows as a pending approval;
// lag per group with its source (the normalizer's from its gauge: the dev broker keeps no
// transactional commits); the sender's endpoint up and a closed port down. An unreachable
// broker is one line and exit 1.
#define BOOST_TEST_MODULE status_cli
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <regex>
#include <string>

#include <httplib.h>
#include <rapidjson/document.h>
#include <pqxx/pqxx>

#include "core/files.h"
#include "core/kafka/topic_scan.h"
#include "tests/support/pipeline_stack.h"
#include "tests/support/webhook_signer.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

// Approvals posted with slack/main (the ingest stack's Slack connection) to channel C0CA5.
const std::string kRules =
    R"({"consent": {}, "quiet_hours": null, "approval": {"expires_after": "24h", "release_batch": 500, "slack": {"connection": "slack/main", "channel": "C0CA5"}}, "tenants": {}})";

std::string email_request(const std::string& id, const std::string& extra = "") {
  return R"({"schema_version":1,"id":")" + id +
         R"(","tenant":"acme","connection":"resend/main","channel":"email","purpose":"transactional","contact":{"id":"c-)" +
         id + R"(","address":")" + id +
         R"(@example.com"},"content":{"subject":"Hi","text":"Hello"})" +
         (extra.empty() ? "" : "," + extra) + "}";
}

int metrics_port(test::ChildProcess& p, const std::string& name) {
  static const std::regex listening(R"(metrics on 127\.0\.0\.1:(\d+))");
  std::smatch m;
  std::string out;
  BOOST_TEST_REQUIRE(test::eventually([&] {
                       out = p.out();
                       return std::regex_search(out, m, listening) || !p.running();
                     }),
                     name + " did not print its metrics port");
  BOOST_TEST_REQUIRE(p.running(), name + " exited: " + p.err());
  return std::stoi(m[1].str());
}

std::string url(int port) {
  return "http://127.0.0.1:" + std::to_string(port) + "/metrics";
}

std::int64_t count(test::PipelineStack& s, const std::string& sql) {
  pqxx::connection conn(s.env().at("HOOKLINE_DATABASE_URL"));
  pqxx::nontransaction tx(conn);
  return tx.exec1(sql)[0].as<std::int64_t>();
}

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  BOOST_TEST_REQUIRE(!d.HasParseError(), json);
  BOOST_TEST_REQUIRE(d.IsObject(), json);
  return d;
}

const rapidjson::Value* find_by(const rapidjson::Value& array, const char* key,
                                const std::string& value) {
  for (const auto& v : array.GetArray()) {
    if (v.HasMember(key) && v[key].IsString() && value == v[key].GetString()) return &v;
  }
  return nullptr;
}

const rapidjson::Value& topic_of(const rapidjson::Document& d, const std::string& component,
                                 const std::string& topic) {
  const auto* g = find_by(d["groups"], "component", component);
  BOOST_TEST_REQUIRE(g != nullptr, component);
  const auto* t = find_by((*g)["topics"], "topic", topic);
  BOOST_TEST_REQUIRE(t != nullptr, topic);
  return *t;
}

}  // namespace

BOOST_AUTO_TEST_CASE(status_shows_dlq_growth_a_pending_approval_lag_and_endpoints) {
  test::PipelineStack s(kRules);
  s.enable_sending("resend", "main", "re_key_main", R"({"from": "news@example.com"})");
  s.enable_sending("slack", "main", "xoxb-approvals", R"({"rate_per_s": 100})");
  // The provider refuses the first request for good: it is parked in outbound.dlq.
  test::SimFault refuse;
  refuse.match.target = "re_key_main";
  refuse.status = 400;
  refuse.count = 1;
  s.sim().add_fault(refuse);

  auto env = s.env();
  test::ChildProcess normalizer(test::bin("hookline-normalizer"),
                                {"--metrics-listen", "127.0.0.1:0", "--instance-id", "status-test"},
                                env);
  const int normalizer_port = metrics_port(normalizer, "hookline-normalizer");
  s.start_gatekeeper();
  const int sender_port = metrics_port(s.start_sender(), "hookline-sender");

  // One webhook through the ingest, so the normalizer reports lag for its partition.
  const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  const std::string stripe_event =
      R"({"id":"evt_status_1","object":"event","type":"payment_intent.succeeded","created":)" +
      std::to_string(now_s) +
      R"(,"data":{"object":{"id":"pi_status","amount":100,"currency":"usd"}}})";
  BOOST_TEST_REQUIRE(
      s.post(test::sign_body("stripe", "main", s.ingest().secrets_for("stripe"), stripe_event,
                             "application/json", {}, s.ingest().base_url(), now_s)) == 200);
  // A transactional email (refused: DLQ) and a campaign over the approval threshold (held).
  const std::string campaign =
      R"("campaign":{"id":"cmp_status","name":"Status","recipients":5000})";
  s.publish({{"resend/main", email_request("refused-1")},
             {"resend/main", email_request("cmp-1", campaign)},
             {"resend/main", email_request("cmp-2", campaign)}});

  BOOST_TEST_REQUIRE(
      test::eventually([&] { return s.read("outbound.dlq").size() == 1u; }, 60s, 100ms));
  BOOST_TEST_REQUIRE(test::eventually(
      [&] { return count(s, "SELECT count(*) FROM held_messages WHERE status = 'held'") == 2; },
      60s, 100ms));
  BOOST_TEST_REQUIRE(test::eventually(
      [&] {
        httplib::Client c("127.0.0.1", normalizer_port);
        auto res = c.Get("/metrics");
        return res &&
               res->body.find("hookline_normalizer_consumer_lag{partition=") != std::string::npos;
      },
      60s, 100ms));

  const int dead = test::closed_port();
  const std::string endpoints = "ingest=127.0.0.1:" + std::to_string(s.ingest().port()) +
                                ",normalizer=" + url(normalizer_port) +
                                ",sender=" + url(sender_port) + ",gatekeeper=" + url(dead);
  auto r = s.cli({"status", "--json", "--endpoints", endpoints});
  BOOST_TEST_REQUIRE(r.exit_code == 3, r.err + r.out);
  BOOST_TEST(r.err.empty(), r.err);
  auto d = parse(r.out);
  BOOST_TEST(d["needs_attention"].GetBool());

  // The DLQ record arrived in the last hour and was never replayed.
  const auto* dlq = find_by(d["dlqs"], "topic", "outbound.dlq");
  BOOST_TEST_REQUIRE(dlq != nullptr);
  BOOST_TEST((*dlq)["held"].GetInt64() == 1);
  BOOST_TEST((*dlq)["last_hour"].GetInt64() == 1);
  BOOST_TEST((*dlq)["not_replayed"].GetInt64() == 1);
  BOOST_TEST((*dlq)["has_cursor"].GetBool() == false);
  const auto* raw_dlq = find_by(d["dlqs"], "topic", "webhooks.dlq");
  BOOST_TEST_REQUIRE(raw_dlq != nullptr);
  BOOST_TEST((*raw_dlq)["held"].GetInt64() == 0);

  // The campaign waits for a decision.
  BOOST_TEST(d["approvals"]["configured"].GetBool());
  BOOST_TEST(d["approvals"]["pending"].GetInt64() == 1);
  BOOST_TEST(d["approvals"]["oldest_age_s"].GetInt64() >= 0);

  // Lag per group, with where it came from.
  const auto& raw = topic_of(d, "normalizer", "webhooks.raw");
  BOOST_TEST(std::string(raw["source"].GetString()) == "metrics");
  BOOST_TEST(raw["lag"].IsInt64());
  BOOST_TEST(raw["partitions"].Size() >= 1u);
  const auto& requests = topic_of(d, "gatekeeper", "outbound.requests");
  BOOST_TEST(std::string(requests["source"].GetString()) == "database");
  BOOST_TEST(requests["lag"].GetInt64() == 0);  // all three requests are processed
  std::int64_t committed = 0;
  for (const auto& p : requests["partitions"].GetArray()) {
    if (p["committed"].IsInt64()) committed += p["committed"].GetInt64();
  }
  BOOST_TEST(committed == 3);
  const auto& approved = topic_of(d, "sender", "outbound.approved");
  BOOST_TEST(std::string(approved["source"].GetString()) == "broker");
  BOOST_TEST(approved["lag"].IsInt64());
  BOOST_TEST(approved["partition_count"].GetInt() == 6);
  BOOST_TEST(find_by(find_by(d["groups"], "component", "sender")->operator[]("topics"), "topic",
                     "outbound.retry.30s") != nullptr);

  // Endpoints: the sender's up, the closed port down; circuits read from the sender.
  const auto* sender = find_by(d["endpoints"], "component", "sender");
  BOOST_TEST_REQUIRE(sender != nullptr);
  BOOST_TEST((*sender)["probes"][0]["up"].GetBool());
  const auto* gatekeeper = find_by(d["endpoints"], "component", "gatekeeper");
  BOOST_TEST_REQUIRE(gatekeeper != nullptr);
  BOOST_TEST((*gatekeeper)["probes"][0]["up"].GetBool() == false);
  BOOST_TEST(std::string((*gatekeeper)["probes"][0]["url"].GetString()) == url(dead));
  BOOST_TEST(d["sender"]["scraped"].GetBool());
  BOOST_TEST(d["topology"]["checked"].GetBool());
  BOOST_TEST(d["topology"]["in_step"].GetBool());
  std::string attention;
  for (const auto& a : d["attention"].GetArray()) attention += std::string(a.GetString()) + "\n";
  BOOST_TEST(
      attention.find("outbound.dlq: 1 record(s) arrived in the last hour") != std::string::npos,
      attention);
  BOOST_TEST(attention.find("gatekeeper endpoint " + url(dead) + " is down") != std::string::npos,
             attention);

  // A replay cursor at the end: nothing left to replay, the growth is still shown. The text
  // screen says the same, and the environment variable names the endpoints.
  {
    auto scan = kafka::TopicScan::open(s.broker().kafka_config(), "outbound.dlq",
                                       "hookline-dlq-replay.outbound.dlq");
    BOOST_TEST_REQUIRE(scan.ok(), (scan.ok() ? std::string() : scan.error().message));
    auto marks = (*scan)->watermarks();
    BOOST_TEST_REQUIRE(marks.ok());
    kafka::PartitionOffsets end;
    for (const auto& m : *marks) end[m.partition] = m.end;
    BOOST_TEST_REQUIRE((*scan)->commit(end).ok());
  }
  env["HOOKLINE_STATUS_ENDPOINTS"] = endpoints;
  auto text = test::run(test::bin("hookline"), {"status"}, env);
  BOOST_TEST(text.exit_code == 3, text.err + text.out);
  BOOST_TEST(text.out.find("consumer lag") != std::string::npos, text.out);
  BOOST_TEST(
      std::regex_search(text.out, std::regex(R"(outbound\.dlq +1 +1 +0 +grew in the last hour)")),
      text.out);
  BOOST_TEST(text.out.find("1 pending, the oldest waiting") != std::string::npos, text.out);
  BOOST_TEST(std::regex_search(text.out, std::regex(R"(gatekeeper +down +http://127\.0\.0\.1:)" +
                                                    std::to_string(dead))),
             text.out);
  BOOST_TEST(std::regex_search(text.out, std::regex(R"(sender +up +http://)")), text.out);
  BOOST_TEST(text.out.find("needs attention") != std::string::npos, text.out);
  normalizer.stop();
}

BOOST_AUTO_TEST_CASE(an_unreachable_broker_is_one_line_and_exit_1) {
  test::TempDir dir;
  write_file_atomic(dir.file("hookline.json"), R"({"kafka": {"timeout_ms": 1500}})");
  const int port = test::closed_port();
  const std::map<std::string, std::string> env{
      {"HOOKLINE_CONFIG", dir.file("hookline.json")},
      {"HOOKLINE_KAFKA_BOOTSTRAP", "127.0.0.1:" + std::to_string(port)},
      {"HOOKLINE_TOPOLOGY_DIR", test::source("topology")},
      {"HOOKLINE_DATABASE_URL", ""},
      {"HOOKLINE_STATUS_ENDPOINTS", ""},
      {"HOOKLINE_LOG_LEVEL", "info"}};
  auto r = test::run(test::bin("hookline"), {"status"}, env);
  BOOST_TEST(r.exit_code == 1, r.err);
  BOOST_TEST(r.out.empty(), r.out);
  BOOST_TEST_REQUIRE(!r.err.empty());
  BOOST_TEST(r.err.find('\n') == r.err.size() - 1, r.err);  // one line
  BOOST_TEST(r.err.find("hookline status: Kafka at 127.0.0.1:" + std::to_string(port)) == 0u,
             r.err);

  auto usage = test::run(test::bin("hookline"), {"status", "--endpoints", "mailer=h:1"}, env);
  BOOST_TEST(usage.exit_code == 2, usage.err);
  BOOST_TEST(usage.err.find("unknown component 'mailer'") != std::string::npos, usage.err);
}
