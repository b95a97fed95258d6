#include "processors/gatekeeper/approval_store.h"

#include <charconv>

#include <pqxx/pqxx>

namespace hookline::gatekeeper {
namespace {

using Clock = std::chrono::system_clock;

std::int64_t epoch_ms(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Clock::time_point from_ms(std::int64_t ms) {
  return Clock::time_point(std::chrono::milliseconds(ms));
}

ApprovalStatus status_named(const std::string& s) {
  if (s == "approved") return ApprovalStatus::approved;
  if (s == "denied") return ApprovalStatus::denied;
  if (s == "expired") return ApprovalStatus::expired;
  return ApprovalStatus::pending;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const auto comma = text.find(',', start);
    out.push_back(
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

const char* to_string(ApprovalStatus s) noexcept {
  switch (s) {
    case ApprovalStatus::pending:
      return "pending";
    case ApprovalStatus::approved:
      return "approved";
    case ApprovalStatus::denied:
      return "denied";
    case ApprovalStatus::expired:
      return "expired";
  }
  return "pending";
}

const char* to_string(DecisionOutcome o) noexcept {
  switch (o) {
    case DecisionOutcome::applied:
      return "applied";
    case DecisionOutcome::unknown_approval:
      return "unknown_approval";
    case DecisionOutcome::already_decided:
      return "already_decided";
    case DecisionOutcome::not_an_approver:
      return "not_an_approver";
    case DecisionOutcome::duplicate:
      return "duplicate";
  }
  return "applied";
}

std::string approval_key(std::int64_t id) {
  return "apr-" + std::to_string(id);
}

std::optional<std::int64_t> approval_id_from_key(const std::string& key) {
  std::string_view digits = key;
  if (digits.starts_with("apr-")) digits.remove_prefix(4);
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (digits.empty() || ec != std::errc() || p != digits.data() + digits.size() || id <= 0) {
    return std::nullopt;
  }
  return id;
}

std::optional<Approval> find_approval(pqxx::transaction_base& tx, const std::string& tenant,
                                      const std::string& campaign_id) {
  auto rows = tx.exec_params(
      "SELECT id, status FROM approvals WHERE tenant = $1 AND campaign_id = $2 FOR UPDATE", tenant,
      campaign_id);
  if (rows.empty()) return std::nullopt;
  return Approval{rows[0][0].as<std::int64_t>(), tenant, campaign_id,
                  status_named(rows[0][1].as<std::string>())};
}

Approval create_approval(pqxx::transaction_base& tx, const NewApproval& a) {
  auto rows = tx.exec_params(
      "INSERT INTO approvals (tenant, campaign_id, campaign_name, reasons, recipients, "
      "risk_score, sensitive, ai_drafted, preview, slack_connection, slack_channel, expires_at) "
      "VALUES ($1, $2, $3, string_to_array($4, ','), $5, $6, $7, $8, $9, $10, $11, "
      "to_timestamp($12::double precision / 1000)) "
      "ON CONFLICT (tenant, campaign_id) DO NOTHING RETURNING id",
      a.tenant, a.campaign_id, a.campaign_name, join(a.reasons), a.recipients, a.risk_score,
      a.sensitive, a.ai_drafted, a.preview, a.slack_connection, a.slack_channel,
      epoch_ms(a.expires_at));
  if (!rows.empty()) {
    return Approval{rows[0][0].as<std::int64_t>(), a.tenant, a.campaign_id,
                    ApprovalStatus::pending};
  }
  auto existing = find_approval(tx, a.tenant, a.campaign_id);
  return existing ? *existing : Approval{};
}

bool is_held(pqxx::transaction_base& tx, const std::string& request_id) {
  return !tx.exec_params("SELECT 1 FROM held_messages WHERE request_id = $1", request_id).empty();
}

bool hold_message(pqxx::transaction_base& tx, std::int64_t approval_id,
                  const std::string& request_id, const std::string& connection,
                  const std::string& payload) {
  auto rows = tx.exec_params(
      "INSERT INTO held_messages (request_id, approval_id, connection, payload) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT (request_id) DO NOTHING RETURNING 1",
      request_id, approval_id, connection, payload);
  return !rows.empty();
}

bool campaign_seen_before(pqxx::transaction_base& tx, const std::string& tenant,
                          const std::string& campaign_id) {
  auto rows = tx.exec_params(
      "INSERT INTO gatekeeper_campaigns (tenant, campaign_id) VALUES ($1, $2) "
      "ON CONFLICT DO NOTHING RETURNING 1",
      tenant, campaign_id);
  return rows.empty();
}

std::pair<DecisionOutcome, std::int64_t> apply_decision(pqxx::transaction_base& tx,
                                                        const DecisionInput& d) {
  if (!tx.exec_params("SELECT 1 FROM approval_decisions WHERE event_id = $1", d.event_id).empty()) {
    return {DecisionOutcome::duplicate, 0};
  }
  auto approval = find_approval(tx, d.tenant, d.campaign_id);
  DecisionOutcome outcome = DecisionOutcome::applied;
  if (!approval) {
    outcome = DecisionOutcome::unknown_approval;
  } else if (approval->status != ApprovalStatus::pending) {
    outcome = DecisionOutcome::already_decided;
  } else if (!d.authorized) {
    outcome = DecisionOutcome::not_an_approver;
  }
  const std::int64_t id = approval ? approval->id : 0;
  tx.exec_params(
      "INSERT INTO approval_decisions (event_id, tenant, campaign_id, approval_id, decision, "
      "decided_by, decided_at, outcome) VALUES ($1, $2, $3, NULLIF($4, 0), $5, $6, "
      "to_timestamp($7::double precision / 1000), $8)",
      d.event_id, d.tenant, d.campaign_id, id, d.approve ? "approve" : "deny", d.decided_by,
      epoch_ms(d.decided_at), to_string(outcome));
  if (outcome == DecisionOutcome::applied) {
    tx.exec_params(
        "UPDATE approvals SET status = $2, decided_at = now(), decided_by = $3, "
        "decision_reason = $2 WHERE id = $1",
        id, d.approve ? "approved" : "denied", d.decided_by);
  }
  return {outcome, id};
}

std::vector<std::int64_t> expire_due(pqxx::transaction_base& tx) {
  std::vector<std::int64_t> ids;
  for (const auto& row :
       tx.exec("UPDATE approvals SET status = 'expired', decided_at = now(), decided_by = "
               "'hookline-gatekeeper', decision_reason = 'expired' "
               "WHERE id IN (SELECT id FROM approvals WHERE status = 'pending' AND expires_at <= "
               "now() FOR UPDATE SKIP LOCKED) RETURNING id")) {
    ids.push_back(row[0].as<std::int64_t>());
  }
  return ids;
}

std::vector<sender::ApprovalRequest> unpublished_requests(pqxx::transaction_base& tx,
                                                          std::size_t limit) {
  std::vector<sender::ApprovalRequest> out;
  auto rows = tx.exec_params(
      "SELECT id, tenant, campaign_id, campaign_name, array_to_string(reasons, ','), "
      "recipients, risk_score, sensitive, ai_drafted, preview, "
      "(extract(epoch from requested_at) * 1000)::bigint, "
      "(extract(epoch from expires_at) * 1000)::bigint, slack_connection, slack_channel "
      "FROM approvals WHERE status = 'pending' AND request_published_at IS NULL "
      "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
      static_cast<std::int64_t>(limit));
  for (const auto& row : rows) {
    sender::ApprovalRequest r;
    r.approval_id = approval_key(row[0].as<std::int64_t>());
    r.tenant = row[1].as<std::string>();
    r.campaign_id = row[2].as<std::string>();
    r.campaign_name = row[3].as<std::string>();
    r.reasons = split(row[4].as<std::string>());
    r.recipients = row[5].as<std::int64_t>();
    r.risk_score = row[6].as<double>();
    r.sensitive = row[7].as<bool>();
    r.ai_drafted = row[8].as<bool>();
    r.preview = row[9].as<std::string>();
    r.requested_at = from_ms(row[10].as<std::int64_t>());
    r.expires_at = from_ms(row[11].as<std::int64_t>());
    r.slack_connection = row[12].as<std::string>();
    r.slack_channel = row[13].as<std::string>();
    out.push_back(std::move(r));
  }
  return out;
}

void mark_requests_published(pqxx::transaction_base& tx, const std::vector<std::string>& keys) {
  for (const auto& key : keys) {
    if (auto id = approval_id_from_key(key)) {
      tx.exec_params("UPDATE approvals SET request_published_at = now() WHERE id = $1", *id);
    }
  }
}

std::optional<SettleBatch> next_settle_batch(pqxx::transaction_base& tx, std::size_t limit) {
  // A decided approval with held messages that no other instance is settling.
  auto head = tx.exec(
      "SELECT h.approval_id, a.status FROM held_messages h JOIN approvals a ON a.id = "
      "h.approval_id WHERE h.status = 'held' AND a.status <> 'pending' "
      "ORDER BY h.approval_id, h.seq LIMIT 1 FOR UPDATE OF h SKIP LOCKED");
  if (head.empty()) return std::nullopt;
  SettleBatch b;
  b.approval_id = head[0][0].as<std::int64_t>();
  b.status = status_named(head[0][1].as<std::string>());
  auto rows = tx.exec_params(
      "SELECT request_id, connection, payload FROM held_messages WHERE approval_id = $1 AND "
      "status = 'held' ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED",
      b.approval_id, static_cast<std::int64_t>(limit));
  for (const auto& row : rows) {
    b.messages.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                          row[2].is_null() ? std::string() : row[2].as<std::string>()});
  }
  return b;
}

void settle(pqxx::transaction_base& tx,
            const std::vector<std::pair<std::string, std::string>>& request_and_status) {
  for (const auto& [id, status] : request_and_status) {
    tx.exec_params(
        "UPDATE held_messages SET status = $2, settled_at = now(), payload = NULL "
        "WHERE request_id = $1",
        id, status);
  }
}

Gauges read_gauges(pqxx::transaction_base& tx) {
  auto row = tx.exec1(
      "SELECT (SELECT count(*) FROM approvals WHERE status = 'pending'), "
      "(SELECT count(*) FROM held_messages WHERE status = 'held')");
  return {row[0].as<std::int64_t>(), row[1].as<std::int64_t>()};
}

std::map<std::pair<std::string, std::int32_t>, std::int64_t> load_offsets(
    pqxx::transaction_base& tx, const std::string& group) {
  std::map<std::pair<std::string, std::int32_t>, std::int64_t> out;
  for (const auto& row : tx.exec_params(
           "SELECT topic, partition, next_offset FROM gatekeeper_offsets WHERE consumer_group = $1",
           group)) {
    out[{row[0].as<std::string>(), row[1].as<std::int32_t>()}] = row[2].as<std::int64_t>();
  }
  return out;
}

void store_offsets(pqxx::transaction_base& tx, const std::string& group,
                   const std::map<std::pair<std::string, std::int32_t>, std::int64_t>& offsets) {
  for (const auto& [tp, next] : offsets) {
    tx.exec_params(
        "INSERT INTO gatekeeper_offsets (consumer_group, topic, partition, next_offset) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (consumer_group, topic, partition) DO UPDATE "
        "SET next_offset = EXCLUDED.next_offset, updated_at = now()",
        group, tp.first, tp.second, next);
  }
}

void audit(pqxx::transaction_base& tx, const std::string& action, const std::string& subject,
           const std::string& details_json) {
  tx.exec_params(
      "INSERT INTO audit_log (actor, action, subject, details) VALUES ('hookline-gatekeeper', "
      "$1, $2, $3::jsonb)",
      action, subject, details_json);
}

}  // namespace hookline::gatekeeper
