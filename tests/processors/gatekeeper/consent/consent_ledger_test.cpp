// The consent ledger against Postgres: idempotent appends, a history that is never updated,
// current state, erase and the single STOP confirmation
// (processors/gatekeeper/consent/consent_ledger.h, migrations/0005_consent_ledger.sql).
#define BOOST_TEST_MODULE gatekeeper_consent_ledger
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <pqxx/nontransaction>
#include <pqxx/notification>
#include <pqxx/transaction>

#include "core/db/migrations.h"
#include "core/time_format.h"
#include "processors/gatekeeper/consent/consent_ledger.h"
#include "processors/gatekeeper/consent/consent_rules.h"
#include "processors/gatekeeper/consent/contact.h"
#include "tests/support/test_database.h"

using namespace hookline;
using namespace hookline::gatekeeper;
using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

namespace {

const ContactHasher kHasher(std::string(32, '\x09'));
const std::string kAda = "+14155550100";
const std::string kBob = "bob@example.com";
// A time with microseconds, as Postgres keeps them.
const Clock::time_point kT0 = Clock::time_point(std::chrono::microseconds(1763802301123457));

ConsentEntry entry(const std::string& contact, const std::string& channel, ConsentStatus status,
                   ConsentSource source, Clock::time_point at, const std::string& evidence = "",
                   Scope scope = Scope::all, const std::string& group = "") {
  ConsentEntry e;
  e.tenant = "acme";
  e.contact = normalize_contact(contact);
  e.contact_hash = kHasher.hash("acme", contact);
  e.channel = channel;
  e.status = status;
  e.scope = scope;
  e.source = source;
  e.reason = "test";
  e.group = group;
  e.evidence_event_id = evidence;
  e.occurred_at = at;
  e.recorded_by = "test";
  return e;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class Receiver : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& conn, const std::string& channel_name)
      : pqxx::notification_receiver(conn, channel_name) {}
  void operator()(const std::string& payload, int) override { payloads.push_back(payload); }
  std::vector<std::string> payloads;
};

struct Fixture {
  Fixture() : conn(db.connect()), ledger(*conn, db.url()) {
    db::migrate(*conn, db::embedded_migrations());
  }
  // The error message of `sql` run on a connection of its own ("" when it succeeds).
  std::string refusal(const std::string& sql) {
    auto other = db.connect();
    try {
      pqxx::work tx(*other);
      tx.exec(sql);
      tx.commit();
    } catch (const std::exception& e) {
      return e.what();
    }
    return "";
  }
  long long count(const std::string& sql) {
    pqxx::nontransaction tx(*conn);
    return tx.exec1(sql)[0].as<long long>();
  }
  std::vector<ConsentEntry> history(const std::string& contact) {
    auto h = ledger.history("acme", kHasher.hash("acme", contact));
    BOOST_REQUIRE_MESSAGE(h.ok(), (h ? "" : h.error().message));
    return *h;
  }
  std::int64_t append(const ConsentEntry& e) {
    auto r = ledger.append(e);
    BOOST_REQUIRE_MESSAGE(r.ok(), (r ? "" : r.error().message));
    BOOST_REQUIRE(*r);
    const auto h = history(*e.contact);
    std::int64_t id = 0;
    for (const auto& x : h) id = std::max(id, x.id);
    return id;
  }

