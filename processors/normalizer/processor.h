#pragma once
// The normalizer's consume-transform-produce loop (DESIGN.md decision 4): reads webhooks.raw in
// one consumer group and, per batch of records, writes the normalized events, the signals, the
// DLQ copies, the dedup changelog records and the input offsets in ONE Kafka transaction.
//
// - On assignment, each partition's dedup window is restored from its changelog partition
//   before the partition starts fetching; reading starts at the later of the group's committed
//   offset and the changelog's offset record.
// - On revocation (or loss), the open transaction is committed (or aborted) first, then the
//   partition's state is dropped.
// - An abortable error aborts the transaction, rolls every window back and seeks each
//   partition to its committed offset; the batch is then processed again.
// - A fatal error (fenced producer, restore failure) ends run() with exit code 1: a supervisor
//   restarts the process, which restores and goes on.
// Zombie fencing: the transactional.id is stable per instance, and the consumer's group
// metadata goes with the offsets (KIP-447), so a producer of an older generation cannot commit.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "core/config.h"
#include "core/error.h"
#include "core/kafka/consumer.h"
#include "core/kafka/transactional_producer.h"
#include "processors/normalizer/changelog.h"
#include "processors/normalizer/event_mapper.h"
#include "processors/normalizer/normalizer_config.h"
#include "processors/normalizer/normalizer_metrics.h"
#include "processors/normalizer/partition_task.h"

namespace hookline::normalizer {

class Processor {
 public:
  // Connects, initialises transactions (fencing an older incarnation with the same id) and
  // subscribes. Throws on a configuration or start-up error.
  Processor(const Config& cfg, NormalizerConfig config, std::shared_ptr<const EventMapper> mapper,
            NormalizerMetrics& metrics);
  ~Processor();
  Processor(const Processor&) = delete;
  Processor& operator=(const Processor&) = delete;

  // Runs until `stop` is set (then commits what is open and leaves the group: exit code 0) or
  // a fatal error (exit code 1, the error logged).
  int run(const std::atomic<bool>& stop);

 private:
  void on_assigning(std::vector<kafka::TopicPartitionOffset>& parts);
  void on_revoked(const std::vector<kafka::TopicPartition>& parts);
  void handle(const kafka::Message& msg);
  void begin_if_needed();
  // Commits the open transaction; on an abortable failure aborts and rolls back.
  void commit_transaction();
  void abort_transaction(const Error& why);
  // Produces `outputs_` into the open transaction; false when it failed (fatal_ or aborted).
  bool produce_outputs();
  void update_gauges();
  void set_fatal(const Error& e);

  const Config& cfg_;
  NormalizerConfig config_;
  std::shared_ptr<const EventMapper> mapper_;
  NormalizerMetrics& metrics_;
  std::unique_ptr<kafka::TransactionalProducer> producer_;
  std::unique_ptr<ChangelogRestorer> restorer_;
  std::unique_ptr<kafka::Consumer> consumer_;
  std::map<std::int32_t, std::unique_ptr<PartitionTask>> tasks_;
  std::vector<Output> outputs_;
  bool in_txn_ = false;
  std::size_t txn_records_ = 0;
  std::chrono::steady_clock::time_point txn_started_;
  std::atomic<int> delivery_errors_{0};
  std::optional<Error> fatal_;
};

}  // namespace hookline::normalizer
