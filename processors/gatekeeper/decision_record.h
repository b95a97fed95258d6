#pragma once
// An approvals.decisions record (schemas/approvals.decisions.v1.schema.json): Approve or Deny
// on a held campaign, from a Slack button (through ingest and normalizer) or the CLI. Read
// strictly (schema-validated); written by `hookline approvals approve|deny`.
#include <chrono>
#include <string>
#include <string_view>

#include "core/error.h"

namespace hookline::gatekeeper {

struct ApprovalDecision {
  std::string tenant;
  std::string campaign_id;
  bool approve = false;
  std::string slack_user_id;  // "" when decided with the CLI
  std::string operator_name;  // "" when decided in Slack
  std::chrono::system_clock::time_point decided_at{};
  std::string event_id;  // source.event_id: the idempotency key of the decision
  std::string provider;  // source.provider ("slack", "cli")

  // "slack:<user id>" or "operator:<name>" (ids only, for the approvals table and the audit).
  std::string decided_by() const;
};

// Thread-safe. Errors name the schema keyword and the JSON pointer, never values.
Result<ApprovalDecision> parse_approval_decision(std::string_view json);

// A record value for a decision made with the CLI (decided_by.operator, source.provider "cli").
std::string decision_to_json(const ApprovalDecision& decision);

std::string_view decision_schema_text() noexcept;

}  // namespace hookline::gatekeeper
