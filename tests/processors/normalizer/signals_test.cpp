// Consent and approval signals from the shipped manifests: every opt-out and opt-in keyword
// in any case and with surrounding whitespace, text that is not a keyword, email bounces and
// complaints, Slack approval buttons, and every signal valid against its schema.
#define BOOST_TEST_MODULE normalizer_signals
#include <boost/test/unit_test.hpp>

#include <cctype>

#include <rapidjson/document.h>

#include "processors/normalizer/consent_signal.h"
#include "tests/processors/normalizer/mapper_test_support.h"

using namespace hookline;
using namespace hookline::normalizer;
using namespace hookline::normalizer::test;

namespace {

const std::vector<std::string> kOptOut{"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"};
const std::vector<std::string> kOptIn{"START", "UNSTOP"};

std::string form_escape(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// Every signal of a delivery, each checked against its schema.
std::vector<Signal> signals_of(const std::string& provider, const std::string& body,
                               const std::string& content_type = "application/json",
                               const std::map<std::string, std::string>& headers = {}) {
  TestDelivery d(provider, body, content_type, headers);
  std::vector<Signal> out;
  for (const auto& m : expect_events(shipped_mapper()->map(d.raw))) {
    for (const auto& s : m.signals) {
      std::string why;
      BOOST_CHECK_MESSAGE(signal_matches_schema(s, why), why);
      out.push_back(s);
    }
  }
  return out;
}

std::vector<Signal> twilio_inbound(const std::string& text,
                                   const std::string& from = "+14155550123") {
  return signals_of("twilio",
                    "MessageSid=SM1&SmsStatus=received&From=" + form_escape(from) +
                        "&To=%2B14155552671&Body=" + form_escape(text),
                    "application/x-www-form-urlencoded");
}

std::vector<Signal> whatsapp_inbound(const std::string& text) {
  return signals_of(
      "whatsapp", R"({"object": "whatsapp_business_account", "entry": [{"id": "1",
      "changes": [{"field": "messages", "value": {"messages": [{"from": "16505551234",
      "id": "wamid.1", "timestamp": "1749416400", "type": "text", "text": {"body": )" +
                      [&] {
                        std::string q = "\"";
                        for (char c : text) {
                          if (c == '"' || c == '\\') q += '\\';
                          if (c == '\n') {
                            q += "\\n";
                            continue;
                          }
                          if (c == '\t') {
                            q += "\\t";
                            continue;
                          }
                          q += c;
                        }
                        return q + "\"";
                      }() +
                      "}}]}}]}]}");
}

rapidjson::Document value_of(const Signal& s) {
  rapidjson::Document d;
  d.Parse(s.value.data(), s.value.size());
  BOOST_REQUIRE(!d.HasParseError());
  return d;
}

std::string field(const rapidjson::Document& d, const char* name) {
  return d[name].GetString();
}

std::string mixed_case(const std::string& s) {
  std::string out = s;
  for (std::size_t i = 0; i < out.size(); i += 2) {
    out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])));
  }
  return out;
}

std::string slack_actions(const std::string& actions,
                          const std::string& user = R"({"id": "U0CA5", "username": "amy"})") {
  const std::string payload = R"({"type": "block_actions", "trigger_id": "1.2.3", "user": )" +
                              user + R"(, "channel": {"id": "C1"}, "actions": )" + actions + "}";
  return "payload=" + form_escape(payload);
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_keyword_in_any_case_and_whitespace) {
  for (const auto& [keywords, action] :
       {std::pair{kOptOut, "opt_out"}, std::pair{kOptIn, "opt_in"}}) {
    for (const auto& k : keywords) {
      for (const std::string& text : {k, mixed_case(k), " " + k + " ", "\t" + mixed_case(k) + "\n",
                                      std::string(k.size(), ' ') + k}) {
        const auto sms = twilio_inbound(text);
        BOOST_REQUIRE_MESSAGE(sms.size() == 1U, "twilio '" << text << "'");
        const auto v = value_of(sms[0]);
        BOOST_CHECK_EQUAL(sms[0].topic, "consent.changes");
        BOOST_CHECK(sms[0].kind == Signal::Kind::consent);
        BOOST_CHECK_EQUAL(sms[0].key, "acme/+14155550123/sms");
        BOOST_CHECK_EQUAL(field(v, "action"), action);
        BOOST_CHECK_EQUAL(field(v, "reason"), "keyword:" + k);
        BOOST_CHECK_EQUAL(field(v, "channel"), "sms");
        BOOST_CHECK_EQUAL(field(v, "contact"), "+14155550123");
        BOOST_CHECK_EQUAL(field(v, "tenant"), "acme");
        BOOST_CHECK_EQUAL(v["source"]["event_id"].GetString(), std::string("SM1"));
        BOOST_CHECK_EQUAL(v["source"]["provider"].GetString(), std::string("twilio"));

        const auto wa = whatsapp_inbound(text);
        BOOST_REQUIRE_MESSAGE(wa.size() == 1U, "whatsapp '" << text << "'");
        const auto w = value_of(wa[0]);
        BOOST_CHECK_EQUAL(wa[0].key, "acme/+16505551234/whatsapp");
        BOOST_CHECK_EQUAL(field(w, "action"), action);
        BOOST_CHECK_EQUAL(field(w, "reason"), "keyword:" + k);
        BOOST_CHECK_EQUAL(field(w, "occurred_at"), "2025-06-08T21:00:00.000Z");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(text_that_is_not_a_keyword_gives_no_signal) {
  for (const char* text :
       {"", " ", "stop please", "please stop", "STOP.", "STOP!", "STOPP", "S T O P", "stopall now",
        "UN STOP", "YES", "HELP", "INFO", "starting", "I want to unsubscribe", "ÜNSUBSCRIBE",
        "STOP\nSTOP", "CANCEL my order"}) {
    BOOST_CHECK_MESSAGE(twilio_inbound(text).empty(), "twilio '" << text << "'");
    BOOST_CHECK_MESSAGE(whatsapp_inbound(text).empty(), "whatsapp '" << text << "'");
  }
  // A status callback is not an inbound message, whatever it carries.
  BOOST_CHECK(signals_of("twilio", "MessageSid=SM2&MessageStatus=delivered&From=%2B1&To=%2B2",
                         "application/x-www-form-urlencoded")
                  .empty());
  // A WhatsApp message that is not text (a reaction, a button) is not a keyword.
  BOOST_CHECK(signals_of("whatsapp", R"({"entry": [{"changes": [{"field": "messages", "value":
      {"messages": [{"from": "1", "id": "w", "type": "reaction", "reaction": {"emoji": "STOP"}}]}}]}]})")
                  .empty());
}

BOOST_AUTO_TEST_CASE(twilio_whatsapp_senders_lose_their_prefix) {
  const auto s = twilio_inbound("stop", "whatsapp:+16505551234");
  BOOST_REQUIRE_EQUAL(s.size(), 1U);
  BOOST_CHECK_EQUAL(s[0].key, "acme/+16505551234/whatsapp");
  const auto v = value_of(s[0]);
  BOOST_CHECK_EQUAL(field(v, "channel"), "whatsapp");
  BOOST_CHECK_EQUAL(v["source"]["event_type"].GetString(),
                    std::string("com.twilio.whatsapp.received"));
}

BOOST_AUTO_TEST_CASE(contact_formats) {
  using F = ConsentRule::ContactFormat;
  BOOST_CHECK_EQUAL(*format_contact(F::phone, " 16505551234 "), "+16505551234");
  BOOST_CHECK_EQUAL(*format_contact(F::phone, "+1 (650) 555-1234"), "+16505551234");
  BOOST_CHECK_EQUAL(*format_contact(F::phone, "ACME"), "ACME");  // an alphanumeric sender
  BOOST_CHECK_EQUAL(*format_contact(F::email, "Jane Doe <Jane.Doe@Example.COM>"),
                    "jane.doe@example.com");
  BOOST_CHECK_EQUAL(*format_contact(F::email, " X@Y.z "), "x@y.z");
  BOOST_CHECK_EQUAL(*format_contact(F::text, " a b "), "a b");
  BOOST_CHECK(!format_contact(F::text, "   "));
  BOOST_CHECK(!format_contact(F::email, std::string(400, 'a') + "@x.io"));
  BOOST_CHECK(!format_contact(F::text,
                              "a\x01"
                              "b"));
}

BOOST_AUTO_TEST_CASE(email_bounces_and_complaints) {
  auto resend = [](const std::string& type, const std::string& data) {
    return signals_of("resend",
                      R"({"type": ")" + type +
                          R"(", "created_at": "2024-11-22T23:41:12.126Z", "data": )" + data + "}",
                      "application/json", {{"svix-id", "msg_1"}});
  };
  const auto hard = resend("email.bounced", R"({"email_id": "e1", "to": ["A@x.io", "Bob <b@x.io>"],
      "bounce": {"type": "Permanent", "subType": "General"}})");
  BOOST_REQUIRE_EQUAL(hard.size(), 2U);
  BOOST_CHECK_EQUAL(hard[0].key, "acme/a@x.io/email");
  BOOST_CHECK_EQUAL(hard[1].key, "acme/b@x.io/email");
  BOOST_CHECK_EQUAL(field(value_of(hard[0]), "reason"), "hard_bounce");
  BOOST_CHECK_EQUAL(field(value_of(hard[0]), "occurred_at"), "2024-11-22T23:41:12.126Z");
  BOOST_CHECK(
      resend("email.bounced", R"({"to": ["a@x.io"], "bounce": {"type": "Transient"}})").empty());
  BOOST_CHECK(
      resend("email.bounced", R"({"to": ["a@x.io"], "bounce": {"type": "Undetermined"}})").empty());
  BOOST_CHECK(resend("email.delivered", R"({"to": ["a@x.io"]})").empty());
  const auto complaint = resend("email.complained", R"({"to": "c@x.io"})");
  BOOST_REQUIRE_EQUAL(complaint.size(), 1U);
  BOOST_CHECK_EQUAL(complaint[0].key, "acme/c@x.io/email");
  BOOST_CHECK_EQUAL(field(value_of(complaint[0]), "reason"), "spam_complaint");
  // A hard bounce without recipients cannot be recorded: the delivery goes to the DLQ.
  TestDelivery no_to("resend",
                     R"({"type": "email.bounced", "data": {"bounce": {"type": "Permanent"}}})",
                     "application/json", {{"svix-id", "msg_2"}});
  BOOST_CHECK_EQUAL(expect_error(shipped_mapper()->map(no_to.raw)), "bad-signal");

  const auto sg = signals_of("sendgrid", R"([
    {"email": "a@x.io", "event": "bounce", "type": "bounce", "sg_event_id": "1", "timestamp": 1},
    {"email": "b@x.io", "event": "bounce", "type": "blocked", "sg_event_id": "2", "timestamp": 1},
    {"email": "c@x.io", "event": "dropped", "reason": "Bounced Address", "sg_event_id": "3", "timestamp": 1},
    {"email": "d@x.io", "event": "spamreport", "sg_event_id": "4", "timestamp": 1},
    {"email": "e@x.io", "event": "unsubscribe", "sg_event_id": "5", "timestamp": 1},
    {"email": "f@x.io", "event": "group_unsubscribe", "asm_group_id": 42, "sg_event_id": "6", "timestamp": 1},
    {"email": "f@x.io", "event": "group_resubscribe", "asm_group_id": 42, "sg_event_id": "7", "timestamp": 1},
    {"email": "g@x.io", "event": "open", "sg_event_id": "8", "timestamp": 1}])");
  std::vector<std::string> got;
  for (const auto& s : sg) {
    const auto v = value_of(s);
    got.push_back(field(v, "contact") + " " + field(v, "action") + " " + field(v, "reason") +
                  (v.HasMember("group") ? " " + field(v, "group") : ""));
  }
  const std::vector<std::string> want{
      "a@x.io opt_out hard_bounce", "d@x.io opt_out spam_complaint", "e@x.io opt_out unsubscribe",
      "f@x.io opt_out group_unsubscribe 42", "f@x.io opt_in group_resubscribe 42"};
  BOOST_CHECK_EQUAL_COLLECTIONS(got.begin(), got.end(), want.begin(), want.end());
}

