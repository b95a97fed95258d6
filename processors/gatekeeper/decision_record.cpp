#include "processors/gatekeeper/decision_record.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/json_schema.h"
#include "core/time_format.h"

namespace hookline::gatekeeper {
std::string ApprovalDecision::decided_by() const {
  return slack_user_id.empty() ? "operator:" + operator_name : "slack:" + slack_user_id;
}

Result<ApprovalDecision> parse_approval_decision(std::string_view json) {
  auto parsed = parse_validated(json, decision_schema_text(), "approvals.decisions.v1");
  if (!parsed) return parsed.error();
  const rapidjson::Document& d = *parsed;
  const rapidjson::Value& doc = d;
  ApprovalDecision out;
  out.tenant = string_member(doc, "tenant");
  out.campaign_id = string_member(doc, "campaign_id");
  out.approve = string_member(doc, "decision") == "approve";
  const rapidjson::Value& by = doc["decided_by"];
  out.slack_user_id = string_member(by, "slack_user_id");
  out.operator_name = string_member(by, "operator");
  auto at = time_member(doc, "decided_at");
  if (!at) return at.error();
  out.decided_at = *at;
  const rapidjson::Value& source = doc["source"];
  out.event_id = string_member(source, "event_id");
  out.provider = string_member(source, "provider");
  return out;
}

std::string decision_to_json(const ApprovalDecision& decision) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  w.Key("schema_version");
  w.Int(1);
  w.Key("tenant");
  w.String(decision.tenant.c_str(), static_cast<rapidjson::SizeType>(decision.tenant.size()));
  w.Key("campaign_id");
  w.String(decision.campaign_id.c_str(),
           static_cast<rapidjson::SizeType>(decision.campaign_id.size()));
  w.Key("decision");
  w.String(decision.approve ? "approve" : "deny");
  w.Key("decided_by");
  w.StartObject();
  if (!decision.slack_user_id.empty()) {
    w.Key("slack_user_id");
    w.String(decision.slack_user_id.c_str(),
             static_cast<rapidjson::SizeType>(decision.slack_user_id.size()));
  }
  if (!decision.operator_name.empty()) {
    w.Key("operator");
    w.String(decision.operator_name.c_str(),
             static_cast<rapidjson::SizeType>(decision.operator_name.size()));
  }
  w.EndObject();
  w.Key("decided_at");
  const std::string at = rfc3339_ms(decision.decided_at);
  w.String(at.c_str(), static_cast<rapidjson::SizeType>(at.size()));
  w.Key("source");
  w.StartObject();
  w.Key("provider");
  w.String(decision.provider.empty() ? "cli" : decision.provider.c_str());
  w.Key("event_id");
  w.String(decision.event_id.c_str(), static_cast<rapidjson::SizeType>(decision.event_id.size()));
  w.EndObject();
  w.EndObject();
  return {sb.GetString(), sb.GetSize()};
}

}  // namespace hookline::gatekeeper
