#pragma once
// The in-memory connection registry the HTTP server reads on every request. It holds an
// immutable snapshot that replace() swaps atomically: a reader only copies a shared_ptr under
// a mutex (never waits for a reload to be built), and a connection it holds stays valid after
// a swap. Thread-safe. (Not std::atomic<std::shared_ptr>: libstdc++ 12's load() unlocks with
// relaxed order, which ThreadSanitizer reports as a race.)
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ingest/registry/connection.h"

namespace hookline::ingest {

class Registry {
 public:
  // One immutable generation of the registry.
  class Snapshot {
   public:
    explicit Snapshot(std::vector<Connection> connections);
    std::shared_ptr<const Connection> find(std::string_view provider, std::string_view id) const;
    std::shared_ptr<const Connection> find_default(std::string_view provider) const;
    std::size_t size() const noexcept { return size_; }

   private:
    struct Hash {
      using is_transparent = void;
      std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
      }
    };
    template <class V>
    using Map = std::unordered_map<std::string, V, Hash, std::equal_to<>>;
    struct Provider {
      Map<std::shared_ptr<const Connection>> by_id;
      std::shared_ptr<const Connection> default_connection;
    };
    Map<Provider> providers_;
    std::size_t size_ = 0;
  };

  Registry();

  // The connection, or nullptr when unknown. Disabled connections are returned too
  // (enabled == false): the caller answers 404 for them.
  std::shared_ptr<const Connection> find(std::string_view provider, std::string_view id) const;

  // The connection a URL without an id means (/webhooks/<provider>): the provider's connection
  // whose id is "default"; else its only connection; else nullptr (none, or several and none
  // named "default"). Disabled connections are returned as by find().
  std::shared_ptr<const Connection> find_default(std::string_view provider) const;

  // True after the first replace() (the first successful load).
  bool loaded() const noexcept { return loaded_.load(std::memory_order_acquire); }
  std::size_t size() const { return snapshot()->size(); }

  // Swaps in a new snapshot built from `connections` (a later duplicate provider/id wins).
  void replace(std::vector<Connection> connections);

  // The current snapshot, for several lookups that must agree with each other.
  std::shared_ptr<const Snapshot> snapshot() const;

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> current_;  // guarded by mu_; never null
  std::atomic<bool> loaded_{false};
};

inline constexpr std::string_view kDefaultConnectionId = "default";

}  // namespace hookline::ingest
