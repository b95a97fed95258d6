// The cached consent check against Postgres: NOTIFY invalidation, TTL-only mode, the size
// bound, the STOP confirmation claim and failures
// (processors/gatekeeper/consent/consent_check.h).
#define BOOST_TEST_MODULE gatekeeper_consent_check
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include <pqxx/nontransaction>

#include "core/db/connection.h"
#include "core/db/migrations.h"
#include "processors/gatekeeper/consent/consent_check.h"
#include "processors/gatekeeper/consent/consent_ledger.h"
#include "tests/support/process.h"
#include "tests/support/test_database.h"

using namespace hookline;
using namespace hookline::gatekeeper;
using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

namespace {

const std::string kKey(32, '\x0b');
const std::string kAda = "+14155550100";

sender::SendRequest request(const std::string& address,
                            sender::Channel channel = sender::Channel::sms,
                            sender::Purpose purpose = sender::Purpose::marketing) {
  sender::SendRequest r;
  r.id = "req-1";
  r.tenant = "acme";
  r.connection = "twilio/main";
  r.channel = channel;
  r.purpose = purpose;
  r.address = address;
  return r;
}

struct Fixture {
  Fixture() : conn(db.connect()), ledger(*conn, db.url()) {
    db::migrate(*conn, db::embedded_migrations());
  }
  DatabaseConfig database() const { return DatabaseConfig{db.url(), 5s}; }
  ConsentCheckOptions options(bool listen, std::chrono::milliseconds ttl) {
    ConsentCheckOptions o;
    o.listen = listen;
    o.cache_ttl = ttl;
    o.pool_size = 2;
    o.listen_backoff_min = 50ms;
    o.listen_backoff_max = 200ms;
    o.on_lookup = [this](double seconds) {
      BOOST_TEST(seconds >= 0.0);
      ++lookups;
    };
    return o;
  }
  std::unique_ptr<ConsentChecker> checker(ConsentCheckOptions o) {
    return std::make_unique<ConsentChecker>(database(), ContactHasher(kKey), ConsentRules{},
                                            std::move(o));
  }
  // An entry appended on the fixture's own connection (not the checker's).
  void append(const std::string& address, const std::string& channel, ConsentStatus status,
              ConsentSource source, Scope scope, Clock::time_point at = Clock::now()) {
    ConsentEntry e;
    e.tenant = "acme";
    e.contact = normalize_contact(address);
    e.contact_hash = ContactHasher(kKey).hash("acme", address);
    e.channel = channel;
    e.status = status;
    e.scope = scope;
    e.source = source;
    e.reason = "test";
    e.occurred_at = at;
    e.recorded_by = "test";
    auto r = ledger.append(e);
    BOOST_REQUIRE_MESSAGE(r.ok() && *r, (r ? "not appended" : r.error().message));
  }
  static ConsentDecision decide(ConsentChecker& c, const sender::SendRequest& r) {
    auto d = c.check(r, Clock::now());
    BOOST_REQUIRE_MESSAGE(d.ok(), (d ? "" : d.error().message));
    return *d;
  }
  void terminate_other_backends() {
    pqxx::nontransaction tx(*conn);
    tx.exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  }

