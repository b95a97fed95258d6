#pragma once
// AES-256-GCM for secrets at rest (provider signing secrets, API tokens in the database).
//
// Sealed blob layout:  version (1 byte, 0x01) | nonce (12 random bytes) | ciphertext | tag (16)
// The version byte is authenticated too (it is fed to GCM ahead of the associated data), so a
// blob cannot be relabelled. Associated data is not stored; pass the same value (for example
// "connection:<id>") to open it, which binds the secret to its row.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hookline::crypto {

class AesKey {
 public:
  static constexpr std::size_t kSize = 32;

  // Each factory returns nullopt unless the input is exactly 32 bytes of key.
  static std::optional<AesKey> from_bytes(std::string_view raw);
  static std::optional<AesKey> from_base64(std::string_view text);
  static std::optional<AesKey> from_hex(std::string_view text);
  // A fresh random key. Throws std::runtime_error if the RNG fails.
  static AesKey generate();

  AesKey(const AesKey&) = default;
  AesKey& operator=(const AesKey&) = default;
  ~AesKey();  // wipes the key bytes

  const unsigned char* data() const noexcept { return bytes_.data(); }
  // For the operator CLI that prints a generated key; never log it.
  std::string to_base64() const;

 private:
  AesKey() = default;
  std::array<unsigned char, kSize> bytes_{};
};

inline constexpr std::uint8_t kSealVersion = 0x01;
inline constexpr std::size_t kGcmNonceSize = 12;
inline constexpr std::size_t kGcmTagSize = 16;
inline constexpr std::size_t kSealOverhead = 1 + kGcmNonceSize + kGcmTagSize;

// Seals plaintext with a fresh random nonce. Throws std::runtime_error only if the RNG or
// OpenSSL itself fails (out of memory); neither depends on the input.
std::string encrypt(const AesKey& key, std::string_view plaintext,
                    std::string_view associated_data = {});

// The plaintext, or nullopt if the blob is truncated, has an unknown version, was sealed with
// another key or associated data, or was altered in any byte.
std::optional<std::string> decrypt(const AesKey& key, std::string_view sealed,
                                   std::string_view associated_data = {});

// encrypt / decrypt with the sealed blob as standard padded base64 (for text columns).
std::string seal_to_base64(const AesKey& key, std::string_view plaintext,
                           std::string_view associated_data = {});
std::optional<std::string> open_from_base64(const AesKey& key, std::string_view sealed_base64,
                                            std::string_view associated_data = {});

}  // namespace hookline::crypto
