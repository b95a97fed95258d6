#define BOOST_TEST_MODULE sender_result_record
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>
#include <rapidjson/schema.h>

#include "core/files.h"
#include "sinks/sender/request_parser.h"
#include "sinks/sender/result_record.h"

namespace hs = hookline::sender;

namespace {

bool valid(const std::string& value, std::string& why) {
  static rapidjson::Document schema_doc = [] {
    rapidjson::Document d;
    d.Parse(hookline::read_file(std::string(HOOKLINE_SOURCE_DIR) +
                                "/schemas/outbound.results.v1.schema.json")
                .c_str());
    return d;
  }();
  static const rapidjson::SchemaDocument schema(schema_doc);
  rapidjson::Document d;
  d.Parse(value.c_str());
  if (d.HasParseError()) {
    why = "not JSON";
    return false;
  }
  rapidjson::SchemaValidator v(schema);
  if (d.Accept(v)) return true;
  why = v.GetInvalidSchemaKeyword();
  return false;
}

std::string header(const hookline::kafka::Headers& h, const std::string& name) {
  for (const auto& [k, v] : h) {
    if (k == name) return v;
  }
  return "<missing>";
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_result_type_matches_the_schema_and_carries_no_pii) {
  hs::Job job;
  job.request = *hs::parse_send_request(R"({"schema_version":1,"id":"req-9","tenant":"acme",
    "connection":"twilio/us","channel":"sms","purpose":"marketing",
    "contact":{"id":"c-9","address":"+15550009999"},"content":{"text":"secret body"},
    "campaign":{"id":"spring"}})");
  job.attempt = 3;
  const auto now = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795341600000));
  hs::ResultDetails retry;
  retry.reason = "http-503";
  retry.status = 503;
  retry.retry_due = now + std::chrono::seconds(8);
  retry.retry_topic = "outbound.retry.30s";
  hs::ResultDetails dead;
  dead.reason = "attempts-exhausted";
  dead.status = 500;
  const struct {
    hs::ResultType type;
    std::string message_id;
    hs::ResultDetails details;
  } cases[] = {{hs::ResultType::succeeded, "SM123", {}},
               {hs::ResultType::failed, "", hs::ResultDetails{"expired", 0, {}, ""}},
               {hs::ResultType::retrying, "", retry},
               {hs::ResultType::dead_lettered, "", dead}};
  for (const auto& c : cases) {
    auto r = hs::make_result(c.type, job, c.message_id, c.details, now);
    std::string why;
    BOOST_TEST(valid(r.value, why), hs::to_string(c.type) << ": " << why << " in " << r.value);
    BOOST_TEST(r.key == "req-9");
    BOOST_TEST(header(r.headers, "ce_type") ==
               std::string("com.hookline.send.") + hs::to_string(c.type));
    BOOST_TEST(header(r.headers, "ce_id") == std::string("req-9.") + hs::to_string(c.type) + ".3");
    BOOST_TEST(header(r.headers, "ce_source") == "/hookline/sender/twilio/us");
    BOOST_TEST(header(r.headers, "ce_time") == "2026-11-22T10:00:00.000Z");
    BOOST_TEST(r.value.find("+1555") == std::string::npos);
    BOOST_TEST(r.value.find("secret body") == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(gatekeeper_results_need_no_job_and_match_the_schema) {
  const auto request = *hs::parse_send_request(R"({"schema_version":1,"id":"req-7","tenant":"acme",
    "connection":"twilio/us","channel":"sms","purpose":"marketing",
    "contact":{"id":"c-7","address":"+15550007777"},"content":{"text":"secret body"},
    "campaign":{"id":"spring"}})");
  const auto now = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795341600000));
  const struct {
    hs::ResultType type;
    const char* name;
    const char* reason;
  } cases[] = {{hs::ResultType::suppressed, "suppressed", "no_opt_in"},
               {hs::ResultType::suppressed, "suppressed", "stop_keyword"},
               {hs::ResultType::denied, "denied", "approval_denied"},
               {hs::ResultType::expired, "expired", "approval_expired"}};
  for (const auto& c : cases) {
    BOOST_TEST(std::string(hs::to_string(c.type)) == c.name);
    hs::ResultDetails d;
    d.reason = c.reason;
    auto r = hs::make_request_result(c.type, request, d, now);
    std::string why;
    BOOST_TEST(valid(r.value, why), c.name << ": " << why << " in " << r.value);
    BOOST_TEST(r.key == "req-7");
    BOOST_TEST(header(r.headers, "ce_type") == std::string("com.hookline.send.") + c.name);
    BOOST_TEST(header(r.headers, "ce_id") == std::string("req-7.") + c.name + ".1");
    BOOST_TEST(header(r.headers, "ce_subject") == "req-7");
    BOOST_TEST(r.value.find(std::string(R"("outcome":")") + c.name + "\"") != std::string::npos);
    BOOST_TEST(r.value.find(std::string(R"("reason":")") + c.reason + "\"") != std::string::npos);
    BOOST_TEST(r.value.find(R"("attempt":1)") != std::string::npos);
    BOOST_TEST(r.value.find(R"("campaign_id":"spring")") != std::string::npos);
    BOOST_TEST(r.value.find("provider_message_id") == std::string::npos);
    BOOST_TEST(r.value.find("+1555") == std::string::npos);
    BOOST_TEST(r.value.find("secret body") == std::string::npos);
  }
  // A reason the schema does not allow is caught by the schema (not only by convention).
  hs::ResultDetails bad;
  bad.reason = "No Opt In";
  std::string why;
  BOOST_TEST(
      !valid(hs::make_request_result(hs::ResultType::suppressed, request, bad, now).value, why));
}
