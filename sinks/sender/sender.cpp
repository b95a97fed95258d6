#include "sinks/sender/sender.h"

#include "core/kafka/error.h"
#include "core/log.h"
#include "core/time_format.h"
#include "sinks/sender/approval_request.h"
#include "sinks/sender/flow/retry_headers.h"
#include "sinks/sender/request_parser.h"
#include "sinks/sender/request_writer.h"
#include "sinks/sender/result_record.h"

namespace hookline::sender {
namespace {

using SysClock = std::chrono::system_clock;

const log::Logger& send_log() {
  static const log::Logger logger("sender");
  return logger;
}

// A record's bytes and headers kept alive until its delivery report.
struct Owned {
  std::string topic;
  std::string key;
  std::string value;
  kafka::Headers headers;
};

}  // namespace

Sender::Sender(const Config& cfg, SenderConfig config, const Topology& topology,
               ConnectionBook& book, SentLedger* ledger, ConsentRecheck* consent,
               SenderMetrics& metrics, DisableConnection disable_connection)
    : cfg_(cfg),
      config_(std::move(config)),
      tiers_(topology.retry_tiers),
      book_(book),
      ledger_(ledger),
      metrics_(metrics),
      rng_(std::random_device{}()),
      disable_connection_(std::move(disable_connection)) {
  if (tiers_.empty()) throw ConfigError("the topology declares no retry tiers");
  kafka::Producer::Options popts;
  popts.client_id = "hookline-sender";
  producer_ = kafka::Producer::create(cfg_.kafka, popts);
  if (Status st =
          kafka::wait_for_cluster(producer_->handle(), cfg_.kafka.bootstrap, cfg_.kafka.timeout);
      !st) {
    throw kafka::KafkaError(st.error().message);
  }
  DispatcherOptions dopts;
  dopts.workers = config_.workers;
  dopts.queue_capacity = config_.queue_capacity;
  dopts.max_in_flight_per_connection = config_.max_in_flight_per_connection;
  dopts.breaker.failure_threshold = config_.breaker_failures;
  dopts.breaker.open_for = config_.breaker_open;
  dopts.ca_file = config_.ca_file;
  dopts.consent = consent;
  dopts.on_destination_gone = [this](const std::string& key) {
    std::lock_guard lock(events_mu_);
    gone_.push_back(key);
  };
  dispatcher_ = std::make_unique<Dispatcher>(dopts, ledger, metrics_, [this](Completion&& c) {
    std::lock_guard lock(events_mu_);
    completions_.push_back(std::move(c));
  });

  kafka::Consumer::Options copts;
  copts.group_id = config_.group_id;
  copts.client_id = "hookline-sender";
  copts.defaults = {{"max.poll.interval.ms", "600000"}, {"fetch.wait.max.ms", "50"}};
  copts.hooks.on_assigning = [this](std::vector<kafka::TopicPartitionOffset>& parts) {
    on_assigning(parts);
  };
  copts.hooks.on_revoked = [this](const std::vector<kafka::TopicPartition>& parts) {
    on_revoked(parts);
  };
  consumer_ = kafka::Consumer::create(cfg_.kafka, std::move(copts));
  std::vector<std::string> topics{config_.input_topic};
  if (!config_.approvals_topic.empty()) topics.push_back(config_.approvals_topic);
  for (const auto& t : tiers_) topics.push_back(t.topic);
  if (Status st = consumer_->subscribe(topics); !st) throw kafka::KafkaError(st.error().message);
  last_commit_ = std::chrono::steady_clock::now();
}

Sender::~Sender() {
  if (dispatcher_) dispatcher_->stop();
  if (consumer_) consumer_->close();
  if (producer_) producer_->close();
}

void Sender::set_fatal(const std::string& why) {
  if (!fatal_.exchange(true)) {
    send_log().error("fatal error; exiting so a supervisor restarts the sender", {{"error", why}});
  }
}

std::string Sender::tier_of_topic(const std::string& topic) const {
  for (const auto& t : tiers_) {
    if (t.topic == topic) return t.name;
  }
  return "";
}

int Sender::run(const std::atomic<bool>& stop) {
  send_log().info("running", {{"group", config_.group_id},
                              {"input", config_.input_topic},
                              {"approvals", config_.approvals_topic},
                              {"workers", config_.workers}});
  while (!stop.load() && !fatal_.load()) {
    auto polled = consumer_->poll(std::chrono::milliseconds(20));
    if (!polled) {
      if (polled.error().fatal() || consumer_->fatal()) {
        set_fatal(polled.error().message);
        break;
      }
      send_log().warn("consumer error", {{"error", polled.error().message}});
    } else if (polled->has_value()) {
      handle(**polled);
    }
    drain_completions();
    drain_finished();
    release_held(SysClock::now());
    drain_gone();
    if (std::chrono::steady_clock::now() - last_commit_ >= config_.commit_interval) {
      commit_offsets();
      update_tier_lag();
    }
  }
  if (fatal_.load()) return 1;
  // Graceful: let the calls in flight end, write their records, commit, leave.
  std::vector<kafka::TopicPartition> all;
  for (const auto& [k, st] : partitions_) all.push_back({k.first, k.second});
  on_revoked(all);
  consumer_->close();
  producer_->close();
  send_log().info("stopped", {});
  return fatal_.load() ? 1 : 0;
}

void Sender::on_assigning(std::vector<kafka::TopicPartitionOffset>& parts) {
  for (const auto& tp : parts) partitions_[{tp.topic, tp.partition}] = PartitionState{};
}

void Sender::on_revoked(const std::vector<kafka::TopicPartition>& parts) {
  // Work first: calls in flight end (bounded), their records are written and acknowledged;
  // then the offsets are committed and the partitions' state dropped.
  for (const auto& tp : parts) {
    if (!dispatcher_->release_partition(tp.topic, tp.partition, std::chrono::seconds(30))) {
      send_log().warn(
          "calls still in flight at revocation; their requests may be sent again "
          "by the new owner unless the sent-ledger has them",
          {{"topic", tp.topic}, {"partition", tp.partition}});
    }
  }
  drain_completions();
  if (Status st = producer_->flush(std::chrono::seconds(30)); !st) set_fatal(st.error().message);
  drain_finished();
  commit_offsets();
  for (const auto& tp : parts) {
    auto it = partitions_.find({tp.topic, tp.partition});
    if (it == partitions_.end()) continue;
    if (it->second.held && !it->second.held->tier.empty()) {
      metrics_.retry_waiting.with({it->second.held->tier}).add(-1);
    }
    partitions_.erase(it);
  }
}

void Sender::handle(const kafka::Message& msg) {
  const Key key{msg.topic(), msg.partition()};
  auto it = partitions_.find(key);
  if (it == partitions_.end()) return;  // revoked meanwhile: the new owner reads it
  PartitionState& st = it->second;
  if (st.held) return;  // fetched before the pause took effect: read again after resume
  if (st.next_expected >= 0 && msg.offset() < st.next_expected) return;  // seen
  if (st.next_expected >= 0 && msg.offset() > st.next_expected) {
    // A gap after a pause: go back rather than skip anything.
    (void)consumer_->seek({{key.first, key.second, st.next_expected}}, std::chrono::seconds(10));
    return;
  }
  st.next_expected = msg.offset() + 1;
  st.offsets.started(msg.offset());

  Job job;
  job.topic = msg.topic();
  job.partition = msg.partition();
  job.offset = msg.offset();
  job.value = std::string(msg.value());
  job.headers = msg.headers();
  if (!read_request(job)) return;
  auto retry = decode_retry_headers(job.headers);
  if (!retry) {
    dead_letter(job, "invalid-retry-headers", retry.error().message, nullptr);
    return;
  }
  job.attempt = retry->attempt + 1;
  if (retry->first_failed_at) job.first_failed_at = rfc3339_ms(*retry->first_failed_at);
  const auto now = SysClock::now();
  if (retry->due && *retry->due > now) {
    const std::string tier = tier_of_topic(job.topic);
    st.held = Held{std::move(job), false, *retry->due, tier};
    if (!tier.empty()) metrics_.retry_waiting.with({tier}).add(1);
    (void)consumer_->pause({{key.first, key.second}});
    return;
  }
  route(job, st);
}

bool Sender::read_request(Job& job) {
  if (!config_.approvals_topic.empty() && job.topic == config_.approvals_topic) {
    auto approval = parse_approval_request(job.value);
    if (!approval) {
      metrics_.approval_requests.with({"invalid"}).inc();
      dead_letter(job, "invalid-approval-request", approval.error().message, nullptr);
      return false;
    }
    metrics_.approval_requests.with({"accepted"}).inc();
    job.request = approval_message(*approval);
    // Retried and dead-lettered as the send request it became.
    job.value = to_json(job.request);
    send_log().info("approval request to post", {{"approval_id", approval->approval_id},
                                                 {"campaign_id", approval->campaign_id},
                                                 {"connection", job.request.connection}});
    return true;
  }
  auto request = parse_send_request(job.value);
  if (!request) {
    dead_letter(job, "invalid-request", request.error().message, nullptr);
    return false;
  }
  job.request = std::move(*request);
  return true;
}

bool Sender::route(Job& job, PartitionState& st) {
  const auto now = SysClock::now();
  const Key key{job.topic, job.partition};
  if (job.request.expires_at && *job.request.expires_at <= now) {
    ResultDetails d;
    d.reason = "expired";
    auto rec = make_result(ResultType::failed, job, "", d, now);
    metrics_.results.with({"failed"}).inc();
    std::vector<kafka::OutRecord> out(1);
    auto keep = std::make_shared<ResultRecord>(std::move(rec));
    out[0].topic = config_.results_topic;
    out[0].key = std::string_view(keep->key);
    out[0].value = std::string_view(keep->value);
    out[0].headers = &keep->headers;
    emit(key, job.offset, std::move(out), {std::shared_ptr<std::string>(keep, &keep->value)});
    return true;
  }
  if (job.request.not_before && *job.request.not_before > now && job.attempt == 1) {
    // Scheduled for later: it waits in the retry tier that fits, due at not_before.
    auto delay =
        std::chrono::duration_cast<std::chrono::milliseconds>(*job.request.not_before - now);
    const RetryTier* tier = &policy_for(job).tier_for(delay);
    auto keep = std::make_shared<Owned>();
    keep->headers = job.headers;
    RetryHeaders rh;
    rh.attempt = 0;
    rh.due = *job.request.not_before;
    encode_retry_headers(rh, keep->headers);
    keep->key = job.request.connection;
    keep->value = job.value;
    std::vector<kafka::OutRecord> out(1);
    out[0].topic = tier->topic;
    out[0].key = std::string_view(keep->key);
    out[0].value = std::string_view(keep->value);
    out[0].headers = &keep->headers;
    emit(key, job.offset, std::move(out), {std::shared_ptr<std::string>(keep, &keep->value)});
    return true;
  }
  auto found = book_.find(job.request.connection);
  if (auto* problem = std::get_if<ConnectionProblem>(&found)) {
    dead_letter(job, problem->error_class, problem->message, nullptr);
    return true;
  }
  job.connection = std::get<std::shared_ptr<const SendConnection>>(found);
  if (!dispatcher_->submit(job)) {
    st.held = Held{std::move(job), true, {}, ""};
    (void)consumer_->pause({{key.first, key.second}});
    return false;
  }
  return true;
}

void Sender::release_held(SysClock::time_point now) {
  for (auto& [key, st] : partitions_) {
    if (!st.held) continue;
    Held& h = *st.held;
    if (h.waiting_for_room) {
      if (!h.job.connection || !dispatcher_->has_room(h.job.connection->key)) continue;
      if (!dispatcher_->submit(h.job)) continue;
    } else {
      if (h.due > now) continue;
      if (!h.tier.empty()) metrics_.retry_waiting.with({h.tier}).add(-1);
      Job job = std::move(h.job);
      st.held.reset();
      (void)consumer_->resume({{key.first, key.second}});
      route(job, st);
      continue;
    }
    st.held.reset();
    (void)consumer_->resume({{key.first, key.second}});
  }
}

void Sender::emit(const Key& partition, std::int64_t offset, std::vector<kafka::OutRecord> records,
                  std::vector<std::shared_ptr<std::string>> storage) {
  if (records.empty()) {
    finish_now(partition, offset);
    return;
  }
  struct Pending {
    std::atomic<int> left;
    std::atomic<bool> failed{false};
    std::vector<std::shared_ptr<std::string>> storage;
  };
  auto pending = std::make_shared<Pending>();
  pending->left.store(static_cast<int>(records.size()));
  pending->storage = std::move(storage);
  for (auto& r : records) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
      Status st = producer_->produce(
          r, [this, pending, partition, offset](const kafka::DeliveryReport& rep) {
            if (rep.error) pending->failed.store(true);
            if (pending->left.fetch_sub(1) == 1) {
              std::lock_guard lock(events_mu_);
              finished_.push_back({partition, offset, !pending->failed.load(),
                                   rep.error ? rep.error->message : std::string()});
            }
          });
      if (st) break;
      if (st.error().code == kafka::make_error_code(RD_KAFKA_RESP_ERR__QUEUE_FULL) &&
          std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      set_fatal("produce to " + std::string(r.topic) + ": " + st.error().message);
      return;
    }
  }
}

