#include "sinks/simulator/rules_json.h"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/json_reader.h"
#include "sinks/simulator/providers.h"

namespace hookline::simulator {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// One JSON object read strictly: only `allowed` keys, typed accessors, messages naming the key.
class Fields {
 public:
  Fields(const rapidjson::Value& v, std::string where, std::initializer_list<const char*> allowed)
      : v_(v), where_(std::move(where)) {
    if (!v_.IsObject()) throw ConfigError(where_ + ": must be a JSON object");
    for (auto it = v_.MemberBegin(); it != v_.MemberEnd(); ++it) {
      const std::string_view name(it->name.GetString(), it->name.GetStringLength());
      bool known = false;
      for (const char* a : allowed) known = known || name == a;
      if (!known) fail(std::string(name), "unknown key");
    }
  }

  [[noreturn]] void fail(const std::string& key, const std::string& why) const {
    throw ConfigError(where_ + ": key '" + key + "': " + why);
  }
  const std::string& where() const { return where_; }

  const rapidjson::Value* get(const char* key) const {
    auto it = v_.FindMember(key);
    if (it == v_.MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
  }
  std::optional<std::string> string(const char* key) const {
    const auto* v = get(key);
    if (!v) return std::nullopt;
    if (!v->IsString()) fail(key, "must be a string");
    return std::string(v->GetString(), v->GetStringLength());
  }
  std::optional<double> number(const char* key, double min, double max) const {
    const auto* v = get(key);
    if (!v) return std::nullopt;
    if (!v->IsNumber()) fail(key, "must be a number");
    const double d = v->GetDouble();
    if (d < min || d > max) {
      fail(key, "must be from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return d;
  }
  std::optional<int> integer(const char* key, int min, int max) const {
    const auto* v = get(key);
    if (!v) return std::nullopt;
    if (!v->IsInt64()) fail(key, "must be a whole number");
    const std::int64_t i = v->GetInt64();
    if (i < min || i > max) {
      fail(key, "must be from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return static_cast<int>(i);
  }
  std::optional<bool> boolean(const char* key) const {
    const auto* v = get(key);
    if (!v) return std::nullopt;
    if (!v->IsBool()) fail(key, "must be true or false");
    return v->GetBool();
  }

 private:
  const rapidjson::Value& v_;
  std::string where_;
};

Match read_match(const Fields& parent) {
  Match m;
  const auto* v = parent.get("match");
  if (!v) return m;
  Fields f(*v, parent.where() + ": match", {"provider", "target", "path_prefix"});
  m.provider = f.string("provider").value_or("");
  if (!m.provider.empty() && !is_provider_name(m.provider)) {
    f.fail("provider", "must be one of resend, sendgrid, twilio, whatsapp, slack, webhook");
  }
  m.target = f.string("target").value_or("");
  m.path_prefix = f.string("path_prefix").value_or("");
  if (!m.path_prefix.empty() && m.path_prefix.front() != '/') {
    f.fail("path_prefix", "must start with '/'");
  }
  return m;
}

void write_match(JsonWriter& w, const Match& m) {
  w.Key("match");
  w.StartObject();
  if (!m.provider.empty()) {
    w.Key("provider");
    w.String(m.provider);
  }
  if (!m.target.empty()) {
    w.Key("target");
    w.String(m.target);
  }
  if (!m.path_prefix.empty()) {
    w.Key("path_prefix");
    w.String(m.path_prefix);
  }
  w.EndObject();
}

}  // namespace

RateRule read_rate_rule(const rapidjson::Value& value, const std::string& where) {
  Fields f(value, where, {"match", "rate_per_s", "burst", "per_target"});
  RateRule r;
  r.match = read_match(f);
  auto rate = f.number("rate_per_s", 0.001, 1e9);
  if (!rate) f.fail("rate_per_s", "is required");
  r.rate_per_s = *rate;
  r.burst = f.number("burst", 1, 1e9).value_or(std::max(1.0, r.rate_per_s));
  r.per_target = f.boolean("per_target").value_or(false);
  return r;
}

Fault read_fault(const rapidjson::Value& value, const std::string& where) {
  Fields f(value, where,
           {"match", "status", "count", "retry_after_s", "delay_ms", "body", "content_type"});
  Fault fault;
  fault.match = read_match(f);
  fault.status = f.integer("status", 0, 599);
  if (fault.status && *fault.status != 0 && *fault.status < 100) {
    f.fail("status", "must be 0 (close the connection) or an HTTP status from 100 to 599");
  }
  fault.count = f.integer("count", -1, 1000000000).value_or(1);
  if (fault.count == 0) f.fail("count", "must be at least 1 (or -1: until reset)");
  fault.retry_after_s = f.integer("retry_after_s", 0, 86400).value_or(0);
  fault.delay_ms = f.integer("delay_ms", 0, 600000).value_or(0);
  fault.body = f.string("body");
  fault.content_type = f.string("content_type").value_or("application/json");
  if (!fault.status && fault.delay_ms == 0) {
    f.fail("status", "is required unless delay_ms is set (a slow answer)");
  }
  if (fault.body && !fault.status) f.fail("body", "needs a status");
  return fault;
}

CredentialRule read_credential_rule(const rapidjson::Value& value, const std::string& where) {
  Fields f(value, where, {"provider", "valid"});
  CredentialRule rule;
  rule.provider = f.string("provider").value_or("");
  if (rule.provider.empty()) f.fail("provider", "is required");
  if (rule.provider == "webhook") {
    f.fail("provider", "webhook requests carry no credential (they are signed)");
  }
  if (!is_provider_name(rule.provider)) {
    f.fail("provider", "must be one of resend, sendgrid, twilio, whatsapp, slack");
  }
  const auto* valid = f.get("valid");
  if (!valid) f.fail("valid", "is required (an array of strings; [] accepts any credential)");
  if (!valid->IsArray()) f.fail("valid", "must be an array of strings");
  if (valid->Size() > kMaxCredentials) {
    f.fail("valid", "must hold at most " + std::to_string(kMaxCredentials) + " credentials");
  }
  std::size_t i = 0;
  for (const auto& v : valid->GetArray()) {
    const std::string at = "valid[" + std::to_string(i++) + "]";
    if (!v.IsString()) f.fail(at, "must be a string");
    if (v.GetStringLength() == 0 || v.GetStringLength() > kMaxCredentialLength) {
      f.fail(at, "must be 1 to " + std::to_string(kMaxCredentialLength) + " bytes");
    }
    rule.valid.emplace_back(v.GetString(), v.GetStringLength());
  }
  return rule;
}

RateRule parse_rate_rule(std::string_view json) {
  return read_rate_rule(parse_json_text(json, "request body"), "request body");
}

Fault parse_fault(std::string_view json) {
  return read_fault(parse_json_text(json, "request body"), "request body");
}

CredentialRule parse_credential_rule(std::string_view json) {
  return read_credential_rule(parse_json_text(json, "request body"), "request body");
}

InitialRules load_rules_file(const std::string& path) {
  const rapidjson::Document doc = parse_json_file(path);
  Fields top(doc, path, {"rate_limits", "faults", "credentials"});
  InitialRules out;
  auto each = [&](const char* key, const auto& fn) {
    const auto* v = top.get(key);
    if (!v) return;
    if (!v->IsArray()) top.fail(key, "must be an array of objects");
    std::size_t i = 0;
    for (const auto& e : v->GetArray()) {
      fn(e, path + ": " + key + "[" + std::to_string(i++) + "]");
    }
  };
  each("rate_limits", [&](const rapidjson::Value& e, const std::string& where) {
    out.rate_limits.push_back(read_rate_rule(e, where));
  });
  each("faults", [&](const rapidjson::Value& e, const std::string& where) {
    out.faults.push_back(read_fault(e, where));
  });
  each("credentials", [&](const rapidjson::Value& e, const std::string& where) {
    out.credentials.push_back(read_credential_rule(e, where));
  });
  return out;
}

std::string render_rate_rules(const std::vector<RateRule>& rules) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("rate_limits");
  w.StartArray();
  for (const auto& r : rules) {
    w.StartObject();
    w.Key("id");
    w.Int64(r.id);
    write_match(w, r.match);
    w.Key("rate_per_s");
    w.Double(r.rate_per_s);
    w.Key("burst");
    w.Double(r.burst);
    w.Key("per_target");
    w.Bool(r.per_target);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string render_faults(const std::vector<Fault>& faults) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("faults");
  w.StartArray();
  for (const auto& f : faults) {
    w.StartObject();
    w.Key("id");
    w.Int64(f.id);
    write_match(w, f.match);
    if (f.status) {
      w.Key("status");
      w.Int(*f.status);
    }
    w.Key("count");
    w.Int(f.count);
    w.Key("retry_after_s");
    w.Int(f.retry_after_s);
    w.Key("delay_ms");
    w.Int(f.delay_ms);
    if (f.body) {
      w.Key("body");
      w.String(*f.body);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string render_credential_counts(const std::map<std::string, std::size_t>& counts) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("credentials");
  w.StartObject();
  for (const auto& [provider, n] : counts) {
    w.Key(provider.c_str(), static_cast<rapidjson::SizeType>(provider.size()));
    w.Uint64(n);
  }
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace hookline::simulator
