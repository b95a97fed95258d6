// The shipped manifests against the sample deliveries of tests/fixtures/deliveries (real
// payloads from the providers' documentation): every sample maps to exactly the events and
// signals it expects, every signal is valid against its schema, every shipped manifest has a
// normalize section, and every topic the mapper routes to is declared in topology/topics.json.
#define BOOST_TEST_MODULE normalizer_samples
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/topology.h"
#include "processors/normalizer/event_time.h"
#include "processors/normalizer/template.h"
#include "tests/processors/normalizer/mapper_test_support.h"

namespace fs = std::filesystem;
using namespace hookline;
using namespace hookline::normalizer;
using namespace hookline::normalizer::test;

namespace {

struct Sample {
  std::string provider, name, content_type, body;
  std::map<std::string, std::string> headers;
  rapidjson::Document doc;
};

std::vector<fs::path> sample_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(source_path("tests/fixtures/deliveries"))) {
    if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Sample load_sample(const fs::path& file) {
  Sample s;
  s.provider = file.parent_path().filename().string();
  s.name = s.provider + "/" + file.stem().string();
  s.doc = parse_json_file(file.string());
  ObjectReader r(s.doc, file.string(), "");
  (void)r.required_string("source");
  s.content_type = r.required_string("content_type");
  s.headers = r.string_map("headers");
  const bool has_body = r.has("body");
  const bool has_json = r.has("body_json");
  BOOST_REQUIRE_MESSAGE(has_body != has_json, s.name << ": give exactly one of body, body_json");
  if (has_body) {
    s.body = r.required_string("body");
  } else {
    // The compact serialization, members in file order.
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    s.doc.FindMember("body_json")->value.Accept(w);
    s.body.assign(sb.GetString(), sb.GetSize());
  }
  return s;
}

std::string describe(const NormalizedEvent& e) {
  return R"({"id": ")" + e.id + R"(", "type": ")" + e.type + R"(", "topic": ")" + e.topic +
         (e.subject ? R"(", "subject": ")" + *e.subject : std::string()) + R"("})";
}

std::string str(const rapidjson::Value& v, const char* key) {
  const auto it = v.FindMember(key);
  return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_sample_maps_to_what_it_expects) {
  const auto files = sample_files();
  BOOST_REQUIRE_GE(files.size(), 17U);
  std::set<std::string> providers_with_samples;
  for (const auto& file : files) {
    Sample s = load_sample(file);
    providers_with_samples.insert(s.provider);
    TestDelivery d(s.provider, s.body, s.content_type, s.headers);
    const auto result = shipped_mapper()->map(d.raw);
    if (const auto* err = std::get_if<MappingError>(&result)) {
      BOOST_ERROR(s.name << ": " << err->reason << ": " << err->message);
      continue;
    }
    const auto& events = std::get<std::vector<MappedEvent>>(result);
    if (std::getenv("HOOKLINE_DUMP_SAMPLES") != nullptr) {  // for writing a new sample
      for (const auto& m : events) {
        BOOST_TEST_MESSAGE(s.name << ": " << describe(m.event) << " time=" << m.event.time
                                  << " key=" << m.event.partition_key << " content-type="
                                  << m.event.content_type << "\n  data=" << m.event.data);
        for (const auto& sig : m.signals) {
          BOOST_TEST_MESSAGE("  signal " << sig.topic << " " << sig.key << " " << sig.value);
        }
      }
    }
    const rapidjson::Value& expect = s.doc["expect"];
    const rapidjson::Value& expect_signals = s.doc["expect_signals"];
    std::ostringstream actual;
    for (const auto& m : events) actual << "\n  " << describe(m.event);
    BOOST_CHECK_MESSAGE(events.size() == expect.Size(),
                        s.name << ": " << events.size() << " events, expected " << expect.Size()
                               << "; got:" << actual.str());
    std::vector<const Signal*> signals;
    for (std::size_t i = 0; i < events.size(); ++i) {
      const NormalizedEvent& e = events[i].event;
      for (const auto& sig : events[i].signals) signals.push_back(&sig);
      // What every event carries, expected or not.
      BOOST_CHECK_EQUAL(e.source, "/" + s.provider + "/main");
      BOOST_CHECK_EQUAL(e.identity, s.provider + "/main/" + e.id);
      BOOST_CHECK(e.partition_key.starts_with(s.provider + "/main/"));
      BOOST_CHECK_MESSAGE(parse_time_text(e.time, TimeFormat::rfc3339).has_value(), e.time);
      BOOST_CHECK(!e.data.empty());
      BOOST_CHECK(e.content_type == "application/json" ||
                  e.content_type == "application/x-www-form-urlencoded");
      if (i >= expect.Size()) continue;
      const rapidjson::Value& x = expect[static_cast<rapidjson::SizeType>(i)];
      const std::string where = s.name + " event " + std::to_string(i) + ": got" + actual.str();
      BOOST_CHECK_MESSAGE(e.id == str(x, "id"), where);
      BOOST_CHECK_MESSAGE(e.type == str(x, "type"), where);
      BOOST_CHECK_MESSAGE(e.topic == str(x, "topic"), where);
      const bool has_subject = x.HasMember("subject");
      BOOST_CHECK_MESSAGE(e.subject.has_value() == has_subject, where);
      if (has_subject && e.subject) BOOST_CHECK_MESSAGE(*e.subject == str(x, "subject"), where);
    }
    std::ostringstream got_signals;
    for (const auto* sig : signals) got_signals << "\n  " << sig->topic << " " << sig->key;
    BOOST_CHECK_MESSAGE(signals.size() == expect_signals.Size(),
                        s.name << ": " << signals.size() << " signals, expected "
                               << expect_signals.Size() << "; got:" << got_signals.str());
    for (std::size_t i = 0; i < signals.size() && i < expect_signals.Size(); ++i) {
      const rapidjson::Value& x = expect_signals[static_cast<rapidjson::SizeType>(i)];
      BOOST_CHECK_MESSAGE(signals[i]->topic == str(x, "topic") && signals[i]->key == str(x, "key"),
                          s.name << " signal " << i << ": got" << got_signals.str());
      std::string why;
      BOOST_CHECK_MESSAGE(signal_matches_schema(*signals[i], why), s.name << ": " << why);
    }
  }
  for (const char* p :
       {"stripe", "github", "slack", "twilio", "whatsapp", "shopify", "resend", "sendgrid"}) {
    BOOST_CHECK_MESSAGE(providers_with_samples.contains(p), p << " has no sample delivery");
  }
}

