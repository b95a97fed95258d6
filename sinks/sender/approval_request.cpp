#include "sinks/sender/approval_request.h"

#include <cstdint>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/json_schema.h"
#include "core/time_format.h"

namespace hookline::sender {
std::string to_json(const ApprovalRequest& a) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  w.Key("schema_version");
  w.Int(1);
  w.Key("approval_id");
  w.String(a.approval_id);
  w.Key("tenant");
  w.String(a.tenant);
  w.Key("campaign_id");
  w.String(a.campaign_id);
  if (!a.campaign_name.empty()) {
    w.Key("campaign_name");
    w.String(a.campaign_name);
  }
  w.Key("recipients");
  w.Int64(a.recipients);
  w.Key("risk_score");
  w.Double(a.risk_score);
  w.Key("sensitive");
  w.Bool(a.sensitive);
  w.Key("ai_drafted");
  w.Bool(a.ai_drafted);
  w.Key("reasons");
  w.StartArray();
  for (const auto& r : a.reasons) w.String(r);
  w.EndArray();
  w.Key("preview");
  w.String(a.preview);
  w.Key("requested_at");
  w.String(rfc3339_ms(a.requested_at));
  w.Key("expires_at");
  w.String(rfc3339_ms(a.expires_at));
  w.Key("slack");
  w.StartObject();
  w.Key("connection");
  w.String(a.slack_connection);
  w.Key("channel");
  w.String(a.slack_channel);
  w.EndObject();
  w.EndObject();
  return {sb.GetString(), sb.GetSize()};
}

Result<ApprovalRequest> parse_approval_request(std::string_view json) {
  auto parsed = parse_validated(json, approval_request_schema_text(), "approvals.requests.v1");
  if (!parsed) return parsed.error();
  const rapidjson::Document& d = *parsed;
  const rapidjson::Value& doc = d;  // const iterators (C++20 comparison rules)
  ApprovalRequest a;
  a.approval_id = string_member(doc, "approval_id");
  a.tenant = string_member(doc, "tenant");
  a.campaign_id = string_member(doc, "campaign_id");
  a.campaign_name = string_member(doc, "campaign_name");
  // An integer beyond int64 (RapidJSON keeps it as uint64) passes `minimum`: capped.
  const rapidjson::Value& recipients = doc["recipients"];
  a.recipients = recipients.IsInt64() ? recipients.GetInt64() : INT64_MAX;
  a.risk_score = doc["risk_score"].GetDouble();
  a.sensitive = doc["sensitive"].GetBool();
  a.ai_drafted = doc["ai_drafted"].GetBool();
  for (const auto& r : doc["reasons"].GetArray()) {
    a.reasons.emplace_back(r.GetString(), r.GetStringLength());
  }
  a.preview = string_member(doc, "preview");
  auto requested = time_member(doc, "requested_at");
  if (!requested) return requested.error();
  a.requested_at = *requested;
  auto expires = time_member(doc, "expires_at");
  if (!expires) return expires.error();
  a.expires_at = *expires;
  const rapidjson::Value& slack = doc["slack"];
  a.slack_connection = string_member(slack, "connection");
  a.slack_channel = string_member(slack, "channel");
  return a;
}

}  // namespace hookline::sender
