#include "core/kafka/message.h"

namespace hookline::kafka {

std::string Message::topic() const {
  return msg_->rkt ? rd_kafka_topic_name(msg_->rkt) : std::string();
}

std::optional<std::string_view> Message::key() const noexcept {
  if (!msg_->key) return std::nullopt;
  return std::string_view(static_cast<const char*>(msg_->key), msg_->key_len);
}

std::string_view Message::value() const noexcept {
  if (!msg_->payload) return {};
  return {static_cast<const char*>(msg_->payload), msg_->len};
}

std::optional<std::int64_t> Message::timestamp_ms() const noexcept {
  rd_kafka_timestamp_type_t type;
  std::int64_t ts = rd_kafka_message_timestamp(msg_.get(), &type);
  if (type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE || ts < 0) return std::nullopt;
  return ts;
}

Headers Message::headers() const {
  Headers out;
  rd_kafka_headers_t* hdrs = nullptr;
  if (rd_kafka_message_headers(msg_.get(), &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR) return out;
  const char* name;
  const void* value;
  size_t size;
  for (size_t i = 0;
       rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
    out.emplace_back(name, value ? std::string(static_cast<const char*>(value), size) : "");
  }
  return out;
}

std::optional<std::string_view> Message::header(std::string_view name) const noexcept {
  rd_kafka_headers_t* hdrs = nullptr;
  if (rd_kafka_message_headers(msg_.get(), &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return std::nullopt;
  }
  std::string key(name);
  const void* value = nullptr;
  size_t size = 0;
  if (rd_kafka_header_get_last(hdrs, key.c_str(), &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return std::nullopt;
  }
  if (!value) return std::string_view();
  return std::string_view(static_cast<const char*>(value), size);
}

rd_kafka_headers_t* to_rd_headers(const Headers* headers) {
  if (!headers || headers->empty()) return nullptr;
  rd_kafka_headers_t* out = rd_kafka_headers_new(headers->size());
  for (const auto& [name, value] : *headers) {
    rd_kafka_header_add(out, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                        static_cast<ssize_t>(value.size()));
  }
  return out;
}

PartitionListPtr to_partition_list(const std::vector<TopicPartitionOffset>& offsets) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const auto& o : offsets) {
    rd_kafka_topic_partition_list_add(list.get(), o.topic.c_str(), o.partition)->offset = o.offset;
  }
  return list;
}

PartitionListPtr to_partition_list(const std::vector<TopicPartition>& partitions) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (const auto& p : partitions) {
    rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition);
  }
  return list;
}

std::vector<TopicPartition> from_partition_list(const rd_kafka_topic_partition_list_t* list) {
  std::vector<TopicPartition> out;
  if (!list) return out;
  out.reserve(static_cast<size_t>(list->cnt));
  for (int i = 0; i < list->cnt; ++i) {
    out.push_back({list->elems[i].topic, list->elems[i].partition});
  }
  return out;
}

}  // namespace hookline::kafka
