#pragma once
// The transactional outbox relay (issue 6, item 7; migrations/0006_outbound_outbox.sql).
// Applications insert send requests into outbound_outbox inside their own transactions; the
// relay publishes the committed rows to outbound.requests in id order and marks them published
// only after Kafka acknowledged them.
//
// One round, in one Postgres transaction:
//   1. pg_try_advisory_xact_lock(kOutboxLockKey): one relay publishes at a time, so the order
//      holds across instances; the others wait for their next round.
//   2. SELECT the oldest `batch` unpublished rows FOR UPDATE.
//   3. A row whose payload is not a valid send request (sinks/sender/request_parser.h) is marked
//      published with failed_reason = the one-line reason, and never blocks the rows behind it.
//   4. The others are produced (key = the request's connection, value = the payload, header
//      outbox-id = the row id) and the relay waits for every delivery report of the round (up
//      to ack_timeout).
//   5. The acknowledged rows are marked published and the transaction commits. Rows Kafka did
//      not acknowledge stay unpublished and go again in a later round, after a backoff.
// Rows acknowledged but not marked (the commit failed, or their reports came after
// ack_timeout) are remembered by this relay and marked without producing them again. Only a
// relay that dies between Kafka's acknowledgement and its commit publishes rows twice;
// request ids are idempotency keys downstream.
//
// Postgres errors never end run(): the relay reconnects with exponential backoff. It LISTENs on
// hookline_outbox (the table's insert trigger notifies on commit) to start a round as soon as
// rows arrive, and polls every poll_interval besides.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "core/config.h"
#include "core/error.h"
#include "core/kafka/producer.h"

namespace hookline::gatekeeper {

inline constexpr const char* kOutboxIdHeader = "outbox-id";
inline constexpr const char* kOutboxChannel = "hookline_outbox";
// pg_try_advisory_xact_lock key of the relays: "hloutbox" in ASCII.
inline constexpr long long kOutboxLockKey = 0x686c6f7574626f78LL;

// What one round did; handed to OutboxRelayOptions::on_round.
struct OutboxRound {
  bool locked = false;        // false: another relay held the lock, nothing was read
  std::size_t batch = 0;      // rows read
  std::size_t published = 0;  // rows Kafka acknowledged, now marked published
  std::size_t invalid = 0;    // rows set aside with a failed_reason
  std::size_t failed = 0;     // rows Kafka did not acknowledge (retried later)
  // Age of the oldest row still unpublished after the round; 0 when there is none.
  double lag_seconds = 0;
};

struct OutboxRelayOptions {
  std::string topic = "outbound.requests";
  std::size_t batch = 500;                           // rows per round (at least 1)
  std::chrono::milliseconds poll_interval{200};      // idle wait between rounds
  std::chrono::milliseconds ack_timeout{60000};      // wait for one round's delivery reports
  std::chrono::milliseconds backoff_min{500};        // after a failed round or a lost database
  std::chrono::milliseconds backoff_max{30000};      // doubling stops here
  bool listen = true;                                // LISTEN hookline_outbox to wake early
  std::function<void(const OutboxRound&)> on_round;  // after every round, on run()'s thread
};

// Totals since construction, for metrics and tests.
struct OutboxStats {
  std::uint64_t published = 0;      // rows acknowledged and marked published
  std::uint64_t invalid = 0;        // rows marked with a failed_reason
  std::uint64_t failed_rounds = 0;  // rounds where Kafka did not acknowledge every row
  std::uint64_t db_failures = 0;    // rounds ended by a Postgres error (then a reconnect)
  std::uint64_t last_batch = 0;     // rows read by the last round
  double lag_seconds = 0;           // after the last round
  bool connected = false;           // holds a Postgres connection right now
};

class OutboxRelay {
 public:
  // `producer` (idempotent, acks=all) is owned by the caller and must outlive the relay; the
  // relay never flushes or closes it. Connects lazily: the constructor does no I/O.
  OutboxRelay(const DatabaseConfig& database, kafka::Producer& producer,
              OutboxRelayOptions options = {});
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // Rounds until `stop` is set; returns after the round in progress (bounded by ack_timeout).
  // Never throws. Call from one thread at a time.
  void run(const std::atomic<bool>& stop) noexcept;
  // One round now (for tests and tools): the number of rows published, or a retriable Error
  // (no password in it) when Postgres failed.
  Result<std::size_t> run_once();

  OutboxStats stats() const noexcept;

 private:
  class Session;
  struct Deliveries;

  Session& session();
  OutboxRound round(Session& s);
  // Waits for pending_'s reports up to ack_timeout; true when none is outstanding any more.
  bool settle_pending();
  void record_round(const OutboxRound& r);
  bool sleep_for(std::chrono::milliseconds d, const std::atomic<bool>& stop);
  void wait_for_rows(Session& s, const std::atomic<bool>& stop);
  std::string reason_of(const std::exception& e) const;

  DatabaseConfig database_;
  kafka::Producer& producer_;
  OutboxRelayOptions options_;
  std::unique_ptr<Session> session_;
  // A round whose delivery reports had not all arrived within ack_timeout.
  std::shared_ptr<Deliveries> pending_;
  // Rows Kafka acknowledged that are not known to be marked published yet.
  std::set<std::int64_t> acknowledged_;

  std::atomic<std::uint64_t> published_{0};
  std::atomic<std::uint64_t> invalid_{0};
  std::atomic<std::uint64_t> failed_rounds_{0};
  std::atomic<std::uint64_t> db_failures_{0};
  std::atomic<std::uint64_t> last_batch_{0};
  std::atomic<double> lag_seconds_{0};
  std::atomic<bool> connected_{false};
};

}  // namespace hookline::gatekeeper
