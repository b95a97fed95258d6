// Fuzzes the whole Twilio verify, whose parsing is the URL (port variants, bodySHA256) and
// the form body. Input: signature '\n' public URL '\n' Content-Type '\n' body.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "core/json_reader.h"
#include "ingest/providers/twilio.h"

namespace hi = hookline::ingest;

namespace {

// Built from an empty manifest object made in code: parsing JSON here would trip clang's
// UBSAN inside RapidJSON 1.1.0 (Stack::Reserve offsets a null pointer), which is not ours.
const hi::SignatureScheme& scheme() {
  static const auto built = [] {
    rapidjson::Document doc;
    doc.SetObject();
    hookline::ObjectReader reader(doc, "fuzz", "scheme");
    return hi::make_twilio_scheme(reader);
  }();
  return *built;
}

std::string_view next_line(std::string_view& input) {
  const std::size_t nl = input.find('\n');
  const std::string_view line = input.substr(0, nl);
  input = nl == std::string_view::npos ? std::string_view{} : input.substr(nl + 1);
  return line;
}

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
