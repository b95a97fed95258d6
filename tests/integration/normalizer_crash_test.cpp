// hookline-normalizer under crashes and rebalances, on the dev broker: a stream of thousands of
// Stripe deliveries with duplicates (every event delivered twice or three times, shuffled),
// the processor SIGKILLed in the middle and restarted, or two instances with a rebalance and a
// kill. The normalized topic is read back with read_committed.
//
// What the dev broker can show: its mock cluster does not hide records of an aborted or
// never-committed transaction from read_committed readers, so the outputs of the transaction
// open at a SIGKILL can show twice. The tests prove that no event is missing, that every
// repeat carries the same CloudEvents id and bytes as its first copy, and that repeats are
// bounded by the records one transaction holds (batch_records) per kill. Without a kill, no
// event shows twice.
#define BOOST_TEST_MODULE normalizer_crash
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <csignal>
#include <map>
#include <random>
#include <set>

#include "tests/support/normalizer_stack.h"

using namespace hookline;
using namespace std::chrono_literals;

namespace {

constexpr int kBatchRecords = 100;
const std::string kConfig = R"({"batch_records": 100, "batch_interval_ms": 50})";

struct Stream {
  std::vector<test::RawDeliveryRecord> deliveries;  // shuffled, with repeats
  std::map<std::string, std::string> bodies;        // event id -> body
};

// `events` distinct events; each delivered 2 or 3 times; shuffled with a fixed seed.
Stream make_stream(int events, const std::string& prefix) {
  Stream s;
  std::mt19937 rng(20261122);
  for (int i = 0; i < events; ++i) {
    auto d = test::stripe_delivery(prefix + std::to_string(i), 1790000000 + i);
    s.bodies[d.delivery_id] = d.body;
    const int copies = 2 + (i % 2);
    for (int c = 0; c < copies; ++c) s.deliveries.push_back(d);
  }
  std::shuffle(s.deliveries.begin(), s.deliveries.end(), rng);
  return s;
}

std::vector<std::vector<test::RawDeliveryRecord>> split(const Stream& s, int parts) {
  std::vector<std::vector<test::RawDeliveryRecord>> out(static_cast<size_t>(parts));
  for (size_t i = 0; i < s.deliveries.size(); ++i) {
    out[i * static_cast<size_t>(parts) / s.deliveries.size()].push_back(s.deliveries[i]);
  }
  return out;
}

std::set<std::string> ids_in(const std::vector<test::ReadRecord>& records) {
  std::set<std::string> ids;
  for (const auto& r : records) ids.insert(r.header("ce_id"));
  return ids;
}

// Every expected event present; no other id; every copy identical to the first. Returns the
// number of repeats.
size_t check_exactly_or_repeated(const std::vector<test::ReadRecord>& records,
                                 const Stream& stream) {
  std::map<std::string, const test::ReadRecord*> first;
  size_t repeats = 0;
  for (const auto& r : records) {
    const std::string id = r.header("ce_id");
    BOOST_TEST_REQUIRE(stream.bodies.contains(id), "unexpected ce_id " << id);
    BOOST_TEST(r.value == stream.bodies.at(id));
    BOOST_TEST(r.header("ce_type") == "com.stripe.payment_intent.succeeded");
    auto [it, inserted] = first.emplace(id, &r);
    if (!inserted) {
      ++repeats;
      BOOST_TEST(it->second->value == r.value);
      BOOST_TEST(it->second->header("ce_time") == r.header("ce_time"));
      BOOST_TEST((it->second->key == r.key));
    }
  }
  BOOST_TEST(first.size() == stream.bodies.size(),
             "events present: " << first.size() << " of " << stream.bodies.size());
  return repeats;
}

// How many partition restores an instance has logged.
size_t restores_in(const std::string& log) {
  size_t n = 0;
  for (auto at = log.find("partition restored"); at != std::string::npos;
       at = log.find("partition restored", at + 1)) {
    ++n;
  }
  return n;
}

bool all_present(test::NormalizerStack& stack, const Stream& stream) {
  return ids_in(stack.read("events.payments")).size() == stream.bodies.size();
}

// Waits until every event of `stream` is out; else fails the test with the end of `instance`'s
// log.
void require_all_present(test::NormalizerStack& stack, const Stream& stream,
                         const std::string& instance) {
  if (test::eventually([&] { return all_present(stack, stream); }, 120s, 200ms)) return;
  BOOST_TEST_MESSAGE("events present " << ids_in(stack.read("events.payments")).size()
                                       << "; instance " << instance << "'s log ends:\n"
                                       << stack.log_tail(instance));
  BOOST_FAIL("not every event arrived");
}

// Waits until at least `n` distinct events are out (so a kill lands mid-stream).
void wait_for_progress(test::NormalizerStack& stack, size_t n) {
  BOOST_TEST_REQUIRE(test::eventually(
      [&] { return ids_in(stack.read("events.payments")).size() >= n; }, 60s, 50ms));
}

}  // namespace

