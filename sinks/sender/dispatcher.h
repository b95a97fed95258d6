#pragma once
// The sender's lanes (DESIGN.md decision 6): one bounded queue per connection, drained at the
// connection's pace by a pool of worker threads that make the provider calls.
//
// Per connection: a token bucket (rate and burst of the connection), per-recipient pacing when
// the provider demands it, a circuit breaker (opens after 5 consecutive 5xx or network
// failures, half-opens after 60 s), and a pause while a provider's Retry-After lasts (the
// request that got the 429 goes back to the head of its queue). A throttled, paused or open
// connection only holds its own queue: the others go on.
//
// Just before a call the sent-ledger is asked whether the request was already accepted (then
// no call is made), then consent is checked again when a ConsentRecheck is set (refused: the
// request ends `suppressed`; the check unavailable: retried later, like an unreadable ledger);
// just after an accepted call the ledger is written.
//
// submit() and the revocation calls come from the consumer's thread; completions are handed
// to `on_complete` on a worker thread (the caller queues them for its own thread). Thread-safe.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <optional>

#include "sinks/sender/consent_recheck.h"
#include "sinks/sender/flow/circuit_breaker.h"
#include "sinks/sender/flow/recipient_pacer.h"
#include "sinks/sender/flow/token_bucket.h"
#include "sinks/sender/job.h"
#include "sinks/sender/sender_metrics.h"
#include "sinks/sender/sent_ledger.h"

namespace hookline::sender {

struct DispatcherOptions {
  std::size_t workers = 32;           // concurrent provider calls in all
  std::size_t queue_capacity = 1000;  // requests waiting per connection
  std::size_t max_in_flight_per_connection = 16;
  int max_throttled_requeues = 20;                // then the request goes to a retry tier
  std::chrono::milliseconds default_pause{1000};  // a 429 without Retry-After
  CircuitBreakerConfig breaker;
  std::string ca_file;  // extra CA bundle for HTTPS; "" system default
  // Called (on a worker thread) once per connection whose destination answered 410 Gone.
  std::function<void(const std::string& connection_key)> on_destination_gone;
  // Consent checked again just before each call; null: no recheck. Not owned.
  ConsentRecheck* consent = nullptr;
  // How long a worker waits for Postgres (the sent-ledger, the consent recheck) to answer again,
  // e.g. across a restart, before the request goes to a retry tier. Waiting keeps an outage of
  // our own from spending the request's provider attempts, and a send from going unrecorded.
  std::chrono::milliseconds store_wait{30000};
};

class Dispatcher {
 public:
  using CompletionSink = std::function<void(Completion&&)>;

  // `ledger` may be null (no sent-ledger: every request is sent).
  Dispatcher(DispatcherOptions options, SentLedger* ledger, SenderMetrics& metrics,
             CompletionSink on_complete);
  ~Dispatcher();  // stop()s
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Queues `job` on its connection's lane (job.connection must be set). False, with `job`
  // untouched, when that queue is full: the caller holds it and pauses its partition.
  bool submit(Job& job);
  bool has_room(const std::string& connection_key) const;

  // Removes the queued requests of a revoked partition (completed as `dropped`) and waits up to
  // `timeout` for its calls in flight to finish. False when some are still in flight.
  bool release_partition(const std::string& topic, std::int32_t partition,
                         std::chrono::milliseconds timeout);

  // Requests queued or in flight, in all lanes.
  std::size_t pending() const;

  // Stops the workers after their current calls; queued requests are completed as `dropped`.
  void stop();

 private:
  struct Lane;
  using SteadyClock = std::chrono::steady_clock;

  Lane& lane_for(const Job& job);
  void schedule_loop();
  void worker_loop();
  // Under mu_: the next job of `lane` that may go now, or the time to look again.
  bool take_ready(Lane& lane, SteadyClock::time_point now, SteadyClock::time_point& wake);
  // `end`: how the job ends when not by its result's outcome (suppressed).
  void finish_call(Lane& lane, Job&& job, SendResult&& result, bool already_sent,
                   SteadyClock::duration latency, std::optional<JobEnd> end = std::nullopt);
  // The consent recheck before a call: true when the job may be sent; else it was finished.
  bool consent_allows(Lane& lane, Job& job);
  // Calls `op` until it succeeds, the store_wait has passed or the dispatcher stops, pausing
  // 100 ms, then twice as long each time (at most 2 s); counts each failure in `failures`.
  // Returns the last answer.
  template <class Op>
  auto until_store_answers(Op op, metrics::Counter& failures, const char* what,
                           const std::string& request_id) -> decltype(op());
  bool stopping();
  // An operator's replay from outbound.dlq (core/replay_marks.h): sent even if parked before.
  static bool is_replay(const Job& job);
  void complete(Job&& job, JobEnd end, SendResult result, bool already_sent,
                SteadyClock::duration latency);
  void update_lane_gauges(const Lane& lane, SteadyClock::time_point now);

  DispatcherOptions options_;
  SentLedger* ledger_;
  SenderMetrics& metrics_;
  CompletionSink on_complete_;

  mutable std::mutex mu_;
  std::condition_variable schedule_cv_;  // new work, a freed slot, stop
  std::condition_variable worker_cv_;    // ready_ got a job, stop
  std::condition_variable idle_cv_;      // a call finished
  std::map<std::string, std::unique_ptr<Lane>> lanes_;
  std::deque<std::pair<Lane*, Job>> ready_;
  std::map<std::pair<std::string, std::int32_t>, std::size_t> in_flight_by_partition_;
  std::size_t queued_ = 0;
  std::size_t in_flight_ = 0;
  bool stopping_ = false;
  std::thread scheduler_;
  std::vector<std::thread> workers_;
};

}  // namespace hookline::sender
