#include "ctl/dlq/dlq_table.h"

#include <chrono>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/time_format.h"

namespace hookline::ctl {
namespace {

constexpr std::size_t kReasonWidth = 60;

std::string time_text(std::int64_t ms) {
  if (ms <= 0) return "-";
  return rfc3339_ms(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

// At most `max` bytes, cut at a character boundary, control characters replaced.
std::string short_text(const std::string& s, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && out.size() < max; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    out += c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c);
  }
  while (!out.empty() && out.size() < s.size() &&
         (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) {
    out.pop_back();
  }
  if (!out.empty() && out.size() < s.size() && (static_cast<unsigned char>(out.back()) & 0x80)) {
    out.pop_back();  // a lead byte whose continuation was cut
  }
  if (out.size() < s.size()) out += "...";
  return out;
}

void put(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* key, const std::string& v) {
  w.Key(key);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

}  // namespace

std::string entry_json(const DlqEntry& e) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("partition");
  w.Int(e.partition);
  w.Key("offset");
  w.Int64(e.offset);
  put(w, "time", time_text(e.time_ms));
  put(w, "provider", e.provider);
  put(w, "connection", e.connection);
  put(w, "error_class", e.error_class);
  w.Key("attempts");
  if (e.attempts >= 0) {
    w.Int(e.attempts);
  } else {
    w.Null();
  }
  put(w, "reason", e.reason);
  put(w, "id", e.id);
  put(w, "original_topic", e.original_topic);
  w.Key("original_partition");
  w.Int(e.original_partition);
  w.Key("original_offset");
  w.Int64(e.original_offset);
  if (!e.replayed_from.empty()) put(w, "replayed_from", e.replayed_from);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

void DlqTable::header() {
  if (json_) return;
  std::fprintf(out_, "%-12s %-24s %-10s %-16s %-24s %8s  %s\n", "PART:OFFSET", "TIME", "PROVIDER",
               "CONNECTION", "ERROR CLASS", "ATTEMPTS", "REASON");
}

void DlqTable::row(const DlqEntry& e) {
  ++count_;
  ++by_class_[e.error_class.empty() ? "(none)" : e.error_class];
  if (json_) {
    std::fprintf(out_, "%s\n", entry_json(e).c_str());
    return;
  }
  const std::string where = std::to_string(e.partition) + ":" + std::to_string(e.offset);
  const std::string attempts = e.attempts >= 0 ? std::to_string(e.attempts) : "-";
  std::fprintf(out_, "%-12s %-24s %-10s %-16s %-24s %8s  %s\n", where.c_str(),
               time_text(e.time_ms).c_str(), short_text(e.provider, 10).c_str(),
               short_text(e.connection, 16).c_str(), short_text(e.error_class, 24).c_str(),
               attempts.c_str(), short_text(e.reason, kReasonWidth).c_str());
}

void DlqTable::totals() {
  if (json_) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("records");
    w.Int64(count_);
    w.Key("by_error_class");
    w.StartObject();
    for (const auto& [k, n] : by_class_) {
      w.Key(k.c_str(), static_cast<rapidjson::SizeType>(k.size()));
      w.Int64(n);
    }
    w.EndObject();
    w.EndObject();
    std::fprintf(out_, "{\"totals\":%s}\n", buf.GetString());
    return;
  }
  std::fprintf(out_, "%lld record%s", static_cast<long long>(count_), count_ == 1 ? "" : "s");
  const char* sep = "; by error class: ";
  for (const auto& [k, n] : by_class_) {
    std::fprintf(out_, "%s%s %lld", sep, k.c_str(), static_cast<long long>(n));
    sep = ", ";
  }
  std::fprintf(out_, "\n");
}

}  // namespace hookline::ctl
