#pragma once
// Ed25519 signature verification (RFC 8032), as used by Discord-style webhook signatures.
#include <cstddef>
#include <string_view>

namespace hookline::crypto {

inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

// True only if `signature` (64 raw bytes) is a valid signature of `message` under
// `public_key` (32 raw bytes). Wrong sizes, malformed keys and bad signatures give false.
bool ed25519_verify(std::string_view public_key, std::string_view message,
                    std::string_view signature) noexcept;

}  // namespace hookline::crypto
