#include "sinks/sender/flow/offset_tracker.h"

#include <algorithm>

namespace hookline::sender {

void OffsetTracker::started(std::int64_t offset) {
  open_.insert(offset);
}

bool OffsetTracker::finished(std::int64_t offset) {
  if (open_.erase(offset) == 0) return false;
  highest_finished_ = highest_finished_ ? std::max(*highest_finished_, offset) : offset;
  return true;
}

std::optional<std::int64_t> OffsetTracker::committable() const {
  if (!open_.empty()) return *open_.begin();
  if (!highest_finished_) return std::nullopt;
  return *highest_finished_ + 1;
}

void OffsetTracker::reset() {
  open_.clear();
  highest_finished_.reset();
}

}  // namespace hookline::sender
