#pragma once
// The sender's consumer loop (DESIGN.md decisions 6 and 7): reads send requests from the input
// topic (outbound.approved) and the retry tiers in one consumer group, hands them to the
// dispatcher's per-connection lanes, and turns each ending into its records:
//   sent        -> outbound.results  com.hookline.send.succeeded
//   retryable   -> outbound.retry.<tier> (attempt, due, last-error, first-failed-at) and
//                  com.hookline.send.retrying; once attempts run out, as dead-lettered
//   permanent   -> outbound.dlq (where from and why) and com.hookline.send.dead_lettered
//   expired     -> com.hookline.send.failed (reason expired)
//   suppressed  -> com.hookline.send.suppressed (reason: the consent recheck's code)
//
// The same group reads the approvals topic (approvals.requests): each record becomes the Slack
// send request of approval_message() ("approval.<approval id>", so the sent-ledger posts it
// once) and goes the same way; its retry and DLQ records carry that send request. A record
// that is not an approval request goes to outbound.dlq (invalid-approval-request).
// A record's offset is finished once every record it produced is acknowledged; offsets are
// committed up to the lowest unfinished one of each partition (out-of-order completion).
//
// Retry records wait for their due time in place: the partition is paused with the record
// held, and resumed when it is due (no sleep, no busy loop; the consumer keeps polling). A
// record whose connection's queue is full is held the same way until there is room.
//
// Thread model: run() polls on the calling thread, which alone touches the consumer and the
// per-partition state; dispatcher workers and producer callbacks only queue events for it.
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/kafka/consumer.h"
#include "core/kafka/producer.h"
#include "core/topology.h"
#include "sinks/sender/connection_book.h"
#include "sinks/sender/consent_recheck.h"
#include "sinks/sender/dispatcher.h"
#include "sinks/sender/flow/offset_tracker.h"
#include "sinks/sender/flow/retry_policy.h"
#include "sinks/sender/sender_config.h"
#include "sinks/sender/sender_metrics.h"

namespace hookline::sender {

class Sender {
 public:
  // Connects and subscribes; throws on a configuration or start-up error.
  // `disable_connection` records a webhook destination that answered 410 Gone (the registry
  // disables the connection); called on run()'s thread. May be empty.
  // `consent` (may be null: no recheck) is asked just before each provider call.
  using DisableConnection = std::function<void(const std::string& connection_key)>;
  Sender(const Config& cfg, SenderConfig config, const Topology& topology, ConnectionBook& book,
         SentLedger* ledger, ConsentRecheck* consent, SenderMetrics& metrics,
         DisableConnection disable_connection = {});
  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  // Runs until `stop` (then finishes what is in flight, commits, leaves: 0) or a fatal error
  // (1, logged).
  int run(const std::atomic<bool>& stop);

 private:
  struct Held {
    Job job;
    bool waiting_for_room = false;  // else waiting for job's due time
    std::chrono::system_clock::time_point due;
    std::string tier;  // for the retry_waiting gauge; "" for the input topic
  };
  struct PartitionState {
    OffsetTracker offsets;
    std::int64_t next_expected = -1;
    std::int64_t committed = -1;
    std::optional<Held> held;
  };
  using Key = std::pair<std::string, std::int32_t>;
  struct Finished {
    Key partition;
    std::int64_t offset = 0;
    bool ok = true;
    std::string error;
  };

  void on_assigning(std::vector<kafka::TopicPartitionOffset>& parts);
  void on_revoked(const std::vector<kafka::TopicPartition>& parts);
  void handle(const kafka::Message& msg);
  // Reads the job's record value into its request (a send request, or an approval request
  // turned into one); false when it went to the DLQ.
  bool read_request(Job& job);
  // Routes a job that is due and whose request parsed; false when it had to be held.
  bool route(Job& job, PartitionState& st);
  void release_held(std::chrono::system_clock::time_point now);
  void drain_completions();
  void drain_finished();
  void drain_gone();
  void update_tier_lag();
  void commit_offsets();
  void on_completion(Completion&& c);
  // The retry policy of the job's connection (built on first use, rebuilt when its
  // max_attempts changes in the registry).
  RetryPolicy& policy_for(const Job& job);

  // Produces `records` for the job at (partition, offset); its offset finishes once all are
  // acknowledged. No records: finished at once.
  void emit(const Key& partition, std::int64_t offset, std::vector<kafka::OutRecord> records,
            std::vector<std::shared_ptr<std::string>> storage = {});
  void dead_letter(const Job& job, const std::string& error_class, const std::string& message,
                   const SendResult* result);
  void finish_now(const Key& partition, std::int64_t offset);
  void set_fatal(const std::string& why);
  std::string tier_of_topic(const std::string& topic) const;

  const Config& cfg_;
  SenderConfig config_;
  std::vector<RetryTier> tiers_;
  ConnectionBook& book_;
  SentLedger* ledger_;  // may be null
  SenderMetrics& metrics_;
  std::mt19937_64 rng_;
  std::map<std::string, std::unique_ptr<RetryPolicy>> policies_;  // by connection
  std::unique_ptr<kafka::Producer> producer_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<kafka::Consumer> consumer_;
  std::map<Key, PartitionState> partitions_;

  std::mutex events_mu_;
  std::deque<Completion> completions_;
  std::deque<Finished> finished_;
  std::deque<std::string> gone_;  // connection keys to disable
  DisableConnection disable_connection_;
  std::atomic<bool> fatal_{false};
  std::chrono::steady_clock::time_point last_commit_;
};

}  // namespace hookline::sender
