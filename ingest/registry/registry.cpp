#include "ingest/registry/registry.h"

#include <utility>

namespace hookline::ingest {

Registry::Snapshot::Snapshot(std::vector<Connection> connections) {
  for (Connection& c : connections) {
    auto shared = std::make_shared<const Connection>(std::move(c));
    Provider& p = providers_[shared->provider];
    p.by_id.insert_or_assign(shared->id, std::move(shared));
  }
  for (auto& [name, p] : providers_) {
    size_ += p.by_id.size();
    if (auto it = p.by_id.find(kDefaultConnectionId); it != p.by_id.end()) {
      p.default_connection = it->second;
    } else if (p.by_id.size() == 1) {
      p.default_connection = p.by_id.begin()->second;
    }
  }
}

std::shared_ptr<const Connection> Registry::Snapshot::find(std::string_view provider,
                                                           std::string_view id) const {
  auto p = providers_.find(provider);
  if (p == providers_.end()) return nullptr;
  auto c = p->second.by_id.find(id);
  return c == p->second.by_id.end() ? nullptr : c->second;
}

std::shared_ptr<const Connection> Registry::Snapshot::find_default(
    std::string_view provider) const {
  auto p = providers_.find(provider);
  return p == providers_.end() ? nullptr : p->second.default_connection;
}

Registry::Registry() : current_(std::make_shared<const Snapshot>(std::vector<Connection>{})) {}

std::shared_ptr<const Connection> Registry::find(std::string_view provider,
                                                 std::string_view id) const {
  return snapshot()->find(provider, id);
}

std::shared_ptr<const Connection> Registry::find_default(std::string_view provider) const {
  return snapshot()->find_default(provider);
}

void Registry::replace(std::vector<Connection> connections) {
  std::shared_ptr<const Snapshot> next = std::make_shared<const Snapshot>(std::move(connections));
  {
    std::lock_guard<std::mutex> lock(mu_);
    current_.swap(next);
  }
  loaded_.store(true, std::memory_order_release);
  // `next` now holds the old snapshot: freed here, outside the lock, unless a reader holds it.
}

std::shared_ptr<const Registry::Snapshot> Registry::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

}  // namespace hookline::ingest
