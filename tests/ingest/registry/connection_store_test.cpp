#define BOOST_TEST_MODULE ingest_registry_connection_store
#include <boost/test/unit_test.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/crypto/aes_gcm.h"
#include "core/db/migrations.h"
#include "ingest/registry/connection_store.h"
#include "tests/support/test_database.h"

using namespace hookline;
using ingest::ConnectionStore;
using ingest::NewConnection;

namespace {

struct Fixture {
  Fixture() : conn(db.connect()), box(crypto::AesKey::generate()), store(*conn, box, "tester") {
    db::migrate(*conn, db::embedded_migrations());
  }
  test::TestDatabase db;
  std::unique_ptr<pqxx::connection> conn;
  ingest::SecretBox box;
  ConnectionStore store;
};

// An outbound-only connection: a send secret and the sender's settings, no inbound secret.
NewConnection twilio(std::string id = "out") {
  NewConnection c;
  c.provider = "twilio";
  c.id = std::move(id);
  c.send_secret = "twilio_auth_token_1";
  c.settings = R"({"send": {"account_sid": "AC123", "from": "+15550001111", "rate_per_s": 5}})";
  return c;
}

// The message of the ConnectionStoreError fn throws, or "" when it throws none.
template <class Fn>
std::string store_error(Fn fn) {
  try {
    fn();
  } catch (const ingest::ConnectionStoreError& e) {
    return e.what();
  }
  return "";
}

NewConnection stripe(std::string id = "main", std::string secret = "whsec_primary_1") {
  NewConnection c;
  c.provider = "stripe";
  c.id = std::move(id);
  c.secret = std::move(secret);
  c.alias = "Stripe EU";
  return c;
}

const ingest::Connection* find(const ingest::LoadResult& r, const std::string& id) {
  for (const auto& c : r.connections) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

// Every stored byte of the table, sealed columns included, as one string.
std::string raw_table(pqxx::connection& conn) {
  pqxx::read_transaction tx(conn);
  std::string out;
  for (const auto& row : tx.exec("SELECT c::text, secret_primary, secret_secondary, "
                                 "verify_token, send_secret FROM connections c")) {
    out += row[0].as<std::string>();
    for (int i = 1; i <= 4; ++i) {
      if (!row[i].is_null()) out += pqxx::binarystring(row[i]).str();
    }
  }
  return out;
}

std::vector<std::string> audit_actions(pqxx::connection& conn) {
  pqxx::read_transaction tx(conn);
  std::vector<std::string> out;
  for (const auto& row :
       tx.exec("SELECT actor || ' ' || action || ' ' || subject FROM audit_log ORDER BY id")) {
    out.push_back(row[0].as<std::string>());
  }
  return out;
}

std::string audit_details(pqxx::connection& conn) {
  pqxx::read_transaction tx(conn);
  return tx.exec1("SELECT coalesce(string_agg(details::text, ' '), '') FROM audit_log")[0]
      .as<std::string>();
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(add_then_list_and_load, Fixture) {
  NewConnection c = stripe();
  c.verify_token = "verify-me";
  c.environment = "staging";
  store.add(c);
  NewConnection g;
  g.provider = "sendgrid";
  g.id = "default";
  g.public_key = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE";
  store.add(g);

  const auto rows = store.list();
  BOOST_REQUIRE_EQUAL(rows.size(), 2U);
  BOOST_TEST(rows[0].provider == "sendgrid");
  BOOST_TEST(rows[0].has_public_key);
  BOOST_TEST(!rows[0].has_secret);
  BOOST_TEST(rows[1].id == "main");
  BOOST_TEST(rows[1].environment == "staging");
  BOOST_TEST(rows[1].alias == "Stripe EU");
  BOOST_TEST(rows[1].has_secret);
  BOOST_TEST(!rows[1].has_secret2);
  BOOST_TEST(rows[1].has_verify_token);
  BOOST_TEST(rows[1].enabled);
  BOOST_TEST(rows[1].updated_at.size() == 20U);  // 2024-05-01T12:00:00Z
  BOOST_TEST(store.list("stripe").size() == 1U);
  BOOST_TEST(store.list("slack").empty());

  const auto loaded = store.load_all();
  BOOST_TEST(loaded.skipped == 0U);
  const auto* m = find(loaded, "main");
  BOOST_REQUIRE(m != nullptr);
  BOOST_TEST(m->tenant == "default");
  BOOST_TEST(m->credentials.secrets == std::vector<std::string>{"whsec_primary_1"});
  BOOST_TEST(m->verify_token == "verify-me");
  const auto* s = find(loaded, "default");
  BOOST_REQUIRE(s != nullptr);
  BOOST_TEST(s->credentials.secrets.empty());
  BOOST_TEST(s->credentials.public_key == "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE");
  BOOST_TEST(s->verify_token.empty());
}

BOOST_FIXTURE_TEST_CASE(add_twice_fails_clearly_and_writes_no_audit_row, Fixture) {
  store.add(stripe());
  BOOST_CHECK_EXCEPTION(store.add(stripe("main", "other")), ingest::ConnectionExists,
                        [](const auto& e) {
                          return std::string(e.what()) == "connection stripe/main already exists";
                        });
  BOOST_TEST(audit_actions(*conn).size() == 1U);
  BOOST_TEST(store.load_all().connections.front().credentials.secrets.front() == "whsec_primary_1");
}

BOOST_FIXTURE_TEST_CASE(invalid_input_is_refused, Fixture) {
  NewConnection bad = stripe();
  bad.provider = "Stripe";
  BOOST_CHECK_THROW(store.add(bad), ingest::ConnectionStoreError);
  bad = stripe("has/slash");
  BOOST_CHECK_THROW(store.add(bad), ingest::ConnectionStoreError);
  bad = stripe();
  bad.environment = "production";
  BOOST_CHECK_THROW(store.add(bad), ingest::ConnectionStoreError);
  bad = stripe();
  bad.secret = "";
  BOOST_CHECK_THROW(store.add(bad), ingest::ConnectionStoreError);
  bad = stripe();
  bad.secret.reset();
  bad.secret2 = "second";
  BOOST_CHECK_THROW(store.add(bad), ingest::ConnectionStoreError);
  BOOST_TEST(store.list().empty());
}

BOOST_FIXTURE_TEST_CASE(rotate_keeps_the_old_secret_as_secondary_until_dropped, Fixture) {
  store.add(stripe());
  auto r = store.rotate("stripe", "main", {.new_secret = "whsec_primary_2"});
  BOOST_TEST(r.secrets == 2U);
  auto loaded = store.load_all();
  BOOST_TEST(loaded.connections.front().credentials.secrets ==
                 (std::vector<std::string>{"whsec_primary_2", "whsec_primary_1"}),
             boost::test_tools::per_element());
  BOOST_TEST(store.list().front().has_secret2);

  // A second rotation before finishing drops the oldest.
  store.rotate("stripe", "main", {.new_secret = "whsec_primary_3"});
  BOOST_TEST(store.load_all().connections.front().credentials.secrets ==
                 (std::vector<std::string>{"whsec_primary_3", "whsec_primary_2"}),
             boost::test_tools::per_element());

  r = store.rotate("stripe", "main", {.drop_old = true});
  BOOST_TEST(r.secrets == 1U);
  BOOST_TEST(store.load_all().connections.front().credentials.secrets ==
                 std::vector<std::string>{"whsec_primary_3"},
             boost::test_tools::per_element());
  BOOST_TEST(!store.list().front().has_secret2);

  BOOST_CHECK_THROW(store.rotate("stripe", "main", {.new_secret = "whsec_primary_3"}),
                    ingest::ConnectionStoreError);  // the current one
  BOOST_CHECK_THROW(store.rotate("stripe", "main", {}), ingest::ConnectionStoreError);
  BOOST_CHECK_THROW(store.rotate("stripe", "nope", {.new_secret = "x"}),
                    ingest::ConnectionNotFound);

  store.rotate("stripe", "main", {.verify_token = "token-2"});
  BOOST_TEST(store.load_all().connections.front().verify_token == "token-2");
  store.set_verify_token("stripe", "main", std::nullopt);
  BOOST_TEST(store.load_all().connections.front().verify_token.empty());
}

BOOST_FIXTURE_TEST_CASE(disable_and_enable, Fixture) {
  store.add(stripe());
  BOOST_TEST(store.set_enabled("stripe", "main", false));
  BOOST_TEST(!store.set_enabled("stripe", "main", false));  // already: nothing written
  BOOST_TEST(!store.list().front().enabled);
  BOOST_TEST(!store.load_all().connections.front().enabled);
  BOOST_TEST(store.set_enabled("stripe", "main", true));
  BOOST_TEST(store.load_all().connections.front().enabled);
  BOOST_CHECK_THROW(store.set_enabled("stripe", "nope", true), ingest::ConnectionNotFound);

  // Listing and disabling need no key.
  ConnectionStore keyless(*conn, "tester");
  BOOST_TEST(keyless.list().size() == 1U);
  BOOST_TEST(keyless.set_enabled("stripe", "main", false));
  BOOST_CHECK_THROW(keyless.load_all(), std::logic_error);
}

BOOST_FIXTURE_TEST_CASE(plaintext_never_reaches_the_table_or_the_audit_log, Fixture) {
  NewConnection c = stripe("main", "whsec_plain_primary");
  c.secret2 = "whsec_plain_secondary";
  c.verify_token = "plain_verify_token";
  store.add(c);
  store.rotate("stripe", "main", {.new_secret = "whsec_plain_rotated"});
  store.set_enabled("stripe", "main", false);
  const std::string raw = raw_table(*conn);
  const std::string details = audit_details(*conn);
  for (const std::string secret : {"whsec_plain_primary", "whsec_plain_secondary",
                                   "plain_verify_token", "whsec_plain_rotated"}) {
    BOOST_TEST(raw.find(secret) == std::string::npos, secret << " stored in clear");
    BOOST_TEST(details.find(secret) == std::string::npos, secret << " in audit_log");
  }
  BOOST_TEST(store.load_all().connections.front().credentials.secrets ==
                 (std::vector<std::string>{"whsec_plain_rotated", "whsec_plain_primary"}),
             boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(every_change_is_audited, Fixture) {
  store.add(stripe());
  store.rotate("stripe", "main", {.new_secret = "whsec_primary_2"});
  store.rotate("stripe", "main", {.drop_old = true});
  store.set_enabled("stripe", "main", false);
  store.set_enabled("stripe", "main", true);
  store.set_verify_token("stripe", "main", "tok");
  const std::vector<std::string> expected{
      "tester connection.add stripe/main",    "tester connection.rotate stripe/main",
      "tester connection.rotate stripe/main", "tester connection.disable stripe/main",
      "tester connection.enable stripe/main", "tester connection.set_verify_token stripe/main"};
  BOOST_TEST(audit_actions(*conn) == expected, boost::test_tools::per_element());
  const std::string details = audit_details(*conn);
  BOOST_TEST(details.find("\"environment\": \"prod\"") != std::string::npos, details);
  BOOST_TEST(details.find("\"dropped_old\": true") != std::string::npos, details);
}

BOOST_FIXTURE_TEST_CASE(rows_that_do_not_open_are_skipped, Fixture) {
  store.add(stripe("good"));
  store.add(stripe("copied"));
  // Sealed with another key-encryption key.
  const ingest::SecretBox other(crypto::AesKey::generate());
  ConnectionStore(*conn, other, "tester").add(stripe("foreign"));
  // A sealed value copied from another row does not open in this one.
  {
    pqxx::work tx(*conn);
    tx.exec0(
        "UPDATE connections SET secret_primary = (SELECT secret_primary FROM connections "
        "WHERE connection_id = 'good') WHERE connection_id = 'copied'");
    tx.commit();
  }
  // Nor does a value moved to another column of the same row.
  store.add(stripe("moved"));
  store.rotate("stripe", "moved", {.new_secret = "whsec_primary_2"});
  {
    pqxx::work tx(*conn);
    tx.exec0(
        "UPDATE connections SET secret_primary = secret_secondary, secret_secondary = "
        "secret_primary WHERE connection_id = 'moved'");
    tx.commit();
  }
  const auto loaded = store.load_all();
  BOOST_TEST(loaded.skipped == 3U);
  BOOST_REQUIRE_EQUAL(loaded.connections.size(), 1U);
  BOOST_TEST(loaded.connections.front().id == "good");
  // Rotating needs the current secret to open.
  BOOST_CHECK_THROW(store.rotate("stripe", "foreign", {.new_secret = "x"}),
                    ingest::ConnectionStoreError);
}

BOOST_FIXTURE_TEST_CASE(send_secret_and_settings_are_stored_and_loaded, Fixture) {
  store.add(twilio());
  NewConnection both = stripe("both");
  both.send_secret = "whsec_outgoing_1";
  both.settings = R"({"send": {"base_url": "https://hooks.example.com", "path": "/in"}})";
  store.add(both);
  store.add(stripe("inbound"));  // settings default to {}

  const auto rows = store.list();
  BOOST_REQUIRE_EQUAL(rows.size(), 3U);
  BOOST_TEST(rows[0].id == "both");
  BOOST_TEST(rows[0].has_secret);
  BOOST_TEST(rows[0].has_send_secret);
  BOOST_TEST(rows[1].id == "inbound");
  BOOST_TEST(!rows[1].has_send_secret);
  BOOST_TEST(rows[1].settings == "{}");
  BOOST_TEST(rows[2].id == "out");
  BOOST_TEST(!rows[2].has_secret);
  BOOST_TEST(rows[2].has_send_secret);
  // Postgres's rendering of the jsonb value.
  BOOST_TEST(rows[2].settings ==
             R"({"send": {"from": "+15550001111", "rate_per_s": 5, "account_sid": "AC123"}})");

  const auto loaded = store.load_all();
  BOOST_TEST(loaded.skipped == 0U);
  const auto* out = find(loaded, "out");
  BOOST_REQUIRE(out != nullptr);
  BOOST_TEST(out->send_secret == "twilio_auth_token_1");
  BOOST_TEST(out->credentials.secrets.empty());
  BOOST_TEST(out->settings == rows[2].settings);
  const auto* b = find(loaded, "both");
  BOOST_REQUIRE(b != nullptr);
  BOOST_TEST(b->send_secret == "whsec_outgoing_1");
  BOOST_TEST(b->credentials.secrets == std::vector<std::string>{"whsec_primary_1"});
  BOOST_TEST(b->settings ==
             R"({"send": {"path": "/in", "base_url": "https://hooks.example.com"}})");
  const auto* in = find(loaded, "inbound");
  BOOST_REQUIRE(in != nullptr);
  BOOST_TEST(in->send_secret.empty());
  BOOST_TEST(in->settings == "{}");
}

BOOST_FIXTURE_TEST_CASE(set_send_secret_replaces_and_clears, Fixture) {
  store.add(stripe());
  store.set_send_secret("stripe", "main", "sk_send_1");
  BOOST_TEST(store.list().front().has_send_secret);
  BOOST_TEST(store.load_all().connections.front().send_secret == "sk_send_1");
  store.set_send_secret("stripe", "main", "sk_send_2");
  BOOST_TEST(store.load_all().connections.front().send_secret == "sk_send_2");
  // The inbound secrets are untouched.
  BOOST_TEST(store.load_all().connections.front().credentials.secrets ==
                 std::vector<std::string>{"whsec_primary_1"},
             boost::test_tools::per_element());

  store.set_send_secret("stripe", "main", std::nullopt);
  BOOST_TEST(!store.list().front().has_send_secret);
  BOOST_TEST(store.load_all().connections.front().send_secret.empty());

  BOOST_CHECK_THROW(store.set_send_secret("stripe", "nope", "x"), ingest::ConnectionNotFound);
  BOOST_CHECK_THROW(store.set_send_secret("stripe", "nope", std::nullopt),
                    ingest::ConnectionNotFound);
  BOOST_TEST(store_error([&] { store.set_send_secret("stripe", "main", ""); }) ==
             "the send secret is empty");
  BOOST_TEST(!store_error([&] {
                store.set_send_secret("stripe", "main", std::string(4097, 'k'));
              }).empty());

  // Setting needs the key; clearing does not (revoking a leaked secret).
  ConnectionStore keyless(*conn, "tester");
  BOOST_CHECK_THROW(keyless.set_send_secret("stripe", "main", "sk_send_3"), std::logic_error);
  store.set_send_secret("stripe", "main", "sk_send_3");
  keyless.set_send_secret("stripe", "main", std::nullopt);
  BOOST_TEST(!store.list().front().has_send_secret);
}

BOOST_FIXTURE_TEST_CASE(set_settings_replaces_valid_objects_only, Fixture) {
  store.add(twilio());
  ConnectionStore keyless(*conn, "tester");  // settings are not secret: no key needed
  keyless.set_settings("twilio", "out", R"({"send": {"burst": 20}})");
  BOOST_TEST(store.list().front().settings == R"({"send": {"burst": 20}})");
  BOOST_TEST(store.load_all().connections.front().settings == R"({"send": {"burst": 20}})");
  BOOST_TEST(store.load_all().connections.front().send_secret == "twilio_auth_token_1");

  const std::vector<std::string> refused{
      "",
      "{",
      R"({"send": })",
      "[1, 2]",
      R"("send")",
      "null",
      R"({"a": 1} {"b": 2})",
      R"({"a": "nul \u0000 inside"})",
      "{\"a\": \"\xff\xfe\"}",  // not UTF-8
      "{\"a\": \"" + std::string(ingest::kMaxSettingsLength, 'x') + "\"}",
  };
  for (const std::string& bad : refused) {
    BOOST_TEST_CONTEXT("settings of " << bad.size() << " bytes: " << bad.substr(0, 40)) {
      const std::string message = store_error([&] { store.set_settings("twilio", "out", bad); });
      BOOST_TEST(message.starts_with("invalid settings: "), message);
      BOOST_TEST(message.find('\n') == std::string::npos);
      NewConnection c = twilio("other");
      c.settings = bad;
      BOOST_CHECK_THROW(store.add(c), ingest::ConnectionStoreError);
    }
  }
  BOOST_TEST(store.list().size() == 1U);
  BOOST_TEST(store.list().front().settings == R"({"send": {"burst": 20}})");
  // Exactly the limit is accepted.
  std::string largest = R"({"a": ")";
  largest += std::string(ingest::kMaxSettingsLength - largest.size() - 2, 'x') + "\"}";
  BOOST_REQUIRE_EQUAL(largest.size(), ingest::kMaxSettingsLength);
  BOOST_CHECK_NO_THROW(store.set_settings("twilio", "out", largest));
  BOOST_CHECK_THROW(store.set_settings("twilio", "nope", "{}"), ingest::ConnectionNotFound);
}

BOOST_FIXTURE_TEST_CASE(send_changes_are_audited_without_secrets_or_values, Fixture) {
  store.add(twilio());
  store.set_send_secret("twilio", "out", "twilio_auth_token_2");
  store.set_send_secret("twilio", "out", std::nullopt);
  store.set_settings("twilio", "out", R"({"send": {"from": "ops@example.com", "burst": 3}})");
  const std::vector<std::string> expected{
      "tester connection.add twilio/out", "tester connection.set_send_secret twilio/out",
      "tester connection.set_send_secret twilio/out", "tester connection.set_settings twilio/out"};
  BOOST_TEST(audit_actions(*conn) == expected, boost::test_tools::per_element());
  const std::string details = audit_details(*conn);
  BOOST_TEST(details.find("\"has_send_secret\": true") != std::string::npos, details);
  BOOST_TEST(details.find("\"has_send_secret\": false") != std::string::npos, details);
  BOOST_TEST(details.find(R"("send_keys": ["burst", "from"])") != std::string::npos, details);
  BOOST_TEST(details.find(R"("settings_keys": ["send"])") != std::string::npos, details);
  // Neither the secrets nor the settings' values (addresses, numbers, account ids).
  for (const std::string value :
       {"twilio_auth_token_1", "twilio_auth_token_2", "+15550001111", "ops@example.com", "AC123"}) {
    BOOST_TEST(details.find(value) == std::string::npos, value << " in audit_log");
  }
  const std::string raw = raw_table(*conn);
  BOOST_TEST(raw.find("twilio_auth_token") == std::string::npos, "send secret stored in clear");
}

BOOST_FIXTURE_TEST_CASE(a_send_secret_that_does_not_open_skips_the_row, Fixture) {
  NewConnection moved = stripe("moved");
  moved.verify_token = "token";
  moved.send_secret = "sk_send_1";
  store.add(moved);
  store.add(twilio("good"));
  store.add(twilio("copied"));
  // The send secret put in the verify token's column (and back) does not open: the field is
  // in the associated data.
  {
    pqxx::work tx(*conn);
    tx.exec0(
        "UPDATE connections SET send_secret = verify_token, verify_token = send_secret "
        "WHERE connection_id = 'moved'");
    tx.exec0(
        "UPDATE connections SET send_secret = (SELECT send_secret FROM connections "
        "WHERE connection_id = 'good') WHERE connection_id = 'copied'");
    tx.commit();
  }
  const auto loaded = store.load_all();
  BOOST_TEST(loaded.skipped == 2U);
  BOOST_REQUIRE_EQUAL(loaded.connections.size(), 1U);
  BOOST_TEST(loaded.connections.front().id == "good");
  BOOST_TEST(loaded.connections.front().send_secret == "twilio_auth_token_1");
}