BOOST_AUTO_TEST_CASE(sigkill_mid_stream_loses_nothing_and_repeats_are_bounded) {
  test::NormalizerStack stack(kConfig);
  const Stream stream = make_stream(3000, "evt_k");
  auto parts = split(stream, 2);
  stack.publish(parts[0]);
  stack.start("a");
  wait_for_progress(stack, 600);
  stack.instance("a").signal(SIGKILL);
  BOOST_TEST(stack.instance("a").wait(10s).value_or(0) == 128 + SIGKILL);
  stack.publish(parts[1]);
  stack.start("a");  // same instance id: fences the dead one's transaction
  require_all_present(stack, stream, "a");
  BOOST_TEST(stack.stop("a") == 0);
  const auto records = stack.read("events.payments");
  const size_t repeats = check_exactly_or_repeated(records, stream);
  BOOST_TEST_MESSAGE("events " << stream.bodies.size() << ", deliveries "
                               << stream.deliveries.size() << ", repeats after one SIGKILL "
                               << repeats);
  BOOST_TEST(repeats <= static_cast<size_t>(kBatchRecords));
  BOOST_TEST(stack.read("webhooks.dlq").empty());
}

BOOST_AUTO_TEST_CASE(two_instances_rebalance_then_kill_one) {
  test::NormalizerStack stack(kConfig);
  const Stream stream = make_stream(3000, "evt_r");
  auto parts = split(stream, 3);
  stack.publish(parts[0]);
  stack.start("a");
  wait_for_progress(stack, 400);
  stack.start("b");  // a graceful rebalance: a commits and hands partitions over
  stack.publish(parts[1]);
  wait_for_progress(stack, 1500);
  const size_t restored_before = restores_in(stack.instance("b").err());
  stack.instance("a").signal(SIGKILL);
  stack.publish(parts[2]);
  // b takes a's partitions once a's session times out, restoring their windows.
  BOOST_TEST_REQUIRE(test::eventually(
      [&] { return restores_in(stack.instance("b").err()) > restored_before; }, 60s, 100ms));
  // b alone finishes the stream: the changelog records a's killed transaction wrote after its
  // last offset record are set aside by b's restore (the dev broker shows them).
  require_all_present(stack, stream, "b");
  BOOST_TEST(stack.stop("b") == 0);
  const size_t repeats = check_exactly_or_repeated(stack.read("events.payments"), stream);
  BOOST_TEST_MESSAGE("two instances, one SIGKILL: repeats " << repeats);
  BOOST_TEST(repeats <= static_cast<size_t>(kBatchRecords));
}

BOOST_AUTO_TEST_CASE(rebalances_without_a_crash_show_every_event_exactly_once) {
  test::NormalizerStack stack(kConfig);
  const Stream stream = make_stream(2000, "evt_g");
  auto parts = split(stream, 3);
  stack.publish(parts[0]);
  stack.start("a");
  wait_for_progress(stack, 300);
  stack.start("b");  // a gives partitions to b
  stack.publish(parts[1]);
  wait_for_progress(stack, 1000);
  BOOST_TEST(stack.stop("a") == 0);  // a leaves gracefully: b takes everything
  stack.publish(parts[2]);
  require_all_present(stack, stream, "b");
  BOOST_TEST(stack.stop("b") == 0);
  // A restarted instance restores the window: re-delivering everything adds nothing.
  stack.publish(stream.deliveries);
  stack.start("b");
  BOOST_TEST_REQUIRE(test::eventually(
      [&] {
        const std::string m = stack.metrics("b");
        return m.find("hookline_normalizer_consumer_lag") != std::string::npos &&
               m.find("hookline_normalizer_duplicates_dropped_total{provider=\"stripe\"} " +
                      std::to_string(stream.deliveries.size())) != std::string::npos;
      },
      60s, 200ms));
  BOOST_TEST(stack.stop("b") == 0);
  const size_t repeats = check_exactly_or_repeated(stack.read("events.payments"), stream);
  BOOST_TEST(repeats == 0u);
}
