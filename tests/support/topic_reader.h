#pragma once
// Reads every record of a topic up to its current high watermarks (all partitions), so a test
// can assert exactly what was published without waiting for a quiet period.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/kafka/message.h"

namespace hookline::test {

struct ReadRecord {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::optional<std::string> key;
  std::string value;
  kafka::Headers headers;
  std::int64_t timestamp_ms = 0;                      // the record's timestamp (0 when it has none)
  std::string header(const std::string& name) const;  // "" when absent
};

// Throws std::runtime_error when the watermarks cannot be read or the records do not arrive
// within `timeout`.
std::vector<ReadRecord> read_topic(const std::string& bootstrap, const std::string& topic,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace hookline::test
