#include "sinks/simulator/recorder.h"

#include <algorithm>
#include <string_view>

namespace hookline::simulator {

const char* const kRecordedHeaders[] = {
    "idempotency-key",       "x-hookline-request-id", "webhook-id",
    "webhook-timestamp",     "webhook-signature",     "list-unsubscribe",
    "list-unsubscribe-post", "content-type",          nullptr};

HeaderList recorded_headers(const HeaderList& headers) {
  HeaderList out;
  for (const auto& [name, value] : headers) {
    for (const char* const* h = kRecordedHeaders; *h; ++h) {
      if (name == *h) {
        out.emplace_back(name, value);
        break;
      }
    }
  }
  return out;
}

Recorder::Recorder(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

std::int64_t Recorder::add(Record record) {
  std::lock_guard lock(mu_);
  record.seq = next_seq_++;
  ++total_;
  ++counts_[record.provider][record.status];
  records_.push_back(std::move(record));
  if (records_.size() > capacity_) records_.pop_front();
  return records_.back().seq;
}

std::vector<Record> Recorder::query(const RecordFilter& f) const {
  std::vector<Record> out;
  std::lock_guard lock(mu_);
  auto it = std::upper_bound(records_.begin(), records_.end(), f.since_seq,
                             [](std::int64_t seq, const Record& r) { return seq < r.seq; });
  for (; it != records_.end() && out.size() < f.limit; ++it) {
    const Record& r = *it;
    if (!f.provider.empty() && r.provider != f.provider) continue;
    if (!f.target.empty() && r.target != f.target) continue;
    if (!std::string_view(r.path).starts_with(f.path_prefix)) continue;
    if (f.status && r.status != *f.status) continue;
    out.push_back(r);
  }
  return out;
}

Stats Recorder::stats() const {
  std::lock_guard lock(mu_);
  Stats s;
  s.total = total_;
  s.retained = records_.size();
  s.last_seq = next_seq_ - 1;
  s.by_provider = counts_;
  return s;
}

void Recorder::clear() {
  std::lock_guard lock(mu_);
  records_.clear();
  counts_.clear();
  total_ = 0;
}

}  // namespace hookline::simulator