void Sender::finish_now(const Key& partition, std::int64_t offset) {
  std::lock_guard lock(events_mu_);
  finished_.push_back({partition, offset, true, {}});
}

void Sender::dead_letter(const Job& job, const std::string& error_class, const std::string& message,
                         const SendResult* result) {
  const auto now = SysClock::now();
  auto keep = std::make_shared<Owned>();
  keep->headers = job.headers;
  DlqHeaders dh;
  dh.original_topic = job.topic;
  dh.original_partition = job.partition;
  dh.original_offset = job.offset;
  dh.error_class = error_class;
  dh.provider_status = result ? result->status : 0;
  dh.provider_answer = result ? result->excerpt : message;
  dh.attempts = result ? job.attempt : 0;
  dh.failed_at = now;
  put_dlq_headers(dh, keep->headers);
  keep->key = job.request.connection;
  keep->value = job.value;
  metrics_.dlq.with({error_class}).inc();
  // Remembered first, so a redelivery of this record is parked again instead of sent (a crash
  // before the DLQ record only parks it again then). An operator's replay is still sent.
  if (ledger_ && !job.request.id.empty()) {
    LedgerEntry parked{job.request.id, job.request.connection, "",
                       job.attempt,    "dead_lettered",        error_class};
    if (Status st = ledger_->record(parked); !st) {
      send_log().warn(
          "sent-ledger write failed: a redelivery of this parked request would be "
          "tried again",
          {{"request_id", job.request.id}, {"error", st.error().message}});
    }
  }
  send_log().warn("request parked in the DLQ", {{"request_id", job.request.id},
                                                {"connection", job.request.connection},
                                                {"error_class", error_class},
                                                {"attempt", job.attempt}});
  std::vector<kafka::OutRecord> out(1);
  out[0].topic = config_.dlq_topic;
  if (!keep->key.empty()) out[0].key = std::string_view(keep->key);
  out[0].value = std::string_view(keep->value);
  out[0].headers = &keep->headers;
  std::vector<std::shared_ptr<std::string>> storage{
      std::shared_ptr<std::string>(keep, &keep->value)};
  if (!job.request.id.empty()) {
    ResultDetails d;
    d.reason = error_class;
    d.status = result ? result->status : 0;
    auto rec =
        std::make_shared<ResultRecord>(make_result(ResultType::dead_lettered, job, "", d, now));
    metrics_.results.with({"dead_lettered"}).inc();
    kafka::OutRecord r;
    r.topic = config_.results_topic;
    r.key = std::string_view(rec->key);
    r.value = std::string_view(rec->value);
    r.headers = &rec->headers;
    out.push_back(r);
    storage.push_back(std::shared_ptr<std::string>(rec, &rec->value));
  }
  emit({job.topic, job.partition}, job.offset, std::move(out), std::move(storage));
}

