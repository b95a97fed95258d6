#pragma once
// A transactional producer for consume-transform-produce: outputs, state changes and the
// input offsets commit together (DESIGN.md decision 4).
//
// Errors come back with a kind: `abortable` means abort() and retry the batch from the last
// committed offsets; `fatal` means this producer is fenced or broken: close it and exit (a
// supervisor restarts us) or create a new one; `retriable` means the same call may be retried.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/kafka/producer.h"

namespace hookline::kafka {

class TransactionalProducer : public Producer {
 public:
  static std::unique_ptr<TransactionalProducer> create(const KafkaConfig& cfg, Options options,
                                                       const std::string& transactional_id);

  Status init(std::chrono::milliseconds timeout);
  Status begin();
  // Offsets are the next offsets to read (last processed + 1), for the consumer's group.
  Status send_offsets(const std::vector<TopicPartitionOffset>& offsets,
                      const rd_kafka_consumer_group_metadata_t* group,
                      std::chrono::milliseconds timeout);
  Status commit(std::chrono::milliseconds timeout);
  Status abort(std::chrono::milliseconds timeout);

 private:
  using Producer::Producer;
};

}  // namespace hookline::kafka
