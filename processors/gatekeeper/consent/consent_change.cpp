// consent.changes record values into ledger entries (consent_change.h).
#include "processors/gatekeeper/consent/consent_change.h"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include "core/json_walk.h"
#include "core/time_format.h"

namespace hookline::gatekeeper {
namespace {

// One compiled schema per thread: RapidJSON 1.1's pattern matcher keeps its state in the
// compiled regex, so a schema document must not be used by two threads at once.
const rapidjson::SchemaDocument& schema() {
  thread_local const rapidjson::SchemaDocument doc = [] {
    rapidjson::Document d;
    const std::string_view text = consent_change_schema_text();
    d.Parse(text.data(), text.size());
    if (d.HasParseError()) std::abort();  // a build defect, caught by every test
    return rapidjson::SchemaDocument(d);
  }();
  return doc;
}

Error invalid(std::string message) {
  return Error{ErrorKind::permanent, {}, std::move(message)};
}

std::string str(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

// RapidJSON's schema validator hashes numbers for `enum` by converting them to a 64-bit
// integer, which is undefined for doubles out of that range: such numbers are refused first.
bool numbers_in_range(const rapidjson::Value& root) {
  return !any_json_node(root, [](const rapidjson::Value& v) {
    return v.IsDouble() && !(v.GetDouble() > -9.2e18 && v.GetDouble() < 9.2e18);
  });
}

// The source of a change, or nullopt when its reason contradicts its action.
std::optional<ConsentSource> source_of(bool opt_out, const std::string& reason) {
  if (reason.starts_with("keyword:")) {
    return opt_out ? ConsentSource::inbound_stop : ConsentSource::inbound_start;
  }
  if (reason == "hard_bounce" || reason == "spam_complaint" || reason == "unsubscribe" ||
      reason == "group_unsubscribe") {
    if (!opt_out) return std::nullopt;
    if (reason == "hard_bounce") return ConsentSource::bounce;
    if (reason == "spam_complaint") return ConsentSource::complaint;
    return ConsentSource::unsubscribe_link;
  }
  if (reason == "group_resubscribe") {
    if (opt_out) return std::nullopt;
    return ConsentSource::resubscribe;
  }
  return opt_out ? ConsentSource::unsubscribe_link : ConsentSource::resubscribe;
}

Scope scope_for(const std::map<ConsentSource, Scope>& scopes, ConsentSource source) {
  auto it = scopes.find(source);
  return it == scopes.end() ? Scope::marketing : it->second;
}

}  // namespace

Result<ConsentEntry> consent_entry_from_change(std::string_view json, const ConsentRules& rules,
                                               const ContactHasher& hasher) {
  rapidjson::Document d;
  // Without kParseStopWhenDoneFlag, text after the value is an error (root not singular).
  // Invalid UTF-8 is refused here (RapidJSON's pointer rendering over-reads on it later).
  d.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (d.HasParseError()) {
    return invalid(std::string("not JSON: ") + rapidjson::GetParseError_En(d.GetParseError()) +
                   " at offset " + std::to_string(d.GetErrorOffset()));
  }
  if (!numbers_in_range(d)) return invalid("a number is out of range (beyond 64-bit integers)");
  rapidjson::SchemaValidator validator(schema());
  if (!d.Accept(validator)) {
    rapidjson::StringBuffer where;
    validator.GetInvalidDocumentPointer().StringifyUriFragment(where);
    std::string pointer = where.GetString();
    if (pointer.starts_with('#')) pointer.erase(0, 1);
    return invalid(std::string("does not match consent.changes.v1: ") +
                   validator.GetInvalidSchemaKeyword() + " at " +
                   (pointer.empty() ? std::string("/") : pointer));
  }
  const rapidjson::Value& doc = d;  // const iterators (C++20 comparison rules)
  const bool opt_out = str(doc, "action") == "opt_out";
  const std::string reason = str(doc, "reason");
  const std::optional<ConsentSource> source = source_of(opt_out, reason);
  if (!source) {
    return invalid(std::string("/reason is an ") + (opt_out ? "opt-in" : "opt-out") +
                   " reason but /action is " + (opt_out ? "opt_out" : "opt_in"));
  }
  const auto ms = parse_rfc3339_ms(str(doc, "occurred_at"));
  if (!ms) return invalid("/occurred_at is not a valid time");
  // system_clock counts nanoseconds in 64 bits (it ends in 2262).
  constexpr std::int64_t kLatestMs = 7258118400000;  // 2200-01-01T00:00:00Z
  if (*ms > kLatestMs) return invalid("/occurred_at is after 2200");

  ConsentEntry e;
  e.tenant = str(doc, "tenant");
  std::string contact = normalize_contact(str(doc, "contact"));
  if (contact.empty()) return invalid("/contact is empty once normalized");
  e.contact_hash = hasher.hash(e.tenant, contact);
  e.contact = std::move(contact);
  e.channel = str(doc, "channel");
  e.status = opt_out ? ConsentStatus::opted_out : ConsentStatus::opted_in;
  e.source = *source;
  e.scope = scope_for(opt_out ? rules.opt_out_scope : rules.opt_in_scope, *source);
  e.reason = reason;
  e.group = str(doc, "group");
  e.evidence_event_id = str(doc["source"], "event_id");
  e.occurred_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(*ms));
  e.recorded_by = kGatekeeperRecorder;
  return e;
}

}  // namespace hookline::gatekeeper
