#include "sinks/simulator/idempotency.h"

#include <algorithm>

namespace hookline::simulator {

IdempotencyStore::IdempotencyStore(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)) {}

IdempotencyStore::Outcome IdempotencyStore::answer(std::string_view target, std::string_view key,
                                                   std::string_view body,
                                                   const std::function<Answer()>& make) {
  const std::size_t hash = std::hash<std::string_view>{}(body);
  std::lock_guard lock(mu_);
  Key k{std::string(target), std::string(key)};
  if (auto it = entries_.find(k); it != entries_.end()) {
    if (it->second.body_hash != hash) return Outcome{Kind::conflict, {}};
    return Outcome{Kind::replay, it->second.answer};
  }
  Answer a = make();
  if (a.status >= 200 && a.status < 300) {
    entries_.emplace(k, Entry{hash, a});
    order_.push_back(std::move(k));
    if (order_.size() > capacity_) {
      entries_.erase(order_.front());
      order_.pop_front();
    }
  }
  return Outcome{Kind::fresh, std::move(a)};
}

void IdempotencyStore::clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
  order_.clear();
}

}  // namespace hookline::simulator
