// approvals.requests records: JSON round trip, schema refusals, and the Slack message they
// become (Block Kit parsed back: the buttons' contract of approvals.decisions.v1).
#define BOOST_TEST_MODULE sender_approval_request
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include "core/files.h"
#include "sinks/sender/approval_request.h"
#include "sinks/sender/request_parser.h"
#include "sinks/sender/request_writer.h"

namespace hs = hookline::sender;
using namespace std::chrono_literals;

namespace {

const auto kRequestedAt =
    std::chrono::system_clock::time_point(std::chrono::milliseconds(1795341600123));

hs::ApprovalRequest sample() {
  hs::ApprovalRequest a;
  a.approval_id = "apr-42";
  a.tenant = "acme";
  a.campaign_id = "cmp_2026_spring_sale";
  a.campaign_name = "Spring sale";
  a.recipients = 5000;
  a.risk_score = 0.25;
  a.sensitive = true;
  a.ai_drafted = false;
  a.reasons = {"recipients_over", "sensitive"};
  a.preview = "Spring is here: 20% off everything";
  a.requested_at = kRequestedAt;
  a.expires_at = kRequestedAt + 24h;
  a.slack_connection = "slack/approvals";
  a.slack_channel = "C0APPROVALS";
  return a;
}

// `json` with `from` replaced by `to` (once; the test fails when `from` is not in it).
std::string replaced(std::string json, const std::string& from, const std::string& to) {
  const auto at = json.find(from);
  BOOST_TEST_REQUIRE(at != std::string::npos, from);
  return json.replace(at, from.size(), to);
}

std::string refusal(const std::string& json) {
  auto r = hs::parse_approval_request(json);
  return r ? std::string("accepted") : r.error().message;
}

rapidjson::Document blocks_of(const hs::SendRequest& r) {
  rapidjson::Document d;
  d.Parse(r.content.blocks_json.c_str());
  BOOST_TEST_REQUIRE(!d.HasParseError());
  BOOST_TEST_REQUIRE(d.IsArray());
  return d;
}

const rapidjson::Value* block_of_type(const rapidjson::Document& blocks, const std::string& type,
                                      int nth = 0) {
  for (const auto& b : blocks.GetArray()) {
    if (std::string(b["type"].GetString()) == type && nth-- == 0) return &b;
  }
  return nullptr;
}

// Every text of the blocks, joined.
std::string all_text(const rapidjson::Value& v) {
  std::string out;
  if (v.IsString()) return std::string(v.GetString()) + "\n";
  if (v.IsObject()) {
    for (const auto& m : v.GetObject()) out += all_text(m.value);
  } else if (v.IsArray()) {
    for (const auto& e : v.GetArray()) out += all_text(e);
  }
  return out;
}

// Characters as Slack counts them (code points).
std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(embedded_schema_is_the_file_in_schemas) {
  const std::string file = hookline::read_file(std::string(HOOKLINE_SOURCE_DIR) +
                                               "/schemas/approvals.requests.v1.schema.json");
  BOOST_TEST(std::string(hs::approval_request_schema_text()) == file);
}

BOOST_AUTO_TEST_CASE(round_trip_keeps_every_field) {
  const hs::ApprovalRequest a = sample();
  const std::string json = hs::to_json(a);
  BOOST_TEST(json.find(R"("requested_at":"2026-11-22T10:00:00.123Z")") != std::string::npos);
  auto b = hs::parse_approval_request(json);
  BOOST_TEST_REQUIRE(static_cast<bool>(b), (b ? "" : b.error().message));
  BOOST_TEST(b->approval_id == a.approval_id);
  BOOST_TEST(b->tenant == a.tenant);
  BOOST_TEST(b->campaign_id == a.campaign_id);
  BOOST_TEST(b->campaign_name == a.campaign_name);
  BOOST_TEST(b->recipients == a.recipients);
  BOOST_TEST(b->risk_score == a.risk_score);
  BOOST_TEST(b->sensitive == a.sensitive);
  BOOST_TEST(b->ai_drafted == a.ai_drafted);
  BOOST_TEST(b->reasons == a.reasons, boost::test_tools::per_element());
  BOOST_TEST(b->preview == a.preview);
  BOOST_TEST((b->requested_at == a.requested_at));
  BOOST_TEST((b->expires_at == a.expires_at));
  BOOST_TEST(b->slack_connection == a.slack_connection);
  BOOST_TEST(b->slack_channel == a.slack_channel);
  BOOST_TEST(hs::to_json(*b) == json);
}

BOOST_AUTO_TEST_CASE(a_campaign_without_name_or_preview_round_trips) {
  hs::ApprovalRequest a = sample();
  a.campaign_name.clear();
  a.preview.clear();
  const std::string json = hs::to_json(a);
  BOOST_TEST(json.find("campaign_name") == std::string::npos);
  auto b = hs::parse_approval_request(json);
  BOOST_TEST_REQUIRE(static_cast<bool>(b), (b ? "" : b.error().message));
  BOOST_TEST(b->campaign_name.empty());
  BOOST_TEST(b->preview.empty());
}

BOOST_AUTO_TEST_CASE(schema_refusals_name_the_keyword_and_pointer_never_the_value) {
  const std::string good = hs::to_json(sample());
  BOOST_TEST(refusal(good) == "accepted");
  BOOST_TEST(refusal("{").starts_with("not JSON"));
  BOOST_TEST(refusal(good + "x").starts_with("not JSON"));
  BOOST_TEST(refusal("[]").find("type at /") != std::string::npos);
  BOOST_TEST(refusal(replaced(good, R"("schema_version":1)", R"("schema_version":2)"))
                 .find("enum at /schema_version") != std::string::npos);
  BOOST_TEST(refusal(replaced(good, R"("approval_id":"apr-42",)", "")).find("required") !=
             std::string::npos);
  BOOST_TEST(refusal(replaced(good, R"("campaign_id":"cmp_2026_spring_sale")",
                              R"("campaign_id":"has space")"))
                 .find("pattern at /campaign_id") != std::string::npos);
  // "approval." + id is the Slack message's request id: at most 128 in all.
  BOOST_TEST(
      refusal(replaced(good, "apr-42", std::string(120, 'a'))).find("maxLength at /approval_id") !=
      std::string::npos);
  BOOST_TEST(refusal(replaced(good, "apr-42", std::string(119, 'a'))) == "accepted");
  BOOST_TEST(refusal(replaced(good, R"("recipients":5000)", R"("recipients":0)"))
                 .find("minimum at /recipients") != std::string::npos);
  BOOST_TEST(refusal(replaced(good, R"("risk_score":0.25)", R"("risk_score":1.5)"))
                 .find("maximum at /risk_score") != std::string::npos);
  BOOST_TEST(
      refusal(replaced(good, R"("reasons":["recipients_over","sensitive"])", R"("reasons":[])"))
          .find("minItems at /reasons") != std::string::npos);
  BOOST_TEST(refusal(replaced(good, R"("recipients_over")", R"("Recipients Over")"))
                 .find("pattern at /reasons/0") != std::string::npos);
  BOOST_TEST(refusal(replaced(good, R"("slack/approvals")", R"("resend/main")"))
                 .find("pattern at /slack/connection") != std::string::npos);
  BOOST_TEST(refusal(replaced(good, R"("channel":"C0APPROVALS")", R"("channel":"C0 <x>")"))
                 .find("pattern at /slack/channel") != std::string::npos);
  BOOST_TEST(refusal(replaced(good, R"("expires_at":"2026-11-23T10:00:00.123Z")",
                              R"("expires_at":"2026-11-23T10:00:00Z")"))
                 .find("pattern at /expires_at") != std::string::npos);
  BOOST_TEST(refusal(replaced(good, R"("expires_at":"2026-11-23T10:00:00.123Z")",
                              R"("expires_at":"2026-13-23T10:00:00.123Z")"))
                 .find("/expires_at is not an RFC 3339 time") != std::string::npos);
  BOOST_TEST(refusal(replaced(good, R"("expires_at":"2026-11-23T10:00:00.123Z")",
                              R"("expires_at":"2301-01-01T00:00:00.000Z")"))
                 .find("after 2200") != std::string::npos);
  BOOST_TEST(refusal(replaced(good, R"("sensitive":true)", R"("sensitive":true,"extra":1)"))
                 .find("additionalProperties") != std::string::npos);
  BOOST_TEST(refusal(replaced(good, R"("preview":"Spring)",
                              std::string(R"("preview":")") + std::string(1001, 'x') + R"(Spring)"))
                 .find("maxLength at /preview") != std::string::npos);
  // Out-of-range numbers and invalid UTF-8 are refused before the validator sees them.
  BOOST_TEST(refusal(replaced(good, R"("schema_version":1)", R"("schema_version":1e300)"))
                 .find("out of range") != std::string::npos);
  BOOST_TEST(
      refusal(replaced(good, "Spring sale", "Spring \xC3\x28 sale")).starts_with("not JSON"));
  // Never the offending value in the message.
  BOOST_TEST(refusal(replaced(good, R"("tenant":"acme")", R"("tenant":"secret value")"))
                 .find("secret value") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_integer_beyond_64_bits_is_read_without_crashing) {
  const std::string good = hs::to_json(sample());
  auto r = hs::parse_approval_request(
      replaced(good, R"("recipients":5000)", R"("recipients":18446744073709551615)"));
  BOOST_TEST_REQUIRE(static_cast<bool>(r), (r ? "" : r.error().message));
  BOOST_TEST(r->recipients == INT64_MAX);
}

BOOST_AUTO_TEST_CASE(the_slack_message_is_a_send_request_with_the_two_buttons) {
  const hs::SendRequest r = hs::approval_message(sample());
  BOOST_TEST(r.id == "approval.apr-42");
  BOOST_TEST(r.tenant == "acme");
  BOOST_TEST(r.connection == "slack/approvals");
  BOOST_TEST(r.provider() == "slack");
  BOOST_TEST((r.channel == hs::Channel::slack));
  BOOST_TEST((r.purpose == hs::Purpose::transactional));
  BOOST_TEST(r.contact_id == "approvals");
  BOOST_TEST(r.address == "C0APPROVALS");
  BOOST_TEST(r.content.text == "Campaign Spring sale is waiting for approval");
  BOOST_TEST_REQUIRE(r.expires_at.has_value());
  BOOST_TEST((*r.expires_at == kRequestedAt + 24h));
  BOOST_TEST(!r.campaign.has_value());  // not one of the campaign's messages

  const auto blocks = blocks_of(r);
  BOOST_TEST_REQUIRE(block_of_type(blocks, "header") != nullptr);
  const auto* actions = block_of_type(blocks, "actions");
  BOOST_TEST_REQUIRE(actions != nullptr);
  BOOST_TEST(std::string((*actions)["block_id"].GetString()) == "hookline.approval");
  const auto& buttons = (*actions)["elements"];
  BOOST_TEST_REQUIRE(buttons.Size() == 2u);
  const struct {
    const char* action_id;
    const char* text;
    const char* style;
  } expected[] = {{"hookline.approve", "Approve", "primary"}, {"hookline.deny", "Deny", "danger"}};
  for (rapidjson::SizeType i = 0; i < 2; ++i) {
    const auto& b = buttons[i];
    BOOST_TEST(std::string(b["type"].GetString()) == "button");
    BOOST_TEST(std::string(b["action_id"].GetString()) == expected[i].action_id);
    BOOST_TEST(std::string(b["text"]["type"].GetString()) == "plain_text");
    BOOST_TEST(std::string(b["text"]["text"].GetString()) == expected[i].text);
    BOOST_TEST(std::string(b["style"].GetString()) == expected[i].style);
    BOOST_TEST(std::string(b["value"].GetString()) == "cmp_2026_spring_sale");
  }

  const auto* facts = block_of_type(blocks, "section", 0);
  BOOST_TEST_REQUIRE(facts != nullptr);
  const auto& fields = (*facts)["fields"];
  BOOST_TEST_REQUIRE(fields.IsArray());
  BOOST_TEST(fields.Size() <= 10u);  // Block Kit's limit
  std::string labels;
  for (const auto& f : fields.GetArray()) {
    BOOST_TEST(std::string(f["type"].GetString()) == "mrkdwn");
    const std::string t = f["text"].GetString();
    labels += t.substr(0, t.find('\n')) + "|";
  }
  BOOST_TEST(labels ==
             "*Campaign*|*Recipients*|*Risk score*|*Sensitive*|*AI-drafted*|*Why*|*Expires*|");
  const std::string text = all_text(blocks);
  BOOST_TEST(text.find("*Campaign*\nSpring sale\n`cmp_2026_spring_sale`") != std::string::npos);
  BOOST_TEST(text.find("*Recipients*\n5,000") != std::string::npos);
  BOOST_TEST(text.find("*Risk score*\n0.25") != std::string::npos);
  BOOST_TEST(text.find("*Sensitive*\nyes") != std::string::npos);
  BOOST_TEST(text.find("*AI-drafted*\nno") != std::string::npos);
  BOOST_TEST(text.find("*Why*\nrecipient count over the limit; flagged sensitive") !=
             std::string::npos);
  BOOST_TEST(
      text.find("<!date^1795428000^{date_short_pretty} at {time}|2026-11-23T10:00:00.123Z>") !=
      std::string::npos);
  const auto* preview = block_of_type(blocks, "section", 1);
  BOOST_TEST_REQUIRE(preview != nullptr);
  BOOST_TEST(std::string((*preview)["text"]["text"].GetString()) ==
             "*Preview*\n>Spring is here: 20% off everything");
}

BOOST_AUTO_TEST_CASE(the_slack_message_is_a_valid_send_request_record) {
  // The sender retries and dead-letters it as a send request: written and read back unchanged.
  const hs::SendRequest r = hs::approval_message(sample());
  auto back = hs::parse_send_request(hs::to_json(r));
  BOOST_TEST_REQUIRE(static_cast<bool>(back), (back ? "" : back.error().message));
  BOOST_TEST(back->id == r.id);
  BOOST_TEST(back->connection == r.connection);
  BOOST_TEST(back->address == r.address);
  BOOST_TEST(back->content.text == r.content.text);
  BOOST_TEST(back->content.blocks_json == r.content.blocks_json);
  BOOST_TEST((back->expires_at == r.expires_at));
}

BOOST_AUTO_TEST_CASE(names_and_preview_are_escaped_for_mrkdwn) {
  hs::ApprovalRequest a = sample();
  a.campaign_name = "Tom & Jerry <b>";
  a.tenant = "a<b";
  a.preview = "Line <one> & more\nline > two";
  a.reasons = {"ai_drafted", "custom_rule"};
  const hs::SendRequest r = hs::approval_message(a);
  BOOST_TEST(r.content.text == "Campaign Tom &amp; Jerry &lt;b&gt; is waiting for approval");
  const auto blocks = blocks_of(r);
  const std::string text = all_text(blocks);
  BOOST_TEST(text.find("Tom &amp; Jerry &lt;b&gt;") != std::string::npos);
  BOOST_TEST(text.find("Tom & Jerry") == std::string::npos);
  BOOST_TEST(text.find("tenant a&lt;b") != std::string::npos);
  BOOST_TEST(text.find("*Why*\ndrafted by AI; custom_rule") != std::string::npos);
  const auto* preview = block_of_type(blocks, "section", 1);
  BOOST_TEST_REQUIRE(preview != nullptr);
  BOOST_TEST(std::string((*preview)["text"]["text"].GetString()) ==
             "*Preview*\n>Line &lt;one&gt; &amp; more\n>line &gt; two");
}

BOOST_AUTO_TEST_CASE(long_previews_are_cut_to_block_kit_limits_on_whole_characters) {
  hs::ApprovalRequest a = sample();
  // 1000 characters that each escape to 5: 5000 escaped, over a section's 3000.
  a.preview = std::string(1000, '&');
  auto blocks = blocks_of(hs::approval_message(a));
  const auto* preview = block_of_type(blocks, "section", 1);
  BOOST_TEST_REQUIRE(preview != nullptr);
  std::string t = (*preview)["text"]["text"].GetString();
  BOOST_TEST(t.ends_with("&amp;\xE2\x80\xA6"));  // whole escapes, then "…"
  // Characters (code points), as Slack counts them.
  std::size_t chars = code_points(t);
  BOOST_TEST(chars <= 3000u);
  BOOST_TEST(chars >= 2990u);

  // Multi-byte characters are never split.
  a.preview = "";
  for (int i = 0; i < 1000; ++i) a.preview += "\xF0\x9F\x8C\xB8<";  // 🌸<
  blocks = blocks_of(hs::approval_message(a));
  preview = block_of_type(blocks, "section", 1);
  BOOST_TEST_REQUIRE(preview != nullptr);
  t = (*preview)["text"]["text"].GetString();
  chars = code_points(t);
  BOOST_TEST(chars <= 3000u);
  rapidjson::Document check;  // RapidJSON refuses invalid UTF-8 with this flag
  std::string quoted = "\"";
  for (char c : t) quoted += c == '\n' ? std::string("\\n") : std::string(1, c);
  quoted += "\"";
  check.Parse<rapidjson::kParseValidateEncodingFlag>(quoted.c_str());
  BOOST_TEST(!check.HasParseError());
}

BOOST_AUTO_TEST_CASE(an_empty_preview_and_name_show_the_campaign_id) {
  hs::ApprovalRequest a = sample();
  a.campaign_name.clear();
  a.preview.clear();
  const hs::SendRequest r = hs::approval_message(a);
  BOOST_TEST(r.content.text == "Campaign cmp_2026_spring_sale is waiting for approval");
  const auto blocks = blocks_of(r);
  const auto* preview = block_of_type(blocks, "section", 1);
  BOOST_TEST_REQUIRE(preview != nullptr);
  BOOST_TEST(std::string((*preview)["text"]["text"].GetString()) == "*Preview*\n_none_");
}
