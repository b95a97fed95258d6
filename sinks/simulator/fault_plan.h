#pragma once
// Faults queued by the control API: the next `count` requests a fault matches get its answer
// instead of the provider's. Faults apply in the order they were added (the first pending
// one that matches). Not thread-safe: the Engine holds the lock.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "sinks/simulator/match.h"

namespace hookline::simulator {

struct Fault {
  std::int64_t id = 0;  // assigned by add()
  Match match;
  // The status to answer; 0 closes the connection without answering; nullopt answers as the
  // provider would, only after `delay_ms` (a slow provider).
  std::optional<int> status;
  int count = 1;                    // how many requests; -1: every matching request until reset
  int retry_after_s = 0;            // > 0: a Retry-After header
  int delay_ms = 0;                 // wait before answering (or closing)
  std::optional<std::string> body;  // nullopt: the provider's own error body for `status`
  std::string content_type = "application/json";
};

class FaultPlan {
 public:
  // Returns the fault's id.
  std::int64_t add(Fault fault);
  // The first pending fault that matches `key`, counted down (and dropped at zero).
  std::optional<Fault> take(const RequestKey& key);
  void clear() noexcept { faults_.clear(); }
  // Drops the pending fault with this id; false when there is none (used up or never added).
  bool remove(std::int64_t id);
  // Pending faults, `count` being what is left.
  const std::deque<Fault>& pending() const noexcept { return faults_; }

 private:
  std::deque<Fault> faults_;
  std::int64_t next_id_ = 1;
};

}  // namespace hookline::simulator
