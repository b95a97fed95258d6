#include "core/crypto/hmac.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include "core/crypto/bytes.h"

namespace hookline::crypto {

std::string hmac(HashAlgorithm alg, std::string_view key, std::string_view data) {
  // OpenSSL rejects a null key pointer even with length zero; point at a dummy byte instead.
  static constexpr unsigned char kEmpty = 0;
  const void* key_ptr = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
  std::string out(digest_size(alg), '\0');
  std::size_t len = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, openssl_name(alg), nullptr, key_ptr, key.size(),
                as_uchars(data), data.size(), as_uchars(out), out.size(), &len) == nullptr ||
      len != out.size()) {
    ERR_clear_error();
    return {};
  }
  return out;
}

}  // namespace hookline::crypto
