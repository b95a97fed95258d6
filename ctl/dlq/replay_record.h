#pragma once
// What a replay re-produces for one record: where it goes and with which headers.
//
// A parked record goes back to the topic it was read from before it failed (its
// hookline-original-topic header) and, when that topic has it, to the same partition (so the
// raw topic's dedup locality and the sender's per-connection ownership hold). Its headers are
// its own minus what the DLQ and the retry tiers added (error class, attempts, due time, ...:
// the attempt counter starts again) plus hookline-replayed-from / -by / -at (core/replay_marks.h).
// Key and value are unchanged, so request ids and event ids are carried and replaying twice
// sends once.
#include <chrono>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/kafka/message.h"
#include "ctl/dlq/dlq_entry.h"

namespace hookline::ctl {

struct ReplayTarget {
  std::string topic;
  std::int32_t partition = -1;  // -1: the partitioner decides
};

// Error (kind permanent, a short reason) when the record says nowhere to go or points back at
// a dead-letter topic. `partitions_of` gives a topic's partition count (0: no such topic).
template <class PartitionsOf>
Result<ReplayTarget> replay_target(const DlqEntry& entry, const std::string& source_topic,
                                   PartitionsOf&& partitions_of);

// "<topic>:<partition>:<offset>".
std::string coordinates(const std::string& topic, std::int32_t partition, std::int64_t offset);

kafka::Headers replayed_headers(const kafka::Headers& parked, const std::string& from,
                                const std::string& by, std::chrono::system_clock::time_point at,
                                bool renormalize);

// True for the topics a replay never writes to.
bool is_dead_letter_topic(const std::string& topic);

template <class PartitionsOf>
Result<ReplayTarget> replay_target(const DlqEntry& entry, const std::string& source_topic,
                                   PartitionsOf&& partitions_of) {
  if (entry.original_topic.empty()) {
    return Error{ErrorKind::permanent, {}, "no hookline-original-topic header"};
  }
  if (entry.original_topic == source_topic || is_dead_letter_topic(entry.original_topic)) {
    return Error{ErrorKind::permanent, {}, "came from a dead-letter topic"};
  }
  const int partitions = partitions_of(entry.original_topic);
  if (partitions <= 0) {
    return Error{ErrorKind::permanent, {}, "topic " + entry.original_topic + " does not exist"};
  }
  ReplayTarget t;
  t.topic = entry.original_topic;
  if (entry.original_partition >= 0 && entry.original_partition < partitions) {
    t.partition = entry.original_partition;
  }
  return t;
}

}  // namespace hookline::ctl
