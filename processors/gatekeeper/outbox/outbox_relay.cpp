// The outbox relay's rounds, its reconnect loop and its wait for new rows (outbox_relay.h).
#include "processors/gatekeeper/outbox/outbox_relay.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "core/db/connection.h"
#include "core/log.h"
#include "sinks/sender/request_parser.h"

namespace hookline::gatekeeper {
namespace {

using Steady = std::chrono::steady_clock;

// Bounds on how late a stop is noticed while idle.
constexpr std::chrono::milliseconds kSleepSlice{50};
constexpr std::chrono::milliseconds kAwaitSlice{100};
constexpr std::size_t kMaxReasonLength = 500;

const log::Logger& outbox_log() {
  static const log::Logger logger("gatekeeper.outbox");
  return logger;
}

long microseconds(std::chrono::nanoseconds d) {
  return static_cast<long>(
      std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(d).count()));
}

// The stored failed_reason: one line, bounded (request_parser's messages name the schema
// keyword and the member's JSON pointer, never its value).
std::string one_line_reason(const std::string& message) {
  std::string line = db::first_line(message);
  if (line.empty()) line = "invalid send request";
  if (line.size() > kMaxReasonLength) line.resize(kMaxReasonLength);
  return line;
}

// {1,2,3}: a bigint[] literal for "= ANY($1::bigint[])".
std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += std::to_string(ids[i]);
  }
  out.push_back('}');
  return out;
}

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& conn, const std::string& channel)
      : pqxx::notification_receiver(conn, channel) {}
  void operator()(const std::string& /*payload*/, int /*backend_pid*/) override { pending_ = true; }
  bool take() noexcept { return std::exchange(pending_, false); }

 private:
  bool pending_ = false;
};

}  // namespace

// One connection, LISTENing when asked. The receiver goes before the connection.
class OutboxRelay::Session {
 public:
  Session(const DatabaseConfig& database, bool listen) : conn_(db::connect(database)) {
    // A broken connection must surface as an exception (the relay reconnects and LISTENs
    // again), not be silently re-opened by libpqxx.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    conn_->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    if (listen) receiver_ = std::make_unique<Receiver>(*conn_, kOutboxChannel);
  }
  pqxx::connection& conn() {
    return *conn_;
  }
  Receiver* receiver() {
    return receiver_.get();
  }

 private:
  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<Receiver> receiver_;
};

// The delivery reports of one round. Shared with the producer's callbacks, which may outlive
// the round (and the relay) when reports come late.
struct OutboxRelay::Deliveries {
  std::mutex mu;
  std::condition_variable done;
  std::size_t outstanding = 0;
  std::map<std::int64_t, bool> acknowledged;  // row id -> acknowledged
  std::string first_error;

  void report(std::int64_t id, const kafka::DeliveryReport& r) {
    {
      std::lock_guard lock(mu);
      acknowledged[id] = !r.error;
      if (r.error && first_error.empty()) first_error = r.error->message;
      --outstanding;
    }
    done.notify_all();
  }
  // True when every report arrived within `timeout`.
  bool wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu);
    return done.wait_for(lock, timeout, [this] { return outstanding == 0; });
  }
};

OutboxRelay::OutboxRelay(const DatabaseConfig& database, kafka::Producer& producer,
                         OutboxRelayOptions options)
    : database_(database), producer_(producer), options_(std::move(options)) {
  options_.batch = std::max<std::size_t>(options_.batch, 1);
  options_.backoff_min = std::max(options_.backoff_min, std::chrono::milliseconds(1));
  options_.backoff_max = std::max(options_.backoff_max, options_.backoff_min);
}

OutboxRelay::~OutboxRelay() = default;

OutboxStats OutboxRelay::stats() const noexcept {
  OutboxStats s;
  s.published = published_.load();
  s.invalid = invalid_.load();
  s.failed_rounds = failed_rounds_.load();
  s.db_failures = db_failures_.load();
  s.last_batch = last_batch_.load();
  s.lag_seconds = lag_seconds_.load();
  s.connected = connected_.load();
  return s;
}

std::string OutboxRelay::reason_of(const std::exception& e) const {
  std::string line = db::first_line(db::scrub_password(e.what(), database_.url));
  if (line.find("outbound_outbox") != std::string::npos &&
      line.find("does not exist") != std::string::npos) {
    line += " (run `hookline db migrate`)";
  }
  return line;
}

