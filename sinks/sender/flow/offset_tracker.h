#pragma once
// Which offset of one partition may be committed when its messages finish out of order.
//
// Contract:
// - started(o) when the consumer hands message o to a worker, finished(o) when its outcome is
//   durable (sent and reported, or written to a retry tier or the DLQ: STYLE.md "commit after
//   the work").
// - committable() is the offset to commit (Kafka's "next to read"): the lowest offset started
//   and not finished, or, when none is open, the highest finished + 1; nullopt when nothing
//   was started since construction or reset(). A message held back (a throttled connection)
//   holds the partition's commit at its offset, never beyond: others' later offsets finish but
//   are committed only once it finishes.
// - Offsets are started in increasing order as a consumer reads them; after a seek, a
//   rebalance or a commit failure that rewinds, call reset(). Starting an open offset again and
//   finishing an offset that is not open are ignored (finished() returns false).
// - O(log n) per operation in the number of open offsets; one tracker per partition.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>

namespace hookline::sender {

class OffsetTracker {
 public:
  void started(std::int64_t offset);
  // False when `offset` was not open (unknown or already finished).
  bool finished(std::int64_t offset);
  std::optional<std::int64_t> committable() const;

  bool is_open(std::int64_t offset) const { return open_.contains(offset); }
  std::size_t open_count() const noexcept { return open_.size(); }
  void reset();

 private:
  std::set<std::int64_t> open_;
  std::optional<std::int64_t> highest_finished_;
};

}  // namespace hookline::sender
