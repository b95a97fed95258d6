// Fuzzes the generic HMAC header parser. The first byte picks the encoding, digest size and
// prefix; the rest is the header value.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/crypto/hash_algorithm.h"
#include "ingest/providers/generic_hmac.h"
#include "ingest/providers/shopify.h"
#include "ingest/providers/twilio.h"

namespace hi = hookline::ingest;
namespace hc = hookline::crypto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::uint8_t options = data[0];
  const std::string_view value(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto encoding = (options & 1) ? hi::SignatureEncoding::base64 : hi::SignatureEncoding::hex;
  constexpr hc::HashAlgorithm kAlgorithms[] = {hc::HashAlgorithm::sha1, hc::HashAlgorithm::sha256,
                                               hc::HashAlgorithm::sha512,
                                               hc::HashAlgorithm::sha256};
  const std::size_t mac_size = hc::digest_size(kAlgorithms[(options >> 1) & 3]);
  constexpr std::string_view kPrefixes[] = {"", "sha256=", "v1=", "SHA512 "};
  const std::string_view prefix = kPrefixes[(options >> 3) & 3];
  if (const auto mac = hi::parse_hmac_signature(value, prefix, encoding, mac_size);
      mac && mac->size() != mac_size) {
    __builtin_trap();
  }
  if (const auto mac = hi::parse_shopify_hmac(value); mac && mac->size() != 32) __builtin_trap();
  if (const auto mac = hi::parse_twilio_signature(value); mac && mac->size() != 20)
    __builtin_trap();
  return 0;
}
