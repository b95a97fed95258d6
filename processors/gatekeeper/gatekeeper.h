#pragma once
// The gatekeeper's consumer loop (DESIGN.md decisions 8 and 9). One consumer group reads
// outbound.requests, approvals.decisions and consent.changes; each batch of records is handled
// in one Kafka transaction (outputs: outbound.approved, outbound.results, outbound.dlq) and one
// Postgres transaction (held messages, approvals, decisions, audit rows and the input offsets).
//
// Order of commits: Kafka first, then Postgres. The input offsets live in Postgres
// (gatekeeper_offsets) and are where a partition resumes, so a crash between the two commits
// replays the batch: its state changes are idempotent (held messages and decisions by id,
// consent entries by evidence id) and its outputs repeat the same request ids, which the
// sender's sent-ledger sends once. The offsets are also committed to the consumer group
// afterwards, for lag tools only.
//
// A record that cannot be read goes to outbound.dlq with hookline-original-* and
// hookline-error-class headers and never blocks its partition. A batch that fails (Kafka or
// Postgres unavailable, consent ledger unreadable) is aborted and handled again after a pause.
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "core/config.h"
#include "core/error.h"
#include "core/kafka/consumer.h"
#include "core/kafka/transactional_producer.h"
#include "processors/gatekeeper/gatekeeper_config.h"
#include "processors/gatekeeper/gatekeeper_metrics.h"
#include "processors/gatekeeper/request_gate.h"
#include "processors/gatekeeper/rules/rules.h"

namespace hookline::gatekeeper {

// Records one consent.changes value in the ledger: true when new, false when already recorded;
// a permanent error when the value cannot be read, a retriable one when the ledger is down.
using ConsentSink = std::function<Result<bool>(std::string_view value)>;

class Gatekeeper {
 public:
  // Connects and subscribes; throws on a configuration or start-up error. `on_decided` is
  // called after a batch that applied approval decisions committed (wakes the releaser).
  Gatekeeper(const Config& cfg, GatekeeperConfig config, const Rules& rules, RequestGate& gate,
             ConsentSink consent_sink, GatekeeperMetrics& metrics,
             std::function<void()> on_decided = {});
  ~Gatekeeper();
  Gatekeeper(const Gatekeeper&) = delete;
  Gatekeeper& operator=(const Gatekeeper&) = delete;

  // Runs until `stop` (finishes the batch in hand, then leaves the group: 0) or a fatal error
  // (1, logged).
  int run(const std::atomic<bool>& stop);

 private:
  struct Output {
    std::string topic;
    std::string key;
    std::string value;
    kafka::Headers headers;
  };
  struct Batch;

  bool process(Batch& batch, const std::atomic<bool>& stop);
  Status attempt(Batch& batch, bool& decided);
  void handle_request(pqxx::transaction_base& tx, const kafka::Message& m,
                      std::vector<Output>& out);
  void handle_decision(pqxx::transaction_base& tx, const kafka::Message& m,
                       std::vector<Output>& out, bool& decided);
  void handle_consent(const kafka::Message& m, std::vector<Output>& out);
  void dead_letter(const kafka::Message& m, const std::string& error_class, const std::string& why,
                   std::vector<Output>& out);
  void on_assigning(std::vector<kafka::TopicPartitionOffset>& parts);
  void on_revoked(const std::vector<kafka::TopicPartition>& parts);
  std::unique_ptr<pqxx::connection>& db();

  const Config& cfg_;
  GatekeeperConfig config_;
  const Rules& rules_;
  RequestGate& gate_;
  ConsentSink consent_sink_;
  GatekeeperMetrics& metrics_;
  std::function<void()> on_decided_;
  std::unique_ptr<pqxx::connection> db_;
  std::unique_ptr<kafka::TransactionalProducer> producer_;
  std::unique_ptr<kafka::Consumer> consumer_;
  std::vector<kafka::TopicPartition> revoked_;  // during the current poll
  bool fatal_ = false;
};

}  // namespace hookline::gatekeeper
