#include "processors/normalizer/partition_task.h"

#include <algorithm>
#include <cctype>

#include "core/replay_marks.h"
#include "core/time_format.h"
#include "processors/normalizer/changelog.h"
#include "processors/normalizer/cloudevent_record.h"

namespace hookline::normalizer {
namespace {

constexpr std::size_t kMaxErrorMessage = 300;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string header_or_empty(const RawDelivery& d, std::string_view name) {
  auto it = d.headers.find(name);
  return it == d.headers.end() ? std::string() : it->second;
}

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

PartitionTask::PartitionTask(std::int32_t partition, const EventMapper& mapper,
                             const NormalizerConfig& config, NormalizerMetrics& metrics)
    : partition_(partition), mapper_(mapper), config_(config), metrics_(metrics) {}

void PartitionTask::process(const RawInput& input, std::vector<Output>& out) {
  if (committed_offset_ < 0) committed_offset_ = input.offset;  // the first record read
  next_offset_ = input.offset + 1;
  const std::int64_t record_ms = input.timestamp_ms.value_or(wall_ms());
  stream_time_ms_ = std::max(stream_time_ms_, record_ms);

  RawDelivery d;
  d.key = input.key.value_or(std::string_view());
  d.body = input.value;
  for (const auto& [name, value] : input.headers) d.headers[lower(name)] = value;  // newest wins
  d.provider = header_or_empty(d, "hookline-provider");
  d.connection = header_or_empty(d, "hookline-connection");
  d.tenant = header_or_empty(d, "hookline-tenant");
  d.environment = header_or_empty(d, "hookline-environment");
  d.delivery_id = header_or_empty(d, "hookline-delivery-id");
  d.event_type = header_or_empty(d, "hookline-event-type");
  d.received_at = header_or_empty(d, "hookline-received-at");
  d.content_type = header_or_empty(d, "hookline-content-type");
  if (d.received_at.empty()) {
    d.received_at =
        rfc3339_ms(std::chrono::system_clock::time_point(std::chrono::milliseconds(record_ms)));
  }

  metrics_.records_in.with({d.provider.empty() ? "unknown" : d.provider}).inc();
  if (d.provider.empty() || d.connection.empty()) {
    dead_letter(input, "missing-header",
                "record has no hookline-provider or hookline-connection header", out);
    return;
  }

  MappingResult result = mapper_.map(d);
  if (auto* error = std::get_if<MappingError>(&result)) {
    dead_letter(input, error->reason, error->message, out);
    return;
  }
  // An operator's raw replay (hookline replay raw) re-emits what the window already saw, under
  // the same ids: consumers dedupe on id.
  const bool renormalize =
      header_or_empty(d, replay_marks::kReplayMode) == replay_marks::kRenormalize;
  if (renormalize) metrics_.replays.with({d.provider}).inc();
  const auto window = config_.window_for(d.provider);
  const DedupWindow::TimePoint now{std::chrono::milliseconds(record_ms)};
  for (MappedEvent& mapped : std::get<std::vector<MappedEvent>>(result)) {
    NormalizedEvent& ev = mapped.event;
    std::string digest = DedupWindow::digest_of(ev.identity);
    std::optional<DedupWindow::Entry> previous;
    if (!digest.empty()) previous = window_.find(digest);
    const bool seen = window_.observe_digest(digest, now, window) == Verdict::duplicate;
    if (seen && !renormalize) {
      metrics_.duplicates.with({d.provider}).inc();
      continue;
    }
    if (!seen && !digest.empty()) {
      undo_.push_back({digest, previous});
      out.push_back(changelog_entry(digest));
    }
    metrics_.events_out.with({d.provider, ev.type, ev.topic}).inc();
    Output record;
    record.topic = ev.topic;
    record.key = ev.partition_key;
    record.headers = cloudevent_headers(ev, d);
    record.value = std::move(ev.data);
    out.push_back(std::move(record));
    for (Signal& s : mapped.signals) {
      metrics_.signals.with({s.topic}).inc();
      Output sig;
      sig.topic = std::move(s.topic);
      sig.key = std::move(s.key);
      sig.value = std::move(s.value);
      sig.headers = {{"content-type", "application/json"},
                     {ce_headers::kId, ev.id},
                     {ce_headers::kSource, ev.source}};
      out.push_back(std::move(sig));
    }
  }
}

void PartitionTask::evict(std::vector<Output>& out, std::size_t max) {
  if (stream_time_ms_ == 0) return;
  const DedupWindow::TimePoint now{std::chrono::milliseconds(stream_time_ms_)};
  // Remember each entry before it goes, so an abort can put it back.
  for (auto& [digest, entry] : window_.evict_expired_entries(now, max)) {
    undo_.push_back({digest, entry});
    Output t;
    t.topic = config_.changelog_topic;
    t.key = std::move(digest);
    t.partition = partition_;
    out.push_back(std::move(t));
  }
}

void PartitionTask::append_offset_record(std::vector<Output>& out) const {
  if (!dirty()) return;
  Output o;
  o.topic = config_.changelog_topic;
  o.key = std::string(kOffsetRecordKey);
  o.value = encode_offset(next_offset_);
  o.partition = partition_;
  out.push_back(std::move(o));
}

void PartitionTask::committed() {
  undo_.clear();
  committed_offset_ = next_offset_;
}

void PartitionTask::restate(const std::vector<std::string>& digests) {
  restate_.insert(restate_.end(), digests.begin(), digests.end());
}

void PartitionTask::append_restatements(std::vector<Output>& out) {
  std::sort(restate_.begin(), restate_.end());
  restate_.erase(std::unique(restate_.begin(), restate_.end()), restate_.end());
  for (const std::string& digest : restate_) out.push_back(changelog_entry(digest));
  restate_.clear();
}

void PartitionTask::rolled_back() {
  // On a real cluster read_committed readers never see the aborted records; on the dev broker
  // they do, so the next transaction restates what they touched.
  for (const Undo& u : undo_) restate_.push_back(u.digest);
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) {
    if (it->previous) {
      window_.restore(it->digest, DedupWindow::encode_entry(*it->previous));
    } else {
      window_.restore_tombstone(it->digest);
    }
  }
  undo_.clear();
  next_offset_ = committed_offset_;
}

Output PartitionTask::changelog_entry(const std::string& digest) const {
  Output o;
  o.topic = config_.changelog_topic;
  o.key = digest;
  if (auto entry = window_.find(digest)) o.value = DedupWindow::encode_entry(*entry);
  o.partition = partition_;
  return o;
}

void PartitionTask::dead_letter(const RawInput& input, const std::string& reason,
                                const std::string& message, std::vector<Output>& out) {
  metrics_.dlq.with({reason}).inc();
  Output o;
  o.topic = config_.dlq_topic;
  if (input.key) o.key = std::string(*input.key);
  o.value = std::string(input.value);
  o.headers = input.headers;
  o.headers.emplace_back(dlq_headers::kErrorClass, reason);
  o.headers.emplace_back(dlq_headers::kErrorMessage, message.substr(0, kMaxErrorMessage));
  o.headers.emplace_back(dlq_headers::kProcessor, kProcessorName);
  o.headers.emplace_back(dlq_headers::kProcessorVersion, kProcessorVersion);
  o.headers.emplace_back(dlq_headers::kOriginalTopic, input.topic);
  o.headers.emplace_back(dlq_headers::kOriginalPartition, std::to_string(input.partition));
  o.headers.emplace_back(dlq_headers::kOriginalOffset, std::to_string(input.offset));
  o.headers.emplace_back(dlq_headers::kFailedAt, rfc3339_ms(std::chrono::system_clock::now()));
  out.push_back(std::move(o));
}

}  // namespace hookline::normalizer
