#include "ctl/status/render_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace hookline::ctl::status {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Length of the valid UTF-8 sequence at s[i], or 0.
std::size_t utf8_sequence(const std::string& s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned min = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  unsigned cp = c & (0x7Fu >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// Text from the network (metric labels) may hold any bytes: invalid UTF-8 becomes U+FFFD so
// the output stays JSON.
std::string valid_utf8(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s, i, n);
      i += n;
    }
  }
  return out;
}

void string_value(Writer& w, const std::string& value) {
  const std::string v = valid_utf8(value);
  w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
}

void str(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  string_value(w, value);
}

// Leaves the member out when `value` is empty.
void optional_str(Writer& w, const char* key, const std::string& value) {
  if (!value.empty()) str(w, key, value);
}

void num(Writer& w, const char* key, std::optional<std::int64_t> value) {
  w.Key(key);
  if (value) {
    w.Int64(*value);
  } else {
    w.Null();
  }
}

void boolean(Writer& w, const char* key, bool value) {
  w.Key(key);
  w.Bool(value);
}

void strings(Writer& w, const char* key, const std::vector<std::string>& values) {
  w.Key(key);
  w.StartArray();
  for (const auto& v : values) string_value(w, v);
  w.EndArray();
}

void topic_lag(Writer& w, const TopicLag& t) {
  w.StartObject();
  str(w, "topic", t.topic);
  str(w, "source", to_string(t.source));
  num(w, "lag", t.error.empty() ? t.total : std::nullopt);
  num(w, "partition_count", t.partition_count);
  w.Key("partitions");
  w.StartArray();
  for (const auto& p : t.partitions) {
    w.StartObject();
    num(w, "partition", p.partition);
    num(w, "end", p.end);
    num(w, "committed", p.committed);
    num(w, "lag", p.lag);
    w.EndObject();
  }
  w.EndArray();
  optional_str(w, "note", t.note);
  optional_str(w, "error", t.error);
  w.EndObject();
}

void groups(Writer& w, const Snapshot& s) {
  w.Key("groups");
  w.StartArray();
  for (const auto& g : s.groups) {
    w.StartObject();
    str(w, "component", g.component);
    str(w, "group_id", g.group_id);
    w.Key("topics");
    w.StartArray();
    for (const auto& t : g.topics) topic_lag(w, t);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
}

void dlqs(Writer& w, const Snapshot& s) {
  w.Key("dlqs");
  w.StartArray();
  for (const auto& d : s.dlqs) {
    const bool ok = d.error.empty();
    w.StartObject();
    str(w, "topic", d.topic);
    num(w, "held", ok ? std::optional<std::int64_t>(d.held) : std::nullopt);
    num(w, "last_hour", ok ? std::optional<std::int64_t>(d.last_hour) : std::nullopt);
    num(w, "not_replayed", ok ? std::optional<std::int64_t>(d.not_replayed) : std::nullopt);
    str(w, "replay_group", d.replay_group);
    boolean(w, "has_cursor", d.has_cursor);
    optional_str(w, "note", d.note);
    optional_str(w, "error", d.error);
    w.EndObject();
  }
  w.EndArray();
}

void approvals(Writer& w, const Snapshot& s) {
  const auto& a = s.approvals;
  const bool known = a.configured && a.error.empty();
  w.Key("approvals");
  w.StartObject();
  boolean(w, "configured", a.configured);
  num(w, "pending", known ? std::optional<std::int64_t>(a.pending) : std::nullopt);
  num(w, "oldest_age_s", known ? a.oldest_age_s : std::nullopt);
  if (!a.configured) str(w, "note", "no database configured");
  optional_str(w, "error", a.error);
  w.EndObject();
}

void endpoints(Writer& w, const Snapshot& s) {
  w.Key("endpoints");
  w.StartArray();
  for (const auto& c : s.endpoints) {
    w.StartObject();
    str(w, "component", c.component);
    w.Key("origin");
    if (c.origin.empty()) {
      w.Null();
    } else {
      string_value(w, c.origin);
    }
    w.Key("probes");
    w.StartArray();
    for (const auto& p : c.probes) {
      w.StartObject();
      str(w, "url", p.url);
      boolean(w, "up", p.up);
      str(w, "detail", p.detail);
      w.EndObject();
    }
    w.EndArray();
    if (c.probes.empty()) str(w, "note", "no endpoint given");
    w.EndObject();
  }
  w.EndArray();
}

void sender(Writer& w, const Snapshot& s) {
  const auto& h = s.sender;
  w.Key("sender");
  w.StartObject();
  boolean(w, "scraped", h.scraped);
  optional_str(w, "note", h.note);
  w.Key("circuits");
  w.StartArray();
  for (const auto& c : h.circuits) {
    w.StartObject();
    str(w, "connection", c.connection);
    str(w, "state", c.state);
    w.EndObject();
  }
  w.EndArray();
  strings(w, "throttled", h.throttled);
  num(w, "skipped_lines", static_cast<std::int64_t>(h.skipped_lines));
  w.EndObject();
}

void topology(Writer& w, const Snapshot& s) {
  const auto& t = s.topology;
  w.Key("topology");
  w.StartObject();
  boolean(w, "checked", t.checked);
  boolean(w, "in_step", t.checked && t.error.empty() && t.drift.empty());
  str(w, "source", t.source);
  num(w, "declared", static_cast<std::int64_t>(t.declared));
  optional_str(w, "configs_skipped", t.configs_skipped);
  strings(w, "drift", t.drift);
  optional_str(w, "error", t.error);
  w.EndObject();
}

}  // namespace

std::string render_json(const Snapshot& s, const std::vector<std::string>& attention) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  str(w, "kafka", s.bootstrap);
  str(w, "taken_at", s.taken_at);
  boolean(w, "needs_attention", !attention.empty());
  strings(w, "attention", attention);
  groups(w, s);
  dlqs(w, s);
  approvals(w, s);
  endpoints(w, s);
  sender(w, s);
  topology(w, s);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

}  // namespace hookline::ctl::status
