#include "sinks/sender/dispatcher.h"

#include "core/log.h"
#include "core/replay_marks.h"
#include "sinks/sender/providers/http_caller.h"

namespace hookline::sender {
namespace {

const log::Logger& dispatch_log() {
  static const log::Logger logger("sender.dispatch");
  return logger;
}

// How far into a connection's queue per-recipient pacing looks for a request it may send.
constexpr std::size_t kPacingScan = 64;

JobEnd end_of(const SendResult& r) {
  switch (r.outcome) {
    case Outcome::sent:
      return JobEnd::sent;
    case Outcome::retryable:
      return JobEnd::retry;
    case Outcome::permanent:
    case Outcome::gone:
      return JobEnd::dead_letter;
  }
  return JobEnd::dead_letter;
}

double circuit_value(CircuitBreaker::State s) {
  switch (s) {
    case CircuitBreaker::State::closed:
      return 0;
    case CircuitBreaker::State::half_open:
      return 1;
    case CircuitBreaker::State::open:
      return 2;
  }
  return 0;
}

}  // namespace

struct Dispatcher::Lane {
  struct Queued {
    Job job;
    SteadyClock::time_point since;
  };
  Lane(const SendConnection& c, const CircuitBreakerConfig& breaker_config, SenderMetrics& m)
      : key(c.key),
        provider(c.provider),
        bucket(c.rate_per_s, c.burst),
        breaker(breaker_config),
        token_wait(m.token_wait.with({c.key})),
        queue_depth(m.queue_depth.with({c.key})),
        circuit_state(m.circuit_state.with({c.key})),
        paused(m.paused.with({c.key})) {
    if (c.recipient_interval.count() > 0) {
      pacer = std::make_unique<RecipientPacer>(c.recipient_interval);
    }
  }
  std::string key;
  std::string provider;
  std::deque<Queued> queue;
  TokenBucket bucket;
  CircuitBreaker breaker;
  std::unique_ptr<RecipientPacer> pacer;
  std::size_t in_flight = 0;
  bool gone = false;
  double rate = 0, burst = 0;
  // This connection's metric children, looked up once.
  metrics::Counter& token_wait;
  metrics::Gauge& queue_depth;
  metrics::Gauge& circuit_state;
  metrics::Gauge& paused;
};

Dispatcher::Dispatcher(DispatcherOptions options, SentLedger* ledger, SenderMetrics& metrics,
                       CompletionSink on_complete)
    : options_(std::move(options)),
      ledger_(ledger),
      metrics_(metrics),
      on_complete_(std::move(on_complete)) {
  if (options_.workers == 0) options_.workers = 1;
  if (options_.max_in_flight_per_connection == 0) options_.max_in_flight_per_connection = 1;
  scheduler_ = std::thread([this] { schedule_loop(); });
  for (std::size_t i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this] { worker_loop(); });
  }
}

Dispatcher::~Dispatcher() {
  stop();
}

Dispatcher::Lane& Dispatcher::lane_for(const Job& job) {
  const SendConnection& c = *job.connection;
  auto it = lanes_.find(c.key);
  if (it == lanes_.end()) {
    it = lanes_.emplace(c.key, std::make_unique<Lane>(c, options_.breaker, metrics_)).first;
    it->second->rate = c.rate_per_s;
    it->second->burst = c.burst;
  } else if (it->second->rate != c.rate_per_s || it->second->burst != c.burst) {
    // The registry changed the connection's pace.
    it->second->bucket.set_rate(c.rate_per_s, c.burst);
    it->second->rate = c.rate_per_s;
    it->second->burst = c.burst;
  }
  return *it->second;
}

bool Dispatcher::has_room(const std::string& connection_key) const {
  std::lock_guard lock(mu_);
  auto it = lanes_.find(connection_key);
  return it == lanes_.end() || it->second->queue.size() < options_.queue_capacity;
}

bool Dispatcher::submit(Job& job) {
  std::unique_lock lock(mu_);
  if (stopping_) return false;
  Lane& lane = lane_for(job);
  if (lane.gone) {
    lock.unlock();
    SendResult r;
    r.outcome = Outcome::gone;
    r.error_class = "destination-gone";
    r.excerpt = "the destination answered 410 Gone earlier; it is disabled";
    complete(std::move(job), JobEnd::dead_letter, std::move(r), false, {});
    return true;
  }
  if (lane.queue.size() >= options_.queue_capacity) return false;
  lane.queue.push_back({std::move(job), SteadyClock::now()});
  ++queued_;
  lock.unlock();
  schedule_cv_.notify_one();
  return true;
}

