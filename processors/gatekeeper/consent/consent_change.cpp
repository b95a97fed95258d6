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
#include <rapidjson/stringbuffer.h>

#include "core/json_schema.h"
#include "core/time_format.h"

namespace hookline::gatekeeper {
namespace {

Error invalid(std::string message) {
  return Error{ErrorKind::permanent, {}, std::move(message)};
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
  auto parsed = parse_validated(json, consent_change_schema_text(), "consent.changes.v1");
  if (!parsed) return parsed.error();
  const rapidjson::Document& d = *parsed;
  const rapidjson::Value& doc = d;  // const iterators (C++20 comparison rules)
  const bool opt_out = string_member(doc, "action") == "opt_out";
  const std::string reason = string_member(doc, "reason");
  const std::optional<ConsentSource> source = source_of(opt_out, reason);
  if (!source) {
    return invalid(std::string("/reason is an ") + (opt_out ? "opt-in" : "opt-out") +
                   " reason but /action is " + (opt_out ? "opt_out" : "opt_in"));
  }
  const auto ms = parse_rfc3339_ms(string_member(doc, "occurred_at"));
  if (!ms) return invalid("/occurred_at is not a valid time");
  // system_clock counts nanoseconds in 64 bits (it ends in 2262).
  constexpr std::int64_t kLatestMs = 7258118400000;  // 2200-01-01T00:00:00Z
  if (*ms > kLatestMs) return invalid("/occurred_at is after 2200");

  ConsentEntry e;
  e.tenant = string_member(doc, "tenant");
  std::string contact = normalize_contact(string_member(doc, "contact"));
  if (contact.empty()) return invalid("/contact is empty once normalized");
  e.contact_hash = hasher.hash(e.tenant, contact);
  e.contact = std::move(contact);
  e.channel = string_member(doc, "channel");
  e.status = opt_out ? ConsentStatus::opted_out : ConsentStatus::opted_in;
  e.source = *source;
  e.scope = scope_for(opt_out ? rules.opt_out_scope : rules.opt_in_scope, *source);
  e.reason = reason;
  e.group = string_member(doc, "group");
  e.evidence_event_id = string_member(doc["source"], "event_id");
  e.occurred_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(*ms));
  e.recorded_by = kGatekeeperRecorder;
  return e;
}

}  // namespace hookline::gatekeeper
