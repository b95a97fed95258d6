#include "processors/normalizer/consent_signal.h"

#include <algorithm>

#include "processors/normalizer/condition.h"
#include "processors/normalizer/json_access.h"

namespace hookline::normalizer {
namespace {

bool valid_channel(std::string_view c) {
  if (c.empty() || c.size() > 32 || c.front() < 'a' || c.front() > 'z') return false;
  return std::all_of(c.begin(), c.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
  });
}

bool valid_reason(std::string_view r) {
  if (r.empty() || r.size() > 64 || r.front() < 'a' || r.front() > 'z') return false;
  return std::all_of(r.begin(), r.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
}

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::vector<std::string> read_keywords(ObjectReader& r, const char* key) {
  std::vector<std::string> out;
  for (const auto& k : r.string_array(key)) {
    const bool ok = !k.empty() && k.size() <= 32 && std::all_of(k.begin(), k.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    });
    if (!ok) r.fail(key, "keywords must be 1-32 letters or digits");
    out.push_back(upper_ascii(k));
  }
  return out;
}

Template read_template(ObjectReader& r, const char* key, const std::string& text,
                       const std::vector<std::string>& keep_headers) {
  try {
    Template t = Template::parse(text);
    for (const auto& h : t.headers()) require_kept(r, key, h, keep_headers);
    return t;
  } catch (const std::invalid_argument& e) {
    r.fail(key, e.what());
  }
}

// The contact and channel of a raw contact: a channel prefix removed, then formatted.
std::optional<std::pair<std::string, std::string>> normalize_contact(const ConsentRule& rule,
                                                                     std::string_view raw) {
  std::string_view contact = trim(raw);
  std::string channel = rule.channel;
  for (const auto& [prefix, ch] : rule.channel_prefixes) {
    if (contact.starts_with(prefix)) {
      contact.remove_prefix(prefix.size());
      channel = ch;
      break;
    }
  }
  auto formatted = format_contact(rule.contact_format, contact);
  if (!formatted) return std::nullopt;
  return std::make_pair(std::move(*formatted), std::move(channel));
}

Signal consent_signal(const SignalOrigin& origin, const std::string& contact,
                      const std::string& channel, const std::string& action,
                      const std::string& reason, const std::optional<std::string>& group) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  w.Key("schema_version");
  w.Int(1);
  w.Key("tenant");
  write_string(w, origin.delivery->tenant);
  w.Key("contact");
  write_string(w, contact);
  w.Key("channel");
  write_string(w, channel);
  w.Key("action");
  write_string(w, action);
  w.Key("reason");
  write_string(w, reason);
  if (group) {
    w.Key("group");
    write_string(w, *group);
  }
  w.Key("occurred_at");
  write_string(w, origin.time);
  write_source(w, origin);
  w.EndObject();
  Signal s;
  s.kind = Signal::Kind::consent;
  s.topic = kConsentTopic;
  s.key = origin.delivery->tenant + "/" + contact + "/" + channel;
  s.value.assign(sb.GetString(), sb.GetSize());
  return s;
}

MappingError bad_signal(std::string message) {
  return MappingError{"bad-signal", std::move(message)};
}

}  // namespace

std::optional<std::string> format_contact(ConsentRule::ContactFormat format, std::string_view raw) {
  std::string_view contact = trim(raw);
  std::string out;
  switch (format) {
    case ConsentRule::ContactFormat::text:
      out = std::string(contact);
      break;
    case ConsentRule::ContactFormat::email: {
      const std::size_t lt = contact.rfind('<');
      if (lt != std::string_view::npos && contact.ends_with('>')) {
        contact = trim(contact.substr(lt + 1, contact.size() - lt - 2));
      }
      out = lower_ascii(contact);
      break;
    }
    case ConsentRule::ContactFormat::phone: {
      for (char c : contact) {
        if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') out += c;
      }
      const bool digits = !out.empty() && std::all_of(out.begin(), out.end(),
                                                      [](char c) { return c >= '0' && c <= '9'; });
      if (digits) out.insert(out.begin(), '+');
      break;
    }
  }
  if (out.size() > kMaxContactLength || !acceptable(out, ValuePolicy::text)) return std::nullopt;
  return out;
}