BOOST_AUTO_TEST_CASE(slack_approval_buttons) {
  const auto approve =
      signals_of("slack", slack_actions(R"([{"action_id": "hookline.approve", "value": "cmp_1",
                                                  "type": "button", "action_ts": "1548426417.840180"}])"),
                 "application/x-www-form-urlencoded");
  BOOST_REQUIRE_EQUAL(approve.size(), 1U);
  BOOST_CHECK(approve[0].kind == Signal::Kind::approval);
  BOOST_CHECK_EQUAL(approve[0].topic, "approvals.decisions");
  BOOST_CHECK_EQUAL(approve[0].key, "cmp_1");
  const auto v = value_of(approve[0]);
  BOOST_CHECK_EQUAL(field(v, "decision"), "approve");
  BOOST_CHECK_EQUAL(field(v, "campaign_id"), "cmp_1");
  BOOST_CHECK_EQUAL(v["decided_by"]["slack_user_id"].GetString(), std::string("U0CA5"));
  BOOST_CHECK_EQUAL(v["decided_by"]["name"].GetString(), std::string("amy"));
  BOOST_CHECK_EQUAL(field(v, "decided_at"), "2019-01-25T14:26:57.840Z");
  BOOST_CHECK_EQUAL(v["source"]["event_id"].GetString(), std::string("1.2.3"));

  const auto deny =
      signals_of("slack",
                 slack_actions(R"([{"action_id": "hookline.deny", "value": "cmp_2"}])",
                               R"({"id": "U9", "name": "legacy-name"})"),
                 "application/x-www-form-urlencoded");
  BOOST_REQUIRE_EQUAL(deny.size(), 1U);
  BOOST_CHECK_EQUAL(field(value_of(deny[0]), "decision"), "deny");
  BOOST_CHECK_EQUAL(value_of(deny[0])["decided_by"]["name"].GetString(),
                    std::string("legacy-name"));
  const auto anonymous = signals_of(
      "slack",
      slack_actions(R"([{"action_id": "hookline.deny", "value": "cmp_2"}])", R"({"id": "U9"})"),
      "application/x-www-form-urlencoded");
  BOOST_REQUIRE_EQUAL(anonymous.size(), 1U);
  BOOST_CHECK(!value_of(anonymous[0])["decided_by"].HasMember("name"));

  // Other buttons are not decisions; several decision buttons are several decisions.
  BOOST_CHECK(signals_of("slack",
                         slack_actions(R"([{"action_id": "something_else", "value": "cmp_1"}])"),
                         "application/x-www-form-urlencoded")
                  .empty());
  BOOST_CHECK_EQUAL(
      signals_of("slack", slack_actions(R"([{"action_id": "hookline.approve", "value": "a1"},
                                                          {"action_id": "other"},
                                                          {"action_id": "hookline.deny", "value": "a2"}])"),
                 "application/x-www-form-urlencoded")
          .size(),
      2U);
  // A decision button without a usable campaign id, or without a user, goes to the DLQ.
  for (const std::string& actions :
       {std::string(R"([{"action_id": "hookline.approve"}])"),
        std::string(R"([{"action_id": "hookline.approve", "value": ""}])"),
        std::string(R"([{"action_id": "hookline.approve", "value": "has space"}])"),
        std::string(R"([{"action_id": "hookline.approve", "value": "-leading"}])"),
        std::string(R"([{"action_id": "hookline.approve", "value": ")") + std::string(200, 'a') +
            "\"}]"}) {
    TestDelivery d("slack", slack_actions(actions), "application/x-www-form-urlencoded");
    BOOST_CHECK_EQUAL(expect_error(shipped_mapper()->map(d.raw)), "bad-signal");
  }
  TestDelivery no_user("slack",
                       slack_actions(R"([{"action_id": "hookline.approve", "value": "c"}])", "{}"),
                       "application/x-www-form-urlencoded");
  BOOST_CHECK_EQUAL(expect_error(shipped_mapper()->map(no_user.raw)), "bad-signal");
}

