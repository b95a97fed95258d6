// Contact normalization and the keyed contact hash (processors/gatekeeper/consent/contact.h).
#define BOOST_TEST_MODULE gatekeeper_consent_contact
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "core/config.h"
#include "core/crypto/encoding.h"
#include "core/crypto/hmac.h"
#include "core/json_reader.h"
#include "processors/gatekeeper/consent/contact.h"
#include "tests/support/process.h"

using namespace hookline;
using namespace hookline::gatekeeper;

namespace {

const std::string kKey(32, '\x07');

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string config_error(const SecretsConfig& secrets) {
  try {
    (void)ContactHasher::from_config(secrets);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(normalizes_addresses) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"alice@example.com", "alice@example.com"},
      {"  Alice@Example.COM \n", "alice@example.com"},
      {"+1 (415) 555-0100", "+14155550100"},
      {"+44.20.7946.0958", "+442079460958"},
      {"whatsapp:+14155550100", "+14155550100"},
      {"WhatsApp:+1 415 555 0100", "+14155550100"},
      {"sms:+14155550100", "+14155550100"},
      {"tel:+1-415-555-0100", "+14155550100"},
      {"\t+14155550100\t", "+14155550100"},
      // An address with '@' is an email address: only trimmed and lower-cased.
      {"Tel:Bob@Example.com", "tel:bob@example.com"},
      {"", ""},
      {"   ", ""},
      {"()-. ", ""},
  };
  for (const auto& [in, want] : cases) {
    BOOST_TEST(normalize_contact(in) == want, "normalize_contact(\"" << in << "\")");
  }
}

BOOST_AUTO_TEST_CASE(hash_is_keyed_hmac_of_tenant_and_normalized_contact) {
  const ContactHasher hasher(kKey);
  const std::string derived =
      crypto::hmac(crypto::HashAlgorithm::sha256, kKey, "hookline consent contact hash v1");
  const std::string want = crypto::hex_encode(
      crypto::hmac(crypto::HashAlgorithm::sha256, derived, "acme\n+14155550100"));
  BOOST_TEST(hasher.hash("acme", "+1 (415) 555-0100") == want);
  BOOST_TEST(hasher.hash("acme", "whatsapp:+14155550100") == want);
  BOOST_TEST(want.size() == 64U);
  BOOST_TEST(want.find_first_not_of("0123456789abcdef") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(hash_depends_on_tenant_key_and_address) {
  const ContactHasher hasher(kKey);
  const std::string h = hasher.hash("acme", "Alice@Example.com");
  BOOST_TEST(h == hasher.hash("acme", "alice@example.com "));
  BOOST_TEST(h != hasher.hash("other", "alice@example.com"));
  BOOST_TEST(h != hasher.hash("acme", "bob@example.com"));
  BOOST_TEST(h != ContactHasher(std::string(32, '\x08')).hash("acme", "alice@example.com"));
  // The tenant and the address are separated: "a" + "b\nc" is not "a\nb" + "c".
  BOOST_TEST(hasher.hash("a", "b") != hasher.hash("a\nb", ""));
}

BOOST_AUTO_TEST_CASE(from_config_reads_the_secrets_key) {
  SecretsConfig secrets;
  secrets.key = crypto::base64_encode(kKey);
  const ContactHasher hasher = ContactHasher::from_config(secrets);
  BOOST_TEST(hasher.hash("acme", "+14155550100") ==
             ContactHasher(kKey).hash("acme", "+14155550100"));

  test::TempDir dir;
  {
    std::ofstream out(dir.file("key"));
    out << crypto::base64_encode(kKey) << "\n";
  }
  SecretsConfig from_file;
  from_file.key_file = dir.file("key");
  BOOST_TEST(ContactHasher::from_config(from_file).hash("acme", "x@y.z") ==
             ContactHasher(kKey).hash("acme", "x@y.z"));
}

BOOST_AUTO_TEST_CASE(from_config_errors_name_the_source_not_the_key) {
  BOOST_TEST(contains(config_error(SecretsConfig{}), "no secret key configured"));

  SecretsConfig short_key;
  short_key.key = crypto::base64_encode(std::string(16, 'k'));
  const std::string message = config_error(short_key);
  BOOST_TEST(contains(message, "HOOKLINE_SECRET_KEY: the secret key must be base64 of exactly 32"),
             message);
  BOOST_TEST(!contains(message, short_key.key));

  SecretsConfig not_base64;
  not_base64.key = "not base64 at all!";
  BOOST_TEST(contains(config_error(not_base64), "base64 of exactly 32 bytes"));
  BOOST_TEST(!contains(config_error(not_base64), not_base64.key));

  SecretsConfig missing_file;
  missing_file.key_file = "/nonexistent/hookline-key";
  BOOST_TEST(contains(config_error(missing_file), "/nonexistent/hookline-key"));
}
