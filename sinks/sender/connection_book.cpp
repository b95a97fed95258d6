#include "sinks/sender/connection_book.h"

#include <algorithm>

#include "core/json_reader.h"
#include "sinks/sender/send_defaults.h"

namespace hookline::sender {

SendConnection read_send_settings(const std::string& settings_json, SendConnection c) {
  auto doc = parse_json_text(settings_json.empty() ? "{}" : settings_json, "settings");
  if (!doc.IsObject()) throw ConfigError("settings: not a JSON object");
  const rapidjson::Value& root = doc;
  auto it = root.FindMember("send");
  if (it == root.MemberEnd()) {
    if (c.base_url.empty()) throw ConfigError("settings.send.base_url: required for this provider");
    return c;
  }
  ObjectReader r(it->value, "settings", "send");
  c.base_url = r.string("base_url", c.base_url);
  c.from = r.string("from", c.from);
  c.account_sid = r.string("account_sid", c.account_sid);
  c.phone_number_id = r.string("phone_number_id", c.phone_number_id);
  c.api_version = r.string("api_version", c.api_version);
  c.path = r.string("path", c.path);
  c.opt_out_text = r.string("opt_out_text", c.opt_out_text);
  c.unsubscribe_url = r.string("unsubscribe_url", c.unsubscribe_url);
  c.unsubscribe_mailto = r.string("unsubscribe_mailto", c.unsubscribe_mailto);
  const bool rate_given = r.has("rate_per_s");
  c.rate_per_s = r.number("rate_per_s", c.rate_per_s, 0.001, 1e6);
  c.burst = r.number("burst", rate_given ? std::max(1.0, c.rate_per_s) : c.burst, 1, 1e6);
  c.recipient_interval = std::chrono::milliseconds(
      r.integer("recipient_interval_ms", c.recipient_interval.count(), 0, 3600000));
  c.max_attempts = static_cast<int>(r.integer("max_attempts", c.max_attempts, 1, 100));
  c.timeout = std::chrono::milliseconds(r.integer("timeout_ms", c.timeout.count(), 100, 120000));
  r.finish();
  if (c.base_url.empty()) throw ConfigError("settings.send.base_url: required for this provider");
  if (!c.base_url.starts_with("https://") && !c.base_url.starts_with("http://")) {
    throw ConfigError("settings.send.base_url: must start with https:// or http://");
  }
  return c;
}

std::variant<std::shared_ptr<const SendConnection>, ConnectionProblem> ConnectionBook::find(
    const std::string& key) {
  const auto slash = key.find('/');
  const std::string provider = key.substr(0, slash);
  const std::string id = slash == std::string::npos ? "" : key.substr(slash + 1);
  auto row = registry_.find(provider, id);
  if (!row) {
    cache_.erase(key);
    return ConnectionProblem{"unknown-connection", "no connection " + key + " in the registry"};
  }
  if (auto it = cache_.find(key); it != cache_.end() && it->second.row == row) {
    return it->second.built;
  }
  Entry e;
  e.row = row;
  auto defaults = send_defaults(provider);
  if (!row->enabled) {
    e.built = ConnectionProblem{"connection-disabled", "connection " + key + " is disabled"};
  } else if (!defaults) {
    e.built = ConnectionProblem{"connection-misconfigured",
                                "the sender has no client for provider " + provider};
  } else if (row->send_secret.empty()) {
    e.built =
        ConnectionProblem{"connection-misconfigured", "connection " + key + " has no send secret"};
  } else {
    try {
      defaults->key = key;
      defaults->tenant = row->tenant;
      defaults->credential = row->send_secret;
      e.built =
          std::make_shared<const SendConnection>(read_send_settings(row->settings, *defaults));
    } catch (const ConfigError& err) {
      e.built =
          ConnectionProblem{"connection-misconfigured", "connection " + key + ": " + err.what()};
    }
  }
  auto& slot = cache_[key];
  slot = std::move(e);
  return slot.built;
}

}  // namespace hookline::sender
