#define BOOST_TEST_MODULE crypto_random
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include "core/crypto/random.h"

namespace hc = hookline::crypto;

BOOST_AUTO_TEST_CASE(sizes) {
  BOOST_TEST(hc::random_bytes(0).empty());
  BOOST_TEST(hc::random_bytes(1).size() == 1U);
  BOOST_TEST(hc::random_bytes(4096).size() == 4096U);
  const auto bytes = hc::try_random_bytes(32);
  BOOST_REQUIRE(bytes.has_value());
  BOOST_TEST(bytes->size() == 32U);
}

BOOST_AUTO_TEST_CASE(values_differ) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(hc::random_bytes(16));
  BOOST_TEST(seen.size() == 100U);
}