  test::TestDatabase db;
  std::unique_ptr<pqxx::connection> conn;
  ConsentLedger ledger;
  std::atomic<int> lookups{0};
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(channels_without_consent_never_touch_the_database, Fixture) {
  auto c = checker(options(false, 1h));
  append(kAda, "*", ConsentStatus::opted_out, ConsentSource::api, Scope::all);
  for (auto channel : {sender::Channel::slack, sender::Channel::webhook}) {
    const auto d = decide(*c, request("C123", channel));
    BOOST_TEST(d.allowed);
    BOOST_TEST(d.reason == "no_consent_required");
  }
  BOOST_TEST(lookups.load() == 0);
  BOOST_TEST(c->cached() == 0U);
}

BOOST_FIXTURE_TEST_CASE(a_change_from_another_connection_invalidates_the_cache, Fixture) {
  // A TTL far beyond the test: only a notification can explain a fresh answer.
  auto c = checker(options(true, 1h));
  BOOST_TEST_REQUIRE(test::eventually([&] { return c->listening(); }));

  auto d = decide(*c, request("+1 415 555 0100"));
  BOOST_TEST(!d.allowed);
  BOOST_TEST(d.reason == "no_opt_in");
  BOOST_TEST(c->cached() == 1U);
  const int after_first = lookups.load();
  BOOST_TEST(after_first == 1);
  BOOST_TEST(!decide(*c, request(kAda)).allowed);  // from the cache: the same contact
  BOOST_TEST(lookups.load() == after_first);

  append(kAda, "sms", ConsentStatus::opted_in, ConsentSource::api, Scope::marketing);
  BOOST_TEST(test::eventually([&] { return decide(*c, request(kAda)).allowed; }));
  BOOST_TEST(decide(*c, request(kAda)).reason == "opted_in");

  append(kAda, "sms", ConsentStatus::opted_out, ConsentSource::inbound_stop, Scope::all);
  BOOST_TEST(test::eventually([&] { return decide(*c, request(kAda)).reason == "stop_keyword"; }));
}

BOOST_FIXTURE_TEST_CASE(ttl_only_mode, Fixture) {
  auto stale = checker(options(false, 1h));
  BOOST_TEST(!stale->listening());
  BOOST_TEST(decide(*stale, request(kAda)).reason == "no_opt_in");
  append(kAda, "sms", ConsentStatus::opted_in, ConsentSource::api, Scope::marketing);
  // Without listening, the cached answer stands until its TTL ends or it is invalidated.
  BOOST_TEST(decide(*stale, request(kAda)).reason == "no_opt_in");
  stale->invalidate("acme", ContactHasher(kKey).hash("acme", kAda));
  BOOST_TEST(stale->cached() == 0U);
  BOOST_TEST(decide(*stale, request(kAda)).reason == "opted_in");

  // A short TTL: the next lookup after it sees the change.
  auto fresh = checker(options(false, 20ms));
  BOOST_TEST(decide(*fresh, request(kAda)).reason == "opted_in");
  append(kAda, "*", ConsentStatus::opted_out, ConsentSource::api, Scope::marketing);
  BOOST_TEST(test::eventually([&] { return decide(*fresh, request(kAda)).reason == "opted_out"; }));
}

BOOST_FIXTURE_TEST_CASE(the_cache_is_bounded_and_evicts_the_oldest, Fixture) {
  auto o = options(false, 1h);
  o.cache_entries = 2;
  auto c = checker(o);
  decide(*c, request("+10000000001"));
  decide(*c, request("+10000000002"));
  decide(*c, request("+10000000003"));
  BOOST_TEST(c->cached() == 2U);
  BOOST_TEST(lookups.load() == 3);
  decide(*c, request("+10000000003"));  // cached
  BOOST_TEST(lookups.load() == 3);
  decide(*c, request("+10000000001"));  // evicted: looked up again
  BOOST_TEST(lookups.load() == 4);
  BOOST_TEST(c->cached() == 2U);

  o.cache_entries = 0;  // no cache at all
  lookups = 0;
  auto uncached = checker(o);
  decide(*uncached, request(kAda));
  decide(*uncached, request(kAda));
  BOOST_TEST(lookups.load() == 2);
  BOOST_TEST(uncached->cached() == 0U);
}

BOOST_FIXTURE_TEST_CASE(one_stop_confirmation_per_stop, Fixture) {
  auto c = checker(options(true, 1h));
  append(kAda, "sms", ConsentStatus::opted_out, ConsentSource::inbound_stop, Scope::all);
  auto confirmation = request(kAda, sender::Channel::sms, sender::Purpose::transactional);
  confirmation.kind = sender::Kind::opt_out_confirmation;
  confirmation.id = "confirm-1";
  auto d = decide(*c, confirmation);
  BOOST_TEST(d.allowed);
  BOOST_TEST(d.reason == "stop_confirmation");
  BOOST_TEST(d.entry_id > 0);
  BOOST_TEST(decide(*c, confirmation).allowed);  // checked again (the sender's recheck)
  confirmation.id = "confirm-2";
  d = decide(*c, confirmation);
  BOOST_TEST(!d.allowed);
  BOOST_TEST(d.reason == "confirmation_already_sent");
  // An ordinary transactional message stays suppressed.
  d = decide(*c, request(kAda, sender::Channel::sms, sender::Purpose::transactional));
  BOOST_TEST(!d.allowed);
  BOOST_TEST(d.reason == "stop_keyword");
}

BOOST_FIXTURE_TEST_CASE(a_lost_listener_drops_the_cache_and_comes_back, Fixture) {
  auto c = checker(options(true, 1h));
  BOOST_TEST_REQUIRE(test::eventually([&] { return c->listening(); }));
  decide(*c, request(kAda));
  BOOST_TEST(c->cached() == 1U);

  terminate_other_backends();
  // The cache is only dropped when the listener noticed the loss (no change was made).
  BOOST_TEST(test::eventually([&] { return c->cached() == 0U && c->listening(); }));
  // The pool's connections were ended too: the check reconnects.
  BOOST_TEST(decide(*c, request(kAda)).reason == "no_opt_in");
  append(kAda, "sms", ConsentStatus::opted_in, ConsentSource::api, Scope::marketing);
  BOOST_TEST(test::eventually([&] { return decide(*c, request(kAda)).reason == "opted_in"; }));
}

BOOST_AUTO_TEST_CASE(unreachable_or_unmigrated_databases_are_refused) {
  const std::string url =
      "postgresql://hookline:pw-not-shown@127.0.0.1:" + std::to_string(test::closed_port()) +
      "/hookline";
  try {
    ConsentChecker c(DatabaseConfig{url, 2s}, ContactHasher(kKey), ConsentRules{});
    BOOST_FAIL("connected to a closed port");
  } catch (const db::DbError& e) {
    BOOST_TEST(std::string(e.what()).find("cannot connect to Postgres") != std::string::npos,
               e.what());
    BOOST_TEST(std::string(e.what()).find("pw-not-shown") == std::string::npos);
  }

  test::TestDatabase empty;
  try {
    ConsentChecker c(DatabaseConfig{empty.url(), 5s}, ContactHasher(kKey), ConsentRules{});
    BOOST_FAIL("accepted a database without the ledger");
  } catch (const db::DbError& e) {
    BOOST_TEST(std::string(e.what()).find("hookline db migrate") != std::string::npos, e.what());
  }
}
