// Fuzzes the Stripe-Signature parser, then the whole Stripe verify with the input as header.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "ingest/providers/stripe.h"
#include "tests/fuzz/fuzz_input.h"

namespace hi = hookline::ingest;

namespace {

const hi::SignatureScheme& scheme() {
  static const auto built = hookline::fuzz::default_scheme(&hi::make_stripe_scheme);
  return *built;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const auto header = hi::parse_stripe_signature(input)) {
    for (const auto& mac : header->v1) {
      if (mac.size() != 32) __builtin_trap();
    }
    if (header->timestamp_text.empty()) __builtin_trap();
  }
  hi::HeaderMap headers;
  headers.add("Stripe-Signature", std::string(input));
  hi::Request request;
  request.body = "{}";
  request.headers = &headers;
  hi::Credentials credentials;
  credentials.secrets = {"whsec_test_secret", "whsec_other"};
  const auto result = scheme().verify(request, credentials,
                                      hi::Clock::time_point(std::chrono::seconds(1492774577)));
  (void)result;
  return 0;
}
