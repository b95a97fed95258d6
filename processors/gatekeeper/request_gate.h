#pragma once
// What the gatekeeper does with one send request (DESIGN.md decisions 8 and 9):
//   1. consent (consent/consent_check.h): not allowed -> suppressed, with the reason code;
//   2. approval (rules/approval_rules.h): a campaign with an approval follows it (pending ->
//      held, approved -> on, denied / expired -> that result); a campaign without one that an
//      approval rule catches gets one (and the message is held); no Slack connection for
//      approvals in the rules -> denied, approval_unavailable;
//   3. quiet hours (rules/quiet_hours.h): inside the tenant's window the request goes on with
//      not_before moved to the window's end (reason quiet_hours);
//   4. otherwise approved, unchanged.
// Held messages and approvals are written in the caller's transaction; a request already held
// (a replayed record) stays held and produces nothing.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/transaction_base>

#include "core/error.h"
#include "processors/gatekeeper/consent/consent_check.h"
#include "processors/gatekeeper/rules/rules.h"
#include "sinks/sender/send_request.h"

namespace hookline::gatekeeper {

enum class GateOutcome { approved, suppressed, held, denied, expired };
const char* to_string(GateOutcome o) noexcept;

struct GateDecision {
  GateOutcome outcome = GateOutcome::approved;
  std::string reason;         // reason code (allowed ones too: opted_in, transactional, ...)
  std::string value;          // approved: the record value to publish (rewritten for quiet hours)
  bool new_approval = false;  // held: this message created its campaign's approval
};

class RequestGate {
 public:
  RequestGate(const Rules& rules, ConsentChecker& consent) : rules_(rules), consent_(consent) {}

  // `value` is the record value `request` was parsed from. Errors are retriable (the consent
  // ledger could not be read): the caller retries the batch.
  Result<GateDecision> decide(pqxx::transaction_base& tx, const sender::SendRequest& request,
                              std::string_view value, std::chrono::system_clock::time_point now);

  // The second look at a held message of an approved campaign, at release: consent again,
  // then quiet hours.
  Result<GateDecision> recheck(const sender::SendRequest& request, std::string_view value,
                               std::chrono::system_clock::time_point now);

 private:
  GateDecision pass(const sender::SendRequest& request, std::string_view value, std::string reason,
                    std::chrono::system_clock::time_point now) const;

  const Rules& rules_;
  ConsentChecker& consent_;
};

// The approval request's preview: the campaign's own preview, else the message's subject, else
// its text, shortened to `max` bytes at a UTF-8 boundary (with "…" when cut).
std::string campaign_preview(const sender::SendRequest& request, std::size_t max = 300);

// `value` (a send request JSON object) with its not_before set to `t`.
std::string with_not_before(std::string_view value, std::chrono::system_clock::time_point t);

}  // namespace hookline::gatekeeper