OutboxRelay::Session& OutboxRelay::session() {
  if (!session_) {
    session_ = std::make_unique<Session>(database_, options_.listen);
    connected_.store(true);
  }
  return *session_;
}

bool OutboxRelay::settle_pending() {
  if (!pending_) return true;
  if (!pending_->wait(options_.ack_timeout)) return false;
  std::lock_guard lock(pending_->mu);
  for (const auto& [id, ok] : pending_->acknowledged) {
    if (ok) acknowledged_.insert(id);
  }
  pending_.reset();
  return true;
}

OutboxRound OutboxRelay::round(Session& s) {
  OutboxRound out;
  if (!settle_pending()) {
    std::lock_guard lock(pending_->mu);
    out.failed = pending_->outstanding;  // still unknown: produce nothing new meanwhile
    return out;
  }
  pqxx::work tx(s.conn());
  out.locked =
      tx.exec1("SELECT pg_try_advisory_xact_lock(" + std::to_string(kOutboxLockKey) + ")")[0]
          .as<bool>();
  std::vector<std::int64_t> to_mark;  // acknowledged rows to mark published
  std::vector<std::pair<std::int64_t, std::string>> invalid;
  auto deliveries = std::make_shared<Deliveries>();
  if (out.locked) {
    const pqxx::result rows = tx.exec_params(
        "SELECT id, payload FROM outbound_outbox WHERE published_at IS NULL "
        "ORDER BY id LIMIT $1 FOR UPDATE",
        static_cast<long long>(options_.batch));
    out.batch = rows.size();
    // Every row below the oldest unpublished one is published: forget those.
    if (rows.empty()) {
      acknowledged_.clear();
    } else {
      acknowledged_.erase(acknowledged_.begin(),
                          acknowledged_.lower_bound(rows[0][0].as<std::int64_t>()));
    }
    bool refused = false;  // after a record the producer refused, nothing more is produced
    std::size_t produced = 0;
    for (const auto& row : rows) {
      const auto id = row[0].as<std::int64_t>();
      const std::string payload = row[1].as<std::string>();
      if (acknowledged_.contains(id)) {  // acknowledged earlier, not marked yet
        to_mark.push_back(id);
        continue;
      }
      auto request = sender::parse_send_request(payload);
      if (!request) {
        invalid.emplace_back(id, one_line_reason(request.error().message));
        continue;
      }
      if (refused) {
        ++out.failed;
        continue;
      }
      const kafka::Headers headers{{kOutboxIdHeader, std::to_string(id)}};
      kafka::OutRecord record;
      record.topic = options_.topic;
      record.key = request->connection;
      record.value = payload;
      record.headers = &headers;
      {
        std::lock_guard lock(deliveries->mu);
        ++deliveries->outstanding;
      }
      Status st = producer_.produce(
          record, [deliveries, id](const kafka::DeliveryReport& r) { deliveries->report(id, r); });
      if (!st) {
        std::lock_guard lock(deliveries->mu);
        --deliveries->outstanding;
        if (deliveries->first_error.empty()) deliveries->first_error = st.error().message;
        refused = true;
        ++out.failed;
        continue;
      }
      ++produced;
    }
    if (produced > 0 && !deliveries->wait(options_.ack_timeout)) {
      pending_ = deliveries;  // the next round waits for the rest first
    }
    {
      std::lock_guard lock(deliveries->mu);
      for (const auto& [id, ok] : deliveries->acknowledged) {
        if (ok) {
          to_mark.push_back(id);
          acknowledged_.insert(id);  // kept until the commit below succeeds
        } else {
          ++out.failed;
        }
      }
      out.failed += deliveries->outstanding;
    }
    if (!to_mark.empty()) {
      tx.exec_params("UPDATE outbound_outbox SET published_at = now() WHERE id = ANY($1::bigint[])",
                     id_array(to_mark));
    }
    for (const auto& [id, reason] : invalid) {
      tx.exec_params(
          "UPDATE outbound_outbox SET published_at = now(), failed_reason = $2 WHERE id = $1",
          static_cast<long long>(id), reason);
    }
    if (out.failed > 0) {
      std::lock_guard lock(deliveries->mu);
      outbox_log().warn("Kafka did not acknowledge every outbox row; they stay unpublished",
                        {{"topic", options_.topic},
                         {"failed", out.failed},
                         {"acknowledged", to_mark.size()},
                         {"reason", deliveries->first_error}});
    }
  }
  const pqxx::result lag = tx.exec(
      "SELECT EXTRACT(EPOCH FROM (clock_timestamp() - created_at))::float8 FROM outbound_outbox "
      "WHERE published_at IS NULL ORDER BY id LIMIT 1");
  out.lag_seconds = lag.empty() ? 0.0 : std::max(0.0, lag[0][0].as<double>());
  tx.commit();
  for (auto id : to_mark) acknowledged_.erase(id);
  out.published = to_mark.size();
  out.invalid = invalid.size();
  for (const auto& [id, reason] : invalid) {
    outbox_log().warn("outbox row is not a valid send request; set aside",
                      {{"outbox_id", id}, {"reason", reason}});
  }
  return out;
}

