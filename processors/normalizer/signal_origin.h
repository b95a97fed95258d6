#pragma once
// What every signal says about where it came from (the event it belongs to), and the checks
// its schema makes on the values a delivery supplies.
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "processors/normalizer/event_mapper.h"

namespace hookline::normalizer {

inline constexpr const char* kConsentTopic = "consent.changes";
inline constexpr const char* kApprovalTopic = "approvals.decisions";

struct SignalOrigin {
  const RawDelivery* delivery = nullptr;  // provider, connection, tenant
  std::string_view event_id;
  std::string_view event_type;
  std::string_view time;  // RFC 3339 UTC with milliseconds
};

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(JsonWriter& w, std::string_view s);
// "source": {"provider", "connection", "event_id", "event_type"}
void write_source(JsonWriter& w, const SignalOrigin& origin);

// A tenant id fit for a key "<tenant>/...": printable ASCII, no '/', at most 256 bytes.
bool valid_tenant(std::string_view tenant);

}  // namespace hookline::normalizer
