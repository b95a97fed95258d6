#define BOOST_TEST_MODULE crypto_aes_gcm
#include <boost/test/unit_test.hpp>

#include <string>

#include "core/crypto/aes_gcm.h"
#include "core/crypto/encoding.h"

namespace hc = hookline::crypto;

namespace {

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

hc::AesKey test_key() {
  return *hc::AesKey::from_hex(kKeyHex);
}

std::string flip(std::string blob, std::size_t index) {
  blob[index] = static_cast<char>(blob[index] ^ 0x01);
  return blob;
}

}  // namespace

BOOST_AUTO_TEST_CASE(key_factories) {
  BOOST_TEST(hc::AesKey::from_hex(kKeyHex).has_value());
  BOOST_TEST(!hc::AesKey::from_hex(kKeyHex.substr(2)).has_value());         // 31 bytes
  BOOST_TEST(!hc::AesKey::from_hex(kKeyHex + "00").has_value());            // 33 bytes
  BOOST_TEST(!hc::AesKey::from_hex("zz" + kKeyHex.substr(2)).has_value());  // not hex
  BOOST_TEST(hc::AesKey::from_bytes(std::string(32, 'k')).has_value());
  BOOST_TEST(!hc::AesKey::from_bytes(std::string(16, 'k')).has_value());  // AES-128 size
  BOOST_TEST(!hc::AesKey::from_bytes("").has_value());

  const std::string b64 = hc::base64_encode(*hc::hex_decode(kKeyHex));
  const auto from_b64 = hc::AesKey::from_base64(b64);
  BOOST_REQUIRE(from_b64.has_value());
  BOOST_TEST(from_b64->to_base64() == b64);
  BOOST_TEST(!hc::AesKey::from_base64(hc::base64_encode(std::string(24, 'k'))).has_value());
  BOOST_TEST(!hc::AesKey::from_base64("not base64!").has_value());

  const auto a = hc::AesKey::generate();
  const auto b = hc::AesKey::generate();
  BOOST_TEST(a.to_base64() != b.to_base64());
}

BOOST_AUTO_TEST_CASE(round_trip_and_layout) {
  const auto key = test_key();
  const std::string plaintext = "whsec_supersecret";
  const std::string sealed = hc::encrypt(key, plaintext, "connection:42");
  BOOST_TEST(sealed.size() == plaintext.size() + hc::kSealOverhead);
  BOOST_TEST(static_cast<unsigned char>(sealed[0]) == hc::kSealVersion);
  BOOST_TEST(sealed.find(plaintext) == std::string::npos);
  const auto opened = hc::decrypt(key, sealed, "connection:42");
  BOOST_REQUIRE(opened.has_value());
  BOOST_TEST(*opened == plaintext);
}

BOOST_AUTO_TEST_CASE(fresh_nonce_per_seal) {
  const auto key = test_key();
  const std::string a = hc::encrypt(key, "same", "");
  const std::string b = hc::encrypt(key, "same", "");
  BOOST_TEST(a.substr(1, hc::kGcmNonceSize) != b.substr(1, hc::kGcmNonceSize));
  BOOST_TEST(a != b);
}

BOOST_AUTO_TEST_CASE(empty_plaintext_and_binary) {
  const auto key = test_key();
  const std::string sealed = hc::encrypt(key, "");
  BOOST_TEST(sealed.size() == hc::kSealOverhead);
  const auto opened = hc::decrypt(key, sealed);
  BOOST_REQUIRE(opened.has_value());
  BOOST_TEST(opened->empty());

  const std::string binary("\x00\xff\x00\x7f", 4);
  BOOST_TEST(*hc::decrypt(key, hc::encrypt(key, binary, binary), binary) == binary);
  const std::string large(100000, 'x');
  BOOST_TEST(*hc::decrypt(key, hc::encrypt(key, large)) == large);
}

BOOST_AUTO_TEST_CASE(tamper_in_each_region_is_detected) {
  const auto key = test_key();
  const std::string sealed = hc::encrypt(key, "a secret of some length", "aad");
  const std::size_t tag_start = sealed.size() - hc::kGcmTagSize;
  BOOST_TEST(!hc::decrypt(key, flip(sealed, 0), "aad").has_value());  // version
  BOOST_TEST(!hc::decrypt(key, flip(sealed, 1), "aad").has_value());  // nonce
  BOOST_TEST(!hc::decrypt(key, flip(sealed, hc::kGcmNonceSize), "aad").has_value());
  BOOST_TEST(!hc::decrypt(key, flip(sealed, 1 + hc::kGcmNonceSize), "aad").has_value());  // ct
  BOOST_TEST(!hc::decrypt(key, flip(sealed, tag_start - 1), "aad").has_value());
  BOOST_TEST(!hc::decrypt(key, flip(sealed, tag_start), "aad").has_value());  // tag
  BOOST_TEST(!hc::decrypt(key, flip(sealed, sealed.size() - 1), "aad").has_value());
  // Every single byte, for good measure.
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    BOOST_TEST_CONTEXT("byte " << i) {
      BOOST_TEST(!hc::decrypt(key, flip(sealed, i), "aad"));
    }
  }
  BOOST_TEST(hc::decrypt(key, sealed, "aad").has_value());
}

BOOST_AUTO_TEST_CASE(version_byte_is_checked) {
  const auto key = test_key();
  std::string sealed = hc::encrypt(key, "x");
  sealed[0] = 0x02;
  BOOST_TEST(!hc::decrypt(key, sealed).has_value());
  sealed[0] = 0x00;
  BOOST_TEST(!hc::decrypt(key, sealed).has_value());
}

BOOST_AUTO_TEST_CASE(wrong_key_or_aad_fails) {
  const auto key = test_key();
  const auto other = *hc::AesKey::from_bytes(std::string(32, 'k'));
  const std::string sealed = hc::encrypt(key, "secret", "connection:1");
  BOOST_TEST(!hc::decrypt(other, sealed, "connection:1").has_value());
  BOOST_TEST(!hc::decrypt(key, sealed, "connection:2").has_value());
  BOOST_TEST(!hc::decrypt(key, sealed, "").has_value());
  BOOST_TEST(!hc::decrypt(key, hc::encrypt(key, "secret"), "connection:1").has_value());
}

BOOST_AUTO_TEST_CASE(truncated_blobs_fail) {
  const auto key = test_key();
  const std::string sealed = hc::encrypt(key, "secret");
  for (std::size_t n = 0; n < sealed.size(); ++n) {
    BOOST_TEST_CONTEXT("length " << n) {
      BOOST_TEST(!hc::decrypt(key, sealed.substr(0, n)));
    }
  }
  BOOST_TEST(!hc::decrypt(key, sealed + "x").has_value());  // extended
}

BOOST_AUTO_TEST_CASE(base64_helpers) {
  const auto key = test_key();
  const std::string text = hc::seal_to_base64(key, "token", "row:7");
  BOOST_TEST(hc::base64_decode(text).has_value());
  BOOST_TEST(*hc::open_from_base64(key, text, "row:7") == "token");
  BOOST_TEST(!hc::open_from_base64(key, text, "row:8").has_value());
  BOOST_TEST(!hc::open_from_base64(key, "%%%", "row:7").has_value());
  BOOST_TEST(!hc::open_from_base64(key, text.substr(4), "row:7").has_value());
}
