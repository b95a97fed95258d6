// Load and measurement for scripts/bench_sender.sh (not a test). Each run starts its own stack
// (dev broker, fresh database on HOOKLINE_TEST_DATABASE_URL, provider simulator, sender):
//   hookline-bench-sender throughput REQUESTS WORKERS
//       the ceiling first: WORKERS threads POST the same Resend calls straight to the simulator
//       (the sender's HTTP client and request builder, no Kafka, no ledger); then REQUESTS send
//       requests on outbound.approved through hookline-sender (connection without a limit),
//       timed from the simulator's first receive to its last. Prints
//       "RESULT ceiling=<calls/s> sender=<sends/s> ratio=<sender/ceiling>".
//   hookline-bench-sender accuracy RATE SECONDS
//       a connection limited to RATE/s (burst: 50 ms of tokens, at least 1) sends
//       RATE*SECONDS requests; prints "RESULT rate=<configured> measured=<(sends - burst) /
//       (last - first receive)> error_pct=<...>".
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "sinks/sender/provider_client.h"
#include "sinks/sender/providers/http_caller.h"
#include "sinks/sender/request_parser.h"
#include "tests/support/sender_stack.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace hs = hookline::sender;
namespace ht = hookline::test;

const std::string kSettings = R"({"from": "bench@example.com", "rate_per_s": 1000000,
  "burst": 1000000})";

std::vector<std::int64_t> receive_times(ht::SenderStack& s, const std::string& target,
                                        std::size_t expected, std::chrono::seconds timeout) {
  std::vector<std::int64_t> t;
  const auto deadline = Clock::now() + timeout;
  std::int64_t since = 0;
  while (t.size() < expected && Clock::now() < deadline) {
    ht::SimQuery q;
    q.target = target;
    q.since_seq = since;
    auto got = s.sim().requests(q);
    for (const auto& r : got) {
      if (r.status >= 200 && r.status < 300) t.push_back(r.time_ms);
      since = std::max(since, r.seq);  // since_seq: records with a greater seq
    }
    if (got.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (t.size() < expected) {
    std::fprintf(stderr, "%zu of %zu sends arrived; the sender's log ends:\n%s\n", t.size(),
                 expected,
                 s.sender()
                     .err()
                     .substr(s.sender().err().size() > 3000 ? s.sender().err().size() - 3000 : 0)
                     .c_str());
    std::fprintf(stderr, "simulator stats: %s\nsender metrics:\n%s\n", s.sim().stats_json().c_str(),
                 s.metrics().c_str());
  }
  std::sort(t.begin(), t.end());
  return t;
}

double ceiling(ht::SenderStack& s, int requests, int workers) {
  hs::SendConnection conn;
  conn.key = "resend/ceiling";
  conn.provider = "resend";
  conn.base_url = s.sim().url();
  conn.credential = "re_key_ceiling";
  conn.from = "bench@example.com";
  std::atomic<int> next{0};
  std::atomic<int> ok{0};
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      auto client = hs::make_provider_client("resend");
      hs::HttpCaller caller(conn.base_url, conn.timeout);
      for (int i = next++; i < requests; i = next++) {
        auto req =
            hs::parse_send_request(ht::email_request("c-" + std::to_string(i), "resend/ceiling"));
        auto call = client->build(*req, conn, 1, std::chrono::system_clock::now());
        auto answer = caller.call(*call);
        if (answer.status == 200) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return ok.load() / seconds;
}

int throughput(int requests, int workers) {
  ht::SenderStack s(R"({"workers": )" + std::to_string(workers) +
                    R"(, "queue_capacity": 100000, "max_in_flight_per_connection": )" +
                    std::to_string(workers) + "}");
  const double ceil = ceiling(s, requests, workers);
  s.add_connection("resend", "bench", "re_key_bench", kSettings);
  std::vector<std::pair<std::string, std::string>> v;
  for (int i = 0; i < requests; ++i) {
    v.emplace_back("resend/bench", ht::email_request("b-" + std::to_string(i), "resend/bench"));
  }
  s.publish(v, "outbound.approved", 0);
  s.start();
  auto t = receive_times(s, "re_key_bench", static_cast<std::size_t>(requests),
                         std::chrono::seconds(300));
  if (t.size() < static_cast<std::size_t>(requests)) {
    std::fprintf(stderr, "only %zu of %d sends arrived\n", t.size(), requests);
    return 1;
  }
  const double seconds = static_cast<double>(t.back() - t.front()) / 1000.0;
  const double rate = (static_cast<double>(t.size()) - 1) / seconds;
  std::printf("RESULT ceiling=%.0f sender=%.0f ratio=%.2f\n", ceil, rate, rate / ceil);
  return 0;
}

int accuracy(double rate, int seconds) {
  ht::SenderStack s;
  // Burst: 50 ms worth of tokens (at least 1), as a connection would be configured; with a
  // burst of 1 every late wake-up of the scheduler loses that much time for good.
  const int burst = std::max(1, static_cast<int>(rate / 20));
  char settings[160];
  std::snprintf(settings, sizeof settings,
                R"({"from": "bench@example.com", "rate_per_s": %.3f, "burst": %d})", rate, burst);
  s.add_connection("resend", "paced", "re_key_paced", settings);
  const int n = std::max(2, static_cast<int>(rate * seconds));
  std::vector<std::pair<std::string, std::string>> v;
  for (int i = 0; i < n; ++i) {
    v.emplace_back("resend/paced", ht::email_request("a-" + std::to_string(i), "resend/paced"));
  }
  s.publish(v, "outbound.approved", 0);
  s.start();
  auto t = receive_times(s, "re_key_paced", static_cast<std::size_t>(n),
                         std::chrono::seconds(seconds * 3 + 60));
  if (t.size() < static_cast<std::size_t>(n)) {
    std::fprintf(stderr, "only %zu of %d sends arrived\n", t.size(), n);
    return 1;
  }
  const double span = static_cast<double>(t.back() - t.front()) / 1000.0;
  // The first `burst` go at once; the rest are paced.
  const double measured = (static_cast<double>(t.size()) - burst) / span;
  std::printf("RESULT rate=%.3f measured=%.3f error_pct=%.2f\n", rate, measured,
              100.0 * (measured - rate) / rate);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "throughput" && argc == 4)
      return throughput(std::stoi(argv[2]), std::stoi(argv[3]));
    if (mode == "accuracy" && argc == 4) return accuracy(std::stod(argv[2]), std::stoi(argv[3]));
    std::fprintf(stderr,
                 "usage: hookline-bench-sender throughput REQUESTS WORKERS | accuracy RATE "
                 "SECONDS\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hookline-bench-sender: %s\n", e.what());
    return 1;
  }
}
