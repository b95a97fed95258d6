// Load and measurement for scripts/bench_normalizer.sh (not a test):
//   hookline-bench-normalizer produce BOOTSTRAP EVENTS DUP_PERCENT
//       writes EVENTS Stripe deliveries to webhooks.raw as the ingest does, plus DUP_PERCENT %
//       repeated deliveries (provider retries), shuffled; prints "RESULT records=R events=E".
//   hookline-bench-normalizer ceiling BOOTSTRAP RECORDS
//       the broker's own rate for the same records: reads RECORDS raw records and produces
//       each one again (same key, value, headers; acks=all, idempotent) to events.other,
//       waiting for every acknowledgement, timed from the first record read to the last
//       acknowledgement; prints "RESULT rate=<records/s>".
//   hookline-bench-normalizer drain BOOTSTRAP TOPIC EXPECTED TIMEOUT_S
//       reads TOPIC (read_committed) from the beginning until EXPECTED records arrived; prints
//       "RESULT records=N seconds=S startup=T" (S from the first record to the last, T from the
//       start to the first).
//   hookline-bench-normalizer latency BOOTSTRAP RATE SECONDS
//       writes RATE deliveries/s for SECONDS, each id carrying its send time, and reads
//       events.payments live; prints "RESULT events=N p50_ms=.. p99_ms=.. max_ms=..", the time
//       from the raw record's write (the ingest's receive time) to the normalized record being
//       readable by a read_committed consumer.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/kafka/handles.h"
#include "core/kafka/producer.h"
#include "core/time_format.h"
#include "tests/support/normalizer_stack.h"

namespace {

using Clock = std::chrono::steady_clock;
using hookline::kafka::HandlePtr;
using hookline::kafka::MessagePtr;

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

HandlePtr reader(const std::string& bootstrap, const std::string& topic, std::int64_t start) {
  char err[512];
  hookline::kafka::ConfPtr conf(rd_kafka_conf_new());
  rd_kafka_conf_set(conf.get(), "bootstrap.servers", bootstrap.c_str(), err, sizeof err);
  rd_kafka_conf_set(conf.get(), "group.id", "hookline-bench-reader", err, sizeof err);
  rd_kafka_conf_set(conf.get(), "enable.auto.commit", "false", err, sizeof err);
  rd_kafka_conf_set(conf.get(), "isolation.level", "read_committed", err, sizeof err);
  rd_kafka_conf_set(conf.get(), "fetch.wait.max.ms", "5", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf.release(), err, sizeof err);
  if (!rk) throw std::runtime_error(err);
  HandlePtr h(rk);
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) || md->topic_cnt != 1) {
    throw std::runtime_error("no metadata for " + topic);
  }
  const int partitions = md->topics[0].partition_cnt;
  rd_kafka_metadata_destroy(md);
  rd_kafka_topic_destroy(rkt);
  hookline::kafka::PartitionListPtr list(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = start;
  }
  rd_kafka_poll_set_consumer(rk);
  rd_kafka_assign(rk, list.get());
  return h;
}

// Queues one raw record as the ingest writes it; a failed delivery counts in `failed`.
void send_one(hookline::kafka::Producer& producer, const hookline::test::RawDeliveryRecord& r,
              const std::shared_ptr<std::atomic<long>>& failed) {
  const hookline::kafka::Headers h =
      hookline::test::raw_record_headers(r, hookline::rfc3339_ms(std::chrono::system_clock::now()));
  hookline::kafka::OutRecord out{"webhooks.raw", std::string_view(r.key), r.body, &h};
  while (!producer.produce(out, [failed](const hookline::kafka::DeliveryReport& rep) {
    if (rep.error) failed->fetch_add(1);
  })) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // queue full: let it drain
  }
}

// Writes every record and waits for all acknowledgements.
void publish_all(hookline::kafka::Producer& producer,
                 const std::vector<hookline::test::RawDeliveryRecord>& records) {
  auto failed = std::make_shared<std::atomic<long>>(0);
  for (const auto& r : records) send_one(producer, r, failed);
  if (!producer.flush(std::chrono::seconds(120)) || failed->load() != 0) {
    throw std::runtime_error("raw records were not all acknowledged");
  }
}

int produce(const std::string& bootstrap, long events, long dup_percent) {
  hookline::KafkaConfig cfg;
  cfg.bootstrap = bootstrap;
  hookline::kafka::Producer::Options opts;
  opts.defaults = {{"linger.ms", "5"}};
  auto producer = hookline::kafka::Producer::create(cfg, opts);
  std::vector<hookline::test::RawDeliveryRecord> records;
  for (long i = 0; i < events; ++i) {
    records.push_back(hookline::test::stripe_delivery("evt_b" + std::to_string(i), 1790000000 + i));
  }
  std::mt19937 rng(7);
  const long dups = events * dup_percent / 100;
  for (long i = 0; i < dups; ++i)
    records.push_back(records[rng() % static_cast<std::size_t>(events)]);
  std::shuffle(records.begin(), records.end(), rng);
  publish_all(*producer, records);
  producer->close();
  std::printf("RESULT records=%zu events=%ld\n", records.size(), events);
  return 0;
}

