#define BOOST_TEST_MODULE db_migrations
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <latch>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/nontransaction>
#include <pqxx/notification>
#include <pqxx/transaction>

#include "core/db/connection.h"
#include "core/db/migrations.h"
#include "tests/support/test_database.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

using test::TestDatabase;

std::vector<int> versions(const std::vector<db::Migration>& ms) {
  std::vector<int> out;
  for (const auto& m : ms) out.push_back(m.version);
  return out;
}

bool table_exists(pqxx::connection& conn, const std::string& table) {
  pqxx::read_transaction tx(conn);
  return tx.exec_params("SELECT to_regclass($1) IS NOT NULL", table)[0][0].as<bool>();
}

void exec(pqxx::connection& conn, const std::string& sql) {
  pqxx::work tx(conn);
  tx.exec0(sql);
  tx.commit();
}

class Receiver : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& conn, const std::string& channel_name)
      : pqxx::notification_receiver(conn, channel_name) {}
  void operator()(const std::string& payload, int) override { payloads.push_back(payload); }
  std::vector<std::string> payloads;
};

// Waits (at most 10 s) until `rx` holds `count` payloads.
void wait_for_payloads(pqxx::connection& conn, const Receiver& rx, std::size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (rx.payloads.size() < count && std::chrono::steady_clock::now() < deadline) {
    conn.await_notification(0, 200000);
  }
  BOOST_REQUIRE_EQUAL(rx.payloads.size(), count);
}

bool message_contains(const std::exception& e, const std::string& part) {
  const bool found = std::string(e.what()).find(part) != std::string::npos;
  BOOST_TEST_MESSAGE("message: " << e.what());
  return found;
}

}  // namespace

BOOST_AUTO_TEST_CASE(migrating_twice_applies_everything_once) {
  TestDatabase database;
  auto conn = database.connect();
  const auto& ms = db::embedded_migrations();
  const std::vector<int> all = versions(ms);

  std::vector<std::string> seen;
  const auto first = db::migrate(*conn, ms, [&](const db::Migration& m, bool newly_applied) {
    seen.push_back((newly_applied ? "applied " : "already ") + m.name);
  });
  BOOST_CHECK_EQUAL_COLLECTIONS(first.applied.begin(), first.applied.end(), all.begin(), all.end());
  BOOST_CHECK(first.already.empty());
  BOOST_REQUIRE_EQUAL(seen.size(), ms.size());
  BOOST_CHECK_EQUAL(seen[0], "applied 0001_connections");

  const auto second = db::migrate(*conn, ms);
  BOOST_CHECK(second.applied.empty());
  BOOST_CHECK_EQUAL_COLLECTIONS(second.already.begin(), second.already.end(), all.begin(),
                                all.end());

  for (const char* table : {"hookline_schema_migrations", "connections", "audit_log"}) {
    BOOST_CHECK_MESSAGE(table_exists(*conn, table), table << " missing");
  }
  const auto recorded = db::applied_migrations(*conn);
  BOOST_REQUIRE_EQUAL(recorded.size(), ms.size());
  for (std::size_t i = 0; i < ms.size(); ++i) {
    BOOST_CHECK_EQUAL(recorded[i].version, ms[i].version);
    BOOST_CHECK_EQUAL(recorded[i].name, ms[i].name);
    BOOST_CHECK_EQUAL(recorded[i].checksum, ms[i].checksum);
  }
}

BOOST_AUTO_TEST_CASE(applied_migrations_is_empty_on_a_fresh_database) {
  TestDatabase database;
  auto conn = database.connect();
  BOOST_CHECK(db::applied_migrations(*conn).empty());
}

BOOST_AUTO_TEST_CASE(connection_changes_are_notified) {
  TestDatabase database;
  auto conn = database.connect();
  db::migrate(*conn, db::embedded_migrations());

  auto listener = database.connect();
  Receiver rx(*listener, "hookline_connections");
  auto writer = database.connect();

  exec(*writer, "INSERT INTO connections (provider, connection_id) VALUES ('stripe', 'acct_1')");
  wait_for_payloads(*listener, rx, 1);
  BOOST_CHECK_EQUAL(rx.payloads[0], "stripe/acct_1");

  exec(*writer, "UPDATE connections SET status = 'disabled' WHERE connection_id = 'acct_1'");
  wait_for_payloads(*listener, rx, 2);
  BOOST_CHECK_EQUAL(rx.payloads[1], "stripe/acct_1");

  exec(*writer, "DELETE FROM connections WHERE connection_id = 'acct_1'");
  wait_for_payloads(*listener, rx, 3);
  BOOST_CHECK_EQUAL(rx.payloads[2], "stripe/acct_1");
}

