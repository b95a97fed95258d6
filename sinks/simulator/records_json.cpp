#include "sinks/simulator/records_json.h"

#include <charconv>
#include <cstdint>
#include <limits>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/json_reader.h"

namespace hookline::simulator {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

std::int64_t whole_number(const std::string& name, const std::string& text, std::int64_t min,
                          std::int64_t max) {
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr != text.data() + text.size() || out < min || out > max) {
    throw ConfigError("query parameter '" + name + "': must be a whole number from " +
                      std::to_string(min) + " to " + std::to_string(max));
  }
  return out;
}

void string_field(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

RecordFilter parse_record_filter(const std::multimap<std::string, std::string>& query) {
  RecordFilter f;
  for (const auto& [name, value] : query) {
    if (name == "provider") {
      f.provider = value;
    } else if (name == "target") {
      f.target = value;
    } else if (name == "path_prefix") {
      f.path_prefix = value;
    } else if (name == "status") {
      f.status = static_cast<int>(whole_number(name, value, 0, 599));
    } else if (name == "since_seq") {
      f.since_seq = whole_number(name, value, 0, std::numeric_limits<std::int64_t>::max());
    } else if (name == "limit") {
      f.limit = static_cast<std::size_t>(whole_number(name, value, 1, 200000));
    } else {
      throw ConfigError("query parameter '" + name + "': unknown (use provider, target, " +
                        "path_prefix, status, since_seq, limit)");
    }
  }
  return f;
}

std::string render_requests(const std::vector<Record>& records, std::int64_t since_seq) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("requests");
  w.StartArray();
  for (const auto& r : records) {
    w.StartObject();
    w.Key("seq");
    w.Int64(r.seq);
    w.Key("time_ms");
    w.Int64(r.time_ms);
    string_field(w, "provider", r.provider);
    string_field(w, "method", r.method);
    string_field(w, "path", r.path);
    string_field(w, "target", r.target);
    w.Key("headers");
    w.StartObject();
    for (const auto& [name, value] : r.headers) string_field(w, name.c_str(), value);
    w.EndObject();
    string_field(w, "body", r.body);
    w.Key("status");
    w.Int(r.status);
    w.Key("idempotent_replay");
    w.Bool(r.idempotent_replay);
    string_field(w, "message_id", r.message_id);
    w.EndObject();
  }
  w.EndArray();
  w.Key("last_seq");
  w.Int64(records.empty() ? since_seq : records.back().seq);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string render_stats(const Stats& s) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("total");
  w.Int64(s.total);
  w.Key("retained");
  w.Uint64(s.retained);
  w.Key("last_seq");
  w.Int64(s.last_seq);
  w.Key("providers");
  w.StartObject();
  for (const auto& [provider, by_status] : s.by_provider) {
    w.Key(provider.c_str());
    w.StartObject();
    for (const auto& [status, count] : by_status) {
      w.Key(std::to_string(status).c_str());
      w.Int64(count);
    }
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace hookline::simulator
