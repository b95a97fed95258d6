#pragma once
// The gatekeeper's second loop, on its own thread, Postgres connection and producer: it
//   1. expires pending approvals whose time has come (their messages end `expired`);
//   2. publishes each new approval's approvals.requests record (key: the campaign id) and marks
//      it published once Kafka acknowledged it (the sender posts it to Slack once: its request
//      id is fixed, and the sent-ledger remembers it);
//   3. settles the held messages of decided approvals in batches of the rules' release_batch:
//      approved -> consent checked again, then outbound.approved (or a suppressed result);
//      denied / expired -> a denied / expired result. A batch is produced, acknowledged, and
//      only then marked settled, in one Postgres transaction that keeps its rows locked (FOR
//      UPDATE SKIP LOCKED: several gatekeepers settle different batches). A crash half-way
//      leaves the batch held, and it is produced again: the request ids are the idempotency
//      keys downstream (the sender's sent-ledger), so nothing is sent twice.
//   4. refreshes the approvals-open and held-messages gauges.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <pqxx/connection>

#include "core/config.h"
#include "core/error.h"
#include "core/kafka/producer.h"
#include "processors/gatekeeper/gatekeeper_config.h"
#include "processors/gatekeeper/gatekeeper_metrics.h"
#include "processors/gatekeeper/request_gate.h"
#include "processors/gatekeeper/rules/rules.h"

namespace hookline::gatekeeper {

class Releaser {
 public:
  Releaser(const Config& cfg, const GatekeeperConfig& config, const Rules& rules, RequestGate& gate,
           GatekeeperMetrics& metrics);
  ~Releaser();
  Releaser(const Releaser&) = delete;
  Releaser& operator=(const Releaser&) = delete;

  void start();
  void stop();
  // Looks at the approvals now instead of at the next interval (after a decision).
  void wake();
  // One full round (expire, publish requests, settle everything that is due); for tests and
  // the loop. Returns the number of messages settled.
  Result<std::size_t> round();

 private:
  void loop();
  Status expire();
  Status publish_requests();
  Result<std::size_t> settle_batch(bool& more);
  void refresh_gauges();
  Status produce_all(const std::vector<kafka::OutRecord>& records);
  std::unique_ptr<pqxx::connection>& db();

  const Config& cfg_;
  const GatekeeperConfig& config_;
  const Rules& rules_;
  RequestGate& gate_;
  GatekeeperMetrics& metrics_;
  std::unique_ptr<pqxx::connection> db_;
  std::unique_ptr<kafka::Producer> producer_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace hookline::gatekeeper
