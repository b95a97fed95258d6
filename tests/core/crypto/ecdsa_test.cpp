#define BOOST_TEST_MODULE crypto_ecdsa
#include <boost/test/unit_test.hpp>

#include <string>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/crypto/ecdsa.h"
#include "core/crypto/encoding.h"
#include "core/crypto/openssl_ptr.h"

namespace hc = hookline::crypto;

namespace {

// A freshly generated key pair, signing the way SendGrid does (ECDSA P-256, SHA-256, DER).
struct Signer {
  hc::EvpPkeyPtr key;

  explicit Signer(const char* curve = "P-256")
      : key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve)) {
    BOOST_REQUIRE(key);
  }

  std::string public_der() const {
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(key.get(), &der);
    BOOST_REQUIRE(len > 0);
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
  }

  std::string public_pem() const {
    hc::BioPtr bio(BIO_new(BIO_s_mem()));
    BOOST_REQUIRE(PEM_write_bio_PUBKEY(bio.get(), key.get()) == 1);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
  }

  std::string sign(const std::string& message) const {
    hc::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    BOOST_REQUIRE(EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1);
    std::size_t len = 0;
    const auto* msg = reinterpret_cast<const unsigned char*>(message.data());
    BOOST_REQUIRE(EVP_DigestSign(ctx.get(), nullptr, &len, msg, message.size()) == 1);
    std::string sig(len, '\0');
    BOOST_REQUIRE(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, msg,
                                 message.size()) == 1);
    sig.resize(len);
    return sig;
  }
};

std::string flip(std::string s, std::size_t index) {
  s[index] = static_cast<char>(s[index] ^ 0x01);
  return s;
}

// SendGrid signs timestamp + raw body.
const std::string kPayload =
    "1600112502[{\"email\":\"a@example.com\",\"event\":\"delivered\",\"sg_event_id\":\"x\"}]\r\n";

}  // namespace

BOOST_AUTO_TEST_CASE(verifies_with_der_and_pem) {
  const Signer signer;
  const std::string sig = signer.sign(kPayload);
  BOOST_TEST(hc::ecdsa_p256_sha256_verify(signer.public_der(), kPayload, sig));
  BOOST_TEST(hc::ecdsa_p256_sha256_verify(signer.public_pem(), kPayload, sig));
  BOOST_TEST(hc::ecdsa_p256_sha256_verify("\n  " + signer.public_pem(), kPayload, sig));

  // As SendGrid delivers them: base64 of the DER key and of the DER signature.
  const std::string key_b64 = hc::base64_encode(signer.public_der());
  const std::string sig_b64 = hc::base64_encode(sig);
  BOOST_TEST(hc::ecdsa_p256_sha256_verify(*hc::base64_decode(key_b64), kPayload,
                                          *hc::base64_decode(sig_b64)));
}

BOOST_AUTO_TEST_CASE(parsed_key_is_reusable) {
  const Signer signer;
  const auto key = hc::EcdsaP256PublicKey::parse(signer.public_der());
  BOOST_REQUIRE(key.has_value());
  for (int i = 0; i < 3; ++i) {
    const std::string message = kPayload + std::to_string(i);
    BOOST_TEST(key->verify(message, signer.sign(message)));
  }
  BOOST_TEST(!key->verify(kPayload, ""));
}

BOOST_AUTO_TEST_CASE(tampering_fails) {
  const Signer signer;
  const std::string der = signer.public_der();
  const std::string sig = signer.sign(kPayload);
  BOOST_TEST(!hc::ecdsa_p256_sha256_verify(der, flip(kPayload, 0), sig));
  BOOST_TEST(!hc::ecdsa_p256_sha256_verify(der, flip(kPayload, kPayload.size() - 3), sig));
  BOOST_TEST(!hc::ecdsa_p256_sha256_verify(der, kPayload + " ", sig));
  BOOST_TEST(!hc::ecdsa_p256_sha256_verify(der, kPayload, flip(sig, sig.size() - 1)));
  BOOST_TEST(!hc::ecdsa_p256_sha256_verify(der, kPayload, flip(sig, sig.size() / 2)));
  BOOST_TEST(!hc::ecdsa_p256_sha256_verify(der, kPayload, sig.substr(0, sig.size() - 1)));
  BOOST_TEST(!hc::ecdsa_p256_sha256_verify(der, kPayload, sig + '\0'));  // trailing garbage
  BOOST_TEST(!hc::ecdsa_p256_sha256_verify(der, kPayload, ""));

  const Signer other;
  BOOST_TEST(!hc::ecdsa_p256_sha256_verify(other.public_der(), kPayload, sig));
}

BOOST_AUTO_TEST_CASE(rejects_bad_keys) {
  const Signer signer;
  const std::string sig = signer.sign(kPayload);
  const std::string der = signer.public_der();
  BOOST_TEST(!hc::EcdsaP256PublicKey::parse("").has_value());
  BOOST_TEST(!hc::EcdsaP256PublicKey::parse("garbage").has_value());
  BOOST_TEST(!hc::EcdsaP256PublicKey::parse(der.substr(0, der.size() - 1)).has_value());
  BOOST_TEST(!hc::EcdsaP256PublicKey::parse(der + "x").has_value());
  BOOST_TEST(!hc::EcdsaP256PublicKey::parse("-----BEGIN PUBLIC KEY-----\nAAAA\n").has_value());
  // base64 text must be decoded by the caller.
  BOOST_TEST(!hc::ecdsa_p256_sha256_verify(hc::base64_encode(der), kPayload, sig));

  // Keys of other curves or types are refused even when well formed.
  const Signer p384("P-384");
  BOOST_TEST(!hc::EcdsaP256PublicKey::parse(p384.public_der()).has_value());
  BOOST_TEST(!hc::ecdsa_p256_sha256_verify(p384.public_der(), kPayload, p384.sign(kPayload)));
  hc::EvpPkeyPtr ed(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  BOOST_REQUIRE(ed);
  unsigned char* ed_der = nullptr;
  const int ed_len = i2d_PUBKEY(ed.get(), &ed_der);
  BOOST_REQUIRE(ed_len > 0);
  const std::string ed_key(reinterpret_cast<char*>(ed_der), static_cast<std::size_t>(ed_len));
  OPENSSL_free(ed_der);
  BOOST_TEST(!hc::EcdsaP256PublicKey::parse(ed_key).has_value());
}
