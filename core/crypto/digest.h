#pragma once
// One-shot message digests. Each returns the raw digest bytes (20, 32 or 64 of them), or an
// empty string in the never-expected case that OpenSSL fails (so comparisons fail closed).
#include <string>
#include <string_view>

#include "core/crypto/hash_algorithm.h"

namespace hookline::crypto {

std::string digest(HashAlgorithm alg, std::string_view data);

inline std::string sha1(std::string_view data) {
  return digest(HashAlgorithm::sha1, data);
}
inline std::string sha256(std::string_view data) {
  return digest(HashAlgorithm::sha256, data);
}
inline std::string sha512(std::string_view data) {
  return digest(HashAlgorithm::sha512, data);
}

}  // namespace hookline::crypto
