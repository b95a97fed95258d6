#pragma once
// Drives signed webhooks into the two ingest nodes at a steady rate, as providers do: every
// shipped provider in turn, 10 % of deliveries sent two or three times, a few forgeries, and
// every delivery that did not get an answer (a killed ingest, a 503 while Kafka is away) sent
// again until it is accepted.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <queue>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/deliveries.h"
#include "tests/e2e/e2e_stack.h"

namespace hookline::e2e {

std::int64_t now_ms();

struct WebhookOutcome {
  std::int64_t first_accept_ms = 0;  // when the accepted attempt was sent (0: never accepted)
  int accepted = 0;                  // 2xx answers
  int refused = 0;                   // 4xx answers (401 expected for forgeries only)
  int last_status = 0;
};

struct WebhookFigures {
  std::int64_t posts = 0, accepted = 0, repeats_sent = 0, forged = 0, retried = 0;
  std::map<int, std::int64_t> statuses;  // HTTP status (-1: no answer) -> count
  std::vector<double> latency_ms;        // of 2xx answers
};

class WebhookLoad {
 public:
  WebhookLoad(E2eStack& stack, double rate_per_s, std::string tag, unsigned seed);
  ~WebhookLoad();

  // Starts sending; deliveries are made until stop_generating().
  void start();
  void stop_generating();
  // Sends one extra delivery (e.g. a Slack Approve click) with the same retry rules.
  void send(Delivery d);
  // Waits until every delivery got its final answer; false if `deadline` passed first.
  bool drain(std::chrono::steady_clock::time_point deadline);
  void stop();

  // After stop(): what was sent, by delivery index.
  const std::vector<Delivery>& deliveries() const { return deliveries_; }
  const std::vector<WebhookOutcome>& outcomes() const { return outcomes_; }
  const WebhookFigures& figures() const { return figures_; }
  double generating_seconds() const { return generating_s_; }

 private:
  struct Job {
    std::chrono::steady_clock::time_point due;
    std::size_t delivery;
    int attempt;
    bool repeat;  // a provider's redelivery of an accepted delivery
    bool operator>(const Job& o) const { return due > o.due; }
  };
  void generator();
  void worker();
  void schedule(Job job);
  int post(int ingest, const Delivery& d);

  E2eStack& stack_;
  const double rate_;
  const std::string tag_;
  std::mt19937 rng_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::priority_queue<Job, std::vector<Job>, std::greater<>> jobs_;
  std::vector<Delivery> deliveries_;
  std::vector<WebhookOutcome> outcomes_;
  WebhookFigures figures_;
  int pending_ = 0;  // jobs queued or running
  std::atomic<bool> generating_{false};
  std::atomic<bool> stopping_{false};
  double generating_s_ = 0;
  std::thread generator_;
  std::vector<std::thread> workers_;
};

}  // namespace hookline::e2e
