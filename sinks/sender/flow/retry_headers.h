#pragma once
// The headers a send request carries through the retry tiers and into outbound.dlq.
//
// Retry tiers (outbound.retry.<tier>):
//   attempt          attempts that failed so far, decimal ("3")
//   due              when the next attempt may run, RFC 3339 UTC with milliseconds
//   last-error       the last failure's short error class (<= 200 bytes)
//   first-failed-at  when the first attempt failed, RFC 3339 UTC with milliseconds
// encode_retry_headers() replaces every header of these names and keeps the others in order.
// decode_retry_headers() reads the last header of each name (Kafka allows repeats; the newest
// wins). A record with none of them is a first attempt (attempt 0, no due). Garbage is an
// Error (kind permanent) naming the header: a non-decimal or negative attempt, an unreadable
// time, an attempt > 0 without its due or first-failed-at, a due or first-failed-at without
// an attempt.
//
// DLQ (outbound.dlq): put_dlq_headers() writes, replacing same-named headers:
//   hookline-original-topic, hookline-original-partition, hookline-original-offset,
//   hookline-error-class, hookline-provider-status (HTTP status, 0: no answer),
//   hookline-provider-answer (<= 200 bytes, an excerpt with no personal data, given by the
//   caller), hookline-attempts, hookline-failed-at (RFC 3339 UTC with milliseconds).
// Text values over 200 bytes are cut at a UTF-8 character boundary.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/kafka/message.h"

namespace hookline::sender {

inline constexpr const char* kAttemptHeader = "attempt";
inline constexpr const char* kDueHeader = "due";
inline constexpr const char* kLastErrorHeader = "last-error";
inline constexpr const char* kFirstFailedAtHeader = "first-failed-at";

inline constexpr const char* kDlqOriginalTopic = "hookline-original-topic";
inline constexpr const char* kDlqOriginalPartition = "hookline-original-partition";
inline constexpr const char* kDlqOriginalOffset = "hookline-original-offset";
inline constexpr const char* kDlqErrorClass = "hookline-error-class";
inline constexpr const char* kDlqProviderStatus = "hookline-provider-status";
inline constexpr const char* kDlqProviderAnswer = "hookline-provider-answer";
inline constexpr const char* kDlqAttempts = "hookline-attempts";
inline constexpr const char* kDlqFailedAt = "hookline-failed-at";

inline constexpr std::size_t kMaxHeaderText = 200;

struct RetryHeaders {
  int attempt = 0;  // attempts failed so far; 0 on a first attempt
  std::optional<std::chrono::system_clock::time_point> due;
  std::string last_error;
  std::optional<std::chrono::system_clock::time_point> first_failed_at;
};

// Writes the fields that are set (attempt always; an empty last_error is omitted).
void encode_retry_headers(const RetryHeaders& retry, kafka::Headers& headers);
Result<RetryHeaders> decode_retry_headers(const kafka::Headers& headers);

struct DlqHeaders {
  std::string original_topic;
  std::int32_t original_partition = 0;
  std::int64_t original_offset = 0;
  std::string error_class;
  int provider_status = 0;  // 0: no HTTP answer
  std::string provider_answer;
  int attempts = 0;
  std::chrono::system_clock::time_point failed_at;
};

void put_dlq_headers(const DlqHeaders& dlq, kafka::Headers& headers);

// `text` cut to at most `max` bytes without splitting a UTF-8 character.
std::string_view truncate_utf8(std::string_view text, std::size_t max = kMaxHeaderText) noexcept;

// RFC 3339 (date-time with Z or a numeric offset, optional fraction kept to the millisecond);
// nullopt when it is not one.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

}  // namespace hookline::sender
