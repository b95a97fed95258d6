// Rendering a fixed `hookline status` snapshot as text and JSON, and what needs attention.
#define BOOST_TEST_MODULE status_render
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include "ctl/status/render_json.h"
#include "ctl/status/render_text.h"

using namespace hookline::ctl::status;

namespace {

Snapshot fixed() {
  Snapshot s;
  s.bootstrap = "127.0.0.1:9092";
  s.taken_at = "2026-03-01T12:00:00.000Z";
  TopicLag raw;
  raw.topic = "webhooks.raw";
  raw.source = LagSource::metrics;
  raw.partition_count = 12;
  raw.partitions = {{0, 40, std::nullopt, 3}, {1, 0, std::nullopt, 0}};
  raw.total = 3;
  raw.note = "from the gauge";
  TopicLag requests;
  requests.topic = "outbound.requests";
  requests.source = LagSource::database;
  requests.partition_count = 6;
  requests.partitions = {{0, 10, 7, 3}};
  requests.total = 3;
  TopicLag approved;
  approved.topic = "outbound.approved";
  approved.source = LagSource::broker;
  approved.error = "unknown topic 'outbound.approved'";
  s.groups = {{"normalizer", "hookline-normalizer", {raw}},
              {"gatekeeper", "hookline-gatekeeper", {requests}},
              {"sender", "hookline-sender", {approved}}};
  s.dlqs = {{"webhooks.dlq", "hookline-dlq-replay.webhooks.dlq", 0, 0, 0, false, "", ""},
            {"outbound.dlq", "hookline-dlq-replay.outbound.dlq", 12, 2, 5, true, "", ""}};
  s.approvals.configured = true;
  s.approvals.pending = 2;
  s.approvals.oldest_age_s = 3725;
  s.endpoints = {
      {"ingest", "--endpoints", {{"http://127.0.0.1:8080/metrics", true, "HTTP 200"}}},
      {"normalizer", "", {}},
      {"gatekeeper", "--endpoints", {{"http://127.0.0.1:1/metrics", false, "cannot connect"}}},
      {"sender", "--endpoints", {{"http://127.0.0.1:9103/metrics", true, "HTTP 200"}}}};
  s.sender.scraped = true;
  s.sender.circuits = {
      {"resend/main", "open"}, {"slack/main", "closed"}, {"twilio/main", "half-open"}};
  s.sender.throttled = {"slack/main"};
  s.topology.checked = true;
  s.topology.declared = 22;
  s.topology.source = "topology/topics.json";
  s.topology.configs_skipped = "no admin API";
  s.topology.drift = {"topic events.chat has 3 partitions, declared 6"};
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(attention_lists_drift_growth_open_circuits_down_endpoints_and_errors) {
  const auto a = attention(fixed());
  BOOST_TEST_REQUIRE(a.size() == 5u);
  BOOST_TEST(a[0].find("topology drift: 1 difference(s)") == 0u, a[0]);
  BOOST_TEST(a[1].find("outbound.dlq: 2 record(s) arrived in the last hour") == 0u, a[1]);
  BOOST_TEST(a[2] == "circuit open for connection resend/main");
  BOOST_TEST(a[3].find("gatekeeper endpoint http://127.0.0.1:1/metrics is down") == 0u, a[3]);
  BOOST_TEST(a[4].find("sender lag on outbound.approved: unknown topic") == 0u, a[4]);

  Snapshot calm;
  calm.topology.checked = true;
  calm.dlqs = {{"outbound.dlq", "g", 40, 0, 40, false, "", ""}};  // old records only
  calm.sender.circuits = {{"resend/main", "half-open"}};
  calm.approvals = {true, 3, 10, ""};
  BOOST_TEST(attention(calm).empty());
}

BOOST_AUTO_TEST_CASE(text_is_one_aligned_screen) {
  const Snapshot s = fixed();
  const std::string text = render_text(s, attention(s));
  const std::string expected =
      "hookline status  Kafka 127.0.0.1:9092  2026-03-01T12:00:00.000Z\n"
      "\n"
      "consumer lag (records not yet processed)\n"
      "  component   group                topic              lag  partitions  source\n"
      "  normalizer  hookline-normalizer  webhooks.raw         3          12  metrics   from the "
      "gauge\n"
      "  gatekeeper  hookline-gatekeeper  outbound.requests    3           6  database\n"
      "  sender      hookline-sender      outbound.approved    ?           ?  broker    error: "
      "unknown topic 'outbound.approved'\n"
      "\n"
      "dead-letter topics\n"
      "  topic         held  last hour  not replayed\n"
      "  webhooks.dlq     0          0             0\n"
      "  outbound.dlq    12          2             5  grew in the last hour\n"
      "\n"
      "approvals\n"
      "  2 pending, the oldest waiting 1h 2m (hookline approvals list)\n"
      "\n"
      "endpoints\n"
      "  ingest      up    http://127.0.0.1:8080/metrics  HTTP 200\n"
      "  normalizer  -     no endpoint given\n"
      "  gatekeeper  down  http://127.0.0.1:1/metrics     cannot connect\n"
      "  sender      up    http://127.0.0.1:9103/metrics  HTTP 200\n"
      "\n"
      "sender circuits\n"
      "  3 connection(s): 1 closed; half-open: twilio/main; open: resend/main\n"
      "  throttled (Retry-After): slack/main\n"
      "\n"
      "topology\n"
      "  drift from topology/topics.json (22 declared topics; topic configs not compared: no "
      "admin API)\n"
      "  drift: topic events.chat has 3 partitions, declared 6\n"
      "\n"
      "needs attention\n"
      "  - topology drift: 1 difference(s) from topology/topics.json (hookline topology check)\n"
      "  - outbound.dlq: 2 record(s) arrived in the last hour (hookline dlq list --topic "
      "outbound.dlq)\n"
      "  - circuit open for connection resend/main\n"
      "  - gatekeeper endpoint http://127.0.0.1:1/metrics is down (cannot connect)\n"
      "  - sender lag on outbound.approved: unknown topic 'outbound.approved'\n";
  BOOST_TEST(text == expected);
}

BOOST_AUTO_TEST_CASE(text_says_what_is_not_configured) {
  Snapshot s;
  s.bootstrap = "k:1";
  s.sender.note = "no endpoint given for the sender";
  s.topology.checked = true;
  s.topology.source = "t.json";
  s.dlqs = {{"webhooks.dlq", "hookline-dlq-replay.webhooks.dlq", 4, 0, 4, false, "", ""}};
  const std::string text = render_text(s, attention(s));
  BOOST_TEST(text.find("no database configured") != std::string::npos, text);
  BOOST_TEST(text.find("no endpoint given for the sender") != std::string::npos, text);
  BOOST_TEST(text.find("never replayed (no hookline-dlq-replay.webhooks.dlq offsets)") !=
                 std::string::npos,
             text);
  BOOST_TEST(text.find("in step with t.json") != std::string::npos, text);
  BOOST_TEST(text.find("\nall well\n") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(json_is_one_object_with_per_partition_lag) {
  Snapshot s = fixed();
  s.sender.circuits.push_back({std::string("bad\xff\xfe utf8"), "closed"});
  const std::string json = render_json(s, attention(s));
  BOOST_TEST(json.back() == '\n');
  BOOST_TEST(json.find('\n') == json.size() - 1);  // one line
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  BOOST_TEST_REQUIRE(!d.HasParseError());
  BOOST_TEST(d["needs_attention"].GetBool());
  BOOST_TEST(d["attention"].Size() == 5u);
  const auto& raw = d["groups"][0]["topics"][0];
  BOOST_TEST(std::string(raw["source"].GetString()) == "metrics");
  BOOST_TEST(raw["lag"].GetInt64() == 3);
  BOOST_TEST(raw["partitions"].Size() == 2u);
  BOOST_TEST(raw["partitions"][0]["end"].GetInt64() == 40);
  BOOST_TEST(raw["partitions"][0]["committed"].IsNull());
  const auto& requests = d["groups"][1]["topics"][0];
  BOOST_TEST(requests["partitions"][0]["end"].GetInt64() == 10);
  BOOST_TEST(requests["partitions"][0]["committed"].GetInt64() == 7);
  BOOST_TEST(!requests.HasMember("note"));
  const auto& approved = d["groups"][2]["topics"][0];
  BOOST_TEST(approved["lag"].IsNull());
  BOOST_TEST(std::string(approved["error"].GetString()).find("unknown topic") == 0u);
  BOOST_TEST(d["dlqs"][1]["last_hour"].GetInt64() == 2);
  BOOST_TEST(d["dlqs"][1]["not_replayed"].GetInt64() == 5);
  BOOST_TEST(d["approvals"]["pending"].GetInt64() == 2);
  BOOST_TEST(d["approvals"]["oldest_age_s"].GetInt64() == 3725);
  BOOST_TEST(d["endpoints"][1]["origin"].IsNull());
  BOOST_TEST(std::string(d["endpoints"][1]["note"].GetString()) == "no endpoint given");
  BOOST_TEST(d["endpoints"][2]["probes"][0]["up"].GetBool() == false);
  BOOST_TEST(d["sender"]["circuits"].Size() == 4u);
  BOOST_TEST(std::string(d["sender"]["circuits"][3]["connection"].GetString()) ==
             "bad\xEF\xBF\xBD\xEF\xBF\xBD utf8");
  BOOST_TEST(d["topology"]["in_step"].GetBool() == false);
  BOOST_TEST(d["topology"]["drift"].Size() == 1u);

  Snapshot none;
  const std::string j2 = render_json(none, {});
  rapidjson::Document d2;
  d2.Parse(j2.data(), j2.size());
  BOOST_TEST_REQUIRE(!d2.HasParseError());
  BOOST_TEST(d2["approvals"]["configured"].GetBool() == false);
  BOOST_TEST(std::string(d2["approvals"]["note"].GetString()) == "no database configured");
  BOOST_TEST(d2["approvals"]["pending"].IsNull());
}

BOOST_AUTO_TEST_CASE(a_dlq_note_follows_the_growth) {
  Snapshot s;
  s.topology.checked = true;
  s.dlqs = {{"outbound.dlq", "hookline-dlq-replay.outbound.dlq", 3, 1, 0, true,
             "found by record times", ""}};
  const std::string text = render_text(s, attention(s));
  BOOST_TEST(text.find("grew in the last hour; found by record times") != std::string::npos, text);
  const std::string json = render_json(s, attention(s));
  BOOST_TEST(json.find(R"("note":"found by record times")") != std::string::npos, json);
}
