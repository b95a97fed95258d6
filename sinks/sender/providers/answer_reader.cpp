#include "sinks/sender/providers/answer_reader.h"

#include <algorithm>
#include <vector>

#include "sinks/sender/providers/http_date.h"

namespace hookline::sender {
namespace {

constexpr std::string_view kRedacted = "[redacted]";
// Digits in a run that make it look like a phone number (E.164 numbers have 8 to 15; 7
// catches local forms). Provider error codes have at most 6 (WhatsApp 131026).
constexpr int kPhoneDigits = 7;
// A rate-limit reset above this is a Unix time (2001-09-09), not a number of seconds.
constexpr std::int64_t kUnixTimeFloor = 1000000000;
constexpr std::int64_t kUnixTimeCeiling = 4102444800;  // 2100-01-01
constexpr std::int64_t kMaxWaitS = 86400;
constexpr std::size_t kMaxNumberDigits = 12;

char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

bool alnum(char c) noexcept {
  return digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool email_local(char c) noexcept {
  return alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
}

bool email_domain(char c) noexcept {
  return alnum(c) || c == '.' || c == '-';
}

bool phone_separator(char c) noexcept {
  return c == ' ' || c == '-' || c == '(' || c == ')' || c == '.';
}

// Marks e-mail addresses (something@something) in `mask`.
void mark_emails(std::string_view text, std::vector<bool>& mask) {
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text[at] != '@') continue;
    std::size_t begin = at;
    while (begin > 0 && email_local(text[begin - 1])) --begin;
    std::size_t end = at + 1;
    while (end < text.size() && email_domain(text[end])) ++end;
    if (begin == at || end == at + 1) continue;
    for (std::size_t i = begin; i < end; ++i) mask[i] = true;
  }
}

// Marks runs of digits (optionally after '+', with separators between) that hold at least
// kPhoneDigits digits.
void mark_phone_numbers(std::string_view text, std::vector<bool>& mask) {
  std::size_t i = 0;
  while (i < text.size()) {
    const bool plus = text[i] == '+' && i + 1 < text.size() && digit(text[i + 1]);
    if (!plus && !digit(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = plus ? i + 1 : i;
    std::size_t last_digit = end;
    int digits = 0;
    while (end < text.size() && (digit(text[end]) || phone_separator(text[end]))) {
      if (digit(text[end])) {
        ++digits;
        last_digit = end;
      }
      ++end;
    }
    if (digits >= kPhoneDigits) {
      for (std::size_t k = i; k <= last_digit; ++k) mask[k] = true;
    }
    i = last_digit + 1;
  }
}

// Length of the valid UTF-8 sequence at text[i], or 0 when it is not one.
std::size_t utf8_length(std::string_view text, std::size_t i) noexcept {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned min = 0;
  unsigned cp = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2, min = 0x80, cp = c & 0x1Fu;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, min = 0x800, cp = c & 0x0Fu;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, min = 0x10000, cp = c & 0x07u;
  } else {
    return 0;
  }
  if (text.size() - i < n) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(text[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// A non-negative integer header value, nullopt when it is not one.
std::optional<std::int64_t> header_number(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty() || value.size() > kMaxNumberDigits) return std::nullopt;
  std::int64_t n = 0;
  for (const char c : value) {
    if (!digit(c)) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::optional<std::chrono::milliseconds> rate_limit_reset(const HttpAnswer& answer,
                                                          std::string_view name) {
  const auto value = answer_header(answer, name);
  if (!value) return std::nullopt;
  const auto n = header_number(*value);
  if (!n) return std::nullopt;
  // Longer waits than a day are taken as a day; a Unix time past 2100 is not believed.
  if (*n <= kUnixTimeFloor) return std::chrono::seconds(std::min<std::int64_t>(*n, kMaxWaitS));
  if (*n > kUnixTimeCeiling) return std::nullopt;
  const std::chrono::system_clock::time_point at{std::chrono::seconds(*n)};
  const auto now = answer_time(answer);
  if (at <= now) return std::chrono::milliseconds(0);
  if (at - now > std::chrono::seconds(kMaxWaitS)) return std::chrono::seconds(kMaxWaitS);
  return std::chrono::ceil<std::chrono::milliseconds>(at - now);
}

}  // namespace

std::optional<std::string_view> answer_header(const HttpAnswer& answer, std::string_view name) {
  for (const auto& [key, value] : answer.headers) {
    if (iequals(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::chrono::system_clock::time_point answer_time(const HttpAnswer& answer) {
  if (const auto date = answer_header(answer, "date")) {
    if (const auto at = parse_http_date(*date)) return *at;
  }
  return std::chrono::system_clock::now();
}

std::optional<std::chrono::milliseconds> retry_delay(const HttpAnswer& answer) {
  if (answer_header(answer, "retry-after")) {
    if (auto delay = parse_retry_after(answer.headers, answer_time(answer))) return delay;
  }
  if (auto delay = rate_limit_reset(answer, "x-ratelimit-reset")) return delay;
  return rate_limit_reset(answer, "ratelimit-reset");
}

SendResult classify_status(const HttpAnswer& answer) {
  SendResult r;
  r.status = answer.status;
  const int s = answer.status;
  if (s >= 200 && s < 300) {
    r.outcome = Outcome::sent;
    return r;
  }
  if (s == 0) {
    r.outcome = Outcome::retryable;
    r.server_failure = true;
    r.error_class =
        answer.transport_error.find("timeout") != std::string::npos ? "timeout" : "network";
    r.excerpt = safe_excerpt(answer.transport_error);
  } else if (s == 429) {
    r.outcome = Outcome::retryable;
    r.throttled = true;
    r.error_class = "throttled";
  } else if (s == 408) {
    r.outcome = Outcome::retryable;
    r.error_class = "http-408";
  } else if (s >= 500 && s < 600) {
    r.outcome = Outcome::retryable;
    r.server_failure = true;
    r.error_class = "http-" + std::to_string(s);
  } else {
    r.outcome = Outcome::permanent;
    r.error_class = "http-" + std::to_string(s);
  }
  if (r.outcome == Outcome::retryable && s != 0) r.retry_after = retry_delay(answer);
  return r;
}

void apply_rule(SendResult& result, const ErrorRule& rule, const HttpAnswer& answer) {
  result.outcome = rule.outcome;
  result.error_class = rule.error_class;
  result.throttled = rule.throttled;
  result.server_failure = rule.server_failure || answer.status >= 500;
  result.retry_after.reset();
  if (rule.outcome == Outcome::retryable) result.retry_after = retry_delay(answer);
}

std::string safe_excerpt(std::string_view text) {
  std::vector<bool> mask(text.size(), false);
  mark_emails(text, mask);
  mark_phone_numbers(text, mask);

  std::string out;
  out.reserve(std::min(text.size(), kMaxExcerpt));
  std::size_t i = 0;
  while (i < text.size() && out.size() < kMaxExcerpt) {
    if (mask[i]) {
      while (i < text.size() && mask[i]) ++i;
      if (out.size() + kRedacted.size() > kMaxExcerpt) break;
      out.append(kRedacted);
      continue;
    }
    const std::size_t n = utf8_length(text, i);
    if (n == 0) {
      out.push_back('?');
      ++i;
      continue;
    }
    if (out.size() + n > kMaxExcerpt) break;
    if (n == 1) {
      const auto c = static_cast<unsigned char>(text[i]);
      out.push_back(c < 0x20 || c == 0x7F ? ' ' : text[i]);
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

bool parse_json_object(std::string_view body, rapidjson::Document& doc) {
  if (body.empty()) return false;
  doc.Parse(body.data(), body.size());
  return !doc.HasParseError() && doc.IsObject();
}

const rapidjson::Value* json_member(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return nullptr;
  const auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> json_string(const rapidjson::Value& object, const char* key) {
  const auto* v = json_member(object, key);
  if (!v || !v->IsString()) return std::nullopt;
  return std::string(v->GetString(), v->GetStringLength());
}

std::optional<std::int64_t> json_integer(const rapidjson::Value& object, const char* key) {
  const auto* v = json_member(object, key);
  if (!v || !v->IsInt64()) return std::nullopt;
  return v->GetInt64();
}

}  // namespace hookline::sender
