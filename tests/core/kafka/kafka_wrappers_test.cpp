// The librdkafka RAII wrappers against a real dev broker (mock cluster over TCP).
#define BOOST_TEST_MODULE kafka_wrappers
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include "core/kafka/admin.h"
#include "core/kafka/consumer.h"
#include "core/kafka/producer.h"
#include "core/kafka/transactional_producer.h"
#include "tests/support/dev_broker.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

struct Broker {
  test::TempDir dir;
  std::unique_ptr<test::DevBroker> broker;
  Broker() {
    auto topo = test::write_topology(dir, "topics.json",
                                     {{"t.one", 1}, {"t.six", 6}, {"t.in", 3}, {"t.out", 3}});
    broker = std::make_unique<test::DevBroker>(topo);
  }
};

kafka::Consumer::Options group(const std::string& id, kafka::RebalanceHooks hooks = {}) {
  kafka::Consumer::Options o;
  o.group_id = id;
  o.client_id = id;
  o.hooks = std::move(hooks);
  return o;
}

// Reads until `n` records arrived or the deadline passed.
std::vector<kafka::Message> read_n(kafka::Consumer& c, size_t n,
                                   std::chrono::milliseconds timeout = 30s) {
  std::vector<kafka::Message> out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out.size() < n && std::chrono::steady_clock::now() < deadline) {
    auto r = c.poll(100ms);
    if (r && r->has_value()) out.push_back(std::move(**r));
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(produce_acks_all_and_read_back) {
  Broker b;
  auto producer = kafka::Producer::create(b.broker->kafka_config(), {});
  kafka::Headers headers{{"hookline-provider", "stripe"}, {"empty", ""}};
  std::string binary("a\0b\xff", 4);
  for (int i = 0; i < 50; ++i) {
    std::string key = "k" + std::to_string(i);
    std::string value = binary + std::to_string(i);
    auto r = producer->produce_sync({"t.one", key, value, &headers}, 10s);
    BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    BOOST_CHECK_EQUAL(r->offset, i);
  }
  // acks=all and idempotence are required, whatever the user configures.
  char buf[64];
  size_t len = sizeof buf;
  BOOST_REQUIRE_EQUAL(rd_kafka_conf_get(rd_kafka_conf(producer->handle()), "acks", buf, &len),
                      RD_KAFKA_CONF_OK);
  BOOST_CHECK(std::string(buf) == "all" || std::string(buf) == "-1");
  producer->close();

  auto consumer = kafka::Consumer::create(b.broker->kafka_config(), group("readback"));
  BOOST_REQUIRE(consumer->subscribe({"t.one"}).ok());
  auto msgs = read_n(*consumer, 50);
  BOOST_REQUIRE_EQUAL(msgs.size(), 50u);
  for (int i = 0; i < 50; ++i) {
    const auto& m = msgs[static_cast<size_t>(i)];
    BOOST_CHECK_EQUAL(std::string(*m.key()), "k" + std::to_string(i));
    BOOST_CHECK(m.value() == binary + std::to_string(i));
    BOOST_CHECK(m.headers() == headers);
    BOOST_CHECK_EQUAL(std::string(*m.header("hookline-provider")), "stripe");
    BOOST_CHECK(m.timestamp_ms().has_value());
  }
  BOOST_CHECK(consumer->commit(msgs.back()).ok());
  auto committed = consumer->committed({{"t.one", 0}}, 10s);
  BOOST_REQUIRE(committed.ok());
  BOOST_CHECK_EQUAL(committed->at(0).offset, 50);
}

BOOST_AUTO_TEST_CASE(user_cannot_weaken_required_properties) {
  KafkaConfig cfg;
  cfg.bootstrap = "127.0.0.1:1";
  cfg.properties["acks"] = "1";
  cfg.property_origin["acks"] = "environment variable HOOKLINE_KAFKA_ACKS";
  BOOST_CHECK_EXCEPTION(
      kafka::Producer::create(cfg, {}), kafka::KafkaError, [](const kafka::KafkaError& e) {
        return std::string(e.what()).find("HOOKLINE_KAFKA_ACKS") != std::string::npos;
      });
}

BOOST_AUTO_TEST_CASE(group_of_two_rebalances_and_shares_the_work) {
  Broker b;
  std::mutex mu;
  std::map<std::string, std::set<int>> owned;  // member -> partitions
  std::atomic<int> revocations{0};
  auto hooks_for = [&](const std::string& member) {
    kafka::RebalanceHooks h;
    h.on_assigned = [&, member](const std::vector<kafka::TopicPartition>& parts) {
      std::lock_guard l(mu);
      for (const auto& p : parts) owned[member].insert(p.partition);
    };
    h.on_revoked = [&, member](const std::vector<kafka::TopicPartition>& parts) {
      std::lock_guard l(mu);
      for (const auto& p : parts) owned[member].erase(p.partition);
      ++revocations;
    };
    return h;
  };
  auto a = kafka::Consumer::create(b.broker->kafka_config(), [&] {
    auto o = group("g2", hooks_for("a"));
    o.client_id = "member-a";
    return o;
  }());
  BOOST_REQUIRE(a->subscribe({"t.six"}).ok());
  BOOST_REQUIRE(test::eventually([&] {
    (void)a->poll(50ms);
    return a->assignment().size() == 6;
  }));

  auto c2 = kafka::Consumer::create(b.broker->kafka_config(), [&] {
    auto o = group("g2", hooks_for("b"));
    o.client_id = "member-b";
    return o;
  }());
  BOOST_REQUIRE(c2->subscribe({"t.six"}).ok());
  // Both poll until the group settles with every partition owned by exactly one member.
  BOOST_REQUIRE_MESSAGE(test::eventually(
                            [&] {
                              (void)a->poll(20ms);
                              (void)c2->poll(20ms);
                              auto sa = a->assignment().size(), sb = c2->assignment().size();
                              return sa > 0 && sb > 0 && sa + sb == 6;
                            },
                            60s),
                        "the group did not rebalance between two members");
  {
    std::lock_guard l(mu);
    BOOST_CHECK_EQUAL(owned["a"].size() + owned["b"].size(), 6u);
    for (int p : owned["a"]) BOOST_CHECK(!owned["b"].contains(p));
  }
  BOOST_CHECK_GE(revocations.load(), 1);

  // Records spread over all partitions are consumed once across the two members.
  auto producer = kafka::Producer::create(b.broker->kafka_config(), {});
  for (int i = 0; i < 120; ++i) {
    std::string key = "key-" + std::to_string(i), value = std::to_string(i);
    BOOST_REQUIRE(producer->produce_sync({"t.six", key, value}, 10s).ok());
  }
  std::set<std::string> seen;
  size_t total = 0;
  BOOST_REQUIRE(test::eventually(
      [&] {
        for (auto* c : {a.get(), c2.get()}) {
          auto r = c->poll(20ms);
          if (r && r->has_value()) {
            seen.insert(std::string((*r)->value()));
            ++total;
            BOOST_CHECK(c->commit(**r).ok());
          }
        }
        return seen.size() == 120;
      },
      60s));
  BOOST_CHECK_EQUAL(total, 120u);

  // When one member leaves, the other takes every partition back.
  c2->close();
  BOOST_REQUIRE(test::eventually(
      [&] {
        (void)a->poll(50ms);
        return a->assignment().size() == 6;
      },
      60s));
}

BOOST_AUTO_TEST_CASE(transaction_commits_outputs_with_offsets_and_abort_leaves_offsets) {
  Broker b;
  auto cfg = b.broker->kafka_config();
  auto seed = kafka::Producer::create(cfg, {});
  for (int i = 0; i < 30; ++i) {
    std::string key = "k" + std::to_string(i % 3), value = "in-" + std::to_string(i);
    BOOST_REQUIRE(seed->produce_sync({"t.in", key, value}, 10s).ok());
  }
  seed->close();

  auto consumer = kafka::Consumer::create(cfg, group("txn-group"));
  BOOST_REQUIRE(consumer->subscribe({"t.in"}).ok());
  auto txn = kafka::TransactionalProducer::create(cfg, {}, "test-txn-1");
  auto st = txn->init(30s);
  BOOST_REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().message));

  auto msgs = read_n(*consumer, 30);
  BOOST_REQUIRE_EQUAL(msgs.size(), 30u);
  auto offsets_of = [&](const std::vector<kafka::Message>& batch) {
    std::map<int, int64_t> next;
    for (const auto& m : batch) next[m.partition()] = std::max(next[m.partition()], m.offset() + 1);
    std::vector<kafka::TopicPartitionOffset> out;
    for (auto [p, o] : next) out.push_back({"t.in", p, o});
    return out;
  };
  std::vector<kafka::TopicPartition> parts{{"t.in", 0}, {"t.in", 1}, {"t.in", 2}};

  // Abort path: outputs and offsets are thrown away together.
  BOOST_REQUIRE(txn->begin().ok());
  for (const auto& m : msgs) {
    std::string v = "aborted-" + std::string(m.value());
    BOOST_REQUIRE(txn->produce({"t.out", m.key(), v}, [](const kafka::DeliveryReport&) {}).ok());
  }
  auto gm = consumer->group_metadata();
  BOOST_REQUIRE(txn->send_offsets(offsets_of(msgs), gm.get(), 30s).ok());
  BOOST_REQUIRE(txn->abort(30s).ok());
  auto after_abort = consumer->committed(parts, 10s);
  BOOST_REQUIRE(after_abort.ok());
  for (const auto& o : *after_abort) BOOST_CHECK_LT(o.offset, 0);  // nothing committed

  // Commit path: outputs and offsets land together.
  BOOST_REQUIRE(txn->begin().ok());
  std::atomic<int> acked{0};
  for (const auto& m : msgs) {
    std::string v = "out-" + std::string(m.value());
    BOOST_REQUIRE(txn->produce({"t.out", m.key(), v},
                               [&](const kafka::DeliveryReport& r) {
                                 if (!r.error) ++acked;
                               })
                      .ok());
  }
  BOOST_REQUIRE(txn->send_offsets(offsets_of(msgs), gm.get(), 30s).ok());
  st = txn->commit(30s);
  BOOST_REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().message));
  BOOST_CHECK_EQUAL(acked.load(), 30);
  auto after_commit = consumer->committed(parts, 10s);
  BOOST_REQUIRE(after_commit.ok());
  int64_t total = 0;
  bool none_stored = true;
  for (const auto& o : *after_commit) {
    if (o.offset >= 0) none_stored = false;
    total += std::max<int64_t>(o.offset, 0);
  }
  // Kafka stores the offsets sent with a committed transaction. The dev broker (librdkafka's
  // mock cluster) acknowledges TxnOffsetCommit but stores nothing: README, "What the dev broker
  // cannot show". Against a real cluster (HOOKLINE_TEST_REAL_KAFKA=1) they must all be there.
  if (none_stored && !std::getenv("HOOKLINE_TEST_REAL_KAFKA")) {
    BOOST_TEST_MESSAGE("dev broker: transactional offsets are not stored (known limitation)");
  } else {
    BOOST_CHECK_EQUAL(total, 30);
  }

  // The committed outputs are all there. (The dev broker does not hide the aborted ones from
  // read_committed readers, so only the committed values are asserted.)
  auto reader = kafka::Consumer::create(cfg, group("txn-reader"));
  BOOST_REQUIRE(reader->subscribe({"t.out"}).ok());
  std::set<std::string> committed_values;
  BOOST_REQUIRE(test::eventually([&] {
    auto r = reader->poll(50ms);
    if (r && r->has_value() && (*r)->value().starts_with("out-")) {
      committed_values.insert(std::string((*r)->value()));
    }
    return committed_values.size() == 30;
  }));
}

