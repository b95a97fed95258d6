#pragma once
// The hash functions hookline signs and verifies with.
#include <cstddef>

namespace hookline::crypto {

enum class HashAlgorithm { sha1, sha256, sha512 };

// Size in bytes of the raw digest (and of an HMAC) for `alg`.
constexpr std::size_t digest_size(HashAlgorithm alg) noexcept {
  switch (alg) {
    case HashAlgorithm::sha1:
      return 20;
    case HashAlgorithm::sha256:
      return 32;
    case HashAlgorithm::sha512:
      return 64;
  }
  return 0;
}

// OpenSSL's name for `alg` ("SHA1", "SHA256", "SHA512").
constexpr const char* openssl_name(HashAlgorithm alg) noexcept {
  switch (alg) {
    case HashAlgorithm::sha1:
      return "SHA1";
    case HashAlgorithm::sha256:
      return "SHA256";
    case HashAlgorithm::sha512:
      return "SHA512";
  }
  return "";
}

}  // namespace hookline::crypto
