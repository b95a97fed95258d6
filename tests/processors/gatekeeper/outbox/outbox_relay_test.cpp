// The outbox relay on Postgres and the dev broker: committed rows are published and rolled-back
// ones never are, in id order per connection, exactly once across a restart and a broker outage,
// and an invalid payload is set aside without blocking the rows behind it.
#define BOOST_TEST_MODULE gatekeeper_outbox_relay
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

#include "core/db/migrations.h"
#include "core/kafka/producer.h"
#include "processors/gatekeeper/outbox/outbox_relay.h"
#include "tests/support/dev_broker.h"
#include "tests/support/process.h"
#include "tests/support/test_database.h"
#include "tests/support/topic_reader.h"

using namespace hookline;
using namespace std::chrono_literals;
using gatekeeper::OutboxRelay;
using gatekeeper::OutboxRelayOptions;

namespace {

constexpr const char* kTopic = "outbound.requests";

std::string request_json(const std::string& id, const std::string& connection) {
  return R"({"schema_version":1,"id":")" + id + R"(","tenant":"acme","connection":")" + connection +
         R"(","channel":"email","purpose":"transactional",)"
         R"("contact":{"id":"c-1","address":"ada@example.com"},"content":{"text":"Hello"}})";
}

// Runs the relay's loop on a thread until stopped (or destroyed).
class RelayThread {
 public:
  explicit RelayThread(OutboxRelay& relay) : thread_([this, &relay] { relay.run(stop_); }) {}
  ~RelayThread() { stop(); }
  void stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

struct Fixture {
  Fixture() : conn(db.connect()) {
    db::migrate(*conn, db::embedded_migrations());
    producer = make_producer({});
  }
  std::unique_ptr<kafka::Producer> make_producer(kafka::Properties defaults) {
    kafka::Producer::Options o;
    o.client_id = "outbox-relay-test";
    o.defaults = std::move(defaults);
    return kafka::Producer::create(broker.kafka_config(), o);
  }
  DatabaseConfig database() const { return DatabaseConfig{db.url(), 5s}; }

  // Inserts the payloads in one transaction, committed or rolled back; returns their ids.
  std::vector<std::int64_t> insert(const std::vector<std::string>& payloads, bool commit = true) {
    pqxx::work tx(*conn);
    std::vector<std::int64_t> ids;
    for (const auto& p : payloads) {
      ids.push_back(
          tx.exec_params1("INSERT INTO outbound_outbox (payload) VALUES ($1) RETURNING id", p)[0]
              .as<std::int64_t>());
    }
    if (commit) {
      tx.commit();
    } else {
      tx.abort();
    }
    return ids;
  }
  // Requests req-<first>..req-<first+count-1> for the connection, in batches of 100 per
  // transaction.
  std::vector<std::int64_t> insert_requests(int first, int count, const std::string& connection) {
    std::vector<std::int64_t> ids;
    for (int start = first; start < first + count; start += 100) {
      std::vector<std::string> payloads;
      for (int i = start; i < std::min(first + count, start + 100); ++i) {
        payloads.push_back(request_json("req-" + std::to_string(i), connection));
      }
      auto batch = insert(payloads);
      ids.insert(ids.end(), batch.begin(), batch.end());
    }
    return ids;
  }
  std::int64_t count(const std::string& where) {
    pqxx::nontransaction tx(*conn);
    return tx.exec1("SELECT count(*) FROM outbound_outbox WHERE " + where)[0].as<std::int64_t>();
  }
  std::int64_t unpublished() { return count("published_at IS NULL"); }

