#include "core/crypto/aes_gcm.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "core/crypto/bytes.h"
#include "core/crypto/encoding.h"
#include "core/crypto/openssl_ptr.h"
#include "core/crypto/random.h"

namespace hookline::crypto {
namespace {

// EVP_*Update take an int length; feed longer inputs in pieces.
constexpr std::size_t kMaxChunk = std::size_t{1} << 30;

void wipe(std::string& s) noexcept {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
}

std::optional<AesKey> key_from_decoded(std::optional<std::string> raw) {
  if (!raw) return std::nullopt;
  auto key = AesKey::from_bytes(*raw);
  wipe(*raw);
  return key;
}

// Feeds `in` through EVP_CipherUpdate; `out` (may be null for AAD) receives the same length.
bool update(EVP_CIPHER_CTX* ctx, unsigned char* out, std::string_view in) noexcept {
  while (!in.empty()) {
    const std::size_t n = std::min(in.size(), kMaxChunk);
    int written = 0;
    if (EVP_CipherUpdate(ctx, out, &written, as_uchars(in), static_cast<int>(n)) != 1) {
      return false;
    }
    if (out != nullptr) out += written;
    in.remove_prefix(n);
  }
  return true;
}

[[noreturn]] void fail(const char* what) {
  ERR_clear_error();
  throw std::runtime_error(std::string("crypto: AES-GCM ") + what);
}

}  // namespace

std::optional<AesKey> AesKey::from_bytes(std::string_view raw) {
  if (raw.size() != kSize) return std::nullopt;
  AesKey key;
  std::memcpy(key.bytes_.data(), raw.data(), kSize);
  return key;
}

std::optional<AesKey> AesKey::from_base64(std::string_view text) {
  return key_from_decoded(base64_decode(text));
}

std::optional<AesKey> AesKey::from_hex(std::string_view text) {
  return key_from_decoded(hex_decode(text));
}

AesKey AesKey::generate() {
  std::string raw = random_bytes(kSize);
  AesKey key;
  std::memcpy(key.bytes_.data(), raw.data(), kSize);
  wipe(raw);
  return key;
}

AesKey::~AesKey() {
  OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

std::string AesKey::to_base64() const {
  return base64_encode(
      std::string_view(reinterpret_cast<const char*>(bytes_.data()), bytes_.size()));
}

std::string encrypt(const AesKey& key, std::string_view plaintext,
                    std::string_view associated_data) {
  const std::string nonce = random_bytes(kGcmNonceSize);
  std::string out(kSealOverhead + plaintext.size(), '\0');
  out[0] = static_cast<char>(kSealVersion);
  std::memcpy(out.data() + 1, nonce.data(), kGcmNonceSize);
  const std::string_view header(out.data(), 1);

  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) fail("context allocation failed");
  unsigned char* body = as_uchars(out) + 1 + kGcmNonceSize;
  int final_len = 0;
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), as_uchars(nonce)) !=
          1 ||
      !update(ctx.get(), nullptr, header) || !update(ctx.get(), nullptr, associated_data) ||
      !update(ctx.get(), body, plaintext) ||
      EVP_EncryptFinal_ex(ctx.get(), body + plaintext.size(), &final_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize),
                          body + plaintext.size()) != 1) {
    fail("encryption failed");
  }
  return out;
}

std::optional<std::string> decrypt(const AesKey& key, std::string_view sealed,
                                   std::string_view associated_data) {
  if (sealed.size() < kSealOverhead) return std::nullopt;
  if (static_cast<std::uint8_t>(sealed[0]) != kSealVersion) return std::nullopt;
  const std::string_view header = sealed.substr(0, 1);
  const std::string_view nonce = sealed.substr(1, kGcmNonceSize);
  const std::string_view ciphertext =
      sealed.substr(1 + kGcmNonceSize, sealed.size() - kSealOverhead);
  // EVP_CTRL_GCM_SET_TAG wants a writable buffer; copy the tag out of the caller's bytes.
  std::array<unsigned char, kGcmTagSize> tag{};
  std::memcpy(tag.data(), sealed.data() + sealed.size() - kGcmTagSize, kGcmTagSize);

  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return std::nullopt;
  std::string plaintext(ciphertext.size(), '\0');
  int final_len = 0;
  const bool ok =
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), as_uchars(nonce)) ==
          1 &&
      update(ctx.get(), nullptr, header) && update(ctx.get(), nullptr, associated_data) &&
      update(ctx.get(), as_uchars(plaintext), ciphertext) &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize),
                          tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), as_uchars(plaintext) + plaintext.size(), &final_len) == 1;
  if (!ok) {
    wipe(plaintext);
    ERR_clear_error();
    return std::nullopt;
  }
  return plaintext;
}

std::string seal_to_base64(const AesKey& key, std::string_view plaintext,
                           std::string_view associated_data) {
  return base64_encode(encrypt(key, plaintext, associated_data));
}

std::optional<std::string> open_from_base64(const AesKey& key, std::string_view sealed_base64,
                                            std::string_view associated_data) {
  const auto sealed = base64_decode(sealed_base64);
  if (!sealed) return std::nullopt;
  return decrypt(key, *sealed, associated_data);
}

}  // namespace hookline::crypto
