#include "sinks/sender/flow/retry_headers.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>

#include "core/time_format.h"

namespace hookline::sender {
namespace {

using std::chrono::system_clock;

Error garbage(std::string_view header, std::string_view why) {
  return Error{ErrorKind::permanent, std::make_error_code(std::errc::invalid_argument),
               "retry header '" + std::string(header) + "': " + std::string(why)};
}

// The last header named `name` (the newest wins).
const std::string* find_last(const kafka::Headers& headers, std::string_view name) {
  for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
    if (it->first == name) return &it->second;
  }
  return nullptr;
}

void erase_named(kafka::Headers& headers, std::initializer_list<std::string_view> names) {
  std::erase_if(headers, [&](const auto& h) {
    return std::find(names.begin(), names.end(), h.first) != names.end();
  });
}

// A plain non-negative decimal: digits only, no sign, no spaces.
template <class Int>
std::optional<Int> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  Int v{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string_view truncate_utf8(std::string_view text, std::size_t max) noexcept {
  if (text.size() <= max) return text;
  std::size_t cut = max;
  // Back off over continuation bytes (10xxxxxx) so the cut lands before a character's start.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

std::optional<system_clock::time_point> parse_rfc3339(std::string_view t) {
  // The headers this sender writes use 'T'; a space (allowed by core's reader) is refused.
  if (t.find(' ') != std::string_view::npos) return std::nullopt;
  auto ms = parse_rfc3339_ms(t);
  if (!ms) return std::nullopt;
  return system_clock::time_point(std::chrono::milliseconds(*ms));
}

void encode_retry_headers(const RetryHeaders& retry, kafka::Headers& headers) {
  erase_named(headers, {kAttemptHeader, kDueHeader, kLastErrorHeader, kFirstFailedAtHeader});
  headers.emplace_back(kAttemptHeader, std::to_string(std::max(retry.attempt, 0)));
  if (retry.due) headers.emplace_back(kDueHeader, rfc3339_ms(*retry.due));
  if (!retry.last_error.empty()) {
    headers.emplace_back(kLastErrorHeader, std::string(truncate_utf8(retry.last_error)));
  }
  if (retry.first_failed_at) {
    headers.emplace_back(kFirstFailedAtHeader, rfc3339_ms(*retry.first_failed_at));
  }
}

Result<RetryHeaders> decode_retry_headers(const kafka::Headers& headers) {
  RetryHeaders out;
  const std::string* attempt = find_last(headers, kAttemptHeader);
  const std::string* due = find_last(headers, kDueHeader);
  const std::string* last_error = find_last(headers, kLastErrorHeader);
  const std::string* first = find_last(headers, kFirstFailedAtHeader);
  if (!attempt) {
    if (due) return garbage(kDueHeader, "present without 'attempt'");
    if (first) return garbage(kFirstFailedAtHeader, "present without 'attempt'");
    if (last_error) return garbage(kLastErrorHeader, "present without 'attempt'");
    return out;  // a first attempt
  }
  const auto n = parse_decimal<int>(*attempt);
  if (!n) return garbage(kAttemptHeader, "not a non-negative decimal integer");
  out.attempt = *n;
  if (due) {
    out.due = parse_rfc3339(*due);
    if (!out.due) return garbage(kDueHeader, "not an RFC 3339 time");
  }
  if (first) {
    out.first_failed_at = parse_rfc3339(*first);
    if (!out.first_failed_at) return garbage(kFirstFailedAtHeader, "not an RFC 3339 time");
  }
  if (out.attempt > 0 && !out.due) return garbage(kDueHeader, "missing on a retry");
  if (out.attempt > 0 && !out.first_failed_at) {
    return garbage(kFirstFailedAtHeader, "missing on a retry");
  }
  if (last_error) out.last_error = std::string(truncate_utf8(*last_error));
  return out;
}

void put_dlq_headers(const DlqHeaders& dlq, kafka::Headers& headers) {
  erase_named(headers,
              {kDlqOriginalTopic, kDlqOriginalPartition, kDlqOriginalOffset, kDlqErrorClass,
               kDlqProviderStatus, kDlqProviderAnswer, kDlqAttempts, kDlqFailedAt});
  headers.emplace_back(kDlqOriginalTopic, dlq.original_topic);
  headers.emplace_back(kDlqOriginalPartition, std::to_string(dlq.original_partition));
  headers.emplace_back(kDlqOriginalOffset, std::to_string(dlq.original_offset));
  headers.emplace_back(kDlqErrorClass, std::string(truncate_utf8(dlq.error_class)));
  headers.emplace_back(kDlqProviderStatus, std::to_string(dlq.provider_status));
  headers.emplace_back(kDlqProviderAnswer, std::string(truncate_utf8(dlq.provider_answer)));
  headers.emplace_back(kDlqAttempts, std::to_string(dlq.attempts));
  headers.emplace_back(kDlqFailedAt, rfc3339_ms(dlq.failed_at));
}

}  // namespace hookline::sender
