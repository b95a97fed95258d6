#include "ctl/dlq/replay_record.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "core/replay_marks.h"
#include "core/time_format.h"
#include "processors/normalizer/partition_task.h"
#include "sinks/sender/flow/retry_headers.h"

namespace hookline::ctl {
namespace {

namespace nd = normalizer::dlq_headers;

// Everything the DLQ, the retry tiers and an earlier replay added.
constexpr std::array<std::string_view, 20> kDropped = {
    sender::kDlqOriginalTopic,
    sender::kDlqOriginalPartition,
    sender::kDlqOriginalOffset,
    sender::kDlqErrorClass,
    sender::kDlqProviderStatus,
    sender::kDlqProviderAnswer,
    sender::kDlqAttempts,
    sender::kDlqFailedAt,
    nd::kErrorMessage,
    nd::kProcessor,
    nd::kProcessorVersion,
    sender::kAttemptHeader,
    sender::kDueHeader,
    sender::kLastErrorHeader,
    sender::kFirstFailedAtHeader,
    replay_marks::kReplayedFrom,
    replay_marks::kReplayedBy,
    replay_marks::kReplayedAt,
    replay_marks::kReplayMode,
    nd::kFailedAt,
};

}  // namespace

bool is_dead_letter_topic(const std::string& topic) {
  return topic.ends_with(".dlq") || topic.ends_with("-dlq");
}

std::string coordinates(const std::string& topic, std::int32_t partition, std::int64_t offset) {
  return topic + ":" + std::to_string(partition) + ":" + std::to_string(offset);
}

kafka::Headers replayed_headers(const kafka::Headers& parked, const std::string& from,
                                const std::string& by, std::chrono::system_clock::time_point at,
                                bool renormalize) {
  kafka::Headers out;
  out.reserve(parked.size() + 4);
  for (const auto& h : parked) {
    if (std::find(kDropped.begin(), kDropped.end(), std::string_view(h.first)) == kDropped.end()) {
      out.push_back(h);
    }
  }
  out.emplace_back(replay_marks::kReplayedFrom, from);
  out.emplace_back(replay_marks::kReplayedBy, by);
  out.emplace_back(replay_marks::kReplayedAt, rfc3339_ms(at));
  if (renormalize) out.emplace_back(replay_marks::kReplayMode, replay_marks::kRenormalize);
  return out;
}

}  // namespace hookline::ctl
