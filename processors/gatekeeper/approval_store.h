#pragma once
// The gatekeeper's Postgres state (migrations/0007_approvals.sql): approvals per campaign,
// held messages, decisions received, campaigns seen and the input offsets. Every function
// works inside the caller's transaction, so a batch's state changes and its offsets commit
// together. pqxx exceptions pass through (the caller aborts and retries the batch).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/transaction_base>

#include "sinks/sender/approval_request.h"

namespace hookline::gatekeeper {

enum class ApprovalStatus { pending, approved, denied, expired };
const char* to_string(ApprovalStatus s) noexcept;

struct Approval {
  std::int64_t id = 0;
  std::string tenant;
  std::string campaign_id;
  ApprovalStatus status = ApprovalStatus::pending;
};

// "apr-<id>": the approval id shown to people and used in approvals.requests.
std::string approval_key(std::int64_t id);
// The id of "apr-17" or "17"; nullopt for anything else.
std::optional<std::int64_t> approval_id_from_key(const std::string& key);

struct NewApproval {
  std::string tenant;
  std::string campaign_id;
  std::string campaign_name;
  std::vector<std::string> reasons;
  std::int64_t recipients = 0;
  double risk_score = 0;
  bool sensitive = false;
  bool ai_drafted = false;
  std::string preview;
  std::string slack_connection;
  std::string slack_channel;
  std::chrono::system_clock::time_point expires_at{};
};

// The campaign's approval, locked for this transaction (FOR UPDATE); nullopt when none.
std::optional<Approval> find_approval(pqxx::transaction_base& tx, const std::string& tenant,
                                      const std::string& campaign_id);
// Creates the campaign's pending approval (or returns the existing one: a replayed batch).
Approval create_approval(pqxx::transaction_base& tx, const NewApproval& a);

// True when the request is already held (a replayed record).
bool is_held(pqxx::transaction_base& tx, const std::string& request_id);
// Holds a request under an approval; false when it was already held.
bool hold_message(pqxx::transaction_base& tx, std::int64_t approval_id,
                  const std::string& request_id, const std::string& connection,
                  const std::string& payload);

// Marks the campaign seen (first_send rule); returns whether it had been seen before.
bool campaign_seen_before(pqxx::transaction_base& tx, const std::string& tenant,
                          const std::string& campaign_id);

enum class DecisionOutcome {
  applied,
  unknown_approval,
  already_decided,
  not_an_approver,
  duplicate
};
const char* to_string(DecisionOutcome o) noexcept;

struct DecisionInput {
  std::string event_id;
  std::string tenant;
  std::string campaign_id;
  bool approve = false;
  std::string decided_by;
  std::chrono::system_clock::time_point decided_at{};
  bool authorized = true;  // the rules allow this decider
};

// Applies a decision once: records it (by event id) and moves a pending approval to approved /
// denied. Returns what happened and the approval's id (0 when unknown).
std::pair<DecisionOutcome, std::int64_t> apply_decision(pqxx::transaction_base& tx,
                                                        const DecisionInput& d);

// Expires pending approvals whose time has come; returns their ids.
std::vector<std::int64_t> expire_due(pqxx::transaction_base& tx);

// Pending approvals whose approvals.requests record was not yet acknowledged (locked, skipping
// rows another instance holds).
std::vector<sender::ApprovalRequest> unpublished_requests(pqxx::transaction_base& tx,
                                                          std::size_t limit);
void mark_requests_published(pqxx::transaction_base& tx, const std::vector<std::string>& keys);

struct HeldMessage {
  std::string request_id;
  std::string connection;
  std::string payload;
};

struct SettleBatch {
  std::int64_t approval_id = 0;
  ApprovalStatus status = ApprovalStatus::pending;  // approved, denied or expired
  std::vector<HeldMessage> messages;                // in hold order
};

// One batch of held messages of a decided approval (locked, skipping rows another instance
// holds); nullopt when nothing waits.
std::optional<SettleBatch> next_settle_batch(pqxx::transaction_base& tx, std::size_t limit);
// Marks messages settled with `status` (released, suppressed, denied, expired) and clears their
// payload.
void settle(pqxx::transaction_base& tx,
            const std::vector<std::pair<std::string, std::string>>& request_and_status);

struct Gauges {
  std::int64_t approvals_open = 0;
  std::int64_t held = 0;
};
Gauges read_gauges(pqxx::transaction_base& tx);

// Input offsets (next offset to read) of this consumer group.
std::map<std::pair<std::string, std::int32_t>, std::int64_t> load_offsets(
    pqxx::transaction_base& tx, const std::string& group);
void store_offsets(pqxx::transaction_base& tx, const std::string& group,
                   const std::map<std::pair<std::string, std::int32_t>, std::int64_t>& offsets);

// One audit_log row (migration 0002) by the gatekeeper: ids and codes only.
void audit(pqxx::transaction_base& tx, const std::string& action, const std::string& subject,
           const std::string& details_json);

}  // namespace hookline::gatekeeper
