// `hookline db` as an operator runs it, against the test Postgres and an unreachable one.
#define BOOST_TEST_MODULE db_cli
#include <boost/test/unit_test.hpp>

#include <pqxx/transaction>

#include "tests/support/process.h"
#include "tests/support/test_database.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

test::RunResult db_cli(const std::string& url, std::vector<std::string> args) {
  args.insert(args.begin(), "db");
  return test::run(test::bin("hookline"), args,
                   {{"HOOKLINE_DATABASE_URL", url}, {"HOOKLINE_CONFIG", ""}}, 60s);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(migrate_twice_applies_once) {
  test::TestDatabase db;
  auto first = db_cli(db.url(), {"migrate"});
  BOOST_REQUIRE_MESSAGE(first.exit_code == 0, first.out << first.err);
  BOOST_CHECK(contains(first.out, "applied 0001_connections"));
  auto second = db_cli(db.url(), {"migrate"});
  BOOST_REQUIRE_MESSAGE(second.exit_code == 0, second.out << second.err);
  BOOST_CHECK(!contains(second.out, "applied 0001") || contains(second.out, "already applied"));
  auto conn = db.connect();
  pqxx::read_transaction tx(*conn);
  BOOST_CHECK_EQUAL(tx.exec1("SELECT count(*) FROM hookline_schema_migrations")[0].as<int>(),
                    tx.exec1("SELECT max(version) FROM hookline_schema_migrations")[0].as<int>());
  BOOST_CHECK(tx.exec1("SELECT to_regclass('connections') IS NOT NULL")[0].as<bool>());
  auto status = db_cli(db.url(), {"status"});
  BOOST_CHECK_EQUAL(status.exit_code, 0);
}

BOOST_AUTO_TEST_CASE(unreachable_postgres_is_one_line_without_the_password) {
  const std::string hostport = "127.0.0.1:" + std::to_string(test::closed_port());
  auto r = db_cli("postgresql://hookline:s3cret@" + hostport + "/hookline?connect_timeout=2",
                  {"migrate"});
  BOOST_CHECK_EQUAL(r.exit_code, 1);
  BOOST_CHECK_MESSAGE(contains(r.err, "hookline db: cannot connect to Postgres at"), r.err);
  BOOST_CHECK(contains(r.err, hostport));
  BOOST_CHECK(!contains(r.err, "s3cret"));
  BOOST_CHECK(!contains(r.out, "s3cret"));
  BOOST_CHECK_EQUAL(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

BOOST_AUTO_TEST_CASE(no_database_configured_is_a_clear_error) {
  auto r = db_cli("", {"migrate"});
  BOOST_CHECK_EQUAL(r.exit_code, 1);
  BOOST_CHECK_MESSAGE(contains(r.err, "no database configured"), r.err);
}