BOOST_AUTO_TEST_CASE(unreachable_broker_is_named_in_a_timely_error) {
  KafkaConfig cfg;
  cfg.bootstrap = "127.0.0.1:" + std::to_string(test::closed_port());
  auto admin = kafka::AdminClient::create(cfg, "unreachable-test");
  auto st = kafka::wait_for_cluster(admin->handle(), cfg.bootstrap, 1500ms);
  BOOST_REQUIRE(!st.ok());
  BOOST_CHECK_MESSAGE(st.error().message.find(cfg.bootstrap) != std::string::npos,
                      st.error().message);

  cfg.properties["message.timeout.ms"] = "1000";
  auto producer = kafka::Producer::create(cfg, {});
  auto r = producer->produce_sync({"t.one", std::nullopt, "x"}, 10s);
  BOOST_REQUIRE(!r.ok());
  BOOST_CHECK(r.error().retriable());
}

BOOST_AUTO_TEST_CASE(brokers_down_then_up_through_the_control_api) {
  Broker b;
  auto cfg = b.broker->kafka_config();
  auto producer = kafka::Producer::create(cfg, {});
  BOOST_REQUIRE(producer->produce_sync({"t.one", std::nullopt, "before"}, 10s).ok());
  BOOST_REQUIRE(b.broker->control("all", "down"));
  auto down = producer->produce_sync({"t.one", std::nullopt, "during"}, 1500ms);
  BOOST_CHECK(!down.ok());
  BOOST_REQUIRE(b.broker->control("all", "up"));
  auto up = producer->produce_sync({"t.one", std::nullopt, "after"}, 30s);
  BOOST_CHECK_MESSAGE(up.ok(), (up.ok() ? "" : up.error().message));
  BOOST_CHECK(!b.broker->control("9", "down"));  // unknown broker id: 404
}
