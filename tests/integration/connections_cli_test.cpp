// `hookline connections` as an operator runs it, against the test Postgres.
#define BOOST_TEST_MODULE connections_cli
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/binarystring>
#include <pqxx/transaction>

#include "core/crypto/aes_gcm.h"
#include "tests/support/process.h"
#include "tests/support/test_database.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> kSecrets{
    "whsec_cli_first",     "whsec_cli_second",     "cli_verify_tok",
    "whsec_cli_from_file", "whsec_cli_from_stdin", "whsec_cli_send_file",
    "cli_send_env_tok",    "cli_send_env_tok2",    "whsec_cli_stray_arg"};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct Fixture {
  Fixture() : key(crypto::AesKey::generate().to_base64()) {
    auto r = cli({"db", "migrate"});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  }

  std::map<std::string, std::string> env(const std::string& secret_key) const {
    return {{"HOOKLINE_DATABASE_URL", db.url()},
            {"HOOKLINE_CONFIG", ""},
            {"HOOKLINE_SECRET_KEY", secret_key},
            {"HOOKLINE_SECRET_KEY_FILE", ""},
            {"USER", "alice"}};
  }
  // Runs hookline; every output is checked for secrets.
  test::RunResult cli(std::vector<std::string> args) { return cli_with_key(key, std::move(args)); }
  test::RunResult cli_with_key(const std::string& secret_key, std::vector<std::string> args) {
    return cli_with_env(secret_key, {}, std::move(args));
  }
  // With `extra` added to the environment.
  test::RunResult cli_with_env(const std::string& secret_key,
                               const std::map<std::string, std::string>& extra,
                               std::vector<std::string> args) {
    auto environment = env(secret_key);
    environment.insert(extra.begin(), extra.end());
    auto r = test::run(test::bin("hookline"), args, environment, 60s);
    check_no_secrets(r);
    return r;
  }
  // The send secret of provider/id as stored, opened here with the key and the associated data
  // of its column (independently of the registry's code); nullopt when NULL or not opening.
  std::optional<std::string> stored_send_secret(const std::string& provider,
                                                const std::string& id) {
    auto conn = db.connect();
    pqxx::read_transaction tx(*conn);
    const auto row = tx.exec_params1(
        "SELECT send_secret FROM connections WHERE provider = $1 AND connection_id = $2", provider,
        id);
    if (row[0].is_null()) return std::nullopt;
    const auto aes = crypto::AesKey::from_base64(key);
    BOOST_REQUIRE(aes.has_value());
    return crypto::decrypt(*aes, pqxx::binarystring(row[0]).str(),
                           "hookline/connection/" + provider + "/" + id + "/send_secret");
  }
  std::string query(const std::string& sql) {
    auto conn = db.connect();
    pqxx::read_transaction tx(*conn);
    return tx.exec1(sql)[0].as<std::string>();
  }
  // Through a shell, to feed stdin.
  test::RunResult shell(const std::string& command) {
    auto r = test::run("/bin/sh", {"-c", command}, env(key), 60s);
    check_no_secrets(r);
    return r;
  }
  void check_no_secrets(const test::RunResult& r) const {
    for (const std::string& s : kSecrets) {
      BOOST_TEST(!contains(r.out, s), "stdout shows " << s);
      BOOST_TEST(!contains(r.err, s), "stderr shows " << s);
    }
  }

  test::TestDatabase db;
  test::TempDir dir;
  std::string key;
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(add_list_rotate_disable_enable, Fixture) {
  auto r = cli({"connections", "add", "--provider", "stripe", "--id", "main", "--secret",
                "whsec_cli_first", "--verify-token", "cli_verify_tok", "--alias", "Stripe EU"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(contains(r.out, "added stripe/main"), r.out);

  r = cli({"connections", "add", "--provider", "stripe", "--id", "main", "--secret", "whsec_x"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "hookline connections: connection stripe/main already exists"), r.err);

  r = cli({"connections", "list"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "stripe"));
  BOOST_TEST(contains(r.out, "Stripe EU"));
  BOOST_TEST(contains(r.out, "enabled"));

  r = cli({"connections", "rotate", "--provider", "stripe", "--id", "main", "--secret",
           "whsec_cli_second"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(contains(r.out, "--drop-old"), r.out);
  r = cli({"connections", "list", "--provider", "stripe"});
  BOOST_TEST(contains(r.out, "2 (rotating)"), r.out);
  r = cli({"connections", "rotate", "--provider", "stripe", "--id", "main", "--drop-old"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  r = cli({"connections", "list"});
  BOOST_TEST(!contains(r.out, "rotating"), r.out);

  r = cli({"connections", "disable", "--provider", "stripe", "--id", "main"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(cli({"connections", "list"}).out, "disabled"));
  r = cli({"connections", "enable", "--provider", "stripe", "--id", "main"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  BOOST_TEST(!contains(cli({"connections", "list"}).out, "disabled"));

  r = cli({"connections", "disable", "--provider", "stripe", "--id", "nope"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "stripe/nope does not exist"), r.err);

  auto conn = db.connect();
  pqxx::read_transaction tx(*conn);
  BOOST_TEST(tx.exec1("SELECT count(*) FROM audit_log WHERE actor = 'alice' AND subject = "
                      "'stripe/main'")[0]
                 .as<int>() == 5);
}

BOOST_FIXTURE_TEST_CASE(secrets_from_a_file_or_stdin, Fixture) {
  const std::string file = dir.file("secret");
  std::ofstream(file) << "whsec_cli_from_file\n";
  auto r = cli({"connections", "add", "--provider", "github", "--id", "org", "--secret-file", file,
                "--environment", "staging"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  r = shell("echo whsec_cli_from_stdin | '" + test::bin("hookline") +
            "' connections add --provider slack --id ws --secret -");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  r = cli({"connections", "list"});
  BOOST_TEST(contains(r.out, "github"));
  BOOST_TEST(contains(r.out, "staging"));
  BOOST_TEST(contains(r.out, "slack"));

  r = cli(
      {"connections", "add", "--provider", "x", "--id", "y", "--secret-file", dir.file("missing")});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, dir.file("missing")), r.err);
}

BOOST_FIXTURE_TEST_CASE(usage_and_configuration_errors, Fixture) {
  auto r = cli({"connections", "add", "--provider", "Stripe!", "--id", "main", "--secret", "s"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "invalid --provider"), r.err);
  r = cli({"connections", "add", "--provider", "stripe", "--id", "a/b", "--secret", "s"});
  BOOST_TEST(r.exit_code == 2);
  r = cli({"connections", "add", "--provider", "stripe", "--id", "main"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "--secret"), r.err);
  r = cli({"connections", "frobnicate"});
  BOOST_TEST(r.exit_code == 2);
  r = cli({"connections", "--help"});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(contains(r.out, "rotate"));

  r = cli_with_key("", {"connections", "add", "--provider", "stripe", "--id", "main", "--secret",
                        "whsec_cli_first"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "HOOKLINE_SECRET_KEY"), r.err);
  BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  r = cli_with_key("dG9vIHNob3J0", {"connections", "add", "--provider", "stripe", "--id", "main",
                                    "--secret", "whsec_cli_first"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(!contains(r.err, "dG9vIHNob3J0"), r.err);
  BOOST_TEST(contains(cli({"connections", "list"}).out, "no connections"));

  // Listing needs no key.
  r = cli_with_key("", {"connections", "list"});
  BOOST_TEST(r.exit_code == 0, r.err);
}

BOOST_FIXTURE_TEST_CASE(send_secret_and_settings, Fixture) {
  const std::string secret_file = dir.file("send-secret");
  std::ofstream(secret_file) << "whsec_cli_send_file\n";
  const std::string settings_file = dir.file("settings.json");
  std::ofstream(settings_file) << R"({"send": {"account_sid": "AC42", "rate_per_s": 2}})"
                               << "\n";

  // Outbound only: a send secret instead of an inbound one.
  auto r = cli({"connections", "add", "--provider", "webhook", "--id", "out", "--send-secret-file",
                secret_file, "--settings",
                R"({"send": {"base_url": "https://hooks.example.com", "path": "/in"}})"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(contains(r.out, "added webhook/out"), r.out);
  BOOST_TEST(contains(r.out, "send secret"), r.out);
  // Both ways, the send secret from the environment, the settings from a file.
  r = cli_with_env(
      key, {{"HOOKLINE_TEST_TWILIO_TOKEN", "cli_send_env_tok"}},
      {"connections", "add", "--provider", "twilio", "--id", "main", "--secret", "whsec_cli_first",
       "--send-secret-env", "HOOKLINE_TEST_TWILIO_TOKEN", "--settings-file", settings_file});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  // The file's trailing newline is not part of the secret.
  BOOST_TEST(stored_send_secret("webhook", "out").value_or("?") == "whsec_cli_send_file");
  BOOST_TEST(stored_send_secret("twilio", "main").value_or("?") == "cli_send_env_tok");

  r = cli({"connections", "list"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "SEND_SECRET"), r.out);
  BOOST_TEST(contains(r.out, "SETTINGS"), r.out);
  BOOST_TEST(contains(r.out, R"("base_url": "https://hooks.example.com")"), r.out);
  BOOST_TEST(contains(r.out, R"("account_sid": "AC42")"), r.out);

  // Replace from the environment (<provider>/<id>), clear without the key (--provider/--id).
  r = cli_with_env(
      key, {{"NEW_TOKEN", "cli_send_env_tok2"}},
      {"connections", "set-send-secret", "twilio/main", "--send-secret-env", "NEW_TOKEN"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(contains(r.out, "send secret set for twilio/main"), r.out);
  BOOST_TEST(stored_send_secret("twilio", "main").value_or("?") == "cli_send_env_tok2");
  r = cli_with_key(
      "", {"connections", "set-send-secret", "--provider", "webhook", "--id", "out", "--clear"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(contains(r.out, "send secret cleared for webhook/out"), r.out);
  BOOST_TEST(!stored_send_secret("webhook", "out").has_value());
  BOOST_TEST(query("SELECT count(*) FROM connections WHERE send_secret IS NOT NULL") == "1");
  // Setting one needs the key.
  r = cli_with_key(
      "", {"connections", "set-send-secret", "webhook/out", "--send-secret-file", secret_file});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "HOOKLINE_SECRET_KEY"), r.err);

  r = cli({"connections", "set-settings", "webhook/out", "--settings",
           R"({"send": {"base_url": "https://other.example.com"}})"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(contains(r.out, "settings set for webhook/out"), r.out);
  BOOST_TEST(contains(cli({"connections", "list"}).out, "https://other.example.com"));

  // Every change audited as alice, without a secret or a settings value.
  BOOST_TEST(query("SELECT string_agg(action, ' ' ORDER BY id) FROM audit_log WHERE subject = "
                   "'webhook/out' AND actor = 'alice'") ==
             "connection.add connection.set_send_secret connection.set_settings");
  BOOST_TEST(query("SELECT count(*) FROM audit_log WHERE subject = 'twilio/main'") == "2");
  const std::string details = query("SELECT string_agg(details::text, ' ') FROM audit_log");
  for (const std::string& s : kSecrets) BOOST_TEST(!contains(details, s), s << " in audit_log");
  for (const std::string value : {"example.com", "AC42", "/in"}) {
    BOOST_TEST(!contains(details, value), value << " in audit_log");
  }
  BOOST_TEST(contains(details, R"("send_keys": ["base_url", "path"])"), details);
}

BOOST_FIXTURE_TEST_CASE(send_secret_and_settings_errors, Fixture) {
  auto r = cli({"connections", "add", "--provider", "webhook", "--id", "out", "--secret",
                "whsec_cli_first"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  const std::string before = query("SELECT settings::text FROM connections");
  const auto one_line = [](const test::RunResult& result) {
    return std::count(result.err.begin(), result.err.end(), '\n') == 1;
  };

  // Invalid settings: refused before anything is written, one line, exit 2.
  for (const std::string bad : {R"({"send": )", "[1, 2]", R"("text")", ""}) {
    BOOST_TEST_CONTEXT("settings '" << bad << "'") {
      r = cli({"connections", "set-settings", "webhook/out", "--settings", bad});
      BOOST_TEST(r.exit_code == 2);
      BOOST_TEST(contains(r.err, "hookline connections: --settings: invalid settings: "), r.err);
      BOOST_TEST(one_line(r), r.err);
      r = cli({"connections", "add", "--provider", "webhook", "--id", "other", "--secret",
               "whsec_cli_first", "--settings", bad});
      BOOST_TEST(r.exit_code == 2);
      BOOST_TEST(one_line(r), r.err);
    }
  }
  r = cli({"connections", "set-settings", "webhook/out", "--settings", R"({"send": )"});
  BOOST_TEST(contains(r.err, "not valid JSON"), r.err);
  const std::string bad_file = dir.file("bad.json");
  std::ofstream(bad_file) << "{\"send\": [}\n";
  r = cli({"connections", "set-settings", "webhook/out", "--settings-file", bad_file});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "--settings-file " + bad_file + ": invalid settings"), r.err);
  BOOST_TEST(one_line(r), r.err);
  BOOST_TEST(query("SELECT settings::text FROM connections") == before);
  BOOST_TEST(query("SELECT count(*) FROM connections") == "1");
  BOOST_TEST(query("SELECT count(*) FROM audit_log") == "1");

  // Usage errors (exit 2), never echoing what may be a secret.
  const std::vector<std::vector<std::string>> usage{
      {"set-send-secret", "webhook/out"},
      {"set-send-secret", "webhook/out", "--clear", "--send-secret-env", "X"},
      {"set-send-secret", "webhook/out", "--send-secret-file", "f", "--send-secret-env", "X"},
      {"set-send-secret", "webhook/out", "whsec_cli_stray_arg", "--clear"},
      {"set-send-secret", "whsec_cli_stray_arg", "--clear"},
      {"set-send-secret", "--clear"},
      {"set-send-secret", "webhook/out", "--provider", "webhook", "--id", "out", "--clear"},
      {"set-send-secret", "Webhook/out", "--clear"},
      {"set-send-secret", "webhook/out", "--send-secret", "whsec_cli_stray_arg"},
      {"set-settings", "webhook/out"},
      {"set-settings", "webhook/out", "--settings", "{}", "--settings-file", "f"},
      {"add", "--provider", "webhook", "--id", "x", "--send-secret-file", "f", "--send-secret-env",
       "X"},
  };
  for (auto args : usage) {
    args.insert(args.begin(), "connections");
    BOOST_TEST_CONTEXT(args[1] << " " << args[2] << " ... (" << args.size() << " arguments)") {
      r = cli(args);
      BOOST_TEST(r.exit_code == 2, r.err);
      BOOST_TEST(one_line(r), r.err);
    }
  }

  // Unusable sources and unknown connections (exit 1).
  r = cli({"connections", "set-send-secret", "webhook/out", "--send-secret-env",
           "HOOKLINE_TEST_UNSET_VARIABLE"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "--send-secret-env: the environment variable it names is not set"),
             r.err);
  BOOST_TEST(!contains(r.err, "HOOKLINE_TEST_UNSET_VARIABLE"), r.err);
  r = cli(
      {"connections", "set-send-secret", "webhook/out", "--send-secret-file", dir.file("missing")});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, dir.file("missing")), r.err);
  const std::string empty_file = dir.file("empty");
  std::ofstream(empty_file) << "\n";
  r = cli({"connections", "set-send-secret", "webhook/out", "--send-secret-file", empty_file});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "is empty"), r.err);
  const std::string secret_file = dir.file("secret");
  std::ofstream(secret_file) << "whsec_cli_send_file";  // no newline: taken as is
  r = cli({"connections", "set-send-secret", "webhook/nope", "--send-secret-file", secret_file});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "webhook/nope does not exist"), r.err);
  r = cli({"connections", "set-settings", "webhook/nope", "--settings", "{}"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "webhook/nope does not exist"), r.err);
  BOOST_TEST(query("SELECT count(*) FROM audit_log") == "1");

  r = cli({"connections", "set-send-secret", "webhook/out", "--send-secret-file", secret_file});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(stored_send_secret("webhook", "out").value_or("?") == "whsec_cli_send_file");
  r = cli({"connections", "--help"});
  BOOST_TEST(contains(r.out, "set-send-secret"));
  BOOST_TEST(contains(r.out, "set-settings"));
}
