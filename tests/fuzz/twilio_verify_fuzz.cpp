// Fuzzes the whole Twilio verify, whose parsing is the URL (port variants, bodySHA256) and
// the form body. Input: signature '\n' public URL '\n' Content-Type '\n' body.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "ingest/providers/twilio.h"
#include "tests/fuzz/fuzz_input.h"

namespace hi = hookline::ingest;

namespace {

const hi::SignatureScheme& scheme() {
  static const auto built = hookline::fuzz::default_scheme(&hi::make_twilio_scheme);
  return *built;
}

using hookline::fuzz::next_line;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view signature = next_line(input);
  const std::string_view url = next_line(input);
  const std::string_view content_type = next_line(input);
  hi::HeaderMap headers;
  headers.add("X-Twilio-Signature", std::string(signature));
  if (!content_type.empty()) headers.add("Content-Type", std::string(content_type));
  hi::Request request;
  request.body = input;
  request.headers = &headers;
  request.public_url = std::string(url);
  hi::Credentials credentials;
  credentials.secrets = {"12345"};
  const auto result = scheme().verify(request, credentials, hi::Clock::time_point{});
  (void)result;
  const auto variants = hi::twilio_url_variants(url);
  if (variants.empty() || variants.size() > 2 || variants[0] != url) __builtin_trap();
  (void)hi::twilio_body_sha256(url);
  return 0;
}
