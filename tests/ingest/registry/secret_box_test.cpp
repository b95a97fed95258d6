#define BOOST_TEST_MODULE ingest_registry_secret_box
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "core/crypto/encoding.h"
#include "core/json_reader.h"
#include "ingest/registry/secret_box.h"
#include "tests/support/process.h"

using namespace hookline;
using ingest::SecretBox;
using ingest::SecretField;

namespace {

SecretBox fresh_box() {
  return SecretBox(crypto::AesKey::generate());
}

// The ConfigError message of from_base64(text), or "" when it did not throw.
std::string key_error(const std::string& text) {
  try {
    SecretBox::from_base64(text, "HOOKLINE_SECRET_KEY");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(round_trip) {
  const SecretBox box = fresh_box();
  for (SecretField f : {SecretField::secret_primary, SecretField::secret_secondary,
                        SecretField::verify_token, SecretField::send_secret}) {
    const std::string sealed = box.seal("stripe", "main", f, "whsec_topsecret");
    BOOST_TEST(sealed.find("whsec_topsecret") == std::string::npos);
    const auto opened = box.open("stripe", "main", f, sealed);
    BOOST_REQUIRE(opened.has_value());
    BOOST_TEST(*opened == "whsec_topsecret");
  }
}

BOOST_AUTO_TEST_CASE(associated_data_names_row_and_field) {
  BOOST_TEST(SecretBox::associated_data("stripe", "main", SecretField::secret_secondary) ==
             "hookline/connection/stripe/main/secret_secondary");
  BOOST_TEST(std::string(ingest::to_string(SecretField::verify_token)) == "verify_token");
  BOOST_TEST(SecretBox::associated_data("twilio", "main", SecretField::send_secret) ==
             "hookline/connection/twilio/main/send_secret");
  BOOST_TEST(std::string(ingest::to_string(SecretField::send_secret)) == "send_secret");
}

BOOST_AUTO_TEST_CASE(sealed_value_does_not_open_for_another_row_or_field) {
  const SecretBox box = fresh_box();
  const std::string sealed = box.seal("stripe", "main", SecretField::secret_primary, "s3cret");
  BOOST_TEST(!box.open("stripe", "other", SecretField::secret_primary, sealed).has_value());
  BOOST_TEST(!box.open("github", "main", SecretField::secret_primary, sealed).has_value());
  BOOST_TEST(!box.open("stripe", "main", SecretField::secret_secondary, sealed).has_value());
  BOOST_TEST(!box.open("stripe", "main", SecretField::verify_token, sealed).has_value());
  // "stripe/ma" + "in" must not collide with "stripe" + "main" either way.
  BOOST_TEST(!box.open("stripe", "mai", SecretField::secret_primary, sealed).has_value());
  BOOST_TEST(box.open("stripe", "main", SecretField::secret_primary, sealed).has_value());
}

BOOST_AUTO_TEST_CASE(send_secret_opens_under_its_own_field_only) {
  const SecretBox box = fresh_box();
  const std::vector<SecretField> inbound{SecretField::secret_primary, SecretField::secret_secondary,
                                         SecretField::verify_token};
  const std::string sealed = box.seal("twilio", "main", SecretField::send_secret, "auth-token");
  for (SecretField other : inbound) {
    BOOST_TEST_CONTEXT(ingest::to_string(other)) {
      // A sealed send secret does not open as an inbound field, nor the other way round.
      BOOST_TEST(!box.open("twilio", "main", other, sealed).has_value());
      const std::string in = box.seal("twilio", "main", other, "auth-token");
      BOOST_TEST(!box.open("twilio", "main", SecretField::send_secret, in).has_value());
    }
  }
  BOOST_TEST(!box.open("twilio", "other", SecretField::send_secret, sealed).has_value());
  BOOST_TEST(box.open("twilio", "main", SecretField::send_secret, sealed).value_or("") ==
             "auth-token");
}

BOOST_AUTO_TEST_CASE(wrong_key_does_not_open) {
  const SecretBox a = fresh_box();
  const SecretBox b = fresh_box();
  const std::string sealed = a.seal("stripe", "main", SecretField::secret_primary, "s3cret");
  BOOST_TEST(!b.open("stripe", "main", SecretField::secret_primary, sealed).has_value());
  BOOST_TEST(!a.open("stripe", "main", SecretField::secret_primary, "").has_value());
  BOOST_TEST(!a.open("stripe", "main", SecretField::secret_primary, sealed.substr(1)).has_value());
}

BOOST_AUTO_TEST_CASE(key_from_base64) {
  const std::string key = crypto::AesKey::generate().to_base64();
  const SecretBox a = SecretBox::from_base64(key, "HOOKLINE_SECRET_KEY");
  const SecretBox b = SecretBox::from_base64(key, "HOOKLINE_SECRET_KEY");
  const std::string sealed = a.seal("x", "y", SecretField::secret_primary, "v");
  BOOST_TEST(b.open("x", "y", SecretField::secret_primary, sealed).value_or("") == "v");
}

BOOST_AUTO_TEST_CASE(malformed_keys_are_rejected_without_showing_the_key) {
  const std::string short_key = crypto::base64_encode(std::string(16, 'k'));
  const std::string long_key = crypto::base64_encode(std::string(33, 'k'));
  const std::string hex_key = std::string(64, 'a');  // hex of 32 bytes is not base64 of them
  for (const std::string& text : {short_key, long_key, hex_key, std::string("not-base64!!"),
                                  crypto::AesKey::generate().to_base64() + " trailing"}) {
    const std::string message = key_error(text);
    BOOST_TEST_CONTEXT("key text of " << text.size() << " characters") {
      BOOST_TEST(!message.empty());
      BOOST_TEST(message.find(text) == std::string::npos);
      BOOST_TEST(message.find("HOOKLINE_SECRET_KEY") != std::string::npos);
      BOOST_TEST(message.find("32 bytes") != std::string::npos);
      BOOST_TEST(message.find('\n') == std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(from_config_reads_key_or_file) {
  SecretsConfig none;
  BOOST_CHECK_EXCEPTION(SecretBox::from_config(none), ConfigError, [](const ConfigError& e) {
    return std::string(e.what()).find("no secret key configured") != std::string::npos;
  });

  test::TempDir dir;
  const std::string key = crypto::AesKey::generate().to_base64();
  {
    std::ofstream(dir.file("kek")) << key << "\n";
    std::ofstream(dir.file("bad")) << "c2hvcnQ=\n";
  }
  SecretsConfig from_file;
  from_file.key_file = dir.file("kek");
  const SecretBox by_file = SecretBox::from_config(from_file);
  SecretsConfig from_env;
  from_env.key = key;
  const SecretBox by_env = SecretBox::from_config(from_env);
  const std::string sealed = by_file.seal("p", "i", SecretField::verify_token, "t");
  BOOST_TEST(by_env.open("p", "i", SecretField::verify_token, sealed).value_or("") == "t");

  SecretsConfig bad_file;
  bad_file.key_file = dir.file("bad");
  BOOST_CHECK_EXCEPTION(SecretBox::from_config(bad_file), ConfigError, [&](const ConfigError& e) {
    const std::string m = e.what();
    return m.find(dir.file("bad")) != std::string::npos && m.find("c2hvcnQ") == std::string::npos;
  });
  SecretsConfig missing_file;
  missing_file.key_file = dir.file("missing");
  BOOST_CHECK_EXCEPTION(
      SecretBox::from_config(missing_file), ConfigError, [&](const ConfigError& e) {
        return std::string(e.what()).find(dir.file("missing")) != std::string::npos;
      });
}