BOOST_AUTO_TEST_CASE(signals_need_a_plain_tenant) {
  TestDelivery d("twilio", "MessageSid=SM1&From=%2B1555&Body=STOP",
                 "application/x-www-form-urlencoded");
  d.raw.tenant = "a/b";
  BOOST_CHECK_EQUAL(expect_error(shipped_mapper()->map(d.raw)), "bad-signal");
  d.raw.tenant = "";
  BOOST_CHECK_EQUAL(expect_error(shipped_mapper()->map(d.raw)), "bad-signal");
}

BOOST_AUTO_TEST_CASE(the_schemas_refuse_what_they_should) {
  auto check = [](Signal::Kind kind, const std::string& value) {
    Signal s;
    s.kind = kind;
    s.value = value;
    std::string why;
    return signal_matches_schema(s, why);
  };
  const std::string source =
      R"("source": {"provider": "twilio", "connection": "main", "event_id": "SM1"})";
  const std::string ok =
      R"({"schema_version": 1, "tenant": "acme", "contact": "+1555", "channel": "sms",
      "action": "opt_out", "reason": "keyword:STOP", "occurred_at": "2024-01-01T00:00:00.000Z", )" +
      source + "}";
  BOOST_CHECK(check(Signal::Kind::consent, ok));
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"opt_out", "maybe"},
           {"keyword:STOP", "keyword:stop"},
           {"keyword:STOP", "Hard Bounce"},
           {"\"acme\"", "\"a/b\""},
           {"\"sms\"", "\"SMS\""},
           {"2024-01-01T00:00:00.000Z", "2024-01-01"},
           {"\"schema_version\": 1", "\"schema_version\": 2"},
           {"\"+1555\"", "\"\""}}) {
    std::string bad = ok;
    bad.replace(bad.find(from), from.size(), to);
    BOOST_CHECK_MESSAGE(!check(Signal::Kind::consent, bad), bad);
  }
  BOOST_CHECK(!check(Signal::Kind::consent, ok.substr(0, ok.size() - 1) + R"(, "extra": 1})"));
  const std::string approval = R"({"schema_version": 1, "tenant": "acme", "campaign_id": "cmp_1",
      "decision": "approve", "decided_by": {"slack_user_id": "U1"}, "decided_at": "2024-01-01T00:00:00.000Z",
      "source": {"provider": "slack", "event_id": "1.2"}})";
  BOOST_CHECK(check(Signal::Kind::approval, approval));
  std::string by_operator = approval;
  by_operator.replace(by_operator.find(R"("slack_user_id": "U1")"), 21,
                      R"("operator": "ops@acme")");
  BOOST_CHECK(check(Signal::Kind::approval, by_operator));
  std::string nobody = approval;
  nobody.replace(nobody.find(R"("slack_user_id": "U1")"), 21, R"("name": "x")");
  BOOST_CHECK(!check(Signal::Kind::approval, nobody));
  std::string bad_campaign = approval;
  bad_campaign.replace(bad_campaign.find("cmp_1"), 5, "cmp 1");
  BOOST_CHECK(!check(Signal::Kind::approval, bad_campaign));
}
