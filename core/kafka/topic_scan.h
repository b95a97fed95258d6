#pragma once
// Reading a topic outside any consumer group, for the operator's tools (hookline dlq, replay,
// status): partition count, watermarks, offsets for a time, a group's committed offsets, and a
// read of offset ranges fixed beforehand. Partitions are assigned, never subscribed, so a scan
// joins no group and disturbs no running consumer. Reads are read_committed.
//
// Errors are one line, kind fatal, naming the topic or the broker ("unknown topic 'x'",
// "Kafka at host:9092 did not answer within 10000 ms"). librdkafka's own log lines are off
// unless the user sets HOOKLINE_KAFKA_LOG_LEVEL (the librdkafka property log_level).
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/error.h"
#include "core/kafka/client_config.h"
#include "core/kafka/handles.h"
#include "core/kafka/message.h"

namespace hookline::kafka {

// Records [begin, end) of one partition.
struct PartitionRange {
  std::int32_t partition = 0;
  std::int64_t begin = 0;
  std::int64_t end = 0;
};

// Per partition, the next offset to read (what a group commits).
using PartitionOffsets = std::map<std::int32_t, std::int64_t>;

class TopicScan {
 public:
  // Connects and reads the topic's metadata. `group_id` is the group whose offsets
  // committed() and commit() read and write (none: those calls fail).
  static Result<std::unique_ptr<TopicScan>> open(const KafkaConfig& cfg, const std::string& topic,
                                                 const std::string& group_id = "");
  ~TopicScan();
  TopicScan(const TopicScan&) = delete;
  TopicScan& operator=(const TopicScan&) = delete;

  const std::string& topic() const noexcept { return topic_; }
  int partitions() const noexcept { return partitions_; }

  // [low, high) of every partition; high is the last stable offset (read_committed).
  Result<std::vector<PartitionRange>> watermarks();
  // Per partition, the first offset whose record time is at or after `ms` (milliseconds since
  // the epoch), or the partition's end when there is none. A broker without a time index (the
  // dev broker answers every lookup with "none") is recognised where the newest record is not
  // older than `ms`; there the record times are binary-searched, one record read per step
  // (exact for records written in time order), and `*searched` is set.
  Result<PartitionOffsets> offsets_for_time(std::int64_t ms, bool* searched = nullptr);
  // The group's committed offsets; partitions without one are absent.
  Result<PartitionOffsets> committed();
  Status commit(const PartitionOffsets& next);

  // Reads the ranges in offset order per partition (partitions interleave). A range that starts
  // below the partition's low watermark starts at it (older records are gone). `on_record`
  // returns false to stop. Fails when nothing arrives for the configured Kafka timeout while
  // records are still expected.
  Status read(const std::vector<PartitionRange>& ranges,
              const std::function<bool(const Message&)>& on_record);

 private:
  TopicScan() = default;
  Error failure(const std::string& what) const;
  // The first record in [from, to): its offset and time; none when only markers are there.
  Result<std::optional<std::pair<std::int64_t, std::int64_t>>> first_record(std::int32_t partition,
                                                                            std::int64_t from,
                                                                            std::int64_t to);
  Result<std::int64_t> search_time(const PartitionRange& range, std::int64_t ms);

  std::unique_ptr<ClientState> state_;
  HandlePtr rk_;
  std::string topic_;
  std::string bootstrap_;
  std::string group_id_;
  std::chrono::milliseconds timeout_{0};
  int partitions_ = 0;
  bool assigned_ = false;
};

}  // namespace hookline::kafka
