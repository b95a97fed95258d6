#define BOOST_TEST_MODULE crypto_encoding
#include <boost/test/unit_test.hpp>

#include <string>

#include "core/crypto/encoding.h"

namespace hc = hookline::crypto;

namespace {
std::string all_bytes() {
  std::string s;
  for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
  return s;
}
}  // namespace

BOOST_AUTO_TEST_CASE(hex_round_trip_and_case) {
  BOOST_TEST(hc::hex_encode("") == "");
  BOOST_TEST(hc::hex_encode(std::string("\x00\x01\xab\xff", 4)) == "0001abff");
  BOOST_TEST(*hc::hex_decode("0001ABff") == std::string("\x00\x01\xab\xff", 4));
  BOOST_TEST(*hc::hex_decode("") == "");
  const std::string bytes = all_bytes();
  BOOST_TEST(*hc::hex_decode(hc::hex_encode(bytes)) == bytes);
}

BOOST_AUTO_TEST_CASE(hex_rejects_malformed) {
  BOOST_TEST(!hc::hex_decode("abc").has_value());  // odd length
  BOOST_TEST(!hc::hex_decode("zz").has_value());   // not hex
  BOOST_TEST(!hc::hex_decode("0g").has_value());
  BOOST_TEST(!hc::hex_decode(" 00").has_value());   // whitespace
  BOOST_TEST(!hc::hex_decode("0x00").has_value());  // prefix
}

BOOST_AUTO_TEST_CASE(base64_rfc4648_vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    BOOST_TEST(hc::base64_encode(plain) == encoded);
    BOOST_TEST(*hc::base64_decode(encoded) == plain);
  }
  const std::string bytes = all_bytes();
  BOOST_TEST(*hc::base64_decode(hc::base64_encode(bytes)) == bytes);
  BOOST_TEST(hc::base64_encode("\xfb\xff") == "+/8=");
}

BOOST_AUTO_TEST_CASE(base64_is_strict) {
  BOOST_TEST(!hc::base64_decode("Zg").has_value());    // missing padding
  BOOST_TEST(!hc::base64_decode("Zg=").has_value());   // short padding
  BOOST_TEST(!hc::base64_decode("Z===").has_value());  // too much padding
  BOOST_TEST(!hc::base64_decode("====").has_value());
  BOOST_TEST(!hc::base64_decode("Zg==Zg==").has_value());  // padding in the middle
  BOOST_TEST(!hc::base64_decode("Zm9v\n").has_value());    // whitespace
  BOOST_TEST(!hc::base64_decode("Zm 9v").has_value());
  BOOST_TEST(!hc::base64_decode("-_8=").has_value());  // url alphabet
  BOOST_TEST(!hc::base64_decode("Zh==").has_value());  // non-zero unused bits
  BOOST_TEST(!hc::base64_decode("Zm9=").has_value());
  BOOST_TEST(hc::base64_decode("Zm8=").has_value());
}

BOOST_AUTO_TEST_CASE(base64url) {
  BOOST_TEST(hc::base64url_encode("\xfb\xff") == "-_8");
  BOOST_TEST(hc::base64url_encode("foob") == "Zm9vYg");
  BOOST_TEST(*hc::base64url_decode("-_8") == "\xfb\xff");
  BOOST_TEST(*hc::base64url_decode("-_8=") == "\xfb\xff");  // padding tolerated if correct
  BOOST_TEST(*hc::base64url_decode("Zm9vYg") == "foob");
  BOOST_TEST(*hc::base64url_decode("") == "");
  const std::string bytes = all_bytes();
  BOOST_TEST(*hc::base64url_decode(hc::base64url_encode(bytes)) == bytes);

  BOOST_TEST(!hc::base64url_decode("+/8").has_value());      // standard alphabet
  BOOST_TEST(!hc::base64url_decode("Z").has_value());        // impossible length
  BOOST_TEST(!hc::base64url_decode("Zm9vYg=").has_value());  // wrong padding
  BOOST_TEST(!hc::base64url_decode("Zm9v=").has_value());
  BOOST_TEST(!hc::base64url_decode("Zh").has_value());  // non-zero unused bits
}
