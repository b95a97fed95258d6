// Fuzzes the "prefix=hex" signature parsers: Slack's "v0=" and X-Hub-Signature(-256)'s
// "sha256=" / "sha1=".
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/providers/hub_signature.h"
#include "ingest/providers/slack.h"

namespace hi = hookline::ingest;
using hookline::crypto::HashAlgorithm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const auto mac = hi::parse_slack_signature(input); mac && mac->size() != 32) __builtin_trap();
  if (const auto mac = hi::parse_hub_signature(input); mac && mac->size() != 32) __builtin_trap();
  if (const auto mac = hi::parse_hub_signature(input, "sha1=", HashAlgorithm::sha1);
      mac && mac->size() != 20) {
    __builtin_trap();
  }
  return 0;
}