ConsentRule read_consent_rule(ObjectReader& r, const std::vector<std::string>& keep_headers) {
  ConsentRule rule;
  if (auto c = r.string("contact")) rule.contact = read_template(r, "contact", *c, keep_headers);
  if (auto c = r.string("contacts")) {
    rule.contacts = make_pointer(*c);
    if (!rule.contacts) r.fail("contacts", "is not a JSON pointer");
  }
  if (rule.contact.has_value() == rule.contacts.has_value()) {
    r.fail("contact", "give exactly one of contact (a template) and contacts (a pointer)");
  }
  rule.channel = r.required_string("channel");
  if (!valid_channel(rule.channel)) {
    r.fail("channel", "must be 1-32 characters of a-z, 0-9, '_', '-', starting with a letter");
  }
  for (const auto& [prefix, ch] : r.string_map("channel_prefixes")) {
    if (prefix.empty() || !valid_channel(ch)) {
      r.fail("channel_prefixes", "each prefix must be non-empty and name a valid channel");
    }
    rule.channel_prefixes.emplace_back(prefix, ch);
  }
  const std::string format = r.string("contact_format", "text");
  if (format == "text") {
    rule.contact_format = ConsentRule::ContactFormat::text;
  } else if (format == "phone") {
    rule.contact_format = ConsentRule::ContactFormat::phone;
  } else if (format == "email") {
    rule.contact_format = ConsentRule::ContactFormat::email;
  } else {
    r.fail("contact_format", "must be text, phone or email");
  }
  // Longest prefix first, so a prefix of another never shadows it.
  std::stable_sort(rule.channel_prefixes.begin(), rule.channel_prefixes.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  r.object("keywords", [&](ObjectReader& k) {
    const std::string p = k.required_string("pointer");
    rule.keyword_pointer = make_pointer(p);
    if (!rule.keyword_pointer) k.fail("pointer", "is not a JSON pointer");
    rule.opt_out_keywords = read_keywords(k, "opt_out");
    rule.opt_in_keywords = read_keywords(k, "opt_in");
    if (rule.opt_out_keywords.empty() && rule.opt_in_keywords.empty()) {
      k.fail("opt_out", "give at least one keyword in opt_out or opt_in");
    }
  });
  rule.action = r.string("action", "");
  rule.reason = r.string("reason", "");
  if (rule.keyword_pointer) {
    if (!rule.action.empty() || !rule.reason.empty()) {
      r.fail("action", "keywords decide the action and reason; give no action or reason");
    }
  } else {
    if (rule.action != "opt_out" && rule.action != "opt_in") {
      r.fail("action", "must be opt_out or opt_in (or give keywords)");
    }
    if (!valid_reason(rule.reason)) {
      r.fail("reason", "must be 1-64 characters of a-z, 0-9, '_', starting with a letter");
    }
  }
  if (auto g = r.string("group")) rule.group = read_template(r, "group", *g, keep_headers);
  return rule;
}

std::optional<KeywordMatch> match_keyword(const ConsentRule& rule, std::string_view text) {
  const std::string word = upper_ascii(trim(text));
  if (word.empty()) return std::nullopt;
  for (const auto& k : rule.opt_out_keywords) {
    if (k == word) return KeywordMatch{"opt_out", k};
  }
  for (const auto& k : rule.opt_in_keywords) {
    if (k == word) return KeywordMatch{"opt_in", k};
  }
  return std::nullopt;
}

std::optional<MappingError> append_consent_signals(const ConsentRule& rule, const Scope& scope,
                                                   const SignalOrigin& origin,
                                                   std::vector<Signal>& out) {
  std::string action = rule.action;
  std::string reason = rule.reason;
  if (rule.keyword_pointer) {
    const rapidjson::Value* v = scope.event ? rule.keyword_pointer->Get(*scope.event) : nullptr;
    if (v == nullptr || !v->IsString()) return std::nullopt;
    auto match = match_keyword(rule, std::string_view(v->GetString(), v->GetStringLength()));
    if (!match) return std::nullopt;
    action = match->action;
    reason = "keyword:" + match->keyword;
  }
  if (!valid_tenant(origin.delivery->tenant)) {
    return bad_signal("a consent signal needs a tenant of printable ASCII without '/'");
  }
  std::vector<std::string> raw;
  if (rule.contact) {
    if (auto c = rule.contact->resolve(scope, ValuePolicy::text)) raw.push_back(std::move(*c));
  } else if (scope.event != nullptr) {
    const rapidjson::Value* v = rule.contacts->Get(*scope.event);
    if (v != nullptr && v->IsString()) {
      raw.emplace_back(v->GetString(), v->GetStringLength());
    } else if (v != nullptr && v->IsArray()) {
      for (const auto& e : v->GetArray()) {
        if (!e.IsString()) return bad_signal("a consent contact is not a string");
        raw.emplace_back(e.GetString(), e.GetStringLength());
      }
    }
  }
  if (raw.empty()) return bad_signal("a consent signal applies but its contact is missing");
  std::optional<std::string> group;
  if (rule.group) {
    group = rule.group->resolve(scope, ValuePolicy::token);
    if (!group) return bad_signal("a consent signal applies but its group is missing");
  }
  for (const auto& r : raw) {
    auto contact = normalize_contact(rule, r);
    if (!contact) return bad_signal("a consent contact is empty, too long or not text");
    out.push_back(consent_signal(origin, contact->first, contact->second, action, reason, group));
  }
  return std::nullopt;
}

}  // namespace hookline::normalizer
