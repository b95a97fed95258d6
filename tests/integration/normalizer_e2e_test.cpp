// The normalizer end to end on every shipped provider's sample deliveries
// (tests/fixtures/deliveries): each signed as the provider signs it, POSTed to the real ingest
// two or three times in shuffled order, normalized by the real hookline-normalizer, and read
// back from the normalized topics with read_committed. Every event must be there exactly once
// with valid binary-mode CloudEvents attributes; signals once each and valid against their
// schemas; malformed deliveries in webhooks.dlq with the reason.
#define BOOST_TEST_MODULE normalizer_e2e
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <regex>
#include <set>

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/json_reader.h"
#include "tests/support/ingest_stack.h"
#include "tests/support/normalizer_stack.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

struct Expected {
  std::string id, type, topic, subject;
};

struct Sample {
  std::string provider, name, content_type, body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<Expected> events;
  std::vector<std::pair<std::string, std::string>> signals;  // topic, key
};

std::string compact(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return sb.GetString();
}

std::vector<Sample> load_samples() {
  std::vector<Sample> out;
  for (const auto& dir :
       std::filesystem::directory_iterator(test::source("tests/fixtures/deliveries"))) {
    if (!dir.is_directory()) continue;
    for (const auto& f : std::filesystem::directory_iterator(dir.path())) {
      if (f.path().extension() != ".json") continue;
      const auto doc = parse_json_file(f.path().string());
      Sample s;
      s.provider = dir.path().filename().string();
      s.name = f.path().stem().string();
      s.content_type = doc["content_type"].GetString();
      s.body = doc.HasMember("body") ? doc["body"].GetString() : compact(doc["body_json"]);
      if (doc.HasMember("headers")) {
        for (const auto& m : doc["headers"].GetObject()) {
          s.headers.emplace_back(m.name.GetString(), m.value.GetString());
        }
      }
      for (const auto& e : doc["expect"].GetArray()) {
        s.events.push_back({e["id"].GetString(), e["type"].GetString(), e["topic"].GetString(),
                            e.HasMember("subject") ? e["subject"].GetString() : ""});
      }
      if (doc.HasMember("expect_signals")) {
        for (const auto& e : doc["expect_signals"].GetArray()) {
          s.signals.emplace_back(e["topic"].GetString(), e["key"].GetString());
        }
      }
      out.push_back(std::move(s));
    }
  }
  std::sort(out.begin(), out.end(), [](const Sample& a, const Sample& b) {
    return std::tie(a.provider, a.name) < std::tie(b.provider, b.name);
  });
  return out;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int post(httplib::Client& c, const test::SignedRequest& r) {
  httplib::Headers h;
  std::string content_type;
  for (const auto& [k, v] : r.headers) {
    if (k == "Content-Type") {
      content_type = v;
    } else {
      h.emplace(k, v);
    }
  }
  auto res = c.Post(r.path.c_str(), h, r.body, content_type.c_str());
  return res ? res->status : -1;
}

bool valid_against(const std::string& schema_file, const std::string& json, std::string& why) {
  static std::map<std::string, std::unique_ptr<rapidjson::Document>> docs;
  static std::map<std::string, std::unique_ptr<rapidjson::SchemaDocument>> schemas;
  if (!schemas.contains(schema_file)) {
    docs[schema_file] = std::make_unique<rapidjson::Document>(
        parse_json_file(test::source("schemas/" + schema_file)));
    schemas[schema_file] = std::make_unique<rapidjson::SchemaDocument>(*docs[schema_file]);
  }
  rapidjson::Document d;
  if (d.Parse(json.data(), json.size()).HasParseError()) {
    why = "not JSON";
    return false;
  }
  rapidjson::SchemaValidator v(*schemas[schema_file]);
  if (d.Accept(v)) return true;
  why = v.GetInvalidSchemaKeyword();
  return false;
}

// The W3C example trace context, sent with the Stripe deliveries.
const std::string kCarriedTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

const std::vector<std::string> kEventTopics = {
    "events.payments", "events.messaging", "events.email", "events.scm",
    "events.chat",     "events.commerce",  "events.other"};

}  // namespace

