#include "processors/gatekeeper/request_gate.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/time_format.h"
#include "processors/gatekeeper/approval_store.h"
#include "processors/gatekeeper/rules/approval_rules.h"
#include "processors/gatekeeper/rules/quiet_hours.h"
#include "sinks/sender/flow/retry_headers.h"

namespace hookline::gatekeeper {

const char* to_string(GateOutcome o) noexcept {
  switch (o) {
    case GateOutcome::approved:
      return "approved";
    case GateOutcome::suppressed:
      return "suppressed";
    case GateOutcome::held:
      return "held";
    case GateOutcome::denied:
      return "denied";
    case GateOutcome::expired:
      return "expired";
  }
  return "approved";
}

std::string campaign_preview(const sender::SendRequest& request, std::size_t max) {
  std::string_view text;
  if (request.campaign && !request.campaign->preview.empty()) {
    text = request.campaign->preview;
  } else if (!request.content.subject.empty()) {
    text = request.content.subject;
  } else {
    text = request.content.text;
  }
  if (text.size() <= max) return std::string(text);
  return std::string(sender::truncate_utf8(text, max)) + "\xE2\x80\xA6";
}

std::string with_not_before(std::string_view value, std::chrono::system_clock::time_point t) {
  rapidjson::Document d;
  d.Parse(value.data(), value.size());
  if (d.HasParseError() || !d.IsObject()) return std::string(value);
  const std::string at = rfc3339_ms(t);
  rapidjson::Value v(at.c_str(), static_cast<rapidjson::SizeType>(at.size()), d.GetAllocator());
  if (d.HasMember("not_before")) {
    d["not_before"] = v;
  } else {
    d.AddMember("not_before", v, d.GetAllocator());
  }
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  d.Accept(w);
  return {sb.GetString(), sb.GetSize()};
}

GateDecision RequestGate::pass(const sender::SendRequest& request, std::string_view value,
                               std::string reason,
                               std::chrono::system_clock::time_point now) const {
  GateDecision out;
  out.outcome = GateOutcome::approved;
  out.reason = std::move(reason);
  out.value = std::string(value);
  if (const QuietHours* q = rules_.quiet_hours_for(request.tenant)) {
    if (auto until = quiet_until(*q, sender::to_string(request.purpose), now)) {
      if (!request.not_before || *request.not_before < *until) {
        out.value = with_not_before(value, *until);
        out.reason = "quiet_hours";
      }
    }
  }
  return out;
}

Result<GateDecision> RequestGate::decide(pqxx::transaction_base& tx,
                                         const sender::SendRequest& request, std::string_view value,
                                         std::chrono::system_clock::time_point now) {
  // Only campaign messages are ever held: others skip the lookup.
  if (request.campaign && is_held(tx, request.id)) {
    return GateDecision{GateOutcome::held, "already_held", {}, false};
  }
  auto consent = consent_.check(request, now);
  if (!consent) return consent.error();
  if (!consent->allowed) return GateDecision{GateOutcome::suppressed, consent->reason, {}, false};
  if (!request.campaign) return pass(request, value, consent->reason, now);

  const sender::Campaign& c = *request.campaign;
  auto approval = find_approval(tx, request.tenant, c.id);
  if (!approval) {
    const ApprovalRules& ar = rules_.approval_for(request.tenant);
    const bool seen = campaign_seen_before(tx, request.tenant, c.id);
    auto reasons = approval_reasons(ar, request, seen);
    if (reasons.empty()) return pass(request, value, consent->reason, now);
    if (ar.slack_connection.empty()) {
      return GateDecision{GateOutcome::denied, "approval_unavailable", {}, false};
    }
    NewApproval n;
    n.tenant = request.tenant;
    n.campaign_id = c.id;
    n.campaign_name = c.name;
    n.reasons = std::move(reasons);
    n.recipients = c.recipients;
    n.risk_score = c.risk_score;
    n.sensitive = c.sensitive;
    n.ai_drafted = c.ai_drafted;
    n.preview = campaign_preview(request);
    n.slack_connection = ar.slack_connection;
    n.slack_channel = ar.slack_channel;
    n.expires_at = now + ar.expires_after;
    Approval created = create_approval(tx, n);
    hold_message(tx, created.id, request.id, request.connection, std::string(value));
    return GateDecision{GateOutcome::held, "approval_requested", {}, true};
  }
  switch (approval->status) {
    case ApprovalStatus::pending:
      hold_message(tx, approval->id, request.id, request.connection, std::string(value));
      return GateDecision{GateOutcome::held, "approval_pending", {}, false};
    case ApprovalStatus::approved:
      return pass(request, value, "campaign_approved", now);
    case ApprovalStatus::denied:
      return GateDecision{GateOutcome::denied, "approval_denied", {}, false};
    case ApprovalStatus::expired:
      return GateDecision{GateOutcome::expired, "approval_expired", {}, false};
  }
  return GateDecision{GateOutcome::denied, "approval_denied", {}, false};
}

Result<GateDecision> RequestGate::recheck(const sender::SendRequest& request,
                                          std::string_view value,
                                          std::chrono::system_clock::time_point now) {
  auto consent = consent_.check(request, now);
  if (!consent) return consent.error();
  if (!consent->allowed) return GateDecision{GateOutcome::suppressed, consent->reason, {}, false};
  return pass(request, value, "campaign_approved", now);
}

}  // namespace hookline::gatekeeper
