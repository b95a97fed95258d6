#pragma once
// The work of one webhooks.raw partition inside the normalizer: map each raw record to events,
// drop the ones its dedup window has seen, and say what the current transaction must write:
// the CloudEvents records, the signals, the changelog records, or the record's DLQ copy.
//
// A plain type, testable without Kafka: the processor feeds it records and produces what it
// returns. Every change to the window since the last commit is kept in an undo log, so an
// aborted transaction rolls the window back to the state its committed changelog describes.
// Not thread-safe: owned by the processor's polling thread.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/kafka/message.h"
#include "processors/normalizer/dedup_window.h"
#include "processors/normalizer/event_mapper.h"
#include "processors/normalizer/normalizer_config.h"
#include "processors/normalizer/normalizer_metrics.h"

namespace hookline::normalizer {

// A record the transaction writes; owns its bytes. `value` nullopt is a tombstone.
struct Output {
  std::string topic;
  std::optional<std::string> key;
  std::optional<std::string> value;
  kafka::Headers headers;
  std::int32_t partition = -1;  // -1: the partitioner decides (RD_KAFKA_PARTITION_UA)
};

// The DLQ headers added to the raw record's own headers.
namespace dlq_headers {
inline constexpr const char* kErrorClass = "hookline-error-class";
inline constexpr const char* kErrorMessage = "hookline-error-message";
inline constexpr const char* kProcessor = "hookline-processor";
inline constexpr const char* kProcessorVersion = "hookline-processor-version";
inline constexpr const char* kOriginalTopic = "hookline-original-topic";
inline constexpr const char* kOriginalPartition = "hookline-original-partition";
inline constexpr const char* kOriginalOffset = "hookline-original-offset";
inline constexpr const char* kFailedAt = "hookline-failed-at";
}  // namespace dlq_headers

inline constexpr const char* kProcessorName = "hookline-normalizer";
inline constexpr const char* kProcessorVersion = "0.1.0";

// What the task needs to know about one raw record (a Kafka message, or a test's stand-in).
struct RawInput {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::optional<std::string_view> key;
  std::string_view value;
  kafka::Headers headers;
  std::optional<std::int64_t> timestamp_ms;  // the record's time; the window's clock
};

class PartitionTask {
 public:
  PartitionTask(std::int32_t partition, const EventMapper& mapper, const NormalizerConfig& config,
                NormalizerMetrics& metrics);

  // Processes one record at `input.offset` and appends what the transaction writes.
  void process(const RawInput& input, std::vector<Output>& out);
  // Appends tombstones for entries expired at the partition's stream time (the newest record
  // time seen), at most `max`.
  void evict(std::vector<Output>& out, std::size_t max);
  // Appends the changelog's offset record (next offset to read), if anything was processed
  // since the last commit. The processor writes it last in a transaction, after every other
  // record of the transaction is acknowledged (changelog.h).
  void append_offset_record(std::vector<Output>& out) const;
  // Digests whose changelog records may belong to a transaction that never completed (an
  // aborted one, or the tail a restore found after the last offset record): the next
  // transaction restates their current state, so those records can never count later.
  void restate(const std::vector<std::string>& digests);
  // Appends the restating changelog records (entry, or tombstone when absent) and forgets them.
  void append_restatements(std::vector<Output>& out);

  // Whether records were processed since the last commit.
  bool dirty() const noexcept { return next_offset_ != committed_offset_; }
  // The transaction committed: the undo log is dropped.
  void committed();
  // The transaction aborted: the window is rolled back, the digests it touched are to be
  // restated, and the next offset returns to the committed one (the processor seeks there).
  void rolled_back();

  // Where reading starts after a restore (set by the processor) and where it goes on.
  void set_start(std::int64_t offset) noexcept { next_offset_ = committed_offset_ = offset; }
  std::int64_t next_offset() const noexcept { return next_offset_; }
  std::int64_t committed_offset() const noexcept { return committed_offset_; }

  std::int32_t partition() const noexcept { return partition_; }
  DedupWindow& window() noexcept { return window_; }
  const DedupWindow& window() const noexcept { return window_; }

 private:
  void dead_letter(const RawInput& input, const std::string& reason, const std::string& message,
                   std::vector<Output>& out);
  Output changelog_entry(const std::string& digest) const;

  struct Undo {
    std::string digest;
    std::optional<DedupWindow::Entry> previous;  // nullopt: the digest was absent
  };

  std::int32_t partition_;
  const EventMapper& mapper_;
  const NormalizerConfig& config_;
  NormalizerMetrics& metrics_;
  DedupWindow window_;
  std::vector<Undo> undo_;
  std::vector<std::string> restate_;
  std::int64_t stream_time_ms_ = 0;
  std::int64_t next_offset_ = -1;  // -1: nothing read yet
  std::int64_t committed_offset_ = -1;
};

}  // namespace hookline::normalizer
