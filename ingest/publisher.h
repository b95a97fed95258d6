#pragma once
// Publishes raw records and waits for Kafka's acknowledgement (acks=all, idempotent), so the
// HTTP answer can say "durable" (decision 3). The producer's message.timeout.ms equals the ack
// timeout: a record not acknowledged in time is given up by librdkafka, not written later.
//
// The handler thread that publishes sleeps until its delivery report arrives. The wait needs
// no allocation: each thread keeps one AckWaiter of this publisher for all its records. A
// waiter whose wait timed out is left to the late report, which hands it back for reuse; the
// publisher frees its waiters only after the producer is closed, when no report can come.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/kafka/producer.h"
#include "ingest/raw_record.h"

namespace hookline::ingest {

struct PublishResult {
  enum class Outcome { acked, unavailable };  // unavailable -> 503 + Retry-After
  Outcome outcome = Outcome::unavailable;
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  std::string error;  // for logs; no payload data
};

class Publisher {
 public:
  virtual ~Publisher() = default;
  virtual PublishResult publish(const RawRecord& record) = 0;
  virtual int queue_depth() const = 0;
  virtual bool healthy() const = 0;
};

struct AckWaiter;

class KafkaPublisher final : public Publisher {
 public:
  // Throws kafka::KafkaError on a bad configuration.
  KafkaPublisher(const KafkaConfig& cfg, std::string topic, std::chrono::milliseconds ack_timeout);
  ~KafkaPublisher() override;
  KafkaPublisher(const KafkaPublisher&) = delete;
  KafkaPublisher& operator=(const KafkaPublisher&) = delete;

  PublishResult publish(const RawRecord& record) override;
  int queue_depth() const override { return producer_->in_flight(); }
  bool healthy() const override;
  void close(std::chrono::milliseconds timeout) { producer_->close(timeout); }
  kafka::Producer& producer() { return *producer_; }

 private:
  AckWaiter& waiter();  // the calling thread's waiter for this publisher
  void deliver(AckWaiter& w, const kafka::DeliveryReport& report);  // on the poll thread

  const std::uint64_t id_;  // tells this publisher's waiters from an earlier one's
  std::mutex waiters_mutex_;
  std::vector<std::unique_ptr<AckWaiter>> waiters_;  // declared before producer_: outlives it
  std::vector<AckWaiter*> recycled_;                 // abandoned, then reported: free again
  std::unique_ptr<kafka::Producer> producer_;
  std::string topic_;
  std::chrono::milliseconds ack_timeout_;
};

}  // namespace hookline::ingest
