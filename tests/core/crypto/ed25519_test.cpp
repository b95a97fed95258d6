#define BOOST_TEST_MODULE crypto_ed25519
#include <boost/test/unit_test.hpp>

#include <string>

#include "core/crypto/ed25519.h"
#include "core/crypto/encoding.h"

namespace hc = hookline::crypto;

namespace {

std::string unhex(std::string_view hex) {
  return hc::hex_decode(hex).value();
}

struct Vector {
  std::string public_key;
  std::string message;
  std::string signature;
};

// RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte).
Vector test1() {
  return {unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), "",
          unhex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")};
}

Vector test2() {
  return {unhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"), unhex("72"),
          unhex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")};
}

std::string flip_bit(std::string s, std::size_t byte, int bit = 0) {
  s[byte] = static_cast<char>(s[byte] ^ (1 << bit));
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(rfc8032_vectors_verify) {
  for (const auto& v : {test1(), test2()}) {
    BOOST_TEST(hc::ed25519_verify(v.public_key, v.message, v.signature));
  }
}

BOOST_AUTO_TEST_CASE(flipped_bits_fail) {
  for (const auto& v : {test1(), test2()}) {
    BOOST_TEST(!hc::ed25519_verify(v.public_key, v.message, flip_bit(v.signature, 0)));
    BOOST_TEST(!hc::ed25519_verify(v.public_key, v.message, flip_bit(v.signature, 40, 3)));
    BOOST_TEST(!hc::ed25519_verify(flip_bit(v.public_key, 5), v.message, v.signature));
    BOOST_TEST(!hc::ed25519_verify(v.public_key, v.message + "x", v.signature));
  }
  const auto v = test2();
  BOOST_TEST(!hc::ed25519_verify(v.public_key, flip_bit(v.message, 0), v.signature));
  // A signature for one message does not verify another under the same scheme.
  BOOST_TEST(!hc::ed25519_verify(test1().public_key, test2().message, test1().signature));
}

BOOST_AUTO_TEST_CASE(wrong_sizes_fail) {
  const auto v = test1();
  BOOST_TEST(!hc::ed25519_verify(v.public_key.substr(1), v.message, v.signature));
  BOOST_TEST(!hc::ed25519_verify(v.public_key + "x", v.message, v.signature));
  BOOST_TEST(!hc::ed25519_verify(v.public_key, v.message, v.signature.substr(1)));
  BOOST_TEST(!hc::ed25519_verify(v.public_key, v.message, v.signature + "x"));
  BOOST_TEST(!hc::ed25519_verify("", "", ""));
}