void OutboxRelay::record_round(const OutboxRound& r) {
  published_.fetch_add(r.published);
  invalid_.fetch_add(r.invalid);
  if (r.failed > 0) failed_rounds_.fetch_add(1);
  last_batch_.store(r.batch);
  lag_seconds_.store(r.lag_seconds);
  if (r.published > 0 || r.invalid > 0) {
    outbox_log().debug("outbox round", {{"published", r.published},
                                        {"invalid", r.invalid},
                                        {"failed", r.failed},
                                        {"lag_seconds", r.lag_seconds}});
  }
  if (options_.on_round) {
    try {
      options_.on_round(r);
    } catch (const std::exception& e) {
      outbox_log().error("outbox on_round callback threw", {{"what", e.what()}});
    }
  }
}

Result<std::size_t> OutboxRelay::run_once() {
  try {
    const OutboxRound r = round(session());
    record_round(r);
    return r.published;
  } catch (const std::exception& e) {
    session_.reset();
    connected_.store(false);
    db_failures_.fetch_add(1);
    return Error{ErrorKind::retriable, {}, "outbox relay: " + reason_of(e)};
  }
}

bool OutboxRelay::sleep_for(std::chrono::milliseconds d, const std::atomic<bool>& stop) {
  const Steady::time_point until = Steady::now() + d;
  while (!stop.load()) {
    const auto left = until - Steady::now();
    if (left <= Steady::duration::zero()) return true;
    std::this_thread::sleep_for(std::min<Steady::duration>(left, kSleepSlice));
  }
  return false;
}

void OutboxRelay::wait_for_rows(Session& s, const std::atomic<bool>& stop) {
  Receiver* receiver = s.receiver();
  if (!receiver) {
    sleep_for(options_.poll_interval, stop);
    return;
  }
  const Steady::time_point until = Steady::now() + options_.poll_interval;
  while (!stop.load() && !receiver->take()) {
    const auto left = until - Steady::now();
    if (left <= Steady::duration::zero()) return;
    s.conn().await_notification(0, microseconds(std::min<Steady::duration>(left, kAwaitSlice)));
  }
}

void OutboxRelay::run(const std::atomic<bool>& stop) noexcept {
  std::chrono::milliseconds backoff = options_.backoff_min;
  auto back_off = [&] {
    sleep_for(backoff, stop);
    backoff = std::min(backoff * 2, options_.backoff_max);
  };
  while (!stop.load()) {
    try {
      Session& s = session();
      const OutboxRound r = round(s);
      record_round(r);
      if (r.failed > 0) {
        back_off();
        continue;
      }
      backoff = options_.backoff_min;
      if (r.locked && r.batch == options_.batch) continue;  // a backlog: go on at once
      wait_for_rows(s, stop);
    } catch (const std::exception& e) {
      const bool was_connected = session_ != nullptr;
      session_.reset();
      connected_.store(false);
      db_failures_.fetch_add(1);
      outbox_log().warn(was_connected ? "outbox relay lost its database, reconnecting"
                                      : "outbox relay cannot reach its database",
                        {{"reason", reason_of(e)}, {"retry_in_ms", backoff.count()}});
      back_off();
    } catch (...) {
      session_.reset();
      connected_.store(false);
      db_failures_.fetch_add(1);
      outbox_log().error("outbox relay round failed", {{"reason", "unknown error"}});
      back_off();
    }
  }
}

}  // namespace hookline::gatekeeper