RetryPolicy& Sender::policy_for(const Job& job) {
  // Per connection: its settings' max_attempts wins over the sender's per-provider value.
  const std::string provider = job.connection ? job.connection->provider : job.request.provider();
  const int own = job.connection ? job.connection->max_attempts : 0;
  auto& policy = policies_[job.connection ? job.connection->key : job.request.connection];
  if (!policy || policy->max_attempts() != (own > 0 ? own : config_.attempts_for(provider))) {
    RetryPolicyConfig pc;
    pc.max_attempts = own > 0 ? own : config_.attempts_for(provider);
    policy = std::make_unique<RetryPolicy>(tiers_, pc, uniform_source(rng_));
  }
  return *policy;
}

void Sender::on_completion(Completion&& c) {
  Job& job = c.job;
  const Key key{job.topic, job.partition};
  const auto now = SysClock::now();
  switch (c.end) {
    case JobEnd::dropped:
      return;  // its partition was revoked: the new owner reads it again
    case JobEnd::dead_letter:
      dead_letter(job, c.result.error_class.empty() ? "permanent" : c.result.error_class,
                  c.result.excerpt, &c.result);
      return;
    case JobEnd::sent: {
      auto rec = std::make_shared<ResultRecord>(make_result(
          ResultType::succeeded, job, c.result.provider_message_id, ResultDetails{}, now));
      metrics_.results.with({"succeeded"}).inc();
      std::vector<kafka::OutRecord> out(1);
      out[0].topic = config_.results_topic;
      out[0].key = std::string_view(rec->key);
      out[0].value = std::string_view(rec->value);
      out[0].headers = &rec->headers;
      emit(key, job.offset, std::move(out), {std::shared_ptr<std::string>(rec, &rec->value)});
      return;
    }
    case JobEnd::suppressed: {
      ResultDetails d;
      d.reason = c.result.error_class;
      auto rec =
          std::make_shared<ResultRecord>(make_result(ResultType::suppressed, job, "", d, now));
      metrics_.results.with({"suppressed"}).inc();
      metrics_.suppressed.with({d.reason}).inc();
      send_log().info("not sent: consent no longer allows it",
                      {{"request_id", job.request.id},
                       {"connection", job.request.connection},
                       {"reason", d.reason}});
      std::vector<kafka::OutRecord> out(1);
      out[0].topic = config_.results_topic;
      out[0].key = std::string_view(rec->key);
      out[0].value = std::string_view(rec->value);
      out[0].headers = &rec->headers;
      emit(key, job.offset, std::move(out), {std::shared_ptr<std::string>(rec, &rec->value)});
      return;
    }
    case JobEnd::retry:
      break;
  }
  RetryDecision d = policy_for(job).decide(job.attempt, c.result.retry_after, now);
  if (!d.retry()) {
    SendResult r = c.result;
    dead_letter(job, "attempts-exhausted", r.excerpt, &r);
    return;
  }
  auto keep = std::make_shared<Owned>();
  keep->headers = job.headers;
  RetryHeaders rh;
  rh.attempt = job.attempt;
  rh.due = d.due;
  rh.last_error = c.result.error_class;
  rh.first_failed_at =
      job.first_failed_at.empty()
          ? std::optional<SysClock::time_point>(now)
          : std::optional<SysClock::time_point>(SysClock::time_point(
                std::chrono::milliseconds(parse_rfc3339_ms(job.first_failed_at).value_or(0))));
  encode_retry_headers(rh, keep->headers);
  keep->key = job.request.connection;
  keep->value = job.value;
  metrics_.retries.with({d.tier}).inc();
  ResultDetails details;
  details.reason = c.result.error_class.empty() ? "retryable" : c.result.error_class;
  details.status = c.result.status;
  details.retry_due = d.due;
  details.retry_topic = d.topic;
  auto rec =
      std::make_shared<ResultRecord>(make_result(ResultType::retrying, job, "", details, now));
  metrics_.results.with({"retrying"}).inc();
  std::vector<kafka::OutRecord> out(2);
  out[0].topic = d.topic;
  out[0].key = std::string_view(keep->key);
  out[0].value = std::string_view(keep->value);
  out[0].headers = &keep->headers;
  out[1].topic = config_.results_topic;
  out[1].key = std::string_view(rec->key);
  out[1].value = std::string_view(rec->value);
  out[1].headers = &rec->headers;
  emit(key, job.offset, std::move(out),
       {std::shared_ptr<std::string>(keep, &keep->value),
        std::shared_ptr<std::string>(rec, &rec->value)});
}

