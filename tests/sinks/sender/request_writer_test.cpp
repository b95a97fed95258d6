// to_json(SendRequest): the inverse of parse_send_request.
#define BOOST_TEST_MODULE sender_request_writer
#include <boost/test/unit_test.hpp>

#include "sinks/sender/request_parser.h"
#include "sinks/sender/request_writer.h"

namespace hs = hookline::sender;

namespace {

hs::SendRequest parsed(const std::string& json) {
  auto r = hs::parse_send_request(json);
  BOOST_TEST_REQUIRE(static_cast<bool>(r), (r ? "" : r.error().message));
  return *r;
}

void same(const hs::SendRequest& a, const hs::SendRequest& b) {
  BOOST_TEST(a.id == b.id);
  BOOST_TEST(a.tenant == b.tenant);
  BOOST_TEST(a.connection == b.connection);
  BOOST_TEST((a.channel == b.channel));
  BOOST_TEST((a.purpose == b.purpose));
  BOOST_TEST(a.contact_id == b.contact_id);
  BOOST_TEST(a.address == b.address);
  BOOST_TEST(a.content.subject == b.content.subject);
  BOOST_TEST(a.content.html == b.content.html);
  BOOST_TEST(a.content.text == b.content.text);
  BOOST_TEST(a.content.template_.has_value() == b.content.template_.has_value());
  if (a.content.template_ && b.content.template_) {
    BOOST_TEST(a.content.template_->name == b.content.template_->name);
    BOOST_TEST(a.content.template_->language == b.content.template_->language);
    BOOST_TEST(a.content.template_->parameters == b.content.template_->parameters,
               boost::test_tools::per_element());
  }
  BOOST_TEST(a.content.blocks_json == b.content.blocks_json);
  BOOST_TEST(a.content.event_type == b.content.event_type);
  BOOST_TEST(a.content.payload_json == b.content.payload_json);
  BOOST_TEST(a.content.unsubscribe_url == b.content.unsubscribe_url);
  BOOST_TEST(a.campaign.has_value() == b.campaign.has_value());
  if (a.campaign && b.campaign) {
    BOOST_TEST(a.campaign->id == b.campaign->id);
    BOOST_TEST(a.campaign->recipients == b.campaign->recipients);
    BOOST_TEST(a.campaign->risk_score == b.campaign->risk_score);
    BOOST_TEST(a.campaign->sensitive == b.campaign->sensitive);
    BOOST_TEST(a.campaign->ai_drafted == b.campaign->ai_drafted);
    BOOST_TEST(a.campaign->name == b.campaign->name);
    BOOST_TEST(a.campaign->preview == b.campaign->preview);
  }
  BOOST_TEST((a.kind == b.kind));
  BOOST_TEST(a.subscription_group == b.subscription_group);
  BOOST_TEST((a.not_before == b.not_before));
  BOOST_TEST((a.expires_at == b.expires_at));
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_minimal_request_reads_back_the_same) {
  const auto a = parsed(R"({"schema_version":1,"id":"req-1","tenant":"acme",
    "connection":"resend/main","channel":"email","purpose":"transactional",
    "contact":{"id":"c-1","address":"ada@example.com"},"content":{"text":"Hello"}})");
  const std::string json = hs::to_json(a);
  same(a, parsed(json));
  BOOST_TEST(json.find("campaign") == std::string::npos);
  BOOST_TEST(json.find("not_before") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_full_request_reads_back_the_same) {
  const auto a = parsed(R"({"schema_version":1,"id":"req-2","tenant":"acme",
    "connection":"whatsapp/eu","channel":"whatsapp","purpose":"marketing",
    "contact":{"id":"c-2","address":"+15550001111"},
    "content":{"subject":"S","html":"<p>\"quoted\" \u00e9</p>","text":"t\nu",
               "template":{"name":"promo","language":"en_US","parameters":["A","B"]},
               "blocks":[{"type":"section","text":{"type":"mrkdwn","text":"x"}}],
               "payload":{"k":[1,2.5,null,true]},"event_type":"order.paid",
               "unsubscribe_url":"https://example.com/u"},
    "campaign":{"id":"spring","recipients":5000,"risk_score":0.25,"sensitive":true,
                "ai_drafted":true,"name":"Spring","preview":"Sale"},
    "kind":"opt_out_confirmation","subscription_group":"news",
    "not_before":"2026-11-22T10:00:00Z","expires_at":"2026-11-22T12:00:00.500+01:00"})");
  const std::string json = hs::to_json(a);
  same(a, parsed(json));
  BOOST_TEST(json.find(R"("expires_at":"2026-11-22T11:00:00.500Z")") != std::string::npos);
  BOOST_TEST(hs::to_json(parsed(json)) == json);  // stable
}
