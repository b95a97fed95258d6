#define BOOST_TEST_MODULE crypto_constant_time
#include <boost/test/unit_test.hpp>

#include <string>

#include "core/crypto/constant_time.h"

using hookline::crypto::constant_time_equal;

BOOST_AUTO_TEST_CASE(equal_and_unequal) {
  BOOST_TEST(constant_time_equal("", ""));
  BOOST_TEST(constant_time_equal("abc", "abc"));
  BOOST_TEST(!constant_time_equal("abc", "abd"));
  BOOST_TEST(!constant_time_equal("abc", "xbc"));
  BOOST_TEST(!constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
  BOOST_TEST(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
}

BOOST_AUTO_TEST_CASE(different_lengths_are_unequal) {
  BOOST_TEST(!constant_time_equal("abc", "ab"));
  BOOST_TEST(!constant_time_equal("", "a"));
  BOOST_TEST(!constant_time_equal("abc", std::string("abc\0", 4)));
}
