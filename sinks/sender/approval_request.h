#pragma once
// An approvals.requests record (schemas/approvals.requests.v1.schema.json): the gatekeeper asks
// for a person's decision on a held campaign; the sender posts it to Slack as a Block Kit
// message with Approve / Deny buttons (action_id hookline.approve / hookline.deny, block_id
// hookline.approval, value = the campaign id: the button contract of
// approvals.decisions.v1.schema.json). Record key: the campaign id.
//
// The preview is message content chosen to be shown to approvers; it is never logged.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "sinks/sender/send_request.h"

namespace hookline::sender {

struct ApprovalRequest {
  std::string approval_id;  // unique, [A-Za-z0-9][A-Za-z0-9._:-]*, at most 119 characters
                            // (the Slack message's request id "approval.<id>" is at most 128)
  std::string tenant;
  std::string campaign_id;
  std::string campaign_name;    // "" when the campaign has none
  std::int64_t recipients = 1;  // at least 1
  double risk_score = 0;
  bool sensitive = false;
  bool ai_drafted = false;
  std::vector<std::string> reasons;  // approval rule codes: recipients_over, risk_score_over, ...
  std::string preview;               // at most 1000 characters
  std::chrono::system_clock::time_point requested_at{};
  std::chrono::system_clock::time_point expires_at{};
  std::string slack_connection;  // "slack/<id>" of the connection registry
  std::string slack_channel;     // Slack channel id
};

// The record value (JSON).
std::string to_json(const ApprovalRequest& request);
// Reads and validates a record value; errors name the schema keyword and JSON pointer, never
// a value. Thread-safe (the compiled schema is built once per thread).
Result<ApprovalRequest> parse_approval_request(std::string_view json);

// The schema's text (embedded at build time; for tests).
std::string_view approval_request_schema_text() noexcept;

// The Slack chat.postMessage send request for it: id "approval.<approval_id>" (so the
// sent-ledger posts it once however often it is redelivered), channel slack, purpose
// transactional, contact.address = the Slack channel, content.text a one-line fallback and
// content.blocks the Block Kit message with the campaign's facts, preview and the two buttons,
// expires_at = the approval's (an approval request not posted before then is not posted).
// Names, tenant and preview are escaped for Slack mrkdwn (&, <, >) and shortened to fit
// Block Kit's text limits. Implemented in approval_message.cpp.
SendRequest approval_message(const ApprovalRequest& request);

}  // namespace hookline::sender
