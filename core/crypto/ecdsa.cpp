#include "core/crypto/ecdsa.h"

#include <array>
#include <climits>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/crypto/bytes.h"

namespace hookline::crypto {
namespace {

// PEM text without leading whitespace (OpenSSL wants "-----BEGIN" at a line start), or an
// empty view if the input is not PEM.
std::string_view pem_text(std::string_view text) noexcept {
  const auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  text.remove_prefix(start);
  return text.starts_with("-----BEGIN") ? text : std::string_view{};
}

EvpPkeyPtr read_key(std::string_view der_or_pem) noexcept {
  if (der_or_pem.empty() || der_or_pem.size() > INT_MAX) return nullptr;
  if (const std::string_view pem = pem_text(der_or_pem); !pem.empty()) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) return nullptr;
    return EvpPkeyPtr(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  }
  const unsigned char* p = as_uchars(der_or_pem);
  EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der_or_pem.size())));
  // Trailing bytes after the SubjectPublicKeyInfo mean the input was not what we think.
  if (key && p != as_uchars(der_or_pem) + der_or_pem.size()) return nullptr;
  return key;
}

bool is_p256(EVP_PKEY* key) noexcept {
  if (EVP_PKEY_is_a(key, "EC") != 1) return false;
  std::array<char, 64> group{};
  if (EVP_PKEY_get_group_name(key, group.data(), group.size() - 1, nullptr) != 1) return false;
  const std::string_view name(group.data());  // NUL-terminated: the array starts zeroed
  return name == "prime256v1" || name == "P-256" || name == "secp256r1";
}

}  // namespace

std::optional<EcdsaP256PublicKey> EcdsaP256PublicKey::parse(std::string_view der_or_pem) noexcept {
  EvpPkeyPtr key = read_key(der_or_pem);
  if (!key || !is_p256(key.get())) {
    ERR_clear_error();
    return std::nullopt;
  }
  return EcdsaP256PublicKey(std::move(key));
}

bool EcdsaP256PublicKey::verify(std::string_view message,
                                std::string_view signature_der) const noexcept {
  if (!key_ || signature_der.empty()) return false;
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok =
      ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), as_uchars(signature_der), signature_der.size(),
                       as_uchars(message), message.size()) == 1;
  if (!ok) ERR_clear_error();
  return ok;
}

bool ecdsa_p256_sha256_verify(std::string_view public_key_der_or_pem, std::string_view message,
                              std::string_view signature_der) noexcept {
  const auto key = EcdsaP256PublicKey::parse(public_key_der_or_pem);
  return key && key->verify(message, signature_der);
}

}  // namespace hookline::crypto
