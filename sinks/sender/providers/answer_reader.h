#pragma once
// Reading providers' answers: the classification by HTTP status every client starts from, the
// pause a provider asks for, provider error tables, and excerpts fit for logs. Pure functions.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "sinks/sender/provider_client.h"

namespace hookline::sender {

inline constexpr std::size_t kMaxExcerpt = 200;

// The first value of header `name` (any case) in the answer.
std::optional<std::string_view> answer_header(const HttpAnswer& answer, std::string_view name);

// The verdict by status alone:
//   2xx          sent
//   0            retryable, server_failure, "timeout" (transport_error says so) or "network"
//   408          retryable, "http-408"
//   429          retryable, throttled, "throttled"
//   5xx          retryable, server_failure, "http-<status>"
//   anything else permanent, "http-<status>"
// Retryable answers carry retry_delay(answer). The excerpt is the transport error, if any.
SendResult classify_status(const HttpAnswer& answer);

// The pause a provider asks for: Retry-After (delta seconds or HTTP-date), else the usual
// rate-limit reset headers (x-ratelimit-reset, then ratelimit-reset): seconds to wait, or a
// Unix time when the number exceeds 10^9 (SendGrid sends one). Dates are measured from
// answer_time(answer).
std::optional<std::chrono::milliseconds> retry_delay(const HttpAnswer& answer);

// When the answer was made: its Date header (the provider's clock, so our skew does not
// shorten a Retry-After date), else the system clock.
std::chrono::system_clock::time_point answer_time(const HttpAnswer& answer);

// How a provider error code (or name) is read; the `status` fields of SendResult stay as
// classify_status set them.
struct ErrorRule {
  Outcome outcome = Outcome::permanent;
  const char* error_class = "";
  bool throttled = false;
  bool server_failure = false;
};
inline constexpr ErrorRule permanent_rule(const char* error_class) {
  return {Outcome::permanent, error_class, false, false};
}
inline constexpr ErrorRule throttled_rule(const char* error_class = "throttled") {
  return {Outcome::retryable, error_class, true, false};
}
inline constexpr ErrorRule provider_failure_rule(const char* error_class = "provider-error") {
  return {Outcome::retryable, error_class, false, true};
}
// Applies `rule` to `result` (retry_after from the answer for a retryable outcome, none
// otherwise).
void apply_rule(SendResult& result, const ErrorRule& rule, const HttpAnswer& answer);

// Text safe to keep in a result, a log line or a metric-free DLQ record: at most 200 bytes;
// e-mail addresses and phone-number-like digit runs (7 digits or more, with + - ( ) . and
// spaces between) replaced by "[redacted]"; control characters as spaces; invalid UTF-8 as
// '?'; cut on a character boundary. A safety net: clients put only the provider's error
// codes and names in excerpts, never a body.
std::string safe_excerpt(std::string_view text);

// The answer body as a JSON object; false when it is not one.
bool parse_json_object(std::string_view body, rapidjson::Document& doc);
// Members of a JSON object; nullopt when absent or of another type.
std::optional<std::string> json_string(const rapidjson::Value& object, const char* key);
std::optional<std::int64_t> json_integer(const rapidjson::Value& object, const char* key);
const rapidjson::Value* json_member(const rapidjson::Value& object, const char* key);

}  // namespace hookline::sender
