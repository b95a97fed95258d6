#include "sinks/sender/request_parser.h"

#include <cstdint>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/json_walk.h"
#include "core/time_format.h"

namespace hookline::sender {
namespace {

// One compiled schema per thread: RapidJSON 1.1's pattern matcher keeps its state in the
// compiled regex, so a schema document must not be used by two threads at once.
const rapidjson::SchemaDocument& schema() {
  thread_local const rapidjson::SchemaDocument doc = [] {
    rapidjson::Document d;
    const std::string_view text = request_schema_text();
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

std::string compact(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return {sb.GetString(), sb.GetSize()};
}

Result<std::optional<std::chrono::system_clock::time_point>> time_at(const rapidjson::Value& obj,
                                                                     const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return std::optional<std::chrono::system_clock::time_point>{};
  auto ms = parse_rfc3339_ms({it->value.GetString(), it->value.GetStringLength()});
  if (!ms) return invalid(std::string("/") + key + " is not an RFC 3339 time");
  // system_clock counts nanoseconds in 64 bits (it ends in 2262).
  constexpr std::int64_t kLatestMs = 7258118400000;  // 2200-01-01T00:00:00Z
  if (*ms > kLatestMs) return invalid(std::string("/") + key + " is after 2200");
  return std::optional<std::chrono::system_clock::time_point>(
      std::chrono::system_clock::time_point(std::chrono::milliseconds(*ms)));
}

// RapidJSON's schema validator hashes numbers for `enum` by converting them to a 64-bit
// integer, which is undefined for doubles out of that range: such numbers are refused first.
bool numbers_in_range(const rapidjson::Value& root) {
  return !any_json_node(root, [](const rapidjson::Value& v) {
    return v.IsDouble() && !(v.GetDouble() > -9.2e18 && v.GetDouble() < 9.2e18);
  });
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
  rapidjson::Document d;
  // Without kParseStopWhenDoneFlag, text after the value is an error (root not singular).
  // Invalid UTF-8 is refused here (RapidJSON's pointer rendering over-reads on it later).
  d.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (d.HasParseError()) {
    return invalid(std::string("not JSON: ") + rapidjson::GetParseError_En(d.GetParseError()) +
                   " at offset " + std::to_string(d.GetErrorOffset()));
  }
  if (!numbers_in_range(d)) return invalid("a number is out of range (beyond 64-bit integers)");
  rapidjson::SchemaValidator validator(schema());
  if (!d.Accept(validator)) {
    rapidjson::StringBuffer where;
    validator.GetInvalidDocumentPointer().StringifyUriFragment(where);
    std::string pointer = where.GetString();
    if (pointer.starts_with('#')) pointer.erase(0, 1);
    return invalid(std::string("does not match outbound.request.v1: ") +
                   validator.GetInvalidSchemaKeyword() + " at " +
                   (pointer.empty() ? std::string("/") : pointer));
  }
  const rapidjson::Value& doc = d;  // const iterators (C++20 comparison rules)
  SendRequest r;
  r.id = str(doc, "id");
  r.tenant = str(doc, "tenant");
  r.connection = str(doc, "connection");
  r.channel = channel_named(str(doc, "channel"));
  r.purpose = str(doc, "purpose") == "marketing" ? Purpose::marketing : Purpose::transactional;
  const rapidjson::Value& contact = doc["contact"];
  r.contact_id = str(contact, "id");
  r.address = str(contact, "address");
  const rapidjson::Value& content = doc["content"];
  r.content.subject = str(content, "subject");
  r.content.html = str(content, "html");
  r.content.text = str(content, "text");
  r.content.event_type = str(content, "event_type");
  r.content.unsubscribe_url = str(content, "unsubscribe_url");
  if (auto it = content.FindMember("template"); it != content.MemberEnd()) {
    Template t;
    t.name = str(it->value, "name");
    t.language = str(it->value, "language");
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
    c.id = str(it->value, "id");
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
    c.name = str(it->value, "name");
    c.preview = str(it->value, "preview");
    r.campaign = std::move(c);
  }
  if (str(doc, "kind") == "opt_out_confirmation") r.kind = Kind::opt_out_confirmation;
  r.subscription_group = str(doc, "subscription_group");
  auto not_before = time_at(doc, "not_before");
  if (!not_before) return not_before.error();
  r.not_before = *not_before;
  auto expires_at = time_at(doc, "expires_at");
  if (!expires_at) return expires_at.error();
  r.expires_at = *expires_at;
  return r;
}

}  // namespace hookline::sender
