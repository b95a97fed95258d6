// Reads topology/rules.json into Rules (rules.h): strict, member by member over the defaults,
// so a file only states what it changes. Every object may carry a "$comment" string (ignored),
// which lets the shipped file explain itself. Per-tenant sections are merged member by member
// over the top-level approval and quiet_hours once those are read.
#include <cmath>
#include <limits>
#include <string_view>
#include <utility>

#include "core/json_reader.h"
#include "processors/gatekeeper/rules/rule_values.h"
#include "processors/gatekeeper/rules/rules.h"
#include "sinks/sender/send_request.h"

namespace hookline::gatekeeper {
namespace {

constexpr std::string_view kComment = "$comment";
constexpr std::chrono::seconds kMinExpiry{1};
constexpr std::chrono::seconds kMaxExpiry{30LL * 24 * 3600};  // approvals.requests retention
constexpr std::chrono::seconds kMaxStopWindow{7LL * 24 * 3600};
constexpr std::int64_t kMaxReleaseBatch = 10000;
constexpr std::size_t kMaxTenantLength = 256;  // as in the send request schema
constexpr std::size_t kMaxSlackIdLength = 32;

constexpr sender::Channel kChannels[] = {sender::Channel::email, sender::Channel::sms,
                                         sender::Channel::whatsapp, sender::Channel::slack,
                                         sender::Channel::webhook};
constexpr ConsentSource kOptOutSources[] = {
    ConsentSource::inbound_stop, ConsentSource::unsubscribe_link,
    ConsentSource::bounce,       ConsentSource::complaint,
    ConsentSource::api,          ConsentSource::import_,
    ConsentSource::erasure};
constexpr ConsentSource kOptInSources[] = {ConsentSource::inbound_start, ConsentSource::resubscribe,
                                           ConsentSource::api, ConsentSource::import_};

bool lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool upper_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// "slack/<id>": the connection id as the send request schema allows ([a-z0-9][a-z0-9._-]*).
bool valid_slack_connection(std::string_view s) {
  constexpr std::string_view kPrefix = "slack/";
  if (!s.starts_with(kPrefix) || s.size() == kPrefix.size() || s.size() > 129) return false;
  const std::string_view id = s.substr(kPrefix.size());
  if (!lower_alnum(id.front())) return false;
  for (char c : id) {
    if (!lower_alnum(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

// A Slack id: one of `first` letters, then upper-case letters and digits ("C0APPROVALS").
bool valid_slack_id(std::string_view s, std::string_view first) {
  if (s.size() < 2 || s.size() > kMaxSlackIdLength || first.find(s.front()) == first.npos) {
    return false;
  }
  for (char c : s) {
    if (!upper_alnum(c)) return false;
  }
  return true;
}

// Printable ASCII without space and '/', as the send request schema's tenant.
bool valid_tenant(std::string_view s) {
  if (s.empty() || s.size() > kMaxTenantLength) return false;
  for (char c : s) {
    if (c < '!' || c > '~' || c == '/') return false;
  }
  return true;
}

template <class T, std::size_t N>
std::string names_of(const T (&values)[N]) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += ", ";
    out += to_string(v);
  }
  return out;
}

// Reads the ignored "$comment" member (it must be a string when present).
void comment(ObjectReader& r) {
  r.string(kComment);
}

std::optional<std::chrono::seconds> duration(ObjectReader& r, std::string_view key,
                                             std::chrono::seconds min, std::chrono::seconds max) {
  const auto text = r.string(key);
  if (!text) return std::nullopt;
  const auto d = parse_duration(*text);
  if (!d) r.fail(key, "must be a duration such as \"24h\", \"30m\", \"90s\" or \"1h30m\"");
  if (*d < min || *d > max) {
    r.fail(key, "must be between " + format_duration(min) + " and " + format_duration(max));
  }
  return d;
}

// Reads {"<source>": "<scope>", ...} into `out` (entries replace the defaults' one by one).
// `allowed` lists the sources this map may name.
template <std::size_t N>
void scope_map(const rapidjson::Value& parent, ObjectReader& r, std::string_view key,
               const ConsentSource (&allowed)[N], std::map<ConsentSource, Scope>& out) {
  const auto it = parent.FindMember(rapidjson::StringRef(key.data(), key.size()));
  r.object(key, [](ObjectReader& m) { m.skip_rest(); });  // marks the key read, checks the type
  if (it == parent.MemberEnd() || it->value.IsNull()) return;
  for (auto m = it->value.MemberBegin(); m != it->value.MemberEnd(); ++m) {
    const std::string name(m->name.GetString(), m->name.GetStringLength());
    if (name == kComment) {
      if (!m->value.IsString()) r.fail(std::string(key) + "." + name, "must be a string");
      continue;
    }
    const std::string member = std::string(key) + "." + name;
    const auto source = consent_source_named(name);
    bool permitted = false;
    for (auto a : allowed) permitted = permitted || (source && *source == a);
    if (!permitted) r.fail(member, "unknown consent source (one of " + names_of(allowed) + ")");
    const std::optional<Scope> scope =
        m->value.IsString() ? scope_named(m->value.GetString()) : std::nullopt;
    if (!scope) r.fail(member, "must be \"all\", \"marketing\" or \"transactional\"");
    out[*source] = *scope;
  }
}

void read_consent(const rapidjson::Value& value, ObjectReader& c, ConsentRules& out) {
  comment(c);
  if (c.has("channels")) {
    std::set<std::string> channels;
    for (const auto& name : c.string_array("channels")) {
      bool known = false;
      for (auto ch : kChannels) known = known || name == sender::to_string(ch);
      if (!known)
        c.fail("channels", "unknown channel '" + name + "' (one of " + names_of(kChannels) + ")");
      channels.insert(name);
    }
    out.channels = std::move(channels);
  }
  if (auto b = c.boolean("marketing_requires_opt_in")) out.marketing_requires_opt_in = *b;
  scope_map(value, c, "opt_out_scope", kOptOutSources, out.opt_out_scope);
  scope_map(value, c, "opt_in_scope", kOptInSources, out.opt_in_scope);
  if (auto d = duration(c, "stop_confirmation_window", std::chrono::seconds(0), kMaxStopWindow)) {
    out.stop_confirmation_window = *d;
  }
}

void read_quiet_hours(ObjectReader& q, QuietHours& out) {
  comment(q);
  auto clock = [&](std::string_view key, int& field) {
    if (auto text = q.string(key)) {
      auto minutes = parse_clock_time(*text);
      if (!minutes) q.fail(key, "must be a local time \"HH:MM\" between 00:00 and 23:59");
      field = *minutes;
    }
  };
  clock("start", out.start_minute);
  clock("end", out.end_minute);
  if (auto text = q.string("utc_offset")) {
    auto minutes = parse_utc_offset(*text);
    if (!minutes) q.fail("utc_offset", "must be \"+HH:MM\" or \"-HH:MM\" within -14:00 .. +14:00");
    out.utc_offset_minutes = *minutes;
  }
  if (q.has("purposes")) {
    std::set<std::string> purposes;
    for (const auto& name : q.string_array("purposes")) {
      if (name != "marketing" && name != "transactional") {
        q.fail("purposes", "unknown purpose '" + name + "' (marketing or transactional)");
      }
      purposes.insert(name);
    }
    out.purposes = std::move(purposes);
  }
  if (out.purposes.empty()) {
    q.fail("purposes", "must name at least one purpose (set quiet_hours to null for none)");
  }
  if (out.start_minute == out.end_minute) {
    q.fail("end", "must differ from start (set quiet_hours to null for none)");
  }
}

void read_slack(ObjectReader& s, ApprovalRules& out) {
  comment(s);
  if (auto conn = s.string("connection")) {
    if (!valid_slack_connection(*conn)) {
      s.fail("connection", "must name a Slack connection of the registry: \"slack/<id>\"");
    }
    out.slack_connection = *conn;
  }
  if (auto channel = s.string("channel")) {
    if (!valid_slack_id(*channel, "CGD")) {
      s.fail("channel", "must be a Slack channel id such as \"C0123ABCD\"");
    }
    out.slack_channel = *channel;
  }
}

void read_approval(ObjectReader& a, ApprovalRules& out) {
  comment(a);
  // null turns a threshold off; absent keeps the inherited one.
  if (a.has("recipients_over")) {
    const auto v = a.integer("recipients_over", -1, 0, std::numeric_limits<std::int64_t>::max());
    out.recipients_over = v < 0 ? std::nullopt : std::optional<std::int64_t>(v);
  }
  if (a.has("risk_score_over")) {
    const double v = a.number("risk_score_over", std::nan(""), 0.0, 1.0);
    out.risk_score_over = std::isnan(v) ? std::nullopt : std::optional<double>(v);
  }
  if (auto b = a.boolean("sensitive")) out.sensitive = *b;
  if (auto b = a.boolean("ai_drafted")) out.ai_drafted = *b;
  if (auto b = a.boolean("first_send")) out.first_send = *b;
  if (auto d = duration(a, "expires_after", kMinExpiry, kMaxExpiry)) out.expires_after = *d;
  out.release_batch =
      static_cast<int>(a.integer("release_batch", out.release_batch, 1, kMaxReleaseBatch));
  if (a.has("approvers")) {
    std::set<std::string> ids;
    for (const auto& id : a.string_array("approvers")) {
      if (!valid_slack_id(id, "UW")) {
        a.fail("approvers", "'" + id + "' is not a Slack user id such as \"U0123ABCD\"");
      }
      ids.insert(id);
    }
    out.approver_slack_user_ids = std::move(ids);
  }
  if (a.has("slack")) {
    bool present = false;
    a.object("slack", [&](ObjectReader& s) {
      present = true;
      read_slack(s, out);
    });
    if (!present) {  // "slack": null: approvals cannot be requested
      out.slack_connection.clear();
      out.slack_channel.clear();
    }
  }
  if (out.slack_connection.empty() != out.slack_channel.empty()) {
    a.fail("slack", "needs both connection and channel (or null for no approvals in Slack)");
  }
}

// `quiet_hours` of `r`: absent keeps `inherited`, null turns it off, an object is merged over
// `inherited` (or the defaults of QuietHours when there is none).
std::optional<QuietHours> quiet_hours_over(ObjectReader& r,
                                           const std::optional<QuietHours>& inherited) {
  if (!r.has("quiet_hours")) return inherited;
  std::optional<QuietHours> out;
  r.object("quiet_hours", [&](ObjectReader& q) {
    QuietHours merged = inherited.value_or(QuietHours{});
    read_quiet_hours(q, merged);
    out = std::move(merged);
  });
  return out;
}

void read_tenants(const rapidjson::Value& root, ObjectReader& r, Rules& rules,
                  const std::string& origin) {
  r.object("tenants", [](ObjectReader& t) { t.skip_rest(); });  // checks it is an object
  const auto it = root.FindMember("tenants");
  if (it == root.MemberEnd() || it->value.IsNull()) return;
  for (auto m = it->value.MemberBegin(); m != it->value.MemberEnd(); ++m) {
    const std::string name(m->name.GetString(), m->name.GetStringLength());
    if (name == kComment) {
      if (!m->value.IsString()) r.fail("tenants." + name, "must be a string");
      continue;
    }
    if (!valid_tenant(name)) {
      r.fail("tenants." + name, "is not a tenant id (printable ASCII, no spaces or '/')");
    }
    ObjectReader t(m->value, origin, "tenants." + name);
    comment(t);
    TenantRules tenant;
    tenant.approval = rules.approval;
    t.object("approval", [&](ObjectReader& a) { read_approval(a, tenant.approval); });
    tenant.quiet_hours = quiet_hours_over(t, rules.quiet_hours);
    t.finish();
    rules.tenants.emplace(name, std::move(tenant));
  }
}

Rules read_rules(const rapidjson::Document& doc, const std::string& origin) {
  ObjectReader root(doc, origin, "");
  Rules rules;
  rules.source = origin;
  comment(root);
  if (const auto it = doc.FindMember("consent"); it != doc.MemberEnd()) {
    root.object("consent", [&](ObjectReader& c) { read_consent(it->value, c, rules.consent); });
  }
  rules.quiet_hours = quiet_hours_over(root, std::nullopt);
  root.object("approval", [&](ObjectReader& a) { read_approval(a, rules.approval); });
  read_tenants(doc, root, rules, origin);
  root.finish();
  return rules;
}

}  // namespace

Rules parse_rules(const std::string& json, const std::string& origin) {
  return read_rules(parse_json_text(json, origin), origin);
}

Rules load_rules(const std::string& path) {
  return read_rules(parse_json_file(path), path);
}

}  // namespace hookline::gatekeeper