  test::TestDatabase db;
  std::unique_ptr<pqxx::connection> conn;
  test::DevBroker broker;
  std::unique_ptr<kafka::Producer> producer;
};

OutboxRelayOptions quick(std::size_t batch = 500) {
  OutboxRelayOptions o;
  o.batch = batch;
  o.poll_interval = 50ms;
  o.backoff_min = 50ms;
  o.backoff_max = 500ms;
  return o;
}

// Outbox row ids of the records, in topic order, per record key.
std::map<std::string, std::vector<std::int64_t>> ids_by_key(
    const std::vector<test::ReadRecord>& records) {
  std::map<std::string, std::vector<std::int64_t>> out;
  for (const auto& r : records) {
    out[r.key.value_or("")].push_back(std::stoll(r.header(gatekeeper::kOutboxIdHeader)));
  }
  return out;
}

// Every record arrived once, each key's records in id order on one partition.
void check_once_in_order(const std::vector<test::ReadRecord>& records,
                         const std::map<std::string, std::vector<std::int64_t>>& expected) {
  std::map<std::string, std::set<std::int32_t>> partitions;
  for (const auto& r : records) partitions[r.key.value_or("")].insert(r.partition);
  const auto got = ids_by_key(records);
  BOOST_TEST(got.size() == expected.size());
  for (const auto& [key, ids] : expected) {
    BOOST_TEST_CONTEXT(key) {
      const auto it = got.find(key);
      BOOST_TEST_REQUIRE((it != got.end()));
      BOOST_TEST(it->second == ids, boost::test_tools::per_element());
      BOOST_TEST(partitions[key].size() == 1U);
    }
  }
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(committed_rows_are_published_rolled_back_ones_never, Fixture) {
  const auto first = insert({request_json("a-1", "resend/main"), request_json("a-2", "twilio/eu")});
  insert({request_json("rolled-1", "resend/main"), request_json("rolled-2", "resend/main")}, false);
  OutboxRelayOptions o = quick();
  o.poll_interval = 1h;  // after the first round only a notification can start one
  OutboxRelay relay(database(), *producer, o);
  RelayThread thread(relay);
  BOOST_REQUIRE(test::eventually([&] { return relay.stats().published == 2; }));

  // Inserted while the relay waits: the insert trigger's NOTIFY wakes it.
  const auto later = insert({request_json("a-3", "resend/main")});
  insert({request_json("rolled-3", "resend/main")}, false);
  BOOST_REQUIRE(test::eventually([&] { return relay.stats().published == 3; }));
  thread.stop();

  BOOST_TEST(unpublished() == 0);
  BOOST_TEST(count("true") == 3);
  BOOST_TEST(count("failed_reason IS NOT NULL") == 0);
  const auto records = test::read_topic(broker.bootstrap(), kTopic);
  BOOST_TEST_REQUIRE(records.size() == 3U);
  std::map<std::string, std::string> key_of_id;
  for (const auto& r : records) {
    BOOST_TEST(r.value.find("rolled") == std::string::npos);
    key_of_id[r.header(gatekeeper::kOutboxIdHeader)] = r.key.value_or("");
  }
  BOOST_TEST(key_of_id[std::to_string(first[0])] == "resend/main");
  BOOST_TEST(key_of_id[std::to_string(first[1])] == "twilio/eu");
  BOOST_TEST(key_of_id[std::to_string(later[0])] == "resend/main");
  const auto stats = relay.stats();
  BOOST_TEST(stats.invalid == 0U);
  BOOST_TEST(stats.lag_seconds == 0.0);
}

BOOST_FIXTURE_TEST_CASE(rows_arrive_in_id_order_per_connection, Fixture) {
  // One connection: 300 rows on its partition in id order.
  const auto single = insert_requests(0, 300, "resend/main");
  OutboxRelay relay(database(), *producer, quick(64));
  std::size_t published = 0;
  while (unpublished() > 0) {
    auto n = relay.run_once();
    BOOST_REQUIRE_MESSAGE(n.ok(), (n.ok() ? "" : n.error().message));
    published += *n;
  }
  BOOST_TEST(published == 300U);
  check_once_in_order(test::read_topic(broker.bootstrap(), kTopic), {{"resend/main", single}});

  // Several connections, interleaved row by row.
  const std::vector<std::string> connections = {"resend/main", "twilio/eu", "sendgrid/news",
                                                "slack/ops"};
  std::map<std::string, std::vector<std::int64_t>> expected{{"resend/main", single}};
  for (int round = 0; round < 5; ++round) {
    std::vector<std::string> payloads;
    std::vector<std::string> keys;
    for (int i = 0; i < 40; ++i) {
      const std::string& c = connections[static_cast<std::size_t>(i) % connections.size()];
      payloads.push_back(
          request_json("multi-" + std::to_string(round) + "-" + std::to_string(i), c));
      keys.push_back(c);
    }
    const auto ids = insert(payloads);
    for (std::size_t i = 0; i < ids.size(); ++i) expected[keys[i]].push_back(ids[i]);
  }
  RelayThread thread(relay);
  BOOST_REQUIRE(test::eventually([&] { return unpublished() == 0; }));
  thread.stop();
  check_once_in_order(test::read_topic(broker.bootstrap(), kTopic), expected);
}

BOOST_FIXTURE_TEST_CASE(a_restart_in_the_middle_of_a_backlog_publishes_every_row_once, Fixture) {
  std::map<std::string, std::vector<std::int64_t>> expected;
  expected["resend/main"] = insert_requests(0, 2000, "resend/main");
  expected["twilio/eu"] = insert_requests(2000, 1000, "twilio/eu");

  std::atomic<bool> stop{false};
  OutboxRelayOptions o = quick(100);
  std::uint64_t seen = 0;
  o.on_round = [&](const gatekeeper::OutboxRound& r) {
    seen += r.published;
    if (seen >= 1000) stop.store(true);  // run() returns after this round
  };
  {
    OutboxRelay first(database(), *producer, o);
    std::thread t([&] { first.run(stop); });
    t.join();
    BOOST_TEST(first.stats().published == seen);
  }
  BOOST_TEST(seen >= 1000U);
  BOOST_TEST(unpublished() == 3000 - static_cast<std::int64_t>(seen));
  BOOST_TEST_REQUIRE(unpublished() > 0);

  OutboxRelay second(database(), *producer, quick(100));
  RelayThread thread(second);
  BOOST_REQUIRE(test::eventually([&] { return unpublished() == 0; }, 60s));
  thread.stop();
  BOOST_TEST(second.stats().published == 3000U - seen);
  check_once_in_order(test::read_topic(broker.bootstrap(), kTopic), expected);
}

BOOST_FIXTURE_TEST_CASE(two_relays_take_turns_without_duplicates, Fixture) {
  std::map<std::string, std::vector<std::int64_t>> expected;
  expected["resend/main"] = insert_requests(0, 1000, "resend/main");
  expected["twilio/eu"] = insert_requests(1000, 1000, "twilio/eu");
  auto other_producer = make_producer({});
  OutboxRelay a(database(), *producer, quick(50));
  OutboxRelay b(database(), *other_producer, quick(50));
  {
    RelayThread ta(a);
    RelayThread tb(b);
    BOOST_REQUIRE(test::eventually([&] { return unpublished() == 0; }, 60s));
  }
  BOOST_TEST(a.stats().published + b.stats().published == 2000U);
  check_once_in_order(test::read_topic(broker.bootstrap(), kTopic), expected);
}

BOOST_FIXTURE_TEST_CASE(nothing_is_marked_published_while_the_broker_is_down, Fixture) {
  auto impatient = make_producer({{"message.timeout.ms", "1500"}});
  const auto before = insert_requests(0, 10, "resend/main");
  OutboxRelay relay(database(), *impatient, quick(100));
  BOOST_REQUIRE(relay.run_once().ok());
  BOOST_REQUIRE(unpublished() == 0);

  BOOST_REQUIRE(broker.control("all", "down"));
  std::map<std::string, std::vector<std::int64_t>> expected;
  expected["resend/main"] = before;
  const auto during = insert_requests(10, 150, "resend/main");
  expected["resend/main"].insert(expected["resend/main"].end(), during.begin(), during.end());
  expected["twilio/eu"] = insert_requests(160, 50, "twilio/eu");
  {
    RelayThread thread(relay);
    // Rounds fail (the delivery reports are errors) and mark nothing.
    BOOST_REQUIRE(test::eventually([&] { return relay.stats().failed_rounds >= 1; }, 60s));
    BOOST_TEST(unpublished() == 200);
    BOOST_TEST(relay.stats().published == 10U);
    BOOST_TEST(relay.stats().lag_seconds > 0.0);

    BOOST_REQUIRE(broker.control("all", "up"));
    BOOST_REQUIRE(test::eventually([&] { return unpublished() == 0; }, 60s));
  }
  BOOST_TEST(relay.stats().published == 210U);
  check_once_in_order(test::read_topic(broker.bootstrap(), kTopic), expected);
}

BOOST_FIXTURE_TEST_CASE(an_invalid_payload_is_set_aside_and_blocks_nothing, Fixture) {
  const auto ids = insert({request_json("ok-1", "resend/main"), "not json at all",
                           R"({"schema_version":1,"id":"no-connection","tenant":"acme"})",
                           request_json("ok-2", "resend/main")});
  OutboxRelay relay(database(), *producer, quick());
  auto n = relay.run_once();
  BOOST_REQUIRE_MESSAGE(n.ok(), (n.ok() ? "" : n.error().message));
  BOOST_TEST(*n == 2U);
  BOOST_TEST(relay.stats().invalid == 2U);
  BOOST_TEST(unpublished() == 0);

  pqxx::nontransaction tx(*conn);
  const auto rows = tx.exec(
      "SELECT id, failed_reason FROM outbound_outbox WHERE failed_reason IS NOT NULL "
      "ORDER BY id");
  BOOST_TEST_REQUIRE(rows.size() == 2U);
  BOOST_TEST(rows[0][0].as<std::int64_t>() == ids[1]);
  BOOST_TEST(rows[1][0].as<std::int64_t>() == ids[2]);
  for (const auto& row : rows) {
    const auto reason = row[1].as<std::string>();
    BOOST_TEST(!reason.empty());
    BOOST_TEST(reason.find('\n') == std::string::npos);
  }
  BOOST_TEST(rows[0][1].as<std::string>().find("not JSON") != std::string::npos,
             rows[0][1].as<std::string>());
  BOOST_TEST(rows[1][1].as<std::string>().find("required") != std::string::npos,
             rows[1][1].as<std::string>());
  const auto records = test::read_topic(broker.bootstrap(), kTopic);
  check_once_in_order(records, {{"resend/main", {ids[0], ids[3]}}});
}

BOOST_AUTO_TEST_CASE(an_unreachable_database_is_an_error_not_a_crash) {
  KafkaConfig kafka;  // never reached: the database fails first
  kafka.bootstrap = "127.0.0.1:" + std::to_string(test::closed_port());
  auto producer = kafka::Producer::create(kafka, {});
  const DatabaseConfig nowhere{
      "postgresql://hookline:secret-pw@127.0.0.1:" + std::to_string(test::closed_port()) + "/none",
      1s};
  OutboxRelay relay(nowhere, *producer, quick());
  auto n = relay.run_once();
  BOOST_REQUIRE(!n.ok());
  BOOST_TEST(n.error().retriable());
  BOOST_TEST(n.error().message.find("secret-pw") == std::string::npos, n.error().message);
  BOOST_TEST(relay.stats().db_failures == 1U);
  BOOST_TEST(!relay.stats().connected);

  // run() keeps trying until stopped.
  OutboxRelayOptions o = quick();
  OutboxRelay looping(nowhere, *producer, o);
  {
    RelayThread thread(looping);
    BOOST_REQUIRE(test::eventually([&] { return looping.stats().db_failures >= 2; }));
  }
  BOOST_TEST(looping.stats().published == 0U);
}
