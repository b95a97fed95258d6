#include "processors/normalizer/approval_signal.h"

#include <algorithm>

#include "processors/normalizer/condition.h"

namespace hookline::normalizer {
namespace {

constexpr std::size_t kMaxCampaignId = 128;
constexpr std::size_t kMaxUserId = 64;
constexpr std::size_t kMaxUserName = 256;

rapidjson::Pointer read_pointer(ObjectReader& r, const char* key) {
  const std::string text = r.required_string(key);
  auto p = make_pointer(text);
  if (!p) r.fail(key, "is not a JSON pointer (\"/...\")");
  return *p;
}

MappingError bad_signal(std::string message) {
  return MappingError{"bad-signal", std::move(message)};
}

}  // namespace

bool valid_campaign_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxCampaignId) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(id.front())) return false;
  return std::all_of(id.begin(), id.end(), [&](char c) {
    return alnum(c) || c == '.' || c == '_' || c == ':' || c == '-';
  });
}

ApprovalRule read_approval_rule(ObjectReader& r, const std::vector<std::string>& keep_headers) {
  ApprovalRule rule;
  rule.actions = read_pointer(r, "actions");
  rule.action_id = read_pointer(r, "action_id");
  rule.campaign_id = read_pointer(r, "campaign_id");
  for (const auto& [id, decision] : r.string_map("decisions")) {
    if (decision != "approve" && decision != "deny") {
      r.fail("decisions", "each decision must be approve or deny");
    }
    rule.decisions.emplace(id, decision);
  }
  if (rule.decisions.empty()) r.fail("decisions", "is required (action_id -> approve | deny)");
  rule.user_id = read_templates(r, "user_id", keep_headers);
  if (rule.user_id.empty()) r.fail("user_id", "is required");
  rule.user_name = read_templates(r, "user_name", keep_headers);
  return rule;
}

std::optional<MappingError> append_approval_signals(const ApprovalRule& rule, const Scope& scope,
                                                    const SignalOrigin& origin,
                                                    std::vector<Signal>& out) {
  if (scope.event == nullptr) return std::nullopt;
  const rapidjson::Value* actions = rule.actions.Get(*scope.event);
  if (actions == nullptr || !actions->IsArray()) return std::nullopt;
  for (const auto& action : actions->GetArray()) {
    const rapidjson::Value* id = rule.action_id.Get(action);
    if (id == nullptr || !id->IsString()) continue;
    const auto decision =
        rule.decisions.find(std::string_view(id->GetString(), id->GetStringLength()));
    if (decision == rule.decisions.end()) continue;
    const rapidjson::Value* campaign = rule.campaign_id.Get(action);
    if (campaign == nullptr || !campaign->IsString()) {
      return bad_signal("an approval button carries no campaign id");
    }
    const std::string_view campaign_id(campaign->GetString(), campaign->GetStringLength());
    if (!valid_campaign_id(campaign_id)) {
      return bad_signal("an approval button's campaign id is not 1-128 of A-Za-z0-9._:-");
    }
    const auto user = resolve_first(rule.user_id, scope, ValuePolicy::token);
    if (!user || user->size() > kMaxUserId) {
      return bad_signal("an approval signal applies but the user is unknown");
    }
    auto name = resolve_first(rule.user_name, scope, ValuePolicy::text);
    if (name && name->size() > kMaxUserName) name.reset();
    if (!valid_tenant(origin.delivery->tenant)) {
      return bad_signal("an approval signal needs a tenant of printable ASCII without '/'");
    }
    rapidjson::StringBuffer sb;
    JsonWriter w(sb);
    w.StartObject();
    w.Key("schema_version");
    w.Int(1);
    w.Key("tenant");
    write_string(w, origin.delivery->tenant);
    w.Key("campaign_id");
    write_string(w, campaign_id);
    w.Key("decision");
    write_string(w, decision->second);
    w.Key("decided_by");
    w.StartObject();
    w.Key("slack_user_id");
    write_string(w, *user);
    if (name) {
      w.Key("name");
      write_string(w, *name);
    }
    w.EndObject();
    w.Key("decided_at");
    write_string(w, origin.time);
    write_source(w, origin);
    w.EndObject();
    Signal s;
    s.kind = Signal::Kind::approval;
    s.topic = kApprovalTopic;
    s.key = std::string(campaign_id);
    s.value.assign(sb.GetString(), sb.GetSize());
    out.push_back(std::move(s));
  }
  return std::nullopt;
}

}  // namespace hookline::normalizer