int ceiling(const std::string& bootstrap, long expected) {
  hookline::KafkaConfig cfg;
  cfg.bootstrap = bootstrap;
  hookline::kafka::Producer::Options opts;
  opts.defaults = {{"linger.ms", "5"}};
  auto producer = hookline::kafka::Producer::create(cfg, opts);
  HandlePtr rk = reader(bootstrap, "webhooks.raw", RD_KAFKA_OFFSET_BEGINNING);
  auto failed = std::make_shared<std::atomic<long>>(0);
  // Timed from the first record read (as the normalizer's run is), to the last acknowledgement.
  auto start = Clock::now();
  long n = 0;
  while (n < expected) {
    MessagePtr m(rd_kafka_consumer_poll(rk.get(), 100));
    if (!m || m->err) continue;
    if (n == 0) start = Clock::now();
    hookline::kafka::Message msg(std::move(m));
    hookline::kafka::Headers h = msg.headers();
    hookline::kafka::OutRecord out{"events.other", msg.key(), msg.value(), &h};
    while (!producer->produce(out, [failed](const hookline::kafka::DeliveryReport& rep) {
      if (rep.error) failed->fetch_add(1);
    })) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ++n;
  }
  if (!producer->flush(std::chrono::seconds(120)) || failed->load() != 0) {
    std::fprintf(stderr, "ceiling: produce failed\n");
    return 1;
  }
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  rd_kafka_consumer_close(rk.get());
  producer->close();
  std::printf("RESULT rate=%.0f records=%ld seconds=%.3f\n", static_cast<double>(n) / s, n, s);
  return 0;
}

int drain(const std::string& bootstrap, const std::string& topic, long expected, int timeout_s) {
  HandlePtr rk = reader(bootstrap, topic, RD_KAFKA_OFFSET_BEGINNING);
  const auto start = Clock::now();
  auto first = start, last = start;
  long n = 0;
  while (n < expected && Clock::now() - start < std::chrono::seconds(timeout_s)) {
    MessagePtr m(rd_kafka_consumer_poll(rk.get(), 100));
    if (!m || m->err) continue;
    if (n == 0) first = Clock::now();
    ++n;
    last = Clock::now();
  }
  rd_kafka_consumer_close(rk.get());
  // From the first record readable to the last: the processing rate, without the processor's
  // start-up (group join, restore), which the caller reports apart.
  std::printf("RESULT records=%ld seconds=%.3f startup=%.3f\n", n,
              std::chrono::duration<double>(last - first).count(),
              std::chrono::duration<double>(first - start).count());
  return n >= expected ? 0 : 1;
}

int latency(const std::string& bootstrap, long rate, int seconds) {
  HandlePtr rk = reader(bootstrap, "events.payments", RD_KAFKA_OFFSET_END);
  // Let the reader settle on the end before writing.
  for (int i = 0; i < 20; ++i) MessagePtr(rd_kafka_consumer_poll(rk.get(), 50));
  std::atomic<bool> done{false};
  std::atomic<std::size_t> received{0};
  std::vector<double> lat;  // the consumer thread's until it is joined
  std::thread consumer([&] {
    while (!done.load()) {
      MessagePtr m(rd_kafka_consumer_poll(rk.get(), 100));
      if (!m || m->err) continue;
      hookline::kafka::Message msg(std::move(m));
      auto id = msg.header("ce_id");
      if (!id || !id->starts_with("evt_l")) continue;
      const auto us = id->find('_', 5);
      const std::int64_t sent = std::stoll(std::string(id->substr(5, us - 5)));
      lat.push_back(static_cast<double>(wall_ms() - sent));
      received.fetch_add(1);
    }
  });
  hookline::KafkaConfig cfg;
  cfg.bootstrap = bootstrap;
  hookline::kafka::Producer::Options opts;
  opts.defaults = {{"linger.ms", "0"}};
  auto producer = hookline::kafka::Producer::create(cfg, opts);
  auto failed = std::make_shared<std::atomic<long>>(0);
  const auto start = Clock::now();
  const long total = rate * seconds;
  for (long i = 0; i < total; ++i) {
    std::this_thread::sleep_until(start + std::chrono::microseconds(i * 1000000 / rate));
    auto d = hookline::test::stripe_delivery(
        "evt_l" + std::to_string(wall_ms()) + "_" + std::to_string(i), 1790000000);
    send_one(*producer, d, failed);
  }
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (received.load() < static_cast<std::size_t>(total) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  done.store(true);
  consumer.join();
  producer->close();
  if (failed->load() != 0) {
    std::fprintf(stderr, "latency: %ld raw records were not acknowledged\n", failed->load());
    return 1;
  }
  rd_kafka_consumer_close(rk.get());
  if (lat.empty()) {
    std::fprintf(stderr, "latency: no events arrived\n");
    return 1;
  }
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) {
    return lat[static_cast<size_t>(p * static_cast<double>(lat.size() - 1))];
  };
  std::printf("RESULT events=%zu p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n", lat.size(), pct(0.5),
              pct(0.99), lat.back());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "produce" && argc == 5)
      return produce(argv[2], std::stol(argv[3]), std::stol(argv[4]));
    if (cmd == "ceiling" && argc == 4) return ceiling(argv[2], std::stol(argv[3]));
    if (cmd == "drain" && argc == 6)
      return drain(argv[2], argv[3], std::stol(argv[4]), std::stoi(argv[5]));
    if (cmd == "latency" && argc == 5)
      return latency(argv[2], std::stol(argv[3]), std::stoi(argv[4]));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hookline-bench-normalizer: %s\n", e.what());
    return 1;
  }
  std::fprintf(
      stderr,
      "usage: hookline-bench-normalizer produce|ceiling|drain|latency ... (see the source)\n");
  return 2;
}
