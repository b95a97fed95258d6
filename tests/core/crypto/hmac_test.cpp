#define BOOST_TEST_MODULE crypto_hmac
#include <boost/test/unit_test.hpp>

#include <string>

#include "core/crypto/encoding.h"
#include "core/crypto/hmac.h"

namespace hc = hookline::crypto;
using hc::HashAlgorithm;

namespace {

struct Case {
  std::string key;
  std::string data;
};

std::string bytes_1_to(int n) {
  std::string s;
  for (int i = 1; i <= n; ++i) s += static_cast<char>(i);
  return s;
}

std::string mac_hex(HashAlgorithm alg, const Case& c) {
  return hc::hex_encode(hc::hmac(alg, c.key, c.data));
}

// RFC 4231 section 4: test cases 1 to 7 (shared by SHA-256 and SHA-512).
const Case kRfc4231[] = {
    {std::string(20, '\x0b'), "Hi There"},
    {"Jefe", "what do ya want for nothing?"},
    {std::string(20, '\xaa'), std::string(50, '\xdd')},
    {bytes_1_to(25), std::string(50, '\xcd')},
    {std::string(20, '\x0c'), "Test With Truncation"},
    {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"},
    {std::string(131, '\xaa'),
     "This is a test using a larger than block-size key and a larger than block-size data. The "
     "key needs to be hashed before being used by the HMAC algorithm."},
};

// RFC 2202 section 3: HMAC-SHA-1 test cases 1 to 7.
const Case kRfc2202[] = {
    {std::string(20, '\x0b'), "Hi There"},
    {"Jefe", "what do ya want for nothing?"},
    {std::string(20, '\xaa'), std::string(50, '\xdd')},
    {bytes_1_to(25), std::string(50, '\xcd')},
    {std::string(20, '\x0c'), "Test With Truncation"},
    {std::string(80, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"},
    {std::string(80, '\xaa'),
     "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"},
};

}  // namespace

BOOST_AUTO_TEST_CASE(rfc4231_hmac_sha256) {
  const char* expected[] = {
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
      "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
      "a3b6167473100ee06e0c796c2955552b",  // test case 5 is truncated to 128 bits
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
  };
  for (std::size_t i = 0; i < std::size(kRfc4231); ++i) {
    BOOST_TEST_CONTEXT("test case " << i + 1) {
      const std::string got = mac_hex(HashAlgorithm::sha256, kRfc4231[i]);
      BOOST_TEST(got.size() == 64U);
      BOOST_TEST(got.substr(0, std::string(expected[i]).size()) == expected[i]);
    }
  }
}

BOOST_AUTO_TEST_CASE(rfc4231_hmac_sha512) {
  const char* expected[] = {
      "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
      "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
      "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
      "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
      "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb",
      "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
      "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd",
      "415fad6271580a531d4179bc891d87a6",  // truncated to 128 bits
      "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
      "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
      "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
      "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58",
  };
  for (std::size_t i = 0; i < std::size(kRfc4231); ++i) {
    BOOST_TEST_CONTEXT("test case " << i + 1) {
      const std::string got = mac_hex(HashAlgorithm::sha512, kRfc4231[i]);
      BOOST_TEST(got.size() == 128U);
      BOOST_TEST(got.substr(0, std::string(expected[i]).size()) == expected[i]);
    }
  }
}

BOOST_AUTO_TEST_CASE(rfc2202_hmac_sha1) {
  const char* expected[] = {
      "b617318655057264e28bc0b6fb378c8ef146be00", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
      "125d7342b9ac11cd91a39af48aa17b4f63f175d3", "4c9007f4026250c6bc8414f9bf50c86c2d7235da",
      "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04", "aa4ae5e15272d00e95705637ce8a3b55ed402112",
      "e8e99d0f45237d786d6bbaa7965c7808bbff1a91",
  };
  for (std::size_t i = 0; i < std::size(kRfc2202); ++i) {
    BOOST_TEST_CONTEXT("test case " << i + 1) {
      BOOST_TEST(mac_hex(HashAlgorithm::sha1, kRfc2202[i]) == expected[i]);
    }
  }
}

BOOST_AUTO_TEST_CASE(empty_key_and_data) {
  // Cross-checked with Python's hmac module.
  BOOST_TEST(hc::hex_encode(hc::hmac(HashAlgorithm::sha256, "", "")) ==
             "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  BOOST_TEST(hc::hmac(HashAlgorithm::sha1, "", "data").size() == 20U);
  BOOST_TEST(hc::hmac(HashAlgorithm::sha256, "key", "") !=
             hc::hmac(HashAlgorithm::sha256, "key", std::string(1, '\0')));
}
