#include "sinks/sender/request_parser.h"

#include <cstdint>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/json_schema.h"
#include "core/time_format.h"

namespace hookline::sender {
namespace {

std::string compact(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return {sb.GetString(), sb.GetSize()};
}

Result<std::optional<std::chrono::system_clock::time_point>> time_at(const rapidjson::Value& obj,
                                                                     const char* key) {
  if (!obj.HasMember(key)) return std::optional<std::chrono::system_clock::time_point>{};
  auto t = time_member(obj, key);
  if (!t) return t.error();
  return std::optional<std::chrono::system_clock::time_point>(*t);
}

Channel channel_named(const std::string& s) {
  if (s == "sms") return Channel::sms;
  if (s == "whatsapp") return Channel::whatsapp;
  if (s == "slack") return Channel::slack;
  if (s == "webhook") return Channel::webhook;
  return Channel::email;
}

}  // namespace

Result<SendRequest> parse_send_request(std::string_view json) {
  auto parsed = parse_validated(json, request_schema_text(), "outbound.request.v1");
  if (!parsed) return parsed.error();
  const rapidjson::Document& d = *parsed;
  const rapidjson::Value& doc = d;  // const iterators (C++20 comparison rules)
  SendRequest r;
  r.id = string_member(doc, "id");
  r.tenant = string_member(doc, "tenant");
  r.connection = string_member(doc, "connection");
  r.channel = channel_named(string_member(doc, "channel"));
  r.purpose =
      string_member(doc, "purpose") == "marketing" ? Purpose::marketing : Purpose::transactional;
  const rapidjson::Value& contact = doc["contact"];
  r.contact_id = string_member(contact, "id");
  r.address = string_member(contact, "address");
  const rapidjson::Value& content = doc["content"];
  r.content.subject = string_member(content, "subject");
  r.content.html = string_member(content, "html");
  r.content.text = string_member(content, "text");
  r.content.event_type = string_member(content, "event_type");
  r.content.unsubscribe_url = string_member(content, "unsubscribe_url");
  if (auto it = content.FindMember("template"); it != content.MemberEnd()) {
    Template t;
    t.name = string_member(it->value, "name");
    t.language = string_member(it->value, "language");
    if (auto p = it->value.FindMember("parameters"); p != it->value.MemberEnd()) {
      for (const auto& v : p->value.GetArray()) t.parameters.emplace_back(v.GetString());
    }
    r.content.template_ = std::move(t);
  }
  if (auto it = content.FindMember("blocks"); it != content.MemberEnd()) {
    r.content.blocks_json = compact(it->value);
  }
  if (auto it = content.FindMember("payload"); it != content.MemberEnd()) {
    r.content.payload_json = compact(it->value);
  }
  if (auto it = doc.FindMember("campaign"); it != doc.MemberEnd()) {
    Campaign c;
    c.id = string_member(it->value, "id");
    if (auto n = it->value.FindMember("recipients"); n != it->value.MemberEnd()) {
      // An integer beyond int64 (RapidJSON keeps it as uint64) passes `minimum`: capped.
      c.recipients = n->value.IsInt64() ? n->value.GetInt64() : INT64_MAX;
    }
    if (auto n = it->value.FindMember("risk_score"); n != it->value.MemberEnd()) {
      c.risk_score = n->value.GetDouble();
    }
    if (auto n = it->value.FindMember("sensitive"); n != it->value.MemberEnd()) {
      c.sensitive = n->value.GetBool();
    }
    if (auto n = it->value.FindMember("ai_drafted"); n != it->value.MemberEnd()) {
      c.ai_drafted = n->value.GetBool();
    }
    c.name = string_member(it->value, "name");
    c.preview = string_member(it->value, "preview");
    r.campaign = std::move(c);
  }
  if (string_member(doc, "kind") == "opt_out_confirmation") r.kind = Kind::opt_out_confirmation;
  r.subscription_group = string_member(doc, "subscription_group");
  auto not_before = time_at(doc, "not_before");
  if (!not_before) return not_before.error();
  r.not_before = *not_before;
  auto expires_at = time_at(doc, "expires_at");
  if (!expires_at) return expires_at.error();
  r.expires_at = *expires_at;
  return r;
}

}  // namespace hookline::sender