  test::TestDatabase db;
  std::unique_ptr<pqxx::connection> conn;
  ConsentLedger ledger;
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(append_is_idempotent_by_evidence, Fixture) {
  const auto stop =
      entry(kAda, "sms", ConsentStatus::opted_out, ConsentSource::inbound_stop, kT0, "evt-1");
  auto first = ledger.append(stop);
  BOOST_REQUIRE_MESSAGE(first.ok(), (first ? "" : first.error().message));
  BOOST_TEST(*first);
  auto again = ledger.append(stop);
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(!*again);
  // The same event for another channel, group or contact is another change.
  auto other_channel = stop;
  other_channel.channel = "whatsapp";
  BOOST_TEST(*ledger.append(other_channel));
  auto other_group = stop;
  other_group.group = "news";
  BOOST_TEST(*ledger.append(other_group));
  BOOST_TEST(*ledger.append(
      entry(kBob, "email", ConsentStatus::opted_out, ConsentSource::bounce, kT0, "evt-1")));
  // Without evidence, every append is a row.
  const auto manual = entry(kAda, "sms", ConsentStatus::opted_in, ConsentSource::api, kT0);
  BOOST_TEST(*ledger.append(manual));
  BOOST_TEST(*ledger.append(manual));
  BOOST_TEST(history(kAda).size() == 5U);
  BOOST_TEST(count("SELECT count(*) FROM consent_ledger") == 6);
}

BOOST_FIXTURE_TEST_CASE(entries_read_back_with_every_field, Fixture) {
  auto e = entry(kAda, "sms", ConsentStatus::opted_out, ConsentSource::unsubscribe_link, kT0,
                 "evt-9", Scope::marketing, "news");
  e.reason = "group_unsubscribe";
  e.recorded_by = "hookline-gatekeeper";
  BOOST_REQUIRE(*ledger.append(e));
  const auto h = history(kAda);
  BOOST_TEST_REQUIRE(h.size() == 1U);
  const ConsentEntry& r = h.front();
  BOOST_TEST(r.id > 0);
  BOOST_TEST(r.tenant == "acme");
  BOOST_TEST(r.contact_hash == e.contact_hash);
  BOOST_TEST(r.contact.value_or("") == kAda);
  BOOST_TEST(r.channel == "sms");
  BOOST_TEST((r.status == ConsentStatus::opted_out));
  BOOST_TEST((r.scope == Scope::marketing));
  BOOST_TEST((r.source == ConsentSource::unsubscribe_link));
  BOOST_TEST(r.reason == "group_unsubscribe");
  BOOST_TEST(r.group == "news");
  BOOST_TEST(r.evidence_event_id == "evt-9");
  BOOST_TEST((r.occurred_at == kT0), rfc3339_ms(r.occurred_at));
  BOOST_TEST((Clock::now() - r.recorded_at < 1h));
  BOOST_TEST(r.recorded_by == "hookline-gatekeeper");
}

BOOST_FIXTURE_TEST_CASE(history_is_never_updated, Fixture) {
  append(entry(kAda, "sms", ConsentStatus::opted_out, ConsentSource::inbound_stop, kT0));
  std::string message = refusal("UPDATE consent_ledger SET status = 'opted_in'");
  BOOST_TEST(contains(message, "consent_ledger is a history: UPDATE is not allowed"), message);
  message = refusal("DELETE FROM consent_ledger");
  BOOST_TEST(contains(message, "consent_ledger is a history: DELETE is not allowed"), message);
  message = refusal("TRUNCATE consent_ledger CASCADE");
  BOOST_TEST(contains(message, "consent_ledger is a history: TRUNCATE is not allowed"), message);
  BOOST_TEST(count("SELECT count(*) FROM consent_ledger") == 1);

  // The erase's switch ends with its transaction: the same session cannot delete afterwards.
  BOOST_REQUIRE(ledger.erase("acme", kHasher.hash("acme", kAda), "ctl:alice").ok());
  try {
    pqxx::work tx(*conn);
    tx.exec("DELETE FROM consent_ledger");
    tx.commit();
    BOOST_FAIL("DELETE after an erase was not refused");
  } catch (const pqxx::sql_error& e) {
    BOOST_TEST(contains(e.what(), "DELETE is not allowed"), e.what());
  }
  BOOST_TEST(count("SELECT count(*) FROM consent_ledger") == 1);
}

BOOST_FIXTURE_TEST_CASE(the_table_checks_its_values, Fixture) {
  auto bad_hash = entry(kAda, "sms", ConsentStatus::opted_out, ConsentSource::api, kT0);
  bad_hash.contact_hash = "not-a-hash";
  auto r = ledger.append(bad_hash);
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST((r.error().kind == ErrorKind::permanent));
  BOOST_TEST(contains(r.error().message, "consent ledger append failed"), r.error().message);
  BOOST_TEST(!contains(r.error().message, "\n"));

  auto erasure_with_contact =
      entry(kAda, "*", ConsentStatus::opted_out, ConsentSource::erasure, kT0);
  BOOST_TEST(!ledger.append(erasure_with_contact).ok());
  auto bad_channel = entry(kAda, "SMS", ConsentStatus::opted_out, ConsentSource::api, kT0);
  BOOST_TEST(!ledger.append(bad_channel).ok());
  auto slash_tenant = entry(kAda, "sms", ConsentStatus::opted_out, ConsentSource::api, kT0);
  slash_tenant.tenant = "a/b";
  BOOST_TEST(!ledger.append(slash_tenant).ok());
}

BOOST_FIXTURE_TEST_CASE(current_is_the_newest_per_channel_scope_and_group, Fixture) {
  const auto in = ConsentStatus::opted_in;
  const auto out = ConsentStatus::opted_out;
  const auto marketing =
      append(entry(kAda, "sms", in, ConsentSource::api, kT0, "", Scope::marketing));
  const auto stop = append(entry(kAda, "sms", out, ConsentSource::inbound_stop, kT0 + 1h));
  const auto start = append(entry(kAda, "sms", in, ConsentSource::inbound_start, kT0 + 2h));
  // Recorded later but occurred earlier: not current.
  append(entry(kAda, "sms", out, ConsentSource::inbound_stop, kT0 + 30min));
  const auto news = append(
      entry(kAda, "sms", out, ConsentSource::unsubscribe_link, kT0, "", Scope::marketing, "news"));
  const auto global = append(entry(kAda, "*", out, ConsentSource::api, kT0, "", Scope::marketing));
  append(entry(kBob, "email", out, ConsentSource::bounce, kT0 + 3h));

  auto current = ledger.current("acme", kHasher.hash("acme", kAda));
  BOOST_TEST_REQUIRE(current.ok());
  std::vector<std::int64_t> ids;
  for (const auto& e : *current) ids.push_back(e.id);
  // Ordered by channel, scope, group: "*" sorts before "sms".
  const std::vector<std::int64_t> want{global, start, marketing, news};
  BOOST_TEST(ids == want, boost::test_tools::per_element());
  BOOST_TEST((std::find(ids.begin(), ids.end(), stop) == ids.end()));

  // The history, oldest first by occurrence.
  const auto h = history(kAda);
  BOOST_TEST_REQUIRE(h.size() == 6U);
  for (std::size_t i = 1; i < h.size(); ++i) BOOST_TEST((h[i - 1].occurred_at <= h[i].occurred_at));
  BOOST_TEST(h.back().id == start);

  // Another tenant's contact of the same address is another contact.
  auto none = ledger.current("other", kHasher.hash("other", kAda));
  BOOST_TEST_REQUIRE(none.ok());
  BOOST_TEST(none->empty());
}

BOOST_FIXTURE_TEST_CASE(erase_leaves_only_a_hashed_suppression, Fixture) {
  const auto stop =
      append(entry(kAda, "sms", ConsentStatus::opted_out, ConsentSource::inbound_stop, kT0, "e1"));
  append(
      entry(kAda, "email", ConsentStatus::opted_in, ConsentSource::api, kT0, "", Scope::marketing));
  append(
      entry(kBob, "email", ConsentStatus::opted_in, ConsentSource::api, kT0, "", Scope::marketing));
  BOOST_REQUIRE(*ledger.claim_confirmation(stop, "req-1"));

  const std::string hash = kHasher.hash("acme", kAda);
  auto removed = ledger.erase("acme", hash, "ctl:alice",
                              AuditNote{"ctl:alice", "consent.erase", R"({"tenant":"acme"})"});
  BOOST_REQUIRE_MESSAGE(removed.ok(), (removed ? "" : removed.error().message));
  BOOST_TEST(*removed == 2U);

  const auto h = history(kAda);
  BOOST_TEST_REQUIRE(h.size() == 1U);
  BOOST_TEST(!h.front().contact.has_value());
  BOOST_TEST(h.front().contact_hash == hash);
  BOOST_TEST(h.front().channel == "*");
  BOOST_TEST((h.front().status == ConsentStatus::opted_out));
  BOOST_TEST((h.front().scope == Scope::all));
  BOOST_TEST((h.front().source == ConsentSource::erasure));
  BOOST_TEST(h.front().reason == "erased");
  BOOST_TEST(h.front().recorded_by == "ctl:alice");
  BOOST_TEST(count("SELECT count(*) FROM consent_ledger WHERE contact = '" + kAda + "'") == 0);
  BOOST_TEST(count("SELECT count(*) FROM consent_confirmations") == 0);
  BOOST_TEST(history(kBob).size() == 1U);  // other contacts stay
  BOOST_TEST(count("SELECT count(*) FROM audit_log WHERE action = 'consent.erase' AND subject = '" +
                   hash + "' AND details = '{\"tenant\": \"acme\", \"removed\": 2}'::jsonb") == 1);

  // The erased contact stays suppressed, for every channel and purpose.
  auto current = ledger.current("acme", hash);
  BOOST_TEST_REQUIRE(current.ok());
  sender::SendRequest r;
  r.channel = sender::Channel::email;
  r.purpose = sender::Purpose::transactional;
  const auto d = evaluate_consent(ConsentRules{}, r, *current, Clock::now());
  BOOST_TEST(!d.allowed);
  BOOST_TEST(d.reason == "erased");

  // Erasing again keeps one suppression entry.
  removed = ledger.erase("acme", hash, "ctl:alice");
  BOOST_REQUIRE(removed.ok());
  BOOST_TEST(*removed == 1U);
  BOOST_TEST(history(kAda).size() == 1U);
}

BOOST_FIXTURE_TEST_CASE(claim_confirmation_once_per_stop, Fixture) {
  const auto stop =
      append(entry(kAda, "sms", ConsentStatus::opted_out, ConsentSource::inbound_stop, kT0, "e1"));
  auto first = ledger.claim_confirmation(stop, "req-1");
  BOOST_REQUIRE_MESSAGE(first.ok(), (first ? "" : first.error().message));
  BOOST_TEST(*first);
  BOOST_TEST(*ledger.claim_confirmation(stop, "req-1"));   // the same request keeps its claim
  BOOST_TEST(!*ledger.claim_confirmation(stop, "req-2"));  // another one does not get it
  auto missing = ledger.claim_confirmation(stop + 1000, "req-3");
  BOOST_REQUIRE(missing.ok());
  BOOST_TEST(!*missing);
  BOOST_TEST(count("SELECT count(*) FROM consent_confirmations") == 1);
}

BOOST_FIXTURE_TEST_CASE(appends_write_audit_rows_once_and_notify, Fixture) {
  auto listener = db.connect();
  Receiver rx(*listener, kConsentNotificationChannel);
  const auto e = entry(kAda, "sms", ConsentStatus::opted_in, ConsentSource::api, kT0, "evt-7",
                       Scope::marketing);
  const AuditNote note{"ctl:alice", "consent.set", R"({"channel":"sms"})"};
  BOOST_TEST(*ledger.append(e, note));
  BOOST_TEST(!*ledger.append(e, note));
  BOOST_TEST(count("SELECT count(*) FROM audit_log WHERE action = 'consent.set' AND subject = '" +
                   e.contact_hash + "' AND actor = 'ctl:alice'") == 1);
  BOOST_TEST(count("SELECT count(*) FROM audit_log WHERE details::text LIKE '%4155550100%'") == 0);

  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (rx.payloads.empty() && std::chrono::steady_clock::now() < deadline) {
    listener->await_notification(0, 200000);
  }
  BOOST_TEST_REQUIRE(rx.payloads.size() == 1U);
  BOOST_TEST(rx.payloads.front() == "acme/" + e.contact_hash);
}

BOOST_FIXTURE_TEST_CASE(a_busy_server_is_retriable, Fixture) {
  // Another session holds the ledger; this one gives up waiting for it after 100 ms.
  auto other = db.connect();
  pqxx::work holder(*other);
  holder.exec("LOCK TABLE consent_ledger IN ACCESS EXCLUSIVE MODE");
  {
    pqxx::nontransaction tx(*conn);
    tx.exec("SET lock_timeout = '100ms'");
  }
  auto r = ledger.current("acme", kHasher.hash("acme", kAda));
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST((r.error().kind == ErrorKind::retriable), r.error().message);
  BOOST_TEST(contains(r.error().message, "consent ledger lookup failed"), r.error().message);
  BOOST_TEST(!contains(r.error().message, "\n"));
  auto w = ledger.append(entry(kAda, "sms", ConsentStatus::opted_in, ConsentSource::api, kT0));
  BOOST_TEST_REQUIRE(!w.ok());
  BOOST_TEST((w.error().kind == ErrorKind::retriable), w.error().message);
  holder.abort();
  BOOST_TEST(ledger.current("acme", kHasher.hash("acme", kAda)).ok());
}
