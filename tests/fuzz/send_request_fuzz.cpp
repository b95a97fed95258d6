// Fuzzes the send request reader (strict JSON + schema validation + extraction) and, for what it
// accepts, every provider client's call builder.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sinks/sender/provider_client.h"
#include "sinks/sender/request_parser.h"

namespace hs = hookline::sender;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto request = hs::parse_send_request(input);
  if (!request) {
    if (request.error().message.empty()) __builtin_trap();  // every refusal says why
    return 0;
  }
  if (request->id.empty() || request->connection.find('/') == std::string::npos) __builtin_trap();
  for (const char* provider : {"resend", "sendgrid", "twilio", "whatsapp", "slack", "webhook"}) {
    hs::SendConnection c;
    c.key = std::string(provider) + "/fuzz";
    c.provider = provider;
    c.base_url = "http://127.0.0.1:9";
    c.credential = provider == std::string_view("webhook") ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
                                                            : "key";
    c.from = "from@example.com";
    c.account_sid = "AC00000000000000000000000000000000";
    c.phone_number_id = "123";
    c.unsubscribe_url = "https://example.com/u";
    auto client = hs::make_provider_client(provider);
    (void)client->build(*request, c, 1, std::chrono::system_clock::time_point{});
  }
  return 0;
}
