#include "ctl/dlq/dlq_entry.h"

#include <charconv>

#include <rapidjson/document.h>

#include "core/json_schema.h"
#include "core/replay_marks.h"
#include "core/time_format.h"
#include "processors/normalizer/json_access.h"
#include "processors/normalizer/partition_task.h"
#include "sinks/sender/flow/retry_headers.h"

namespace hookline::ctl {
namespace {

template <class Int>
std::optional<Int> number(std::string_view text) {
  Int v{};
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

bool id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

// The send request's "id" when the value is a JSON object with a well-formed one.
std::string request_id(std::string_view value) {
  rapidjson::Document doc;
  doc.Parse<normalizer::kUntrustedParseFlags>(value.data(), value.size());
  if (doc.HasParseError() || !doc.IsObject()) return "";
  std::string id = string_member(doc, "id");
  if (id.empty() || id.size() > 128) return "";
  for (char c : id) {
    if (!id_char(c)) return "";
  }
  return id;
}

}  // namespace

std::string header_value(const kafka::Headers& headers, std::string_view name) {
  for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return "";
}

RecordView view_of(const kafka::Message& message, const kafka::Headers& headers) {
  RecordView v;
  v.partition = message.partition();
  v.offset = message.offset();
  v.timestamp_ms = message.timestamp_ms();
  v.key = message.key();
  v.value = message.value();
  v.headers = &headers;
  return v;
}

DlqEntry describe_dlq_record(const RecordView& r) {
  static const kafka::Headers kNone;
  const kafka::Headers& h = r.headers ? *r.headers : kNone;
  DlqEntry e;
  e.partition = r.partition;
  e.offset = r.offset;
  e.time_ms = r.timestamp_ms.value_or(0);
  if (e.time_ms <= 0) {
    e.time_ms = parse_rfc3339_ms(header_value(h, sender::kDlqFailedAt)).value_or(0);
  }
  e.error_class = header_value(h, sender::kDlqErrorClass);
  e.original_topic = header_value(h, sender::kDlqOriginalTopic);
  e.original_partition =
      number<std::int32_t>(header_value(h, sender::kDlqOriginalPartition)).value_or(-1);
  e.original_offset =
      number<std::int64_t>(header_value(h, sender::kDlqOriginalOffset)).value_or(-1);
  e.attempts = number<int>(header_value(h, sender::kDlqAttempts)).value_or(-1);
  e.replayed_from = header_value(h, replay_marks::kReplayedFrom);
  const std::string provider = header_value(h, "hookline-provider");
  if (!provider.empty()) {
    // A raw webhook (webhooks.dlq): the ingest's headers say whose it is.
    e.provider = provider;
    e.connection = header_value(h, "hookline-connection");
    e.id = header_value(h, "hookline-delivery-id");
    e.reason = header_value(h, normalizer::dlq_headers::kErrorMessage);
  } else {
    // A send request (outbound.dlq): the key is "<provider>/<connection id>".
    const std::string key(r.key.value_or(std::string_view()));
    const auto slash = key.find('/');
    if (slash != std::string::npos) {
      e.provider = key.substr(0, slash);
      e.connection = key.substr(slash + 1);
    } else {
      e.connection = key;
    }
    e.id = request_id(r.value);
    e.reason = header_value(h, sender::kDlqProviderAnswer);
    if (e.reason.empty()) e.reason = header_value(h, normalizer::dlq_headers::kErrorMessage);
  }
  return e;
}

}  // namespace hookline::ctl
