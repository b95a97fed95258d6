#include "ctl/status/time_lookup.h"

#include <optional>

namespace hookline::ctl::status {
namespace {

struct Found {
  std::int64_t offset = 0;
  std::optional<std::int64_t> time_ms;
};

// The first record in [from, to) of the partition (none: only transaction markers, or empty).
Result<std::optional<Found>> first_record(kafka::TopicScan& scan, std::int32_t partition,
                                          std::int64_t from, std::int64_t to) {
  std::optional<Found> found;
  Status st = scan.read({{partition, from, to}}, [&](const kafka::Message& m) {
    found = Found{m.offset(), m.timestamp_ms()};
    return false;
  });
  if (!st) return st.error();
  return found;
}

// The first offset from which every record's time is at or after `ms`, in [low, end].
Result<std::int64_t> search(kafka::TopicScan& scan, const Watermark& w, std::int64_t ms) {
  std::int64_t lo = w.low, hi = w.end;  // the answer lies in [lo, hi]
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    auto r = first_record(scan, w.partition, mid, hi);
    if (!r) return r.error();
    if (!*r || ((*r)->time_ms && *(*r)->time_ms >= ms)) {
      hi = mid;  // [mid, first record) holds no record: the answer is at most mid
    } else {
      lo = (*r)->offset + 1;
    }
  }
  return lo;
}

}  // namespace

Result<TimeLookup> offsets_at_time(kafka::TopicScan& scan, const std::vector<Watermark>& marks,
                                   std::int64_t ms) {
  auto at = scan.offsets_for_time(ms);
  if (!at) return at.error();
  TimeLookup out;
  out.offsets = Offsets(at->begin(), at->end());
  // "Nothing that recent" in a partition holding records: true, or a broker without a time
  // index. A lookup at time 0 tells them apart (it finds the first record on a real broker).
  std::vector<Watermark> unsure;
  for (const Watermark& w : marks) {
    auto it = out.offsets.find(w.partition);
    if (w.low < w.end && (it == out.offsets.end() || it->second >= w.end)) unsure.push_back(w);
  }
  if (unsure.empty()) return out;
  auto from_start = scan.offsets_for_time(0);
  if (!from_start) return from_start.error();
  for (const Watermark& w : unsure) {
    auto it = from_start->find(w.partition);
    if (it != from_start->end() && it->second < w.end) continue;  // the index answered
    auto found = search(scan, w, ms);
    if (!found) return found.error();
    out.offsets[w.partition] = *found;
    out.searched = true;
  }
  return out;
}

}  // namespace hookline::ctl::status
