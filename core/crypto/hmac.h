#pragma once
// HMAC (RFC 2104) over SHA-1, SHA-256 or SHA-512, via OpenSSL 3's EVP_MAC interface.
#include <string>
#include <string_view>

#include "core/crypto/hash_algorithm.h"

namespace hookline::crypto {

// Raw MAC bytes (digest_size(alg) of them). Any key length works, including empty. Returns
// an empty string in the never-expected case that OpenSSL fails, so a comparison against a
// provider's signature fails closed. Compare MACs with constant_time_equal, never ==.
std::string hmac(HashAlgorithm alg, std::string_view key, std::string_view data);

}  // namespace hookline::crypto