bool Dispatcher::take_ready(Lane& lane, SteadyClock::time_point now,
                            SteadyClock::time_point& wake) {
  if (lane.queue.empty() || lane.in_flight >= options_.max_in_flight_per_connection) return false;
  const auto wait = lane.bucket.wait_for(now);
  if (wait.count() > 0) {
    wake = std::min(wake, now + std::chrono::duration_cast<SteadyClock::duration>(wait));
    return false;
  }
  std::size_t pick = 0;
  if (lane.pacer) {
    bool found = false;
    const std::size_t scan = std::min(kPacingScan, lane.queue.size());
    for (std::size_t i = 0; i < scan; ++i) {
      auto next = lane.pacer->next_allowed(lane.queue[i].job.request.address, now);
      if (!next || *next <= now) {
        pick = i;
        found = true;
        break;
      }
      wake = std::min(wake, *next);
    }
    if (!found) return false;
  }
  if (!lane.breaker.allow(now)) {
    const auto until = lane.breaker.open_until();
    // Half-open with its probe out: the probe's answer wakes the scheduler.
    wake = std::min(wake, until > now ? until : now + std::chrono::milliseconds(100));
    return false;
  }
  lane.bucket.try_take(now);
  auto it = lane.queue.begin() + static_cast<std::ptrdiff_t>(pick);
  if (lane.pacer) lane.pacer->sent(it->job.request.address, now);
  lane.token_wait.add(std::chrono::duration<double>(now - it->since).count());
  Job job = std::move(it->job);
  lane.queue.erase(it);
  --queued_;
  ++lane.in_flight;
  ++in_flight_;
  ++in_flight_by_partition_[{job.topic, job.partition}];
  ready_.emplace_back(&lane, std::move(job));
  return true;
}

void Dispatcher::update_lane_gauges(const Lane& lane, SteadyClock::time_point now) {
  lane.queue_depth.set(static_cast<double>(lane.queue.size()));
  lane.circuit_state.set(circuit_value(lane.breaker.state(now)));
  lane.paused.set(lane.bucket.paused_until() > now ? 1.0 : 0.0);
}

void Dispatcher::schedule_loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const auto now = SteadyClock::now();
    auto wake = now + std::chrono::seconds(1);
    bool any = false;
    for (auto& [key, lane] : lanes_) {
      while (take_ready(*lane, now, wake)) any = true;
      update_lane_gauges(*lane, now);
    }
    if (any) worker_cv_.notify_all();
    schedule_cv_.wait_until(lock, wake);
  }
}

