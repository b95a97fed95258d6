#pragma once
// The gatekeeper's rules, declared as data in topology/rules.json (DESIGN.md decisions 8, 9):
// which channels need consent and how far each kind of opt-out reaches, optional quiet hours
// per tenant, and when a campaign waits for a person's approval in Slack. load_rules() reads
// and checks the file; defaults follow the usual law (see the README's "Rules" section).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace hookline::gatekeeper {

// How far an opt-out (or opt-in) reaches: every purpose, or only one.
enum class Scope { all, marketing, transactional };

// Where a consent entry came from.
enum class ConsentSource {
  inbound_stop,      // an SMS/WhatsApp opt-out keyword (STOP, UNSUBSCRIBE, ...)
  inbound_start,     // an SMS/WhatsApp opt-in keyword (START, UNSTOP, ...)
  unsubscribe_link,  // an email unsubscribe (link, List-Unsubscribe, group unsubscribe)
  resubscribe,       // an email resubscribe reported by the provider
  bounce,            // a hard bounce
  complaint,         // a spam complaint
  api,               // written with `hookline consent set` or by an application
  import_,           // a bulk import ("import" in JSON and the CLI)
  erasure,           // the hashed suppression entry an erase leaves behind
};

const char* to_string(Scope s) noexcept;
const char* to_string(ConsentSource s) noexcept;
std::optional<Scope> scope_named(const std::string& name);
std::optional<ConsentSource> consent_source_named(const std::string& name);

struct ConsentRules {
  // Channels whose messages need consent; others (slack, webhook) go to internal systems.
  std::set<std::string> channels{"email", "sms", "whatsapp"};
  // Marketing needs an opt-in for its channel (else reason no_opt_in).
  bool marketing_requires_opt_in = true;
  // The scope an opt-out of each source gets when it enters the ledger from consent.changes
  // (entries written with the CLI carry their own). Defaults: STOP, bounces and complaints
  // block every purpose; unsubscribes block marketing.
  std::map<ConsentSource, Scope> opt_out_scope{{ConsentSource::inbound_stop, Scope::all},
                                               {ConsentSource::bounce, Scope::all},
                                               {ConsentSource::complaint, Scope::all},
                                               {ConsentSource::unsubscribe_link, Scope::marketing},
                                               {ConsentSource::api, Scope::marketing},
                                               {ConsentSource::import_, Scope::marketing},
                                               {ConsentSource::erasure, Scope::all}};
  // The scope an opt-in of each source gets (START re-enables everything a STOP blocked).
  std::map<ConsentSource, Scope> opt_in_scope{{ConsentSource::inbound_start, Scope::all},
                                              {ConsentSource::resubscribe, Scope::marketing},
                                              {ConsentSource::api, Scope::marketing},
                                              {ConsentSource::import_, Scope::marketing}};
  // After an SMS/WhatsApp STOP, one request of kind opt_out_confirmation may still go within
  // this window; 0 disables the exception.
  std::chrono::seconds stop_confirmation_window{std::chrono::hours(24)};
};

// Marketing (by default) is deferred to the end of the window: the request goes on with its
// not_before moved there. Times are minutes after local midnight at a fixed UTC offset.
struct QuietHours {
  int start_minute = 21 * 60;  // 21:00
  int end_minute = 8 * 60;     // 08:00 (before start: the window spans midnight)
  int utc_offset_minutes = 0;
  std::set<std::string> purposes{"marketing"};
};

struct ApprovalRules {
  // Approval is needed when any of these holds for a campaign's message. Unset thresholds
  // never trigger.
  std::optional<std::int64_t> recipients_over = 1000;
  std::optional<double> risk_score_over = 0.7;
  bool sensitive = true;    // campaign.sensitive
  bool ai_drafted = true;   // campaign.ai_drafted
  bool first_send = false;  // every campaign id the gatekeeper has not seen before
  // A pending approval expires after this long (its held messages end `expired`).
  std::chrono::seconds expires_after{std::chrono::hours(24)};
  // Held messages are released (or reported denied/expired) this many at a time.
  int release_batch = 500;
  // Slack users allowed to decide; empty: anyone in the approval channel. CLI decisions
  // (decided_by.operator) are always accepted.
  std::set<std::string> approver_slack_user_ids;
  // Where approval requests are posted: a Slack connection of the registry
  // ("slack/<id>") and a channel id. Empty connection: approvals cannot be requested, and
  // a campaign that needs one is denied with reason approval_unavailable.
  std::string slack_connection;
  std::string slack_channel;
};

struct TenantRules {
  std::optional<QuietHours> quiet_hours;
  ApprovalRules approval;
};

struct Rules {
  ConsentRules consent;
  ApprovalRules approval;                      // for tenants without their own
  std::optional<QuietHours> quiet_hours;       // for tenants without their own
  std::map<std::string, TenantRules> tenants;  // per-tenant overrides (merged over the above)
  std::string source = "(defaults)";

  const ApprovalRules& approval_for(const std::string& tenant) const;
  const QuietHours* quiet_hours_for(const std::string& tenant) const;
};

// Reads topology/rules.json. Unknown keys, wrong types and impossible values throw
// ConfigError naming the file and the key. A missing file throws too (the gatekeeper refuses
// to start without rules); the shipped file states the defaults above.
Rules load_rules(const std::string& path);
// Parses rules from JSON text (`origin` names it in errors).
Rules parse_rules(const std::string& json, const std::string& origin);

}  // namespace hookline::gatekeeper
