#include "ingest/providers/timestamp.h"

#include <string>

namespace hookline::ingest {

std::optional<std::int64_t> parse_unix_seconds(std::string_view text) noexcept {
  if (text.empty() || text.size() > kMaxTimestampDigits) return std::nullopt;
  if (text.size() > 1 && text.front() == '0') return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

VerifyResult check_freshness(std::int64_t timestamp, Clock::time_point now,
                             std::chrono::seconds tolerance, std::string_view header) {
  if (tolerance.count() <= 0) return VerifyResult::success();
  const std::int64_t now_s =
      std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
  if (timestamp < now_s - tolerance.count()) {
    return VerifyResult::fail(VerifyFailure::stale_timestamp,
                              "header " + std::string(header) + " is older than the tolerance");
  }
  if (timestamp > now_s + tolerance.count()) {
    return VerifyResult::fail(VerifyFailure::future_timestamp,
                              "header " + std::string(header) + " is in the future");
  }
  return VerifyResult::success();
}

VerifyResult check_timestamp(std::string_view header, std::string_view value, Clock::time_point now,
                             std::chrono::seconds tolerance) {
  const auto timestamp = parse_unix_seconds(value);
  if (!timestamp) {
    return VerifyResult::fail(VerifyFailure::malformed_header,
                              "header " + std::string(header) + " is not a Unix timestamp");
  }
  return check_freshness(*timestamp, now, tolerance, header);
}

std::chrono::seconds read_tolerance(ObjectReader& params, std::int64_t min_seconds) {
  return std::chrono::seconds(
      params.integer("tolerance_s", kDefaultTolerance.count(), min_seconds, kMaxToleranceSeconds));
}

}  // namespace hookline::ingest
