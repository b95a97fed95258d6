// The approval rules applied to one send request.
#include "processors/gatekeeper/rules/approval_rules.h"

namespace hookline::gatekeeper {

std::vector<std::string> approval_reasons(const ApprovalRules& rules,
                                          const sender::SendRequest& request,
                                          bool campaign_seen_before) {
  std::vector<std::string> reasons;
  if (!request.campaign) return reasons;
  const sender::Campaign& c = *request.campaign;
  if (rules.recipients_over && c.recipients > *rules.recipients_over) {
    reasons.emplace_back(kReasonRecipientsOver);
  }
  if (rules.risk_score_over && c.risk_score > *rules.risk_score_over) {
    reasons.emplace_back(kReasonRiskScoreOver);
  }
  if (rules.sensitive && c.sensitive) reasons.emplace_back(kReasonSensitive);
  if (rules.ai_drafted && c.ai_drafted) reasons.emplace_back(kReasonAiDrafted);
  if (rules.first_send && !campaign_seen_before) reasons.emplace_back(kReasonFirstSend);
  return reasons;
}

}  // namespace hookline::gatekeeper
