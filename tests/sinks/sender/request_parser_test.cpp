#define BOOST_TEST_MODULE sender_request_parser
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include "core/files.h"
#include "sinks/sender/request_parser.h"

namespace hs = hookline::sender;

namespace {

const std::string kMinimal = R"({"schema_version":1,"id":"req-1","tenant":"acme",
  "connection":"resend/main","channel":"email","purpose":"transactional",
  "contact":{"id":"c-1","address":"ada@example.com"},
  "content":{"subject":"Hi","text":"Hello","html":"<p>Hello</p>"}})";

}  // namespace

BOOST_AUTO_TEST_CASE(embedded_schema_is_the_file_in_schemas) {
  const std::string file = hookline::read_file(std::string(HOOKLINE_SOURCE_DIR) +
                                               "/schemas/outbound.request.v1.schema.json");
  BOOST_TEST(std::string(hs::request_schema_text()) == file);
}

BOOST_AUTO_TEST_CASE(minimal_request_reads) {
  auto r = hs::parse_send_request(kMinimal);
  BOOST_TEST_REQUIRE(static_cast<bool>(r), (r ? "" : r.error().message));
  BOOST_TEST(r->id == "req-1");
  BOOST_TEST(r->tenant == "acme");
  BOOST_TEST(r->connection == "resend/main");
  BOOST_TEST(r->provider() == "resend");
  BOOST_TEST((r->channel == hs::Channel::email));
  BOOST_TEST((r->purpose == hs::Purpose::transactional));
  BOOST_TEST(r->contact_id == "c-1");
  BOOST_TEST(r->address == "ada@example.com");
  BOOST_TEST(r->content.subject == "Hi");
  BOOST_TEST(!r->campaign.has_value());
  BOOST_TEST(!r->not_before.has_value());
}

BOOST_AUTO_TEST_CASE(full_request_reads) {
  auto r = hs::parse_send_request(R"({"schema_version":1,"id":"req-2","tenant":"acme",
    "connection":"whatsapp/eu","channel":"whatsapp","purpose":"marketing",
    "contact":{"id":"c-2","address":"+15550001111"},
    "content":{"template":{"name":"promo","language":"en_US","parameters":["A","B"]},
               "blocks":[{"type":"section"}],"payload":{"k":[1,2]},"event_type":"order.paid"},
    "campaign":{"id":"spring","recipients":5000,"risk_score":0.25,"sensitive":true},
    "not_before":"2026-11-22T10:00:00Z","expires_at":"2026-11-22T12:00:00.500+01:00"})");
  BOOST_TEST_REQUIRE(static_cast<bool>(r), (r ? "" : r.error().message));
  BOOST_TEST((r->channel == hs::Channel::whatsapp));
  BOOST_TEST((r->purpose == hs::Purpose::marketing));
  BOOST_TEST_REQUIRE(r->content.template_.has_value());
  BOOST_TEST(r->content.template_->name == "promo");
  BOOST_TEST(r->content.template_->language == "en_US");
  BOOST_TEST(r->content.template_->parameters.size() == 2u);
  BOOST_TEST(r->content.blocks_json == R"([{"type":"section"}])");
  BOOST_TEST(r->content.payload_json == R"({"k":[1,2]})");
  BOOST_TEST(r->content.event_type == "order.paid");
  BOOST_TEST_REQUIRE(r->campaign.has_value());
  BOOST_TEST(r->campaign->recipients == 5000);
  BOOST_TEST(r->campaign->risk_score == 0.25);
  BOOST_TEST(r->campaign->sensitive);
  using namespace std::chrono;
  BOOST_TEST(duration_cast<milliseconds>(r->not_before->time_since_epoch()).count() ==
             1795341600000LL);
  BOOST_TEST(duration_cast<milliseconds>(r->expires_at->time_since_epoch()).count() ==
             1795345200500LL);
}

BOOST_AUTO_TEST_CASE(bad_requests_are_refused_without_echoing_values) {
  const std::pair<std::string, std::string> cases[] = {
      {"not json", "not JSON"},
      {R"({"schema_version":1e43})", "out of range"},
      {"{\"schema_version\":1,\"i\xff\":1}", "not JSON"},  // invalid UTF-8
      {R"({"schema_version":1} x)", "not JSON"},
      {"[]", "type at /"},
      {R"({"schema_version":2,"id":"r","tenant":"t","connection":"a/b","channel":"email",
          "purpose":"transactional","contact":{"id":"c"},"content":{}})",
       "enum at /schema_version"},
      {R"({"schema_version":1,"id":"r","tenant":"t","connection":"nope","channel":"email",
          "purpose":"transactional","contact":{"id":"c"},"content":{}})",
       "pattern at /connection"},
      {R"({"schema_version":1,"id":"r","tenant":"t","connection":"a/b","channel":"fax",
          "purpose":"transactional","contact":{"id":"c"},"content":{}})",
       "enum at /channel"},
      {R"({"schema_version":1,"id":"r","tenant":"t","connection":"a/b","channel":"email",
          "purpose":"transactional","contact":{"id":"c","address":"secret@example.com","x":1},
          "content":{}})",
       "additionalProperties at /contact"},
      {R"({"schema_version":1,"id":"r","tenant":"t","connection":"a/b","channel":"email",
          "purpose":"transactional","contact":{"id":"c"},"content":{}})",
       ""},  // valid
      {R"({"schema_version":1,"id":"r","tenant":"t","connection":"a/b","channel":"email",
          "purpose":"transactional","contact":{"id":"c"},"content":{},"expires_at":"tomorrow"})",
       "expires_at"},
      {R"({"schema_version":1,"id":"r","tenant":"t","connection":"a/b","channel":"email",
          "purpose":"transactional","contact":{"id":"c"},"content":{},
          "not_before":"3019-11-22T10:00:00Z"})",
       "not_before is after 2200"},
  };
  for (const auto& [json, expected] : cases) {
    auto r = hs::parse_send_request(json);
    if (expected.empty()) {
      BOOST_TEST(static_cast<bool>(r), json);
      continue;
    }
    BOOST_TEST_REQUIRE(!r, json);
    BOOST_TEST(r.error().message.find(expected) != std::string::npos,
               r.error().message << " should say " << expected);
    BOOST_TEST(r.error().message.find("secret@") == std::string::npos);
    BOOST_TEST((r.error().kind == hookline::ErrorKind::permanent));
  }
}

BOOST_AUTO_TEST_CASE(a_recipient_count_beyond_64_bits_is_read_without_crashing) {
  auto r = hs::parse_send_request(R"({"schema_version":1,"id":"r","tenant":"acme",
    "connection":"resend/main","channel":"email","purpose":"transactional","contact":{"id":"c"},
    "content":{"text":"x"},"campaign":{"id":"c","recipients":18446744073709551615}})");
  BOOST_TEST_REQUIRE(static_cast<bool>(r), (r ? "" : r.error().message));
  BOOST_TEST(r->campaign->recipients == INT64_MAX);
}
