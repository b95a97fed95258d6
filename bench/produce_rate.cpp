// The Kafka side of the ingest benchmark: N threads each producing one record at a time and
// waiting for its acks=all acknowledgement, with the ingest publisher's settings. This is the
// rate a reply-after-ack server with N connections cannot exceed (DESIGN.md).
//   hookline-bench-produce BOOTSTRAP TOPIC IN_FLIGHT SECONDS BODY_BYTES
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "ingest/publisher.h"

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr,
                 "usage: hookline-bench-produce BOOTSTRAP TOPIC IN_FLIGHT SECONDS BODY_BYTES\n");
    return 2;
  }
  hookline::KafkaConfig cfg;
  cfg.bootstrap = argv[1];
  const std::string topic = argv[2];
  const int in_flight = std::stoi(argv[3]);
  const auto duration = std::chrono::seconds(std::stoi(argv[4]));
  const std::string body(std::stoul(argv[5]) > 0 ? std::stoul(argv[5]) : 300, 'x');
  hookline::ingest::KafkaPublisher publisher(cfg, topic, std::chrono::milliseconds(5000));
  std::atomic<long> acked{0}, failed{0};
  const auto end = std::chrono::steady_clock::now() + duration;
  std::vector<std::thread> threads;
  for (int t = 0; t < in_flight; ++t) {
    threads.emplace_back([&, t] {
      hookline::ingest::RawRecord r;
      r.value = body;
      r.headers = {{"hookline-provider", "bench"}};
      for (long i = 0; std::chrono::steady_clock::now() < end; ++i) {
        r.key = "bench/" + std::to_string(t) + "/" + std::to_string(i);
        auto res = publisher.publish(r);
        (res.outcome == hookline::ingest::PublishResult::Outcome::acked ? acked : failed)++;
      }
    });
  }
  for (auto& th : threads) th.join();
  publisher.close(std::chrono::milliseconds(5000));
  std::printf("RESULT rate=%.0f failed=%ld\n",
              static_cast<double>(acked.load()) / static_cast<double>(duration.count()),
              failed.load());
  return failed.load() == 0 ? 0 : 1;
}
