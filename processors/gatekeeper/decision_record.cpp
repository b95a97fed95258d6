#include "processors/gatekeeper/decision_record.h"

#include <cstdlib>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/time_format.h"

namespace hookline::gatekeeper {
namespace {

// One compiled schema per thread (RapidJSON's regex state lives in the compiled schema).
const rapidjson::SchemaDocument& schema() {
  thread_local const rapidjson::SchemaDocument doc = [] {
    rapidjson::Document d;
    const std::string_view text = decision_schema_text();
    d.Parse(text.data(), text.size());
    if (d.HasParseError()) std::abort();  // a build defect, caught by every test
    return rapidjson::SchemaDocument(d);
  }();
  return doc;
}

Error invalid(std::string message) {
  return Error{ErrorKind::permanent, {}, std::move(message)};
}

std::string str(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

}  // namespace

std::string ApprovalDecision::decided_by() const {
  return slack_user_id.empty() ? "operator:" + operator_name : "slack:" + slack_user_id;
}

Result<ApprovalDecision> parse_approval_decision(std::string_view json) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (d.HasParseError()) {
    return invalid(std::string("not JSON: ") + rapidjson::GetParseError_En(d.GetParseError()) +
                   " at offset " + std::to_string(d.GetErrorOffset()));
  }
  // The schema has no numbers but schema_version's enum: refuse huge doubles before RapidJSON
  // hashes them for the enum check.
  if (d.IsObject()) {
    const rapidjson::Value& obj = d;
    if (auto v = obj.FindMember("schema_version");
        v != obj.MemberEnd() && v->value.IsDouble() &&
        !(v->value.GetDouble() > -9.2e18 && v->value.GetDouble() < 9.2e18)) {
      return invalid("schema_version is out of range");
    }
  }
  rapidjson::SchemaValidator validator(schema());
  if (!d.Accept(validator)) {
    rapidjson::StringBuffer where;
    validator.GetInvalidDocumentPointer().StringifyUriFragment(where);
    std::string pointer = where.GetString();
    if (pointer.starts_with('#')) pointer.erase(0, 1);
    return invalid(std::string("does not match approvals.decisions.v1: ") +
                   validator.GetInvalidSchemaKeyword() + " at " +
                   (pointer.empty() ? std::string("/") : pointer));
  }
  const rapidjson::Value& doc = d;
  ApprovalDecision out;
  out.tenant = str(doc, "tenant");
  out.campaign_id = str(doc, "campaign_id");
  out.approve = str(doc, "decision") == "approve";
  const rapidjson::Value& by = doc["decided_by"];
  out.slack_user_id = str(by, "slack_user_id");
  out.operator_name = str(by, "operator");
  auto ms = parse_rfc3339_ms(str(doc, "decided_at"));
  if (!ms) return invalid("/decided_at is not an RFC 3339 time");
  // system_clock counts nanoseconds in 64 bits (it ends in 2262).
  constexpr std::int64_t kLatestMs = 7258118400000;  // 2200-01-01T00:00:00Z
  if (*ms > kLatestMs) return invalid("/decided_at is after 2200");
  out.decided_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(*ms));
  const rapidjson::Value& source = doc["source"];
  out.event_id = str(source, "event_id");
  out.provider = str(source, "provider");
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
