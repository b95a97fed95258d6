#pragma once
// Records going in and out of Kafka. Headers are ordered (name, value) pairs; Kafka allows
// repeats, and the raw topic keeps them in the order the ingest wrote them.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/kafka/handles.h"

namespace hookline::kafka {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct TopicPartition {
  std::string topic;
  std::int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
};

// `offset` is the next offset to read, as Kafka commits it (last processed + 1).
struct TopicPartitionOffset {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
};

// A record to produce. Views must stay valid until produce() returns (librdkafka copies).
struct OutRecord {
  std::string_view topic;
  std::optional<std::string_view> key;
  std::string_view value;
  const Headers* headers = nullptr;
  std::int32_t partition = RD_KAFKA_PARTITION_UA;  // unassigned: the partitioner decides
};

// A consumed record; owns the librdkafka message.
class Message {
 public:
  explicit Message(MessagePtr msg) : msg_(std::move(msg)) {}
  std::string topic() const;
  std::int32_t partition() const noexcept { return msg_->partition; }
  std::int64_t offset() const noexcept { return msg_->offset; }
  std::optional<std::string_view> key() const noexcept;
  std::string_view value() const noexcept;
  // Milliseconds since the epoch, or nullopt when the record has none.
  std::optional<std::int64_t> timestamp_ms() const noexcept;
  Headers headers() const;
  // The last header with this name (Kafka allows repeats; the newest wins).
  std::optional<std::string_view> header(std::string_view name) const noexcept;
  rd_kafka_message_t* raw() const noexcept { return msg_.get(); }

 private:
  MessagePtr msg_;
};

// Builds librdkafka headers; nullptr when there are none.
rd_kafka_headers_t* to_rd_headers(const Headers* headers);
PartitionListPtr to_partition_list(const std::vector<TopicPartitionOffset>& offsets);
PartitionListPtr to_partition_list(const std::vector<TopicPartition>& partitions);
std::vector<TopicPartition> from_partition_list(const rd_kafka_topic_partition_list_t* list);

}  // namespace hookline::kafka
