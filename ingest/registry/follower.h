#pragma once
// Keeps a Registry in step with Postgres without a restart. A thread connects, LISTENs on
// hookline_connections, loads every connection (Registry::replace), then reloads on every
// notification (a burst is coalesced into one reload) and every poll interval as a safety net.
// When Postgres is unreachable or the connection drops, it logs (no secrets), keeps the last
// snapshot so the ingest keeps serving, and reconnects with exponential backoff.
//
// stop() is prompt: the thread waits for notifications in short slices and sleeps its backoff
// on a condition variable. Only a connect in progress (bounded by database.connect_timeout) or
// a query on a dead network (bounded by the TCP keepalives the follower asks libpq for) can
// delay it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "core/config.h"
#include "core/error.h"
#include "ingest/registry/connection_store.h"
#include "ingest/registry/registry.h"
#include "ingest/registry/secret_box.h"

namespace hookline::ingest {

inline constexpr std::chrono::milliseconds kDefaultPollInterval{30000};
inline constexpr std::chrono::milliseconds kDefaultBackoffMin{1000};
inline constexpr std::chrono::milliseconds kDefaultBackoffMax{30000};

struct FollowerOptions {
  std::chrono::milliseconds poll_interval =
      kDefaultPollInterval;                                    // full reload at least this often
  std::chrono::milliseconds backoff_min = kDefaultBackoffMin;  // first reconnect delay
  std::chrono::milliseconds backoff_max = kDefaultBackoffMax;  // doubling stops here
  // After a notification, further ones arriving within this window join the same reload.
  std::chrono::milliseconds coalesce = std::chrono::milliseconds(50);
};

class RegistryFollower {
 public:
  RegistryFollower(DatabaseConfig database, SecretBox box, Registry& registry,
                   FollowerOptions options = {});
  ~RegistryFollower();  // stop()
  RegistryFollower(const RegistryFollower&) = delete;
  RegistryFollower& operator=(const RegistryFollower&) = delete;

  // One synchronous load into the registry on a connection of its own, for start-up: the
  // caller decides whether to fail fast or start empty. A retriable Error (no secret in it)
  // when Postgres cannot be reached or read. Meant for before start() (after it, a slow
  // load_once could replace a newer snapshot until the next reload).
  Status load_once();

  // Starts the thread (once). The first thing it does is connect and load.
  void start();
  // Stops and joins the thread; idempotent, noexcept. The registry keeps its last snapshot.
  void stop() noexcept;

  // For the lead's metrics.
  std::uint64_t reloads() const noexcept { return reloads_.load(); }    // successful loads
  std::uint64_t failures() const noexcept { return failures_.load(); }  // connects/loads failed
  std::uint64_t skipped() const noexcept { return skipped_.load(); }    // rows skipped last load
  bool connected() const noexcept { return connected_.load(); }         // listening right now
  // Time of the last successful load; the epoch when there was none.
  std::chrono::system_clock::time_point last_success() const noexcept;

 private:
  class Session;
  void run() noexcept;
  void follow(Session& session);
  void reload(Session& session, const char* trigger);
  void apply(LoadResult result, const char* trigger);
  bool stopping() const noexcept { return stop_.load(); }
  // Sleeps up to `d`; false when stop() was called.
  bool sleep_for(std::chrono::milliseconds d);
  void record_failure(const char* what, const std::string& reason,
                      std::chrono::milliseconds retry_in);
  // One line for a log or a Status: no password, and the URL as configured (without the
  // keepalive options this follower added).
  std::string reason_of(const std::string& what) const;

  DatabaseConfig database_;  // url with keepalives
  std::string configured_url_;
  SecretBox box_;
  Registry& registry_;
  FollowerOptions options_;

  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable wake_;
  std::thread thread_;

  std::atomic<std::uint64_t> reloads_{0};
  std::atomic<std::uint64_t> failures_{0};
  std::atomic<std::uint64_t> skipped_{0};
  std::atomic<bool> connected_{false};
  std::atomic<std::int64_t> last_success_ns_{0};
};

// `url` with TCP keepalive settings for libpq added (keepalives, keepalives_idle=10,
// keepalives_interval=5, keepalives_count=3) in the URL's own syntax, unless it already sets
// any keepalive option; so a connection to a host that vanished is noticed in ~25 s.
std::string with_keepalives(const std::string& url);

}  // namespace hookline::ingest
