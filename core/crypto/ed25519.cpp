#include "core/crypto/ed25519.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include "core/crypto/bytes.h"
#include "core/crypto/openssl_ptr.h"

namespace hookline::crypto {

bool ed25519_verify(std::string_view public_key, std::string_view message,
                    std::string_view signature) noexcept {
  if (public_key.size() != kEd25519PublicKeySize || signature.size() != kEd25519SignatureSize) {
    return false;
  }
  EvpPkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, as_uchars(public_key),
                                              public_key.size()));
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  // Ed25519 hashes internally, so no digest is named.
  const bool ok = pkey && ctx &&
                  EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
                  EVP_DigestVerify(ctx.get(), as_uchars(signature), signature.size(),
                                   as_uchars(message), message.size()) == 1;
  if (!ok) ERR_clear_error();
  return ok;
}

}  // namespace hookline::crypto
