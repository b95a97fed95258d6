#pragma once
// Whether a send request must wait for a person's approval (issue 6 item 3, DESIGN.md decision
// 9): the approval rules (rules.h) applied to the request's campaign. Pure: the caller says
// whether the campaign was seen before (for the first_send rule).
#include <string>
#include <vector>

#include "processors/gatekeeper/rules/rules.h"
#include "sinks/sender/send_request.h"

namespace hookline::gatekeeper {

// Reason codes, in the order approval_reasons() lists them.
inline constexpr const char* kReasonRecipientsOver = "recipients_over";
inline constexpr const char* kReasonRiskScoreOver = "risk_score_over";
inline constexpr const char* kReasonSensitive = "sensitive";
inline constexpr const char* kReasonAiDrafted = "ai_drafted";
inline constexpr const char* kReasonFirstSend = "first_send";

// Every rule that holds for the request's campaign; empty when no approval is needed. A request
// without a campaign never needs one. Thresholds are strict: recipients > recipients_over,
// risk_score > risk_score_over.
std::vector<std::string> approval_reasons(const ApprovalRules& rules,
                                          const sender::SendRequest& request,
                                          bool campaign_seen_before);

}  // namespace hookline::gatekeeper
