#pragma once
// The webhooks.raw record (DESIGN.md decision 2): value = the body byte for byte; key = the
// dedup / partition key; headers = where it came from (schemas/webhooks.raw.headers.md).
#include <string>

#include "core/kafka/message.h"
#include "ingest/manifest.h"
#include "ingest/providers/scheme.h"
#include "ingest/registry/connection.h"

namespace hookline::ingest {

// Kafka header names of a raw record.
namespace raw_headers {
inline constexpr const char* kProvider = "hookline-provider";
inline constexpr const char* kConnection = "hookline-connection";
inline constexpr const char* kTenant = "hookline-tenant";
inline constexpr const char* kEnvironment = "hookline-environment";
inline constexpr const char* kDeliveryId = "hookline-delivery-id";
inline constexpr const char* kEventType = "hookline-event-type";
inline constexpr const char* kReceivedAt = "hookline-received-at";
inline constexpr const char* kContentType = "hookline-content-type";
inline constexpr const char* kScheme = "hookline-scheme";
inline constexpr const char* kPublicUrl = "hookline-public-url";
inline constexpr const char* kKeySource = "hookline-key-source";
inline constexpr const char* kKeptPrefix = "http-";  // + the kept header's lower-case name
}  // namespace raw_headers

struct RawRecord {
  std::string key;
  std::string_view value;  // the request body (owned by the request)
  kafka::Headers headers;
  std::string delivery_id;
};

// `received_at` is written as RFC 3339 UTC with milliseconds.
RawRecord build_raw_record(const Manifest& manifest, const Connection& connection,
                           const Request& request, ParsedBody& body, Clock::time_point received_at);

}  // namespace hookline::ingest
