#pragma once
// The consent decision as a pure function of the rules, the request and the contact's ledger
// entries: no database, no clock. The ConsentChecker (consent_check.h) feeds it; tests drive it
// with tables.
//
// Semantics:
//  - A request on a channel outside rules.channels (slack, webhook) is allowed:
//    no_consent_required.
//  - Relevant entries are those whose channel is the request's or "*" (every channel), whose
//    group is "" (the whole channel) or the request's subscription_group, and whose scope
//    covers the request's purpose (scope all, or the purpose itself). So an opt-out of group
//    G only applies to requests of group G, and a global ("*") opt-out to every channel.
//  - The newest relevant entry decides: newest by occurred_at, then by id. `entries` may be
//    the contact's current entries (newest per channel, scope and group) or its whole
//    history: the newest relevant entry is the same.
//  - Marketing: decided by opted_in -> allowed, opted_in; opted_out -> suppressed with the
//    code of its source (below); no relevant entry -> suppressed, no_opt_in, when
//    rules.marketing_requires_opt_in, else allowed, no_consent_required.
//  - Transactional: decided by opted_out -> suppressed with the code of its source, except
//    the single STOP confirmation: a request of kind opt_out_confirmation on sms or whatsapp
//    whose deciding entry is an inbound_stop that occurred at most
//    rules.stop_confirmation_window before `now` (a window of 0 disables this) is allowed
//    with reason stop_confirmation, provided the caller claims the confirmation of that entry
//    (needs_confirmation_claim()). Anything else is allowed: transactional.
//  - Codes of opt-out sources: inbound_stop -> stop_keyword, bounce -> hard_bounce,
//    complaint -> complaint, unsubscribe_link -> unsubscribed, erasure -> erased, others
//    (api, import) -> opted_out.
//  The decision's entry_id is the deciding entry's id (0 when no entry decided).
#include <chrono>
#include <vector>

#include "processors/gatekeeper/consent/consent_check.h"
#include "processors/gatekeeper/consent/consent_entry.h"
#include "processors/gatekeeper/rules/rules.h"
#include "sinks/sender/send_request.h"

namespace hookline::gatekeeper {

// Reason codes of consent decisions.
namespace consent_reason {
inline constexpr const char* kNoConsentRequired = "no_consent_required";
inline constexpr const char* kOptedIn = "opted_in";
inline constexpr const char* kTransactional = "transactional";
inline constexpr const char* kStopConfirmation = "stop_confirmation";
inline constexpr const char* kNoOptIn = "no_opt_in";
inline constexpr const char* kOptedOut = "opted_out";
inline constexpr const char* kStopKeyword = "stop_keyword";
inline constexpr const char* kHardBounce = "hard_bounce";
inline constexpr const char* kComplaint = "complaint";
inline constexpr const char* kUnsubscribed = "unsubscribed";
inline constexpr const char* kErased = "erased";
inline constexpr const char* kConfirmationAlreadySent = "confirmation_already_sent";
}  // namespace consent_reason

// Whether the request's channel is one whose messages need consent (rules.channels).
bool consent_required(const ConsentRules& rules, sender::Channel channel);

// The suppression code of an opt-out from `source` (see above).
const char* opt_out_reason(ConsentSource source) noexcept;

// The decision for `request` given the contact's entries (see the semantics above).
ConsentDecision evaluate_consent(const ConsentRules& rules, const sender::SendRequest& request,
                                 const std::vector<ConsentEntry>& current,
                                 std::chrono::system_clock::time_point now);

// True when `decision` lets a STOP confirmation through: it holds only once the confirmation
// of ledger entry decision.entry_id is claimed for the request (ConsentLedger::
// claim_confirmation); when the claim fails the request is suppressed,
// confirmation_already_sent.
bool needs_confirmation_claim(const ConsentDecision& decision);

}  // namespace hookline::gatekeeper
