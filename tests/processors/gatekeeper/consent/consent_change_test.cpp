// consent.changes record values into ledger entries: every mapping, the scopes from the rules,
// and bad input (processors/gatekeeper/consent/consent_change.h).
#define BOOST_TEST_MODULE gatekeeper_consent_change
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "core/files.h"
#include "core/time_format.h"
#include "processors/gatekeeper/consent/consent_change.h"

using namespace hookline;
using namespace hookline::gatekeeper;

namespace {

const ContactHasher kHasher(std::string(32, '\x05'));

// A change of a Twilio sms contact with `action` and `reason`.
std::string change(const std::string& action, const std::string& reason,
                   const std::string& contact = "+1 (415) 555-0100") {
  return R"({"schema_version":1,"tenant":"acme","contact":")" + contact +
         R"(","channel":"sms","action":")" + action + R"(","reason":")" + reason +
         R"(","occurred_at":"2026-11-22T01:02:03.456Z","source":{"provider":"twilio",)"
         R"("connection":"twilio/main","event_id":"evt-1","event_type":"com.twilio.sms"}})";
}

std::string with_member(std::string json, const std::string& member) {
  json.insert(json.size() - 1, "," + member);
  return json;
}

Result<ConsentEntry> read(const std::string& json, const ConsentRules& rules = {}) {
  return consent_entry_from_change(json, rules, kHasher);
}