void Dispatcher::worker_loop() {
  std::map<std::string, std::unique_ptr<HttpCaller>> callers;  // by base URL and timeout
  std::map<std::string, std::unique_ptr<ProviderClient>> clients;
  for (;;) {
    std::unique_lock lock(mu_);
    worker_cv_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
    if (ready_.empty()) return;  // stopping
    auto [lane, job] = std::move(ready_.front());
    ready_.pop_front();
    lock.unlock();

    const SendConnection& conn = *job.connection;
    if (ledger_) {
      const std::string& request_id = job.request.id;  // (clang: no capture of a binding)
      auto known = until_store_answers([&] { return ledger_->find(request_id); },
                                       metrics_.ledger_errors.with({"find"}), "find", request_id);
      if (!known) {
        dispatch_log().warn("sent-ledger unavailable; the request is retried later",
                            {{"request_id", job.request.id}, {"error", known.error().message}});
        SendResult r;
        r.outcome = Outcome::retryable;
        r.error_class = "ledger-unavailable";
        finish_call(*lane, std::move(job), std::move(r), true, {});
        continue;
      }
      if (*known && (*known)->dead_lettered() && !is_replay(job)) {
        // Redelivered after it was parked: park it again, for the same reason, without a call.
        metrics_.ledger_skips.inc();
        SendResult r;
        r.outcome = Outcome::permanent;
        r.error_class = (*known)->error_class.empty() ? "permanent" : (*known)->error_class;
        r.excerpt = "parked in outbound.dlq before (sent-ledger)";
        job.attempt = (*known)->attempt;  // the same result (and CloudEvents id) as then
        finish_call(*lane, std::move(job), std::move(r), true, {});
        continue;
      }
      if (*known && !(*known)->dead_lettered()) {
        metrics_.ledger_skips.inc();
        SendResult r;
        r.outcome = Outcome::sent;
        r.provider_message_id = (*known)->provider_message_id;
        // Announced as the attempt that was accepted: a redelivery (from a crash, a rebalance,
        // or a copy of the request) repeats that result under its CloudEvents id.
        job.attempt = (*known)->attempt;
        finish_call(*lane, std::move(job), std::move(r), true, {});
        continue;
      }
    }
    if (options_.consent && !consent_allows(*lane, job)) continue;
    auto& client = clients[conn.provider];
    if (!client) client = make_provider_client(conn.provider);
    if (!client) {
      SendResult r;
      r.outcome = Outcome::permanent;
      r.error_class = "unknown-provider";
      r.excerpt = "no sender client for provider " + conn.provider;
      finish_call(*lane, std::move(job), std::move(r), true, {});
      continue;
    }
    auto call = client->build(job.request, conn, job.attempt, std::chrono::system_clock::now());
    if (!call) {
      SendResult r;
      r.outcome = Outcome::permanent;
      r.error_class = "not-sendable";
      r.excerpt = call.error().message.substr(0, 200);
      finish_call(*lane, std::move(job), std::move(r), true, {});
      continue;
    }
    const std::string caller_key = conn.base_url + "|" + std::to_string(conn.timeout.count());
    auto& caller = callers[caller_key];
    if (!caller)
      caller = std::make_unique<HttpCaller>(
          conn.base_url, conn.timeout,
          options_.ca_file.empty() ? std::nullopt : std::optional<std::string>(options_.ca_file));
    const auto started = SteadyClock::now();
    HttpAnswer answer = caller->call(*call);
    const auto latency = SteadyClock::now() - started;
    metrics_.latency.with({conn.provider}).observe(std::chrono::duration<double>(latency).count());
    SendResult result = client->interpret(answer);
    if (result.outcome == Outcome::sent && ledger_) {
      const LedgerEntry entry{job.request.id, conn.key, result.provider_message_id,
                              job.attempt,    "sent",   ""};
      if (Status st = until_store_answers([&] { return ledger_->record(entry); },
                                          metrics_.ledger_errors.with({"record"}), "record",
                                          job.request.id);
          !st) {
        dispatch_log().error(
            "sent-ledger write failed: a redelivery of this request could send "
            "it again",
            {{"request_id", job.request.id}, {"error", st.error().message}});
      }
    }
    finish_call(*lane, std::move(job), std::move(result), false, latency);
  }
}

bool Dispatcher::is_replay(const Job& job) {
  for (const auto& [name, value] : job.headers) {
    if (name == replay_marks::kReplayedFrom) return true;
  }
  return false;
}

bool Dispatcher::stopping() {
  std::lock_guard lock(mu_);
  return stopping_;
}

template <class Op>
auto Dispatcher::until_store_answers(Op op, metrics::Counter& failures, const char* what,
                                     const std::string& request_id) -> decltype(op()) {
  auto answer = op();
  if (!answer) failures.inc();
  const auto give_up = SteadyClock::now() + options_.store_wait;
  auto pause = std::chrono::milliseconds(100);
  bool told = false;
  while (!answer && !stopping() && SteadyClock::now() + pause <= give_up) {
    if (!told) {
      dispatch_log().warn(
          "Postgres does not answer; waiting for it",
          {{"request_id", request_id}, {"lookup", what}, {"error", answer.error().message}});
      told = true;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(2000));
    answer = op();
    if (!answer) failures.inc();
  }
  return answer;
}

bool Dispatcher::consent_allows(Lane& lane, Job& job) {
  const auto started = SteadyClock::now();
  auto verdict = until_store_answers(
      [&] { return options_.consent->check(job.request, std::chrono::system_clock::now()); },
      metrics_.consent_errors, "consent", job.request.id);
  metrics_.consent_latency.observe(
      std::chrono::duration<double>(SteadyClock::now() - started).count());
  if (!verdict) {
    dispatch_log().warn("consent check unavailable; the request is retried later",
                        {{"request_id", job.request.id}, {"error", verdict.error().message}});
    SendResult r;
    r.outcome = Outcome::retryable;
    r.error_class = "consent-unavailable";
    finish_call(lane, std::move(job), std::move(r), true, {});
    return false;
  }
  if (verdict->allowed) return true;
  SendResult r;
  r.outcome = Outcome::permanent;  // never retried: it ends suppressed
  r.error_class = verdict->reason.empty() ? "suppressed" : verdict->reason;
  finish_call(lane, std::move(job), std::move(r), true, {}, JobEnd::suppressed);
  return false;
}

