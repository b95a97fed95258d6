#define BOOST_TEST_MODULE ingest_registry_follower
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <string>

#include <pqxx/nontransaction>

#include "core/crypto/aes_gcm.h"
#include "core/db/migrations.h"
#include "ingest/registry/connection_store.h"
#include "ingest/registry/follower.h"
#include "tests/support/process.h"
#include "tests/support/test_database.h"

using namespace hookline;
using namespace std::chrono_literals;
using ingest::Registry;
using ingest::RegistryFollower;

namespace {

using Steady = std::chrono::steady_clock;

// Only notifications (or a reconnect) can explain a change seen within a test.
ingest::FollowerOptions no_poll() {
  ingest::FollowerOptions o;
  o.poll_interval = std::chrono::hours(1);
  o.backoff_min = 50ms;
  o.backoff_max = 200ms;
  return o;
}

ingest::NewConnection stripe(std::string id, std::string secret) {
  ingest::NewConnection c;
  c.provider = "stripe";
  c.id = std::move(id);
  c.secret = std::move(secret);
  return c;
}

struct Fixture {
  Fixture() : conn(db.connect()), box(crypto::AesKey::generate()), store(*conn, box, "tester") {
    db::migrate(*conn, db::embedded_migrations());
  }
  DatabaseConfig database() const { return DatabaseConfig{db.url(), 5s}; }
  // Ends every session on the test database but the caller's.
  void terminate_other_backends() {
    pqxx::nontransaction tx(*conn);
    tx.exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  }
  test::TestDatabase db;
  std::unique_ptr<pqxx::connection> conn;
  ingest::SecretBox box;
  ingest::ConnectionStore store;
};

template <class F>
std::chrono::milliseconds timed(F&& f) {
  const auto start = Steady::now();
  f();
  return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - start);
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(follows_changes_without_restart, Fixture) {
  store.add(stripe("main", "whsec_1"));
  Registry registry;
  RegistryFollower follower(database(), box, registry, no_poll());
  BOOST_REQUIRE(follower.load_once().ok());
  BOOST_TEST(registry.loaded());
  BOOST_TEST(registry.size() == 1U);
  BOOST_TEST(follower.reloads() == 1U);
  BOOST_TEST((std::chrono::system_clock::now() - follower.last_success() < 60s));

  follower.start();
  BOOST_REQUIRE(test::eventually([&] { return follower.connected(); }, 10s));

  store.add(stripe("eu", "whsec_eu"));
  BOOST_REQUIRE(test::eventually([&] { return registry.find("stripe", "eu") != nullptr; }, 10s));
  BOOST_TEST(registry.find("stripe", "eu")->credentials.secrets.front() == "whsec_eu");

  store.set_enabled("stripe", "main", false);
  BOOST_REQUIRE(test::eventually([&] { return !registry.find("stripe", "main")->enabled; }, 10s));

  store.rotate("stripe", "main", {.new_secret = "whsec_2"});
  BOOST_REQUIRE(test::eventually(
      [&] { return registry.find("stripe", "main")->credentials.secrets.size() == 2; }, 10s));
  BOOST_TEST(registry.find("stripe", "main")->credentials.secrets.front() == "whsec_2");

  // A burst of changes is coalesced: far fewer reloads than changes.
  const auto before = follower.reloads();
  for (int i = 0; i < 20; ++i) store.add(stripe("burst" + std::to_string(i), "s"));
  BOOST_REQUIRE(test::eventually([&] { return registry.size() == 22U; }, 10s));
  BOOST_TEST(follower.reloads() - before < 20U);
  BOOST_TEST(follower.failures() == 0U);

  const auto took = timed([&] { follower.stop(); });
  BOOST_TEST(took < 2s, "stop took " << took.count() << " ms");
  BOOST_TEST(!follower.connected());
  BOOST_TEST(registry.size() == 22U);  // the snapshot stays
}

BOOST_FIXTURE_TEST_CASE(survives_a_dropped_connection_and_reconnects, Fixture) {
  store.add(stripe("main", "whsec_1"));
  Registry registry;
  RegistryFollower follower(database(), box, registry, no_poll());
  follower.start();
  BOOST_REQUIRE(test::eventually([&] { return follower.connected() && registry.loaded(); }, 10s));

  terminate_other_backends();
  BOOST_REQUIRE(test::eventually([&] { return follower.failures() >= 1U; }, 10s));
  BOOST_TEST(registry.find("stripe", "main") != nullptr);  // still serving

  // Back again: a change made after the reconnect is seen.
  BOOST_REQUIRE(test::eventually([&] { return follower.connected(); }, 10s));
  store.add(stripe("after", "s"));
  BOOST_REQUIRE(test::eventually([&] { return registry.find("stripe", "after") != nullptr; }, 10s));
  follower.stop();
}

BOOST_FIXTURE_TEST_CASE(keeps_the_last_snapshot_when_the_database_is_gone, Fixture) {
  store.add(stripe("main", "whsec_1"));
  Registry registry;
  RegistryFollower follower(database(), box, registry, no_poll());
  follower.start();
  BOOST_REQUIRE(test::eventually([&] { return follower.connected() && registry.loaded(); }, 10s));

  conn.reset();
  {
    pqxx::connection admin(test::test_server_url());
    pqxx::nontransaction tx(admin);
    tx.exec0("DROP DATABASE " + db.name() + " WITH (FORCE)");
  }
  const auto failures = follower.failures();
  BOOST_REQUIRE(test::eventually([&] { return follower.failures() >= failures + 2; }, 10s));
  BOOST_TEST(!follower.connected());
  BOOST_TEST(registry.loaded());
  auto c = registry.find("stripe", "main");
  BOOST_REQUIRE(c != nullptr);
  BOOST_TEST(c->credentials.secrets.front() == "whsec_1");
  BOOST_TEST(!follower.load_once().ok());
  BOOST_TEST(registry.size() == 1U);

  const auto took = timed([&] { follower.stop(); });
  BOOST_TEST(took < 2s, "stop took " << took.count() << " ms");
}

BOOST_AUTO_TEST_CASE(unreachable_postgres_keeps_what_the_registry_has) {
  const std::string url =
      "postgresql://hookline:s3cret@127.0.0.1:" + std::to_string(test::closed_port()) + "/hookline";
  Registry registry;
  ingest::Connection known;
  known.provider = "stripe";
  known.id = "main";
  registry.replace({known});
  ingest::FollowerOptions options = no_poll();
  options.backoff_max = 30s;  // stop() must not wait out a long backoff
  RegistryFollower follower(DatabaseConfig{url, 2s}, ingest::SecretBox(crypto::AesKey::generate()),
                            registry, options);
  const Status status = follower.load_once();
  BOOST_REQUIRE(!status.ok());
  BOOST_TEST(status.error().retriable());
  BOOST_TEST(status.error().message.find("cannot load the connection registry") == 0U,
             status.error().message);
  BOOST_TEST(status.error().message.find("s3cret") == std::string::npos);

  follower.start();
  BOOST_REQUIRE(test::eventually([&] { return follower.failures() >= 4U; }, 10s));
  BOOST_TEST(follower.reloads() == 0U);
  BOOST_TEST(registry.find("stripe", "main") != nullptr);
  const auto took = timed([&] { follower.stop(); });
  BOOST_TEST(took < 1s, "stop took " << took.count() << " ms");
  follower.stop();  // idempotent
}

BOOST_AUTO_TEST_CASE(keepalives_are_added_in_the_urls_own_syntax) {
  BOOST_TEST(ingest::with_keepalives("") == "");
  BOOST_TEST(ingest::with_keepalives("postgresql://h/db") ==
             "postgresql://h/db?keepalives=1&keepalives_idle=10&keepalives_interval=5&"
             "keepalives_count=3");
  BOOST_TEST(ingest::with_keepalives("postgresql://h/db?sslmode=require") ==
             "postgresql://h/db?sslmode=require&keepalives=1&keepalives_idle=10&"
             "keepalives_interval=5&keepalives_count=3");
  BOOST_TEST(ingest::with_keepalives("host=h dbname=db") ==
             "host=h dbname=db keepalives=1 keepalives_idle=10 keepalives_interval=5 "
             "keepalives_count=3");
  BOOST_TEST(ingest::with_keepalives("postgresql://h/db?keepalives_idle=60") ==
             "postgresql://h/db?keepalives_idle=60");
}
