// `hookline connections` as an operator runs it, against the test Postgres.
#define BOOST_TEST_MODULE connections_cli
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <pqxx/transaction>

#include "core/crypto/aes_gcm.h"
#include "tests/support/process.h"
#include "tests/support/test_database.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> kSecrets{"whsec_cli_first", "whsec_cli_second", "cli_verify_tok",
                                        "whsec_cli_from_file", "whsec_cli_from_stdin"};

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
    auto r = test::run(test::bin("hookline"), args, env(secret_key), 60s);
    check_no_secrets(r);
    return r;
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