BOOST_AUTO_TEST_CASE(schema_defaults_and_constraints) {
  TestDatabase database;
  auto conn = database.connect();
  db::migrate(*conn, db::embedded_migrations());

  exec(*conn, "INSERT INTO connections (provider, connection_id) VALUES ('github', 'app_1')");
  {
    pqxx::read_transaction tx(*conn);
    const auto row = tx.exec1(
        "SELECT tenant, environment, status, settings::text FROM connections"
        " WHERE provider = 'github' AND connection_id = 'app_1'");
    BOOST_CHECK_EQUAL(row[0].as<std::string>(), "default");
    BOOST_CHECK_EQUAL(row[1].as<std::string>(), "prod");
    BOOST_CHECK_EQUAL(row[2].as<std::string>(), "enabled");
    BOOST_CHECK_EQUAL(row[3].as<std::string>(), "{}");
  }
  BOOST_CHECK_THROW(exec(*conn,
                         "INSERT INTO connections (provider, connection_id, environment)"
                         " VALUES ('github', 'app_2', 'qa')"),
                    pqxx::sql_error);
  BOOST_CHECK_THROW(exec(*conn,
                         "INSERT INTO connections (provider, connection_id)"
                         " VALUES ('github', 'app_1')"),
                    pqxx::sql_error);

  // The audit log only grows.
  exec(*conn,
       "INSERT INTO audit_log (actor, action, subject) VALUES ('ctl:test', 'connection.create',"
       " 'github/app_1')");
  BOOST_CHECK_THROW(exec(*conn, "UPDATE audit_log SET actor = 'x'"), pqxx::sql_error);
  BOOST_CHECK_THROW(exec(*conn, "DELETE FROM audit_log"), pqxx::sql_error);
  BOOST_CHECK_THROW(exec(*conn, "TRUNCATE audit_log"), pqxx::sql_error);
}

BOOST_AUTO_TEST_CASE(changed_migration_is_refused_before_anything_runs) {
  TestDatabase database;
  auto conn = database.connect();
  db::migrate(*conn, db::embedded_migrations());

  std::vector<db::Migration> changed = db::embedded_migrations();
  changed[0].sql += "\n-- edited after release\n";
  changed[0].checksum = db::migration_checksum(changed[0].sql);
  changed.push_back(
      db::make_migration("9999_after_drift.sql", "CREATE TABLE after_drift (x int);"));

  BOOST_CHECK_EXCEPTION(db::migrate(*conn, changed), db::DbError, [](const db::DbError& e) {
    return message_contains(e, "migration 0001_connections was changed after it was applied");
  });
  BOOST_CHECK(!table_exists(*conn, "after_drift"));
}

BOOST_AUTO_TEST_CASE(failed_migration_leaves_no_trace) {
  TestDatabase database;
  auto conn = database.connect();
  std::vector<db::Migration> ms = db::embedded_migrations();
  ms.push_back(db::make_migration("9998_broken.sql",
                                  "CREATE TABLE half_done (x int);\n"
                                  "SELECT 1 / 0;\n"));

  BOOST_CHECK_EXCEPTION(db::migrate(*conn, ms), db::DbError, [](const db::DbError& e) {
    return message_contains(e, "migration 9998_broken failed: ") &&
           message_contains(e, "division by zero");
  });
  BOOST_CHECK(!table_exists(*conn, "half_done"));
  BOOST_CHECK_EQUAL(db::applied_migrations(*conn).size(), db::embedded_migrations().size());
}

BOOST_AUTO_TEST_CASE(concurrent_migrators_apply_each_version_once) {
  const auto& ms = db::embedded_migrations();
  const std::vector<int> all = versions(ms);
  for (int round = 0; round < 3; ++round) {
    TestDatabase database;
    std::unique_ptr<pqxx::connection> conns[2] = {database.connect(), database.connect()};
    db::MigrateReport reports[2];
    std::string errors[2];
    std::latch start(2);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        try {
          reports[i] = db::migrate(*conns[i], ms);
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      });
    }
    for (auto& t : threads) t.join();

    BOOST_CHECK_MESSAGE(errors[0].empty(), errors[0]);
    BOOST_CHECK_MESSAGE(errors[1].empty(), errors[1]);
    std::vector<int> applied = reports[0].applied;
    applied.insert(applied.end(), reports[1].applied.begin(), reports[1].applied.end());
    std::sort(applied.begin(), applied.end());
    BOOST_CHECK_EQUAL_COLLECTIONS(applied.begin(), applied.end(), all.begin(), all.end());
    for (const auto& r : reports) {
      BOOST_CHECK_EQUAL(r.applied.size() + r.already.size(), ms.size());
    }
    pqxx::read_transaction tx(*conns[0]);
    BOOST_CHECK_EQUAL(
        tx.exec1("SELECT count(*), count(DISTINCT version) FROM hookline_schema_migrations")[0]
            .as<std::size_t>(),
        ms.size());
  }
}
