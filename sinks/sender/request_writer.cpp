#include "sinks/sender/request_writer.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/time_format.h"

namespace hookline::sender {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void member(Writer& w, const char* key, const std::string& value) {
  if (value.empty()) return;
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void raw_member(Writer& w, const char* key, const std::string& json, rapidjson::Type type) {
  if (json.empty()) return;
  w.Key(key);
  w.RawValue(json.data(), json.size(), type);
}

void time_member(Writer& w, const char* key,
                 const std::optional<std::chrono::system_clock::time_point>& t) {
  if (!t) return;
  w.Key(key);
  w.String(rfc3339_ms(*t));
}

void write_content(Writer& w, const Content& c) {
  w.Key("content");
  w.StartObject();
  member(w, "subject", c.subject);
  member(w, "html", c.html);
  member(w, "text", c.text);
  if (c.template_) {
    w.Key("template");
    w.StartObject();
    member(w, "name", c.template_->name);
    member(w, "language", c.template_->language);
    if (!c.template_->parameters.empty()) {
      w.Key("parameters");
      w.StartArray();
      for (const auto& p : c.template_->parameters) w.String(p);
      w.EndArray();
    }
    w.EndObject();
  }
  raw_member(w, "blocks", c.blocks_json, rapidjson::kArrayType);
  member(w, "event_type", c.event_type);
  raw_member(w, "payload", c.payload_json, rapidjson::kObjectType);
  member(w, "unsubscribe_url", c.unsubscribe_url);
  w.EndObject();
}

void write_campaign(Writer& w, const Campaign& c) {
  w.Key("campaign");
  w.StartObject();
  member(w, "id", c.id);
  w.Key("recipients");
  w.Int64(c.recipients);
  w.Key("risk_score");
  w.Double(c.risk_score);
  w.Key("sensitive");
  w.Bool(c.sensitive);
  w.Key("ai_drafted");
  w.Bool(c.ai_drafted);
  member(w, "name", c.name);
  member(w, "preview", c.preview);
  w.EndObject();
}

}  // namespace

std::string to_json(const SendRequest& r) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("schema_version");
  w.Int(1);
  member(w, "id", r.id);
  member(w, "tenant", r.tenant);
  member(w, "connection", r.connection);
  w.Key("channel");
  w.String(to_string(r.channel));
  w.Key("purpose");
  w.String(to_string(r.purpose));
  w.Key("contact");
  w.StartObject();
  member(w, "id", r.contact_id);
  member(w, "address", r.address);
  w.EndObject();
  write_content(w, r.content);
  if (r.campaign) write_campaign(w, *r.campaign);
  if (r.kind == Kind::opt_out_confirmation) {
    w.Key("kind");
    w.String("opt_out_confirmation");
  }
  member(w, "subscription_group", r.subscription_group);
  time_member(w, "not_before", r.not_before);
  time_member(w, "expires_at", r.expires_at);
  w.EndObject();
  return {sb.GetString(), sb.GetSize()};
}

}  // namespace hookline::sender
