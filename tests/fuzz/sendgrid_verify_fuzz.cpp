// Fuzzes the SendGrid ECDSA verify with fuzzed header values. Input: signature '\n' timestamp
// '\n' body. The signature line is also tried as the connection's public key.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "ingest/providers/sendgrid_ecdsa.h"
#include "tests/fuzz/fuzz_input.h"

namespace hi = hookline::ingest;

namespace {

const hi::SignatureScheme& scheme() {
  static const auto built = hookline::fuzz::default_scheme(&hi::make_sendgrid_ecdsa_scheme);
  return *built;
}

using hookline::fuzz::next_line;

// sendgrid-single-event's key (sendgrid/sendgrid-nodejs eventwebhook.spec.js).
constexpr std::string_view kPublicKey =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+"
    "2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view signature = next_line(input);
  const std::string_view timestamp = next_line(input);
  hi::HeaderMap headers;
  headers.add("X-Twilio-Email-Event-Webhook-Signature", std::string(signature));
  headers.add("X-Twilio-Email-Event-Webhook-Timestamp", std::string(timestamp));
  hi::Request request;
  request.body = input;
  request.headers = &headers;
  const auto now = hi::Clock::time_point(std::chrono::seconds(1600112502));
  hi::Credentials credentials;
  credentials.public_key = std::string(kPublicKey);
  (void)scheme().verify(request, credentials, now);
  credentials.public_key = std::string(signature);
  (void)scheme().verify(request, credentials, now);
  (void)hi::decode_sendgrid_public_key(signature);
  return 0;
}
