#pragma once
// What an operator sees of one dead-lettered record (outbound.dlq or webhooks.dlq) without its
// body: where it sits, when it failed, whose it is, why, and where it came from. Read from the
// headers the sender, the gatekeeper and the normalizer put on what they park (DESIGN.md
// topics table), plus the send request's id from the value (ids are not personal data).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/kafka/message.h"

namespace hookline::ctl {

struct DlqEntry {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::int64_t time_ms = 0;    // the record's time (when it was parked)
  std::string provider;        // "twilio"
  std::string connection;      // the connection id ("main"), without the provider
  std::string error_class;     // "http-503", "mapping-failed", ...
  int attempts = -1;           // -1: not recorded (webhooks.dlq)
  std::string reason;          // the provider's answer excerpt or the processor's message
  std::string id;              // the send request id, or the webhook's delivery id
  std::string original_topic;  // where the record was read from before it failed
  std::int32_t original_partition = -1;
  std::int64_t original_offset = -1;
  std::string replayed_from;  // set when the parked record was itself a replay
};

struct RecordView {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::optional<std::int64_t> timestamp_ms;
  std::optional<std::string_view> key;
  std::string_view value;
  const kafka::Headers* headers = nullptr;
};

RecordView view_of(const kafka::Message& message, const kafka::Headers& headers);

// Never fails: what a header does not say stays empty (or -1).
DlqEntry describe_dlq_record(const RecordView& record);

// The last header with this name ("" when absent).
std::string header_value(const kafka::Headers& headers, std::string_view name);

}  // namespace hookline::ctl
