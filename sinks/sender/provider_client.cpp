#include "sinks/sender/provider_client.h"

#include <array>
#include <cstdint>
#include <string_view>

#include "sinks/sender/providers/http_date.h"
#include "sinks/sender/providers/resend_client.h"
#include "sinks/sender/providers/sendgrid_client.h"
#include "sinks/sender/providers/slack_client.h"
#include "sinks/sender/providers/twilio_client.h"
#include "sinks/sender/providers/webhook_client.h"
#include "sinks/sender/providers/whatsapp_client.h"

namespace hookline::sender {
namespace {

using Factory = std::unique_ptr<ProviderClient> (*)();

struct Registered {
  std::string_view provider;
  Factory make;
};

// Every built-in client, by the provider name of its connections ("resend/main").
constexpr std::array<Registered, 6> kClients = {{
    {"resend", &make_resend_client},
    {"sendgrid", &make_sendgrid_client},
    {"slack", &make_slack_client},
    {"twilio", &make_twilio_client},
    {"webhook", &make_webhook_client},
    {"whatsapp", &make_whatsapp_client},
}};

// More digits than this is not a delay anyone means (over 31 years); refused as invalid
// rather than overflowing.
constexpr std::size_t kMaxDeltaDigits = 9;

bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

const char* to_string(Outcome o) noexcept {
  switch (o) {
    case Outcome::sent:
      return "sent";
    case Outcome::retryable:
      return "retryable";
    case Outcome::permanent:
      return "permanent";
    case Outcome::gone:
      return "gone";
  }
  return "?";
}

std::unique_ptr<ProviderClient> make_provider_client(const std::string& provider) {
  for (const auto& entry : kClients) {
    if (entry.provider == provider) return entry.make();
  }
  return nullptr;
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    const std::vector<std::pair<std::string, std::string>>& headers,
    std::chrono::system_clock::time_point now) {
  for (const auto& [name, raw] : headers) {
    if (!ascii_iequals(name, "retry-after")) continue;
    const std::string_view value = trim(raw);
    if (value.empty()) return std::nullopt;
    if (value.find_first_not_of("0123456789") == std::string_view::npos) {
      if (value.size() > kMaxDeltaDigits) return std::nullopt;
      std::int64_t seconds = 0;
      for (const char c : value) seconds = seconds * 10 + (c - '0');
      return std::chrono::seconds(std::min<std::int64_t>(seconds, 86400));  // at most a day
    }
    const auto at = parse_http_date(value);
    if (!at) return std::nullopt;
    // A date already past means "now"; round up so the pause is never shorter than asked.
    if (*at <= now) return std::chrono::milliseconds(0);
    if (*at - now > std::chrono::hours(24)) return std::chrono::hours(24);
    return std::chrono::ceil<std::chrono::milliseconds>(*at - now);
  }
  return std::nullopt;
}

}  // namespace hookline::sender
