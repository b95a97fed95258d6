#pragma once
// Approval signals (approvals.decisions, schemas/approvals.decisions.v1.schema.json): a click
// on hookline's Approve / Deny button in Slack.
//
//   "approval": {
//     "actions": "/actions",             the array of actions in the event
//     "action_id": "/action_id",         in each action: which button
//     "campaign_id": "/value",           in each action: the button's value = the campaign id
//     "decisions": {"hookline.approve": "approve", "hookline.deny": "deny"},
//     "user_id": ["{/user/id}"], "user_name": ["{/user/username}", "{/user/name}"]
//   }
//
// Actions whose action_id is not a key of `decisions` are other buttons and ignored. Key: the
// campaign id.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/pointer.h>

#include "core/json_reader.h"
#include "processors/normalizer/signal_origin.h"
#include "processors/normalizer/template.h"

namespace hookline::normalizer {

struct ApprovalRule {
  rapidjson::Pointer actions;
  rapidjson::Pointer action_id;
  rapidjson::Pointer campaign_id;
  std::map<std::string, std::string, std::less<>> decisions;  // action_id -> approve | deny
  std::vector<Template> user_id;
  std::vector<Template> user_name;
};

// A campaign id as the schema allows it: 1-128 of A-Z a-z 0-9 . _ : - starting alphanumeric.
bool valid_campaign_id(std::string_view id);

// Throws ConfigError naming file and key.
ApprovalRule read_approval_rule(ObjectReader& r, const std::vector<std::string>& keep_headers);

// Appends one signal per decision button in the event; "bad-signal" when a decision button
// carries no valid campaign id or the user is unknown.
std::optional<MappingError> append_approval_signals(const ApprovalRule& rule, const Scope& scope,
                                                    const SignalOrigin& origin,
                                                    std::vector<Signal>& out);

}  // namespace hookline::normalizer
