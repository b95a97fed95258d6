#pragma once
// The arithmetic of `hookline status`, apart from any broker: consumer lag from watermarks and
// committed offsets, lag from a component's gauges, and a DLQ's size, growth and replay
// backlog. Offsets are per partition; "end" is the last stable offset (read_committed).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ctl/status/snapshot.h"

namespace hookline::ctl::status {

struct Watermark {
  std::int32_t partition = 0;
  std::int64_t low = 0;
  std::int64_t end = 0;
};

// Per partition, an offset (the next to read, or the first at a time).
using Offsets = std::map<std::int32_t, std::int64_t>;

// Records not yet read: end - committed; without a commit, from the low watermark; a commit
// below the low watermark counts from it (older records are gone). Never negative.
std::int64_t partition_lag(const Watermark& w, std::optional<std::int64_t> committed);

// Lag of every partition of `topic` from the watermarks and the group's offsets (`source`:
// broker or database). Partitions without an offset count from their low watermark.
TopicLag lag_from_offsets(const std::string& topic, const std::vector<Watermark>& marks,
                          const Offsets& committed, LagSource source);

// Lag from a component's gauge (partition -> records behind), source metrics. A partition the
// gauge does not report has lag 0 when it holds no record, else it is left out and counted in
// the note.
TopicLag lag_from_gauges(const std::string& topic, const std::vector<Watermark>& marks,
                         const std::map<std::int32_t, double>& gauges);

struct DlqCounts {
  std::int64_t held = 0;
  std::int64_t last_hour = 0;
  std::int64_t not_replayed = 0;
};

// `since_hour`: per partition, the first offset at or after now - 1 h (the partition's end when
// none). `cursor`: the replay group's committed offsets (absent partitions: nothing replayed).
DlqCounts dlq_counts(const std::vector<Watermark>& marks, const Offsets& since_hour,
                     const Offsets& cursor);

}  // namespace hookline::ctl::status