void Sender::drain_completions() {
  std::deque<Completion> batch;
  {
    std::lock_guard lock(events_mu_);
    batch.swap(completions_);
  }
  for (auto& c : batch) on_completion(std::move(c));
}

void Sender::drain_finished() {
  std::deque<Finished> batch;
  {
    std::lock_guard lock(events_mu_);
    batch.swap(finished_);
  }
  for (auto& f : batch) {
    if (!f.ok) {
      set_fatal("a record was not acknowledged by Kafka: " + f.error);
      return;
    }
    auto it = partitions_.find(f.partition);
    if (it == partitions_.end()) continue;
    it->second.offsets.finished(f.offset);
  }
}

void Sender::drain_gone() {
  std::deque<std::string> batch;
  {
    std::lock_guard lock(events_mu_);
    batch.swap(gone_);
  }
  for (const auto& key : batch) {
    if (disable_connection_) disable_connection_(key);
  }
}

void Sender::update_tier_lag() {
  // Records waiting in each retry tier: end of each assigned partition minus its committed
  // position (what this instance has not finished).
  std::map<std::string, double> lag;
  for (const auto& t : tiers_) lag[t.name] = 0;
  for (const auto& [key, st] : partitions_) {
    const std::string tier = tier_of_topic(key.first);
    if (tier.empty()) continue;
    std::int64_t low = 0, high = 0;
    if (rd_kafka_get_watermark_offsets(consumer_->handle(), key.first.c_str(), key.second, &low,
                                       &high) != RD_KAFKA_RESP_ERR_NO_ERROR ||
        high < 0) {
      continue;
    }
    const std::int64_t from = st.committed >= 0 ? st.committed : low;
    lag[tier] += static_cast<double>(std::max<std::int64_t>(0, high - from));
  }
  for (const auto& [tier, n] : lag) metrics_.tier_lag.with({tier}).set(n);
}

void Sender::commit_offsets() {
  last_commit_ = std::chrono::steady_clock::now();
  std::vector<kafka::TopicPartitionOffset> offsets;
  for (auto& [key, st] : partitions_) {
    auto c = st.offsets.committable();
    if (c && *c > st.committed) {
      offsets.push_back({key.first, key.second, *c});
      st.committed = *c;
    }
  }
  if (offsets.empty()) return;
  if (Status st = consumer_->commit(offsets); !st) {
    send_log().warn("offset commit failed; retried with the next commit",
                    {{"error", st.error().message}});
    for (const auto& o : offsets) partitions_[{o.topic, o.partition}].committed = -1;
  }
}

}  // namespace hookline::sender
