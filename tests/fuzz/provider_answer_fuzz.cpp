// Fuzzes what the provider clients read from a provider's answer: the status (first two bytes),
// a Retry-After header (up to the first newline of the rest) and the body (what follows).
// The excerpt kept for the DLQ is bounded.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sinks/sender/provider_client.h"

namespace hs = hookline::sender;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  hs::HttpAnswer answer;
  answer.status = (data[0] << 8 | data[1]) % 700;
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  const auto nl = rest.find('\n');
  if (nl != std::string_view::npos) {
    answer.headers.emplace_back("retry-after", std::string(rest.substr(0, nl)));
    answer.headers.emplace_back("x-ratelimit-reset", std::string(rest.substr(0, nl)));
    rest.remove_prefix(nl + 1);
  }
  answer.body = std::string(rest);
  if (answer.status == 0) answer.transport_error = "timeout";
  for (const char* provider : {"resend", "sendgrid", "twilio", "whatsapp", "slack", "webhook"}) {
    auto client = hs::make_provider_client(provider);
    const hs::SendResult r = client->interpret(answer);
    if (r.excerpt.size() > 200) __builtin_trap();
    if (r.retry_after && r.retry_after->count() < 0) __builtin_trap();
  }
  (void)hs::parse_retry_after(answer.headers, std::chrono::system_clock::time_point{});
  return 0;
}