std::string error_of(const std::string& json) {
  auto r = read(json);
  if (r) return "";
  BOOST_TEST((r.error().kind == ErrorKind::permanent));
  return r.error().message;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(embedded_schema_is_the_file_in_schemas) {
  const std::string file =
      read_file(std::string(HOOKLINE_SOURCE_DIR) + "/schemas/consent.changes.v1.schema.json");
  BOOST_TEST(std::string(consent_change_schema_text()) == file);
}

BOOST_AUTO_TEST_CASE(a_stop_reads_into_an_entry) {
  auto r = read(change("opt_out", "keyword:STOP"));
  BOOST_TEST_REQUIRE(static_cast<bool>(r), (r ? "" : r.error().message));
  BOOST_TEST(r->id == 0);
  BOOST_TEST(r->tenant == "acme");
  BOOST_TEST(r->contact.value_or("") == "+14155550100");
  BOOST_TEST(r->contact_hash == kHasher.hash("acme", "+14155550100"));
  BOOST_TEST(r->channel == "sms");
  BOOST_TEST((r->status == ConsentStatus::opted_out));
  BOOST_TEST((r->source == ConsentSource::inbound_stop));
  BOOST_TEST((r->scope == Scope::all));
  BOOST_TEST(r->reason == "keyword:STOP");
  BOOST_TEST(r->group.empty());
  BOOST_TEST(r->evidence_event_id == "evt-1");
  BOOST_TEST(rfc3339_ms(r->occurred_at) == "2026-11-22T01:02:03.456Z");
  BOOST_TEST(r->recorded_by == "hookline-gatekeeper");
}

BOOST_AUTO_TEST_CASE(every_reason_maps_to_its_source_and_default_scope) {
  struct Row {
    const char* action;
    const char* reason;
    ConsentSource source;
    Scope scope;
  };
  const std::vector<Row> rows{
      {"opt_out", "keyword:STOP", ConsentSource::inbound_stop, Scope::all},
      {"opt_out", "keyword:UNSUBSCRIBE", ConsentSource::inbound_stop, Scope::all},
      {"opt_in", "keyword:START", ConsentSource::inbound_start, Scope::all},
      {"opt_in", "keyword:UNSTOP", ConsentSource::inbound_start, Scope::all},
      {"opt_out", "hard_bounce", ConsentSource::bounce, Scope::all},
      {"opt_out", "spam_complaint", ConsentSource::complaint, Scope::all},
      {"opt_out", "unsubscribe", ConsentSource::unsubscribe_link, Scope::marketing},
      {"opt_out", "group_unsubscribe", ConsentSource::unsubscribe_link, Scope::marketing},
      {"opt_in", "group_resubscribe", ConsentSource::resubscribe, Scope::marketing},
      {"opt_out", "dropped_by_provider", ConsentSource::unsubscribe_link, Scope::marketing},
      {"opt_in", "resubscribed", ConsentSource::resubscribe, Scope::marketing},
  };
  for (const Row& row : rows) {
    auto r = read(change(row.action, row.reason));
    BOOST_TEST_REQUIRE(static_cast<bool>(r), row.reason << ": " << (r ? "" : r.error().message));
    BOOST_TEST((r->source == row.source), row.reason);
    BOOST_TEST((r->scope == row.scope), row.reason);
    BOOST_TEST((r->status == (std::string(row.action) == "opt_out" ? ConsentStatus::opted_out
                                                                   : ConsentStatus::opted_in)),
               row.reason);
    BOOST_TEST(r->reason == row.reason);
  }
}

BOOST_AUTO_TEST_CASE(scopes_come_from_the_rules) {
  ConsentRules rules;
  rules.opt_out_scope[ConsentSource::unsubscribe_link] = Scope::all;
  rules.opt_out_scope.erase(ConsentSource::bounce);
  rules.opt_in_scope[ConsentSource::inbound_start] = Scope::transactional;
  auto unsubscribe = read(change("opt_out", "unsubscribe"), rules);
  BOOST_TEST_REQUIRE(static_cast<bool>(unsubscribe));
  BOOST_TEST((unsubscribe->scope == Scope::all));
  auto bounce = read(change("opt_out", "hard_bounce"), rules);
  BOOST_TEST_REQUIRE(static_cast<bool>(bounce));
  BOOST_TEST((bounce->scope == Scope::marketing));  // not listed: marketing
  auto start = read(change("opt_in", "keyword:START"), rules);
  BOOST_TEST_REQUIRE(static_cast<bool>(start));
  BOOST_TEST((start->scope == Scope::transactional));
}

BOOST_AUTO_TEST_CASE(group_and_email_contacts) {
  auto r = read(
      with_member(change("opt_out", "group_unsubscribe", " Ada@Example.COM"), R"("group":"42")"));
  BOOST_TEST_REQUIRE(static_cast<bool>(r), (r ? "" : r.error().message));
  BOOST_TEST(r->group == "42");
  BOOST_TEST(r->contact.value_or("") == "ada@example.com");
  BOOST_TEST(r->contact_hash == kHasher.hash("acme", "ada@example.com"));
}

BOOST_AUTO_TEST_CASE(contradicting_reasons_are_refused) {
  for (const char* reason : {"hard_bounce", "spam_complaint", "unsubscribe", "group_unsubscribe"}) {
    const std::string message = error_of(change("opt_in", reason));
    BOOST_TEST(contains(message, "/reason is an opt-out reason but /action is opt_in"), message);
  }
  const std::string message = error_of(change("opt_out", "group_resubscribe"));
  BOOST_TEST(contains(message, "/reason is an opt-in reason but /action is opt_out"), message);
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused_without_values) {
  const std::string secret_contact = "+19995550123";
  struct Bad {
    std::string json;
    std::string expected;
  };
  const std::string good = change("opt_out", "keyword:STOP", secret_contact);
  std::string no_tenant = good;
  no_tenant.replace(no_tenant.find(R"("tenant":"acme",)"), 16, "");
  std::string bad_time = good;
  bad_time.replace(bad_time.find("2026-11-22T01"), 13, "2026-13-40T01");
  std::string late = good;
  late.replace(late.find("2026-11-22T01"), 4, "2300");
  std::string slash_tenant = good;
  slash_tenant.replace(slash_tenant.find(R"("acme")"), 6, R"("a/b")");
  const std::vector<Bad> cases{
      {"", "not JSON"},
      {"[]", "does not match consent.changes.v1: type at /"},
      {good + " x", "not JSON"},
      {"{\"contact\":\"\xff\"}", "not JSON"},
      {no_tenant, "does not match consent.changes.v1: required at /"},
      {with_member(good, R"("extra":1)"), "additionalProperties at /"},
      {with_member(good, R"("group":"")"), "minLength at /group"},
      {slash_tenant, "pattern at /tenant"},
      {change("opt_out", "STOP", secret_contact), "pattern at /reason"},
      {change("maybe", "keyword:STOP", secret_contact), "enum at /action"},
      {change("opt_out", "keyword:STOP", ""), "minLength at /contact"},
      {change("opt_out", "keyword:STOP", " () "), "/contact is empty once normalized"},
      {bad_time, "/occurred_at is not a valid time"},
      {late, "/occurred_at is after 2200"},
      {R"({"schema_version":1e300})", "out of range"},
      {R"({"schema_version":2})", "enum at /schema_version"},
  };
  for (const Bad& c : cases) {
    const std::string message = error_of(c.json);
    BOOST_TEST(contains(message, c.expected), c.json << " -> " << message);
    BOOST_TEST(!contains(message, secret_contact));
    BOOST_TEST(!contains(message, "19995550123"));
  }
}
