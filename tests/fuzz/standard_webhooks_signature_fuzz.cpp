// Fuzzes the Standard Webhooks signature list parser and the secret / public key decoders,
// then the whole verify with the input as webhook-signature.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "ingest/providers/standard_webhooks.h"
#include "tests/fuzz/fuzz_input.h"

namespace hi = hookline::ingest;

namespace {

const hi::SignatureScheme& scheme() {
  static const auto built = hookline::fuzz::default_scheme(&hi::make_standard_webhooks_scheme);
  return *built;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const auto list = hi::parse_signature_list(input)) {
    for (const auto& entry : *list) {
      const std::size_t expected = entry.version == hi::SignatureListEntry::Version::v1 ? 32 : 64;
      if (entry.signature.size() != expected) __builtin_trap();
    }
  }
  (void)hi::decode_standard_webhooks_secret(input);
  if (const auto key = hi::decode_standard_webhooks_public_key(input)) {
    if (key->size() != 32) __builtin_trap();
  }
  hi::HeaderMap headers;
  headers.add("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek");
  headers.add("webhook-timestamp", "1614265330");
  headers.add("webhook-signature", std::string(input));
  hi::Request request;
  request.body = R"({"test": 2432232314})";
  request.headers = &headers;
  hi::Credentials credentials;
  credentials.secrets = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"};
  credentials.public_key = "whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
  const auto result = scheme().verify(request, credentials,
                                      hi::Clock::time_point(std::chrono::seconds(1614265330)));
  (void)result;
  return 0;
}
