#pragma once
// The dedup changelog (`<group>.dedup-changelog`, DESIGN.md decision 4): one partition per
// webhooks.raw partition, written in the same Kafka transaction as the outputs it accounts for.
//
// Records:
//   key = 16-byte identity digest, value = DedupWindow::encode_entry()   an identity was seen
//   key = 16-byte identity digest, value = null (tombstone)              it expired
//   key = "hookline.input-offset", value = 8-byte big-endian offset      next raw offset to read
//
// The offset record makes the changelog self-sufficient: on a real cluster it always equals
// the group's committed offset (same transaction); on the dev broker, whose mock cluster
// acknowledges but does not store offsets committed inside a transaction, it is the only record
// of progress. Restore starts input at the later of the two.
//
// The offset record also closes its transaction: the processor produces it only after every
// other record of the transaction (outputs included) is acknowledged. A restore applies the
// records before the last offset record and sets aside the ones after it: on a real cluster
// read_committed hides an open or aborted transaction anyway, but the dev broker shows them,
// and applying the identities of a transaction killed half-way would drop events whose
// outputs never arrived. The digests set aside are restated by the next transaction
// (PartitionTask::restate), so they cannot count later either. Compaction keeps this sound:
// it never removes the newest offset record or anything after it.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/error.h"
#include "core/kafka/client_config.h"
#include "processors/normalizer/dedup_window.h"

namespace hookline::normalizer {

inline constexpr std::string_view kOffsetRecordKey = "hookline.input-offset";

std::string encode_offset(std::int64_t next_offset);
std::optional<std::int64_t> decode_offset(std::string_view value);

struct RestoreStats {
  std::size_t records = 0;                   // changelog records read
  std::size_t entries = 0;                   // identities applied
  std::size_t tombstones = 0;                // tombstones applied
  std::size_t skipped = 0;                   // records that did not decode (counted, ignored)
  std::optional<std::int64_t> input_offset;  // the newest offset record, if any
  // Digests of the records after the last offset record (not applied; see above).
  std::vector<std::string> uncommitted;
  std::chrono::milliseconds took{0};
};

// Reads changelog partitions from the beginning to their end with isolation.level=
// read_committed. Owns one librdkafka consumer that is assigned partitions directly (it never
// joins a group and never commits). Not thread-safe: used by the processor's polling thread.
class ChangelogRestorer {
 public:
  // Throws kafka::KafkaError on a bad configuration.
  ChangelogRestorer(const KafkaConfig& cfg, std::string topic, const std::string& client_id);
  ~ChangelogRestorer();
  ChangelogRestorer(const ChangelogRestorer&) = delete;
  ChangelogRestorer& operator=(const ChangelogRestorer&) = delete;

  // Applies partition `partition` of the changelog to `window` (which should be empty).
  // Fails (kind fatal) when the end is not reached within `timeout`.
  Result<RestoreStats> restore(std::int32_t partition, DedupWindow& window,
                               std::chrono::milliseconds timeout);

  const std::string& topic() const noexcept { return topic_; }

 private:
  std::unique_ptr<kafka::ClientState> state_;
  kafka::HandlePtr rk_;
  std::string topic_;
};

}  // namespace hookline::normalizer
