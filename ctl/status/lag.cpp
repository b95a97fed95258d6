#include "ctl/status/lag.h"

#include <algorithm>
#include <cmath>

namespace hookline::ctl::status {
namespace {

std::optional<std::int64_t> find(const Offsets& offsets, std::int32_t partition) {
  auto it = offsets.find(partition);
  if (it == offsets.end()) return std::nullopt;
  return it->second;
}

// Records in [from, end), with `from` raised to the low watermark.
std::int64_t records_after(const Watermark& w, std::int64_t from) {
  return std::max<std::int64_t>(0, w.end - std::max(from, w.low));
}

}  // namespace

std::int64_t partition_lag(const Watermark& w, std::optional<std::int64_t> committed) {
  return records_after(w, committed.value_or(w.low));
}

TopicLag lag_from_offsets(const std::string& topic, const std::vector<Watermark>& marks,
                          const Offsets& committed, LagSource source) {
  TopicLag t;
  t.topic = topic;
  t.source = source;
  t.partition_count = static_cast<int>(marks.size());
  std::int64_t total = 0;
  int without = 0, holding = 0;
  for (const Watermark& w : marks) {
    PartitionLag p;
    p.partition = w.partition;
    p.end = w.end;
    p.committed = find(committed, w.partition);
    p.lag = partition_lag(w, p.committed);
    if (w.low < w.end) {  // an empty partition has nothing to count
      ++holding;
      if (!p.committed) ++without;
    }
    total += p.lag;
    t.partitions.push_back(p);
  }
  t.total = total;
  if (without > 0 && without == holding) {
    t.note = "no committed offsets: counted from the oldest record";
  } else if (without > 0) {
    t.note =
        std::to_string(without) + " partition(s) without a commit, counted from the oldest record";
  }
  return t;
}

TopicLag lag_from_gauges(const std::string& topic, const std::vector<Watermark>& marks,
                         const std::map<std::int32_t, double>& gauges) {
  TopicLag t;
  t.topic = topic;
  t.source = LagSource::metrics;
  t.partition_count = static_cast<int>(marks.size());
  std::int64_t total = 0;
  int unreported = 0;
  for (const Watermark& w : marks) {
    PartitionLag p;
    p.partition = w.partition;
    p.end = w.end;
    if (auto it = gauges.find(w.partition); it != gauges.end()) {
      // A gauge is a double from the network: NaN and negatives read as 0, huge values
      // saturate.
      const double v = std::isnan(it->second) || it->second < 0 ? 0.0 : it->second;
      constexpr double kMax = 1e15;
      p.lag = static_cast<std::int64_t>(std::min(v, kMax));
    } else if (w.low < w.end) {
      ++unreported;
      continue;
    }
    total += p.lag;
    t.partitions.push_back(p);
  }
  if (!t.partitions.empty()) t.total = total;
  if (unreported > 0) {
    t.note = std::to_string(unreported) +
             " partition(s) holding records not reported by the endpoint(s): lag left out";
  }
  return t;
}

DlqCounts dlq_counts(const std::vector<Watermark>& marks, const Offsets& since_hour,
                     const Offsets& cursor) {
  DlqCounts c;
  for (const Watermark& w : marks) {
    c.held += records_after(w, w.low);
    c.last_hour += records_after(w, find(since_hour, w.partition).value_or(w.end));
    c.not_replayed += records_after(w, find(cursor, w.partition).value_or(w.low));
  }
  return c;
}

}  // namespace hookline::ctl::status
