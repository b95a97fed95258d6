#pragma once
// Per-recipient pacing on an injected steady clock: at most one message per `interval` to the
// same recipient (WhatsApp Cloud: one per 6 s to a number).
//
// Contract:
// - Keys are digests the caller computed (never an address or a number): the pacer keeps only a
//   64-bit FNV-1a hash of each, so no personal data is held. A hash collision can only delay a
//   message, never send one early.
// - next_allowed(key, now) is nullopt when a message may go now, else the earliest instant;
//   sent(key, now) records a send. An interval of zero disables pacing.
// - Memory is bounded: entries older than the interval are dropped as sends are recorded
//   (amortised O(1)), and at most `max_entries` are kept. Past the cap the oldest entries are
//   evicted even when younger than the interval (counted by evicted(); a recipient evicted that
//   way may receive its next message early).
// - `now` is expected not to go backwards; no threads, no sleeping.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace hookline::sender {

class RecipientPacer {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  static constexpr std::size_t kDefaultMaxEntries = 100'000;

  explicit RecipientPacer(std::chrono::milliseconds interval,
                          std::size_t max_entries = kDefaultMaxEntries);

  std::optional<TimePoint> next_allowed(std::string_view recipient_key, TimePoint now) const;
  void sent(std::string_view recipient_key, TimePoint now);

  std::chrono::milliseconds interval() const noexcept { return interval_; }
  // Recipients remembered now.
  std::size_t size() const noexcept { return last_sent_.size(); }
  // Entries dropped by the cap while still inside their interval.
  std::uint64_t evicted() const noexcept { return evicted_; }

  // The 64-bit FNV-1a hash under which a key is kept.
  static std::uint64_t hash(std::string_view recipient_key) noexcept;

 private:
  void drop_expired(TimePoint now);
  void drop_front();

  std::chrono::milliseconds interval_;
  std::size_t max_entries_;
  std::unordered_map<std::uint64_t, TimePoint> last_sent_;
  // Every send in the order recorded; an element is stale when its key was sent again since.
  std::deque<std::pair<std::uint64_t, TimePoint>> order_;
  std::uint64_t evicted_ = 0;
};

}  // namespace hookline::sender
