#pragma once
// A normalized event as a Kafka record in the CloudEvents 1.0 Kafka protocol binding's binary
// mode (DESIGN.md decision 5): attributes in `ce_` headers, the event as the value, the
// partition key as the record key and `ce_partitionkey`.
#include <optional>
#include <string>
#include <string_view>

#include "core/kafka/message.h"
#include "processors/normalizer/event_mapper.h"

namespace hookline::normalizer {

// The header names written on every normalized record.
namespace ce_headers {
inline constexpr const char* kSpecVersion = "ce_specversion";
inline constexpr const char* kId = "ce_id";
inline constexpr const char* kSource = "ce_source";
inline constexpr const char* kType = "ce_type";
inline constexpr const char* kTime = "ce_time";
inline constexpr const char* kSubject = "ce_subject";
inline constexpr const char* kContentType = "content-type";
inline constexpr const char* kPartitionKey = "ce_partitionkey";
inline constexpr const char* kTenant = "ce_tenant";
inline constexpr const char* kConnection = "ce_connection";
inline constexpr const char* kEnvironment = "ce_environment";
inline constexpr const char* kTraceparent = "ce_traceparent";
}  // namespace ce_headers

// A W3C traceparent ("00-<32 hex>-<16 hex>-<2 hex>") carried from the provider's request when
// it is well-formed (version 00, ids not all zero), otherwise derived from the event identity:
// trace id and span id from SHA-256 of it, so a repeat of the same event carries the same one.
std::string traceparent_for(std::optional<std::string_view> carried, std::string_view identity);

// True when `text` is a W3C traceparent this processor would carry.
bool valid_traceparent(std::string_view text);

// The headers of the binary-mode record for `event` of `delivery`.
kafka::Headers cloudevent_headers(const NormalizedEvent& event, const RawDelivery& delivery);

}  // namespace hookline::normalizer
