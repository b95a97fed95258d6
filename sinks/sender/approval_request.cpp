#include "sinks/sender/approval_request.h"

#include <cstdint>
#include <cstdlib>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/json_walk.h"
#include "core/time_format.h"

namespace hookline::sender {
namespace {

// One compiled schema per thread (RapidJSON 1.1's pattern matcher keeps state in the compiled
// regex; see request_parser.cpp).
const rapidjson::SchemaDocument& schema() {
  thread_local const rapidjson::SchemaDocument doc = [] {
    rapidjson::Document d;
    const std::string_view text = approval_request_schema_text();
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

Result<std::chrono::system_clock::time_point> time_at(const rapidjson::Value& obj,
                                                      const char* key) {
  auto ms = parse_rfc3339_ms(str(obj, key));
  if (!ms) return invalid(std::string("/") + key + " is not an RFC 3339 time");
  constexpr std::int64_t kLatestMs = 7258118400000;  // 2200-01-01T00:00:00Z (system_clock's range)
  if (*ms > kLatestMs) return invalid(std::string("/") + key + " is after 2200");
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(*ms));
}

}  // namespace

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
  rapidjson::Document d;
  // Strict: one value, valid UTF-8.
  d.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (d.HasParseError()) {
    return invalid(std::string("not JSON: ") + rapidjson::GetParseError_En(d.GetParseError()) +
                   " at offset " + std::to_string(d.GetErrorOffset()));
  }
  // RapidJSON's validator hashes numbers for `enum` as 64-bit integers: refuse the others first.
  if (any_json_node(d, [](const rapidjson::Value& v) {
        return v.IsDouble() && !(v.GetDouble() > -9.2e18 && v.GetDouble() < 9.2e18);
      })) {
    return invalid("a number is out of range (beyond 64-bit integers)");
  }
  rapidjson::SchemaValidator validator(schema());
  if (!d.Accept(validator)) {
    rapidjson::StringBuffer where;
    validator.GetInvalidDocumentPointer().StringifyUriFragment(where);
    std::string pointer = where.GetString();
    if (pointer.starts_with('#')) pointer.erase(0, 1);
    return invalid(std::string("does not match approvals.requests.v1: ") +
                   validator.GetInvalidSchemaKeyword() + " at " +
                   (pointer.empty() ? std::string("/") : pointer));
  }
  const rapidjson::Value& doc = d;  // const iterators (C++20 comparison rules)
  ApprovalRequest a;
  a.approval_id = str(doc, "approval_id");
  a.tenant = str(doc, "tenant");
  a.campaign_id = str(doc, "campaign_id");
  a.campaign_name = str(doc, "campaign_name");
  // An integer beyond int64 (RapidJSON keeps it as uint64) passes `minimum`: capped.
  const rapidjson::Value& recipients = doc["recipients"];
  a.recipients = recipients.IsInt64() ? recipients.GetInt64() : INT64_MAX;
  a.risk_score = doc["risk_score"].GetDouble();
  a.sensitive = doc["sensitive"].GetBool();
  a.ai_drafted = doc["ai_drafted"].GetBool();
  for (const auto& r : doc["reasons"].GetArray()) {
    a.reasons.emplace_back(r.GetString(), r.GetStringLength());
  }
  a.preview = str(doc, "preview");
  auto requested = time_at(doc, "requested_at");
  if (!requested) return requested.error();
  a.requested_at = *requested;
  auto expires = time_at(doc, "expires_at");
  if (!expires) return expires.error();
  a.expires_at = *expires;
  const rapidjson::Value& slack = doc["slack"];
  a.slack_connection = str(slack, "connection");
  a.slack_channel = str(slack, "channel");
  return a;
}

}  // namespace hookline::sender
