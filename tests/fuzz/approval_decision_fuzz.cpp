// Fuzzes the approvals.decisions reader (strict JSON + schema validation + extraction): what it
// accepts must survive a round trip through the writer the CLI uses.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "processors/gatekeeper/decision_record.h"

namespace hg = hookline::gatekeeper;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto decision = hg::parse_approval_decision(input);
  if (!decision) {
    if (decision.error().message.empty()) __builtin_trap();  // every refusal says why
    return 0;
  }
  if (decision->campaign_id.empty() || decision->event_id.empty()) __builtin_trap();
  if (decision->slack_user_id.empty() && decision->operator_name.empty()) __builtin_trap();
  hg::ApprovalDecision mine = *decision;
  if (!mine.slack_user_id.empty()) mine.operator_name.clear();
  auto again = hg::parse_approval_decision(hg::decision_to_json(mine));
  if (!again || again->campaign_id != decision->campaign_id ||
      again->approve != decision->approve || again->event_id != decision->event_id) {
    __builtin_trap();
  }
  return 0;
}
