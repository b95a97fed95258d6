#include "core/crypto/digest.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include "core/crypto/bytes.h"

namespace hookline::crypto {
namespace {

const EVP_MD* md_for(HashAlgorithm alg) noexcept {
  switch (alg) {
    case HashAlgorithm::sha1:
      return EVP_sha1();
    case HashAlgorithm::sha256:
      return EVP_sha256();
    case HashAlgorithm::sha512:
      return EVP_sha512();
  }
  return nullptr;
}

}  // namespace

std::string digest(HashAlgorithm alg, std::string_view data) {
  const EVP_MD* md = md_for(alg);
  if (md == nullptr) return {};
  std::string out(digest_size(alg), '\0');
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), as_uchars(out), &len, md, nullptr) != 1 ||
      len != out.size()) {
    ERR_clear_error();
    return {};
  }
  return out;
}

}  // namespace hookline::crypto
