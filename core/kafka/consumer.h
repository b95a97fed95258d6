#pragma once
// A consumer in a group. Offsets are committed by the caller after the work (auto commit is
// off and cannot be turned on); it reads with isolation.level=read_committed.
//
// Rebalances are handled inside poll(): the hooks given at creation run on the polling thread
// (so a processor can finish or abort its transaction before partitions go), and cannot be
// changed afterwards. Both eager and cooperative assignors work.
// close() leaves the group within a bounded time; the destructor calls it.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/error.h"
#include "core/kafka/client_config.h"
#include "core/kafka/message.h"

namespace hookline::kafka {

struct RebalanceHooks {
  // Called before newly assigned partitions start fetching: may restore state and set where
  // each starts (an offset >= 0; leave RD_KAFKA_OFFSET_INVALID for the committed offset, or
  // auto.offset.reset when there is none).
  std::function<void(std::vector<TopicPartitionOffset>&)> on_assigning;
  std::function<void(const std::vector<TopicPartition>&)> on_assigned;
  std::function<void(const std::vector<TopicPartition>&)> on_revoked;  // also called on loss
};

class Consumer {
 public:
  struct Options {
    std::string group_id;
    std::string client_id = "hookline-consumer";
    Properties defaults;
    RebalanceHooks hooks;
  };

  // Throws KafkaError on a bad configuration.
  static std::unique_ptr<Consumer> create(const KafkaConfig& cfg, Options options);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  Status subscribe(const std::vector<std::string>& topics);
  // A record, nullopt when none arrived within `timeout`, or a consumer error.
  Result<std::optional<Message>> poll(std::chrono::milliseconds timeout);
  Status commit(const std::vector<TopicPartitionOffset>& offsets);
  // Commits message.offset + 1 for its partition (synchronously).
  Status commit(const Message& message);
  std::vector<TopicPartition> assignment() const;
  // Moves the fetch position of assigned partitions (e.g. back to the committed offsets after
  // an aborted transaction).
  Status seek(const std::vector<TopicPartitionOffset>& offsets, std::chrono::milliseconds timeout);
  Status pause(const std::vector<TopicPartition>& partitions);
  Status resume(const std::vector<TopicPartition>& partitions);
  // Committed offsets of the group for these partitions (-1001 when none).
  Result<std::vector<TopicPartitionOffset>> committed(const std::vector<TopicPartition>& parts,
                                                      std::chrono::milliseconds timeout);
  GroupMetadataPtr group_metadata() const;
  bool fatal() const noexcept { return state_->fatal.load(); }
  void close(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) noexcept;

  rd_kafka_t* handle() const noexcept { return rk_.get(); }
  const std::string& group_id() const noexcept { return group_id_; }

 private:
  struct Deleter {
    void operator()(rd_kafka_t* rk) const noexcept;
  };
  Consumer(std::unique_ptr<ClientState> state, RebalanceHooks hooks, std::string group_id);
  static void rebalance_cb(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* parts, void* opaque);
  void on_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts) noexcept;

  std::unique_ptr<ClientState> state_;
  RebalanceHooks hooks_;
  std::string group_id_;
  std::unique_ptr<rd_kafka_t, Deleter> rk_;
  bool closed_ = false;
};

}  // namespace hookline::kafka
