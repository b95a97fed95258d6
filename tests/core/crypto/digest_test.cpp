#define BOOST_TEST_MODULE crypto_digest
#include <boost/test/unit_test.hpp>

#include <string>

#include "core/crypto/digest.h"
#include "core/crypto/encoding.h"

namespace hc = hookline::crypto;

// FIPS 180-2 "abc" vectors and the digests of the empty string.
BOOST_AUTO_TEST_CASE(known_vectors) {
  BOOST_TEST(hc::hex_encode(hc::sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  BOOST_TEST(hc::hex_encode(hc::sha256("abc")) ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(hc::hex_encode(hc::sha512("abc")) ==
             "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
             "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  BOOST_TEST(hc::hex_encode(hc::sha1("")) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  BOOST_TEST(hc::hex_encode(hc::sha256("")) ==
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_CASE(sizes_match_algorithm) {
  BOOST_TEST(hc::sha1("x").size() == hc::digest_size(hc::HashAlgorithm::sha1));
  BOOST_TEST(hc::sha256("x").size() == hc::digest_size(hc::HashAlgorithm::sha256));
  BOOST_TEST(hc::sha512("x").size() == hc::digest_size(hc::HashAlgorithm::sha512));
  BOOST_TEST(hc::digest(hc::HashAlgorithm::sha256, "abc") == hc::sha256("abc"));
}

BOOST_AUTO_TEST_CASE(binary_input) {
  const std::string with_nul("a\0b", 3);
  BOOST_TEST(hc::sha256(with_nul) != hc::sha256("a"));
}
