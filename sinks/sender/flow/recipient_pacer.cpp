#include "sinks/sender/flow/recipient_pacer.h"

#include <algorithm>

namespace hookline::sender {

RecipientPacer::RecipientPacer(std::chrono::milliseconds interval, std::size_t max_entries)
    : interval_(std::max(interval, std::chrono::milliseconds::zero())),
      max_entries_(std::max<std::size_t>(max_entries, 1)) {}

std::uint64_t RecipientPacer::hash(std::string_view recipient_key) noexcept {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a 64 offset basis
  for (const char c : recipient_key) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;  // FNV-1a 64 prime
  }
  return h;
}

std::optional<RecipientPacer::TimePoint> RecipientPacer::next_allowed(
    std::string_view recipient_key, TimePoint now) const {
  if (interval_ == std::chrono::milliseconds::zero()) return std::nullopt;
  const auto it = last_sent_.find(hash(recipient_key));
  if (it == last_sent_.end()) return std::nullopt;
  const TimePoint allowed = it->second + interval_;
  if (now >= allowed) return std::nullopt;
  return allowed;
}

void RecipientPacer::drop_front() {
  const auto [key, at] = order_.front();
  order_.pop_front();
  const auto it = last_sent_.find(key);
  if (it != last_sent_.end() && it->second == at) last_sent_.erase(it);
}

void RecipientPacer::drop_expired(TimePoint now) {
  while (!order_.empty() && now - order_.front().second >= interval_) drop_front();
}

void RecipientPacer::sent(std::string_view recipient_key, TimePoint now) {
  if (interval_ == std::chrono::milliseconds::zero()) return;
  drop_expired(now);
  const std::uint64_t key = hash(recipient_key);
  auto [it, inserted] = last_sent_.try_emplace(key, now);
  if (!inserted) {
    if (now <= it->second) return;  // an older or equal send adds nothing
    it->second = now;
  }
  order_.emplace_back(key, now);
  // The queue bounds the map too: every remembered key has its latest send in the queue.
  while (order_.size() > max_entries_) {
    const auto front = last_sent_.find(order_.front().first);
    if (front != last_sent_.end() && front->second == order_.front().second) ++evicted_;
    drop_front();
  }
}

}  // namespace hookline::sender