BOOST_AUTO_TEST_CASE(every_sample_normalized_exactly_once_with_cloudevents_attributes) {
  const auto samples = load_samples();
  BOOST_TEST_REQUIRE(samples.size() >= 8u);
  std::set<std::string> providers_seen;
  for (const auto& s : samples) providers_seen.insert(s.provider);
  for (const auto& p :
       {"stripe", "github", "slack", "twilio", "whatsapp", "shopify", "resend", "sendgrid"}) {
    BOOST_TEST(providers_seen.contains(p), "no sample deliveries for " << p);
  }

  // An overlapping batch, as SendGrid sends when it retries part of a batch: the second half of
  // the sample batch again, plus one new event (a copy of its "delivered" one with a new id).
  Sample overlap;
  for (const auto& s : samples) {
    if (s.provider != "sendgrid") continue;
    rapidjson::Document batch;
    batch.Parse(s.body.data(), s.body.size());
    BOOST_TEST_REQUIRE(batch.IsArray());
    rapidjson::Document out(rapidjson::kArrayType);
    auto& alloc = out.GetAllocator();
    const rapidjson::SizeType n = batch.Size();
    for (rapidjson::SizeType i = n / 2; i < n; ++i) {
      out.PushBack(rapidjson::Value(batch[i], alloc), alloc);
    }
    for (rapidjson::SizeType i = 0; i < n; ++i) {
      if (std::string_view(batch[i]["event"].GetString()) != "delivered") continue;
      rapidjson::Value fresh(batch[i], alloc);
      fresh["sg_event_id"].SetString("overlap-new-1", alloc);
      out.PushBack(fresh, alloc);
      break;
    }
    overlap = s;
    overlap.name = "overlapping_batch";
    overlap.body = compact(out);
    overlap.events = {{"overlap-new-1", "com.sendgrid.delivered", "events.email", ""}};
    overlap.signals.clear();
  }
  BOOST_TEST_REQUIRE(!overlap.body.empty());

  test::IngestStack stack;
  stack.register_all();
  stack.start_ingest();
  test::NormalizerStack normalizer(R"({"batch_records": 20, "batch_interval_ms": 50})",
                                   &stack.broker());

  // Every sample two or three times, plus malformed ones, in a shuffled order.
  struct Delivery {
    const Sample* sample;  // nullptr: the malformed Stripe delivery
  };
  std::vector<const Sample*> order;
  for (const auto& s : samples) {
    for (int i = 0; i < 2 + static_cast<int>(s.name.size() % 2); ++i) order.push_back(&s);
  }
  order.push_back(&overlap);
  order.push_back(&overlap);
  order.push_back(nullptr);
  std::shuffle(order.begin(), order.end(), std::mt19937(42));

  httplib::Client client("127.0.0.1", stack.port());
  const std::int64_t now = unix_now();
  for (const Sample* s : order) {
    test::SignedRequest r =
        s ? test::sign_body(s->provider, "main", stack.secrets_for(s->provider), s->body,
                            s->content_type, s->headers, stack.base_url(), now)
          : test::sign_body("stripe", "main", stack.secrets_for("stripe"), "{not json",
                            "application/json", {}, stack.base_url(), now);
    if (s && s->provider == "stripe") r.headers.emplace_back("traceparent", kCarriedTrace);
    const int status = post(client, r);
    BOOST_TEST_REQUIRE((status >= 200 && status < 300),
                       (s ? s->provider + "/" + s->name : std::string("malformed"))
                           << " answered " << status << " by the ingest");
  }

  normalizer.start("samples");
  size_t expected_events = overlap.events.size();
  for (const auto& s : samples) expected_events += s.events.size();
  auto count_events = [&] {
    size_t n = 0;
    for (const auto& t : kEventTopics) n += normalizer.read(t).size();
    return n;
  };
  BOOST_TEST_REQUIRE(test::eventually(
      [&] { return count_events() >= expected_events && !normalizer.read("webhooks.dlq").empty(); },
      60s, 100ms));
  BOOST_TEST(normalizer.stop("samples") == 0);

  // Events: (topic, id) exactly once each, nothing else.
  std::map<std::pair<std::string, std::string>, std::vector<test::ReadRecord>> got;
  for (const auto& t : kEventTopics) {
    for (auto& r : normalizer.read(t)) got[{t, r.header("ce_id")}].push_back(std::move(r));
  }
  const std::regex rfc3339(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d))");
  const std::regex traceparent(R"(00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2})");
  size_t matched = 0;
  std::vector<const Sample*> all;
  for (const auto& s : samples) all.push_back(&s);
  all.push_back(&overlap);
  for (const Sample* sp : all) {
    const Sample& s = *sp;
    for (const auto& e : s.events) {
      auto it = got.find({e.topic, e.id});
      BOOST_TEST_REQUIRE((it != got.end()), s.provider << "/" << s.name << ": event " << e.id
                                                       << " missing from " << e.topic);
      BOOST_TEST(it->second.size() == 1u, s.provider << "/" << s.name << ": event " << e.id
                                                     << " shows " << it->second.size() << " times");
      const auto& r = it->second.front();
      BOOST_TEST(r.header("ce_specversion") == "1.0");
      BOOST_TEST(r.header("ce_type") == e.type);
      BOOST_TEST(r.header("ce_source") == "/" + s.provider + "/main");
      BOOST_TEST(std::regex_match(r.header("ce_time"), rfc3339), "ce_time " << r.header("ce_time"));
      BOOST_TEST(!r.header("content-type").empty());
      BOOST_TEST(r.key.value_or("") == r.header("ce_partitionkey"));
      BOOST_TEST(!r.header("ce_partitionkey").empty());
      BOOST_TEST(r.header("ce_tenant") == "acme");
      BOOST_TEST(r.header("ce_connection") == "main");
      BOOST_TEST(r.header("ce_environment") == "dev");
      BOOST_TEST(std::regex_match(r.header("ce_traceparent"), traceparent));
      if (s.provider == "stripe") {
        BOOST_TEST(r.header("ce_traceparent") == kCarriedTrace);  // carried from the request
      } else {
        BOOST_TEST(r.header("ce_traceparent") != kCarriedTrace);  // derived from the identity
      }
      if (!e.subject.empty()) BOOST_TEST(r.header("ce_subject") == e.subject);
      if (r.header("content-type") == "application/json") {
        rapidjson::Document d;
        BOOST_TEST(!d.Parse(r.value.data(), r.value.size()).HasParseError());
        BOOST_TEST(d.IsObject(), "one event, not a batch");
      }
      ++matched;
    }
  }
  BOOST_TEST(got.size() == matched, "events that no sample expects: " << got.size() - matched);

  // Signals: each expected (topic, key) as often as the samples expect it, schema-valid.
  std::map<std::pair<std::string, std::string>, int> want_signals, got_signals;
  for (const auto& s : samples) {
    for (const auto& sig : s.signals) ++want_signals[sig];
  }
  for (const std::string topic : {"consent.changes", "approvals.decisions"}) {
    const std::string schema = topic == "consent.changes" ? "consent.changes.v1.schema.json"
                                                          : "approvals.decisions.v1.schema.json";
    for (const auto& r : normalizer.read(topic)) {
      ++got_signals[{topic, r.key.value_or("")}];
      std::string why;
      BOOST_TEST(valid_against(schema, r.value, why), topic << " record invalid: " << why);
    }
  }
  BOOST_TEST((got_signals == want_signals));
  BOOST_TEST(!want_signals.empty());

  // The malformed delivery: once in the DLQ, with the reason and where it came from.
  const auto dlq = normalizer.read("webhooks.dlq");
  BOOST_TEST_REQUIRE(dlq.size() == 1u);
  BOOST_TEST(dlq[0].value == "{not json");
  BOOST_TEST(dlq[0].header("hookline-error-class") == "unparseable-body");
  BOOST_TEST(!dlq[0].header("hookline-error-message").empty());
  BOOST_TEST(dlq[0].header("hookline-original-topic") == "webhooks.raw");
  BOOST_TEST(!dlq[0].header("hookline-original-offset").empty());
  BOOST_TEST(!dlq[0].header("hookline-processor-version").empty());
  BOOST_TEST(dlq[0].header("hookline-provider") == "stripe");
}