void Dispatcher::finish_call(Lane& lane, Job&& job, SendResult&& result, bool already_sent,
                             SteadyClock::duration latency, std::optional<JobEnd> end) {
  std::vector<Job> gone_jobs;
  bool newly_gone = false;
  {
    std::lock_guard lock(mu_);
    const auto now = SteadyClock::now();
    --lane.in_flight;
    --in_flight_;
    auto pk = std::make_pair(job.topic, job.partition);
    if (auto it = in_flight_by_partition_.find(pk);
        it != in_flight_by_partition_.end() && --it->second == 0) {
      in_flight_by_partition_.erase(it);
    }
    if (already_sent) {
      lane.breaker.on_neutral();  // no call was made: only frees a half-open probe
    } else {
      if (result.server_failure) {
        lane.breaker.on_failure(now);
      } else if (result.outcome == Outcome::sent) {
        lane.breaker.on_success();
      } else {
        lane.breaker.on_neutral();
      }
      const char* outcome = result.throttled ? "throttled" : to_string(result.outcome);
      metrics_.sends.with({lane.provider, lane.key, outcome}).inc();
    }
    if (result.throttled && !stopping_) {
      // Bounded: a provider's wait never exceeds a day here (a steady_clock overflow otherwise).
      const auto pause = std::min<std::chrono::milliseconds>(
          result.retry_after.value_or(options_.default_pause), std::chrono::hours(24));
      lane.bucket.pause_until(now + pause);
      if (job.throttled_requeues < options_.max_throttled_requeues) {
        // The request was not refused, only early: it waits at the head of its queue.
        ++job.throttled_requeues;
        lane.queue.push_front({std::move(job), now});
        ++queued_;
        schedule_cv_.notify_one();
        idle_cv_.notify_all();
        return;
      }
    }
    if (result.outcome == Outcome::gone && !lane.gone) {
      lane.gone = true;
      newly_gone = true;
      metrics_.gone.with({lane.key}).inc();
      dispatch_log().error(
          "webhook destination answered 410 Gone: disabled; its pending "
          "requests go to the DLQ",
          {{"connection", lane.key}, {"request_id", job.request.id}});
      for (auto& q : lane.queue) gone_jobs.push_back(std::move(q.job));
      queued_ -= lane.queue.size();
      lane.queue.clear();
    }
  }
  schedule_cv_.notify_one();
  idle_cv_.notify_all();
  if (newly_gone && options_.on_destination_gone) options_.on_destination_gone(lane.key);
  complete(std::move(job), end.value_or(end_of(result)), std::move(result), already_sent, latency);
  for (Job& g : gone_jobs) {
    SendResult r;
    r.outcome = Outcome::gone;
    r.error_class = "destination-gone";
    r.excerpt = "the destination answered 410 Gone; it is disabled";
    complete(std::move(g), JobEnd::dead_letter, std::move(r), false, {});
  }
}

void Dispatcher::complete(Job&& job, JobEnd end, SendResult result, bool already_sent,
                          SteadyClock::duration latency) {
  Completion c;
  c.job = std::move(job);
  c.end = end;
  c.result = std::move(result);
  c.already_sent = already_sent;
  c.latency = latency;
  on_complete_(std::move(c));
}

bool Dispatcher::release_partition(const std::string& topic, std::int32_t partition,
                                   std::chrono::milliseconds timeout) {
  std::vector<Job> dropped;
  bool idle = false;
  {
    std::unique_lock lock(mu_);
    for (auto& [key, lane] : lanes_) {
      auto& q = lane->queue;
      for (auto it = q.begin(); it != q.end();) {
        if (it->job.topic == topic && it->job.partition == partition) {
          dropped.push_back(std::move(it->job));
          it = q.erase(it);
          --queued_;
        } else {
          ++it;
        }
      }
    }
    const auto pk = std::make_pair(topic, partition);
    idle = idle_cv_.wait_for(lock, timeout, [&] { return !in_flight_by_partition_.contains(pk); });
  }
  for (Job& j : dropped) complete(std::move(j), JobEnd::dropped, {}, false, {});
  return idle;
}

std::size_t Dispatcher::pending() const {
  std::lock_guard lock(mu_);
  return queued_ + in_flight_;
}

void Dispatcher::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !scheduler_.joinable()) return;
    stopping_ = true;
  }
  schedule_cv_.notify_all();
  worker_cv_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
  std::vector<Job> dropped;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, lane] : lanes_) {
      for (auto& q : lane->queue) dropped.push_back(std::move(q.job));
      lane->queue.clear();
    }
    queued_ = 0;
  }
  for (Job& j : dropped) complete(std::move(j), JobEnd::dropped, {}, false, {});
}

}  // namespace hookline::sender