BOOST_AUTO_TEST_CASE(sample_headers_are_kept_by_their_manifest) {
  // The integration test sends the samples through the real ingest, which forwards only the
  // manifest's keep_headers.
  for (const auto& file : sample_files()) {
    Sample s = load_sample(file);
    const auto manifest =
        parse_json_file(source_path("topology/providers/" + s.provider + ".json"));
    std::set<std::string> kept;
    for (const auto& h : manifest["keep_headers"].GetArray())
      kept.insert(lower_ascii(h.GetString()));
    for (const auto& [name, value] : s.headers) {
      BOOST_CHECK_MESSAGE(kept.contains(lower_ascii(name)),
                          s.name << ": header " << name << " is not kept by the manifest");
    }
  }
}

BOOST_AUTO_TEST_CASE(every_shipped_manifest_is_mapped_and_every_topic_declared) {
  const auto& mapper = shipped_mapper();
  for (const auto& e : fs::directory_iterator(source_path("topology/providers"))) {
    const std::string provider = e.path().stem().string();
    const auto manifest = parse_json_file(e.path().string());
    BOOST_CHECK_MESSAGE(manifest.HasMember("normalize"), provider << " has no normalize section");
    TestDelivery d(provider, "{}");
    const auto result = mapper->map(d.raw);
    const auto* err = std::get_if<MappingError>(&result);
    BOOST_CHECK_MESSAGE(err == nullptr || err->reason != "unknown-provider", provider);
  }
  const Topology topology = load_topology(source_path("topology/topics.json"));
  const auto topics = mapper->topics();
  for (const char* t :
       {"events.payments", "events.messaging", "events.email", "events.scm", "events.chat",
        "events.commerce", "events.other", "consent.changes", "approvals.decisions"}) {
    BOOST_CHECK_MESSAGE(std::find(topics.begin(), topics.end(), t) != topics.end(),
                        t << " is routed to by no manifest");
  }
  for (const auto& t : topics) {
    BOOST_CHECK_MESSAGE(topology.find(t) != nullptr, t << " is not declared in topics.json");
  }
}
