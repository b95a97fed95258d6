// `hookline consent` as an operator runs it, against the test Postgres.
#define BOOST_TEST_MODULE consent_cli
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <pqxx/transaction>

#include "core/crypto/encoding.h"
#include "processors/gatekeeper/consent/contact.h"
#include "tests/support/process.h"
#include "tests/support/test_database.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

const std::string kRawKey(32, '\x2a');
const std::string kAddress = "+1 (415) 555-0199";
const std::string kNormalized = "+14155550199";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct Fixture {
  Fixture() : key(crypto::base64_encode(kRawKey)) {
    auto r = cli({"db", "migrate"});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  }
  std::map<std::string, std::string> env(const std::string& secret_key,
                                         const std::string& url) const {
    return {{"HOOKLINE_DATABASE_URL", url},
            {"HOOKLINE_CONFIG", ""},
            {"HOOKLINE_SECRET_KEY", secret_key},
            {"HOOKLINE_SECRET_KEY_FILE", ""}};
  }
  test::RunResult cli(std::vector<std::string> args) { return cli_with(key, db.url(), args); }
  test::RunResult cli_with(const std::string& secret_key, const std::string& url,
                           const std::vector<std::string>& args) {
    auto r = test::run(test::bin("hookline"), args, env(secret_key, url), 60s);
    // Errors never show the address, in any form.
    BOOST_TEST(!contains(r.err, kNormalized), r.err);
    BOOST_TEST(!contains(r.err, "555-0199"), r.err);
    return r;
  }
  // `hookline consent <command> --tenant acme --contact <address> <extra...>`.
  test::RunResult consent(const std::string& command, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"consent", command, "--tenant", "acme", "--contact", kAddress};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args);
  }
  std::string query(const std::string& sql) {
    auto conn = db.connect();
    pqxx::read_transaction tx(*conn);
    return tx.exec1(sql)[0].as<std::string>();
  }
  std::string hash() const { return gatekeeper::ContactHasher(kRawKey).hash("acme", kAddress); }

  test::TestDatabase db;
  std::string key;
};

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  BOOST_REQUIRE_MESSAGE(!d.HasParseError(), json);
  return d;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(set_get_history_export, Fixture) {
  auto r = consent("get");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "no consent entries for this contact"), r.out);

  r = consent("set", {"--channel", "sms", "--status", "opted_in", "--by", "alice"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(contains(r.out, "recorded opted_in (marketing) on sms for contact " + hash()), r.out);
  r = consent("set", {"--channel", "all", "--status", "opted_out", "--purpose", "all", "--source",
                      "import", "--reason", "legal request", "--group", "news", "--by", "bob"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(contains(r.out, "on every channel for group news"), r.out);

  r = consent("get");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "CHANNEL"), r.out);
  BOOST_TEST(contains(r.out, "opted_in"), r.out);
  BOOST_TEST(contains(r.out, "legal request"), r.out);
  BOOST_TEST(contains(r.out, "ctl:alice"), r.out);

  r = consent("get", {"--json"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto current = parse(r.out);
  BOOST_TEST_REQUIRE(current.IsArray());
  BOOST_TEST_REQUIRE(current.Size() == 2U);
  // Ordered by channel: "*" first.
  BOOST_TEST(std::string(current[0]["channel"].GetString()) == "*");
  BOOST_TEST(std::string(current[0]["scope"].GetString()) == "all");
  BOOST_TEST(std::string(current[0]["source"].GetString()) == "import");
  BOOST_TEST(std::string(current[0]["group"].GetString()) == "news");
  BOOST_TEST(std::string(current[0]["recorded_by"].GetString()) == "ctl:bob");
  BOOST_TEST(std::string(current[1]["channel"].GetString()) == "sms");
  BOOST_TEST(std::string(current[1]["status"].GetString()) == "opted_in");
  BOOST_TEST(std::string(current[1]["scope"].GetString()) == "marketing");
  BOOST_TEST(std::string(current[1]["reason"].GetString()) == "cli");
  BOOST_TEST(std::string(current[1]["contact"].GetString()) == kNormalized);
  BOOST_TEST(std::string(current[1]["contact_hash"].GetString()) == hash());

  // Another spelling of the same number is the same contact.
  r = cli({"consent", "history", "--tenant", "acme", "--contact", "tel:+14155550199"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "RECORDED_AT"), r.out);
  BOOST_TEST(contains(r.out, "all"), r.out);
  r = cli({"consent", "history", "--tenant", "acme", "--contact", "+14155550199", "--json"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto history = parse(r.out);
  BOOST_TEST_REQUIRE(history.Size() == 2U);
  BOOST_TEST(std::string(history[0]["recorded_by"].GetString()) == "ctl:alice");

  r = consent("export");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto exported = parse(r.out);
  BOOST_TEST(std::string(exported["format"].GetString()) == "hookline.consent.export.v1");
  BOOST_TEST(std::string(exported["tenant"].GetString()) == "acme");
  BOOST_TEST(std::string(exported["contact"].GetString()) == kNormalized);
  BOOST_TEST(std::string(exported["contact_hash"].GetString()) == hash());
  BOOST_TEST(exported["generated_at"].IsString());
  BOOST_TEST_REQUIRE(exported["entries"].Size() == 2U);
  for (const char* field :
       {"id", "tenant", "contact_hash", "contact", "channel", "status", "scope", "source", "reason",
        "group", "evidence_event_id", "occurred_at", "recorded_at", "recorded_by"}) {
    BOOST_TEST(exported["entries"][1].HasMember(field), field);
  }

  // Other tenants do not see the contact.
  r = cli({"consent", "get", "--tenant", "other", "--contact", kAddress});
  BOOST_TEST(contains(r.out, "no consent entries"), r.out);

  // Every change is audited, by hash, without the address.
  BOOST_TEST(query("SELECT count(*) FROM audit_log WHERE action = 'consent.set' AND subject = '" +
                   hash() + "'") == "2");
  BOOST_TEST(query("SELECT count(*) FROM audit_log WHERE actor = 'ctl:bob'") == "1");
  BOOST_TEST(query("SELECT count(*) FROM audit_log WHERE details::text LIKE '%4155550199%'") ==
             "0");
}

BOOST_FIXTURE_TEST_CASE(erase_keeps_a_hashed_suppression, Fixture) {
  auto r = consent("set", {"--channel", "email", "--status", "opted_in", "--by", "alice"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  r = consent("set", {"--channel", "sms", "--status", "opted_in", "--by", "alice"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);

  r = consent("erase", {"--by", "carol"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "add --yes to confirm"), r.err);
  BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  BOOST_TEST(query("SELECT count(*) FROM consent_ledger") == "2");

  r = consent("erase", {"--yes"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "--by is required"), r.err);

  r = consent("erase", {"--by", "carol", "--yes"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(contains(r.out, "erased 2 entries of contact " + hash()), r.out);

  BOOST_TEST(query("SELECT count(*) FROM consent_ledger WHERE contact IS NOT NULL") == "0");
  r = consent("export");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto exported = parse(r.out);
  BOOST_TEST_REQUIRE(exported["entries"].Size() == 1U);
  const auto& e = exported["entries"][0];
  BOOST_TEST(e["contact"].IsNull());
  BOOST_TEST(std::string(e["channel"].GetString()) == "*");
  BOOST_TEST(std::string(e["status"].GetString()) == "opted_out");
  BOOST_TEST(std::string(e["source"].GetString()) == "erasure");
  BOOST_TEST(std::string(e["recorded_by"].GetString()) == "ctl:carol");
  BOOST_TEST(query("SELECT details->>'removed' FROM audit_log WHERE action = 'consent.erase' AND "
                   "subject = '" +
                   hash() + "' AND actor = 'ctl:carol'") == "2");
}

BOOST_FIXTURE_TEST_CASE(usage_errors_exit_2, Fixture) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"consent"}, "missing command"},
      {{"consent", "frobnicate"}, "unknown command frobnicate"},
      {{"consent", "get", "--contact", kAddress}, "--tenant is required"},
      {{"consent", "get", "--tenant", "acme"}, "--contact is required"},
      {{"consent", "get", "--tenant", "a/b", "--contact", kAddress}, "invalid --tenant"},
      {{"consent", "get", "--tenant", "acme", "--contact", " ( ) "},
       "--contact is empty once normalized"},
      {{"consent", "get", "--tenant", "acme", "--contact", kAddress, "--status", "x"},
       "get: unknown flag --status"},
      {{"consent", "set", "--tenant", "acme", "--contact", kAddress, "--status", "opted_in", "--by",
        "alice"},
       "--channel is required"},
      {{"consent", "set", "--tenant", "acme", "--contact", kAddress, "--channel", "SMS", "--status",
        "opted_in", "--by", "alice"},
       "invalid --channel"},
      {{"consent", "set", "--tenant", "acme", "--contact", kAddress, "--channel", "sms", "--status",
        "maybe", "--by", "alice"},
       "invalid --status 'maybe'"},
      {{"consent", "set", "--tenant", "acme", "--contact", kAddress, "--channel", "sms", "--status",
        "opted_in"},
       "--by is required"},
      {{"consent", "set", "--tenant", "acme", "--contact", kAddress, "--channel", "sms", "--status",
        "opted_in", "--by", "a b"},
       "invalid --by"},
      {{"consent", "set", "--tenant", "acme", "--contact", kAddress, "--channel", "sms", "--status",
        "opted_in", "--by", "alice", "--purpose", "sales"},
       "invalid --purpose 'sales'"},
      {{"consent", "set", "--tenant", "acme", "--contact", kAddress, "--channel", "sms", "--status",
        "opted_in", "--by", "alice", "--source", "bounce"},
       "invalid --source 'bounce'"},
      {{"consent", "set", "--tenant", "acme", "--contact", kAddress, "--channel", "sms", "--status",
        "opted_in", "--by", "alice", "--reason", ""},
       "invalid --reason"},
  };
  for (const Case& c : cases) {
    auto r = cli(c.args);
    BOOST_TEST(r.exit_code == 2, c.message << ": " << r.err);
    BOOST_TEST(contains(r.err, "hookline consent: " + c.message), r.err);
  }
  BOOST_TEST(query("SELECT count(*) FROM consent_ledger") == "0");

  auto help = cli({"consent", "--help"});
  BOOST_TEST(help.exit_code == 0);
  BOOST_TEST(contains(help.out, "usage: hookline consent"));
  help = cli({"--help"});
  BOOST_TEST(contains(help.out, "consent get|set|history|export|erase"));
}

BOOST_FIXTURE_TEST_CASE(a_missing_key_or_database_is_one_line, Fixture) {
  auto r = cli_with("", db.url(), {"consent", "get", "--tenant", "acme", "--contact", kAddress});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "hookline consent: no secret key configured"), r.err);
  BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1);

  r = cli_with(crypto::base64_encode("short"), db.url(),
               {"consent", "get", "--tenant", "acme", "--contact", kAddress});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "base64 of exactly 32 bytes"), r.err);

  const std::string url =
      "postgresql://hookline:pw-never-shown@127.0.0.1:" + std::to_string(test::closed_port()) +
      "/hookline";
  r = cli_with(key, url, {"consent", "get", "--tenant", "acme", "--contact", kAddress});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "hookline consent: cannot connect to Postgres"), r.err);
  BOOST_TEST(!contains(r.err, "pw-never-shown"), r.err);
  BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1);

  test::TestDatabase unmigrated;
  r = cli_with(key, unmigrated.url(),
               {"consent", "get", "--tenant", "acme", "--contact", kAddress});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "the consent ledger tables are missing (run `hookline db migrate`)"),
             r.err);
  BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}
