#include "processors/normalizer/processor.h"

#include <thread>

#include "core/kafka/error.h"
#include "core/log.h"

namespace hookline::normalizer {
namespace {

using Clock = std::chrono::steady_clock;

const log::Logger& proc_log() {
  static const log::Logger logger("normalizer");
  return logger;
}

constexpr std::size_t kMaxEvictionsPerCommit = 10000;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

Processor::Processor(const Config& cfg, NormalizerConfig config,
                     std::shared_ptr<const EventMapper> mapper, NormalizerMetrics& metrics)
    : cfg_(cfg), config_(std::move(config)), mapper_(std::move(mapper)), metrics_(metrics) {
  kafka::Producer::Options popts;
  popts.client_id = kProcessorName;
  // Outputs of a transaction are batched: a little linger costs nothing here.
  popts.defaults = {{"linger.ms", "5"}, {"transaction.timeout.ms", "30000"}};
  producer_ = kafka::TransactionalProducer::create(cfg_.kafka, popts, config_.transactional_id());
  if (Status st =
          kafka::wait_for_cluster(producer_->handle(), cfg_.kafka.bootstrap, cfg_.kafka.timeout);
      !st) {
    throw kafka::KafkaError(st.error().message);
  }
  // Fences an older incarnation with the same transactional.id and aborts its open transaction.
  if (Status st = producer_->init(config_.commit_timeout); !st) {
    throw kafka::KafkaError(st.error().message);
  }
  restorer_ = std::make_unique<ChangelogRestorer>(cfg_.kafka, config_.changelog_topic,
                                                  std::string(kProcessorName) + "-restore");

  kafka::Consumer::Options copts;
  copts.group_id = config_.group_id;
  copts.client_id = std::string(kProcessorName) + "-" + config_.instance_id;
  // A caught-up processor should see a new raw record at once, not after a long fetch wait.
  copts.defaults = {{"max.poll.interval.ms", "600000"}, {"fetch.wait.max.ms", "20"}};
  copts.hooks.on_assigning = [this](std::vector<kafka::TopicPartitionOffset>& parts) {
    on_assigning(parts);
  };
  copts.hooks.on_revoked = [this](const std::vector<kafka::TopicPartition>& parts) {
    on_revoked(parts);
  };
  consumer_ = kafka::Consumer::create(cfg_.kafka, std::move(copts));
  if (Status st = consumer_->subscribe({config_.input_topic}); !st) {
    throw kafka::KafkaError(st.error().message);
  }
}

Processor::~Processor() {
  if (consumer_) consumer_->close();
  if (producer_) producer_->close();
}

void Processor::set_fatal(const Error& e) {
  if (!fatal_) {
    fatal_ = e;
    proc_log().error("fatal error; exiting so a supervisor restarts the normalizer",
                     {{"error", e.message}});
  }
}

int Processor::run(const std::atomic<bool>& stop) {
  proc_log().info("running", {{"group", config_.group_id},
                              {"transactional_id", config_.transactional_id()},
                              {"input", config_.input_topic}});
  while (!stop.load() && !fatal_) {
    auto timeout = std::chrono::milliseconds(100);
    if (in_txn_) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          config_.batch_interval - (Clock::now() - txn_started_));
      timeout = std::clamp(left, std::chrono::milliseconds(0), timeout);
    }
    auto polled = consumer_->poll(timeout);
    if (fatal_) break;
    if (!polled) {
      if (polled.error().fatal() || consumer_->fatal()) {
        set_fatal(polled.error());
        break;
      }
      proc_log().warn("consumer error", {{"error", polled.error().message}});
    } else if (polled->has_value()) {
      handle(**polled);
    }
    if (in_txn_ && (txn_records_ >= config_.batch_records ||
                    Clock::now() - txn_started_ >= config_.batch_interval)) {
      commit_transaction();
    }
  }
  if (!fatal_ && in_txn_) commit_transaction();
  if (fatal_) {
    // Leave without committing: what is open is aborted by the next incarnation's init.
    return 1;
  }
  consumer_->close();
  producer_->close();
  proc_log().info("stopped", {});
  return 0;
}

void Processor::begin_if_needed() {
  if (in_txn_) return;
  if (Status st = producer_->begin(); !st) {
    set_fatal(st.error());
    return;
  }
  in_txn_ = true;
  txn_records_ = 0;
  txn_started_ = Clock::now();
  delivery_errors_.store(0);
}

void Processor::handle(const kafka::Message& msg) {
  auto it = tasks_.find(msg.partition());
  if (it == tasks_.end()) {
    // Only possible if a record of a partition arrives after its revocation; it will be
    // read again by the partition's new owner.
    return;
  }
  PartitionTask& task = *it->second;
  if (task.next_offset() >= 0 && msg.offset() < task.next_offset()) return;  // already done
  begin_if_needed();
  if (fatal_) return;
  RawInput input;
  input.topic = config_.input_topic;
  input.partition = msg.partition();
  input.offset = msg.offset();
  input.key = msg.key();
  input.value = msg.value();
  input.headers = msg.headers();
  input.timestamp_ms = msg.timestamp_ms();
  outputs_.clear();
  task.process(input, outputs_);
  ++txn_records_;
  produce_outputs();
}

bool Processor::produce_outputs() {
  for (const Output& o : outputs_) {
    kafka::OutRecord r;
    r.topic = o.topic;
    if (o.key) r.key = std::string_view(*o.key);
    if (o.value) r.value = std::string_view(*o.value);
    r.headers = o.headers.empty() ? nullptr : &o.headers;
    r.partition = o.partition >= 0 ? o.partition : RD_KAFKA_PARTITION_UA;
    const auto deadline = Clock::now() + config_.commit_timeout;
    for (;;) {
      Status st = producer_->produce(r, [this](const kafka::DeliveryReport& rep) {
        if (rep.error) delivery_errors_.fetch_add(1);
      });
      if (st) break;
      if (st.error().code == kafka::make_error_code(RD_KAFKA_RESP_ERR__QUEUE_FULL) &&
          Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      if (st.error().fatal()) {
        set_fatal(st.error());
      } else {
        abort_transaction(st.error());
      }
      return false;
    }
  }
  outputs_.clear();
  return true;
}

void Processor::commit_transaction() {
  if (!in_txn_) return;
  outputs_.clear();
  const auto started = Clock::now();
  std::vector<kafka::TopicPartitionOffset> offsets;
  for (auto& [p, task] : tasks_) {
    if (!task->dirty()) continue;
    task->evict(outputs_, kMaxEvictionsPerCommit);
    task->append_restatements(outputs_);
    offsets.push_back({config_.input_topic, p, task->next_offset()});
  }
  if (!produce_outputs()) return;
  // The offset records close the transaction in the changelog: they go out only once all the
  // rest is acknowledged, so a reader that sees one (even of a transaction that then failed, as
  // the dev broker shows them) knows every output of the transaction arrived (changelog.h).
  Status st = producer_->flush(config_.commit_timeout);
  if (st && delivery_errors_.load() > 0) {
    st = Error{ErrorKind::abortable, {}, "a record of the transaction was not delivered"};
  }
  if (!st) {
    abort_transaction(st.error());
    return;
  }
  for (auto& [p, task] : tasks_) task->append_offset_record(outputs_);
  if (!produce_outputs()) return;
  if (!offsets.empty()) {
    kafka::GroupMetadataPtr group = consumer_->group_metadata();
    st = producer_->send_offsets(offsets, group.get(), config_.commit_timeout);
  }
  if (st) st = producer_->commit(config_.commit_timeout);
  if (!st) {
    if (st.error().fatal()) {
      set_fatal(st.error());
    } else {
      abort_transaction(st.error());
    }
    return;
  }
  in_txn_ = false;
  metrics_.commit_duration.observe(seconds_since(started));
  metrics_.transaction_records.observe(static_cast<double>(txn_records_));
  metrics_.transactions.with({"committed"}).inc();
  for (auto& [p, task] : tasks_) task->committed();
  update_gauges();
}

void Processor::abort_transaction(const Error& why) {
  proc_log().warn("aborting transaction; the batch will be processed again",
                  {{"error", why.message}, {"records", txn_records_}});
  if (Status st = producer_->abort(config_.commit_timeout); !st) {
    set_fatal(st.error());
    return;
  }
  in_txn_ = false;
  metrics_.transactions.with({"aborted"}).inc();
  std::vector<kafka::TopicPartitionOffset> seeks;
  for (auto& [p, task] : tasks_) {
    const bool moved = task->dirty();
    task->rolled_back();
    if (moved && task->committed_offset() >= 0) {
      seeks.push_back({config_.input_topic, p, task->committed_offset()});
    }
  }
  if (Status st = consumer_->seek(seeks, std::chrono::milliseconds(10000)); !st) {
    set_fatal(st.error());
  }
}

void Processor::on_assigning(std::vector<kafka::TopicPartitionOffset>& parts) {
  std::vector<kafka::TopicPartition> ours;
  for (const auto& tp : parts) {
    if (tp.topic == config_.input_topic) ours.push_back({tp.topic, tp.partition});
  }
  if (ours.empty() || fatal_) return;
  // Restoring can take a while: close the open transaction (other partitions' work) first.
  if (in_txn_) commit_transaction();
  if (fatal_) return;
  std::map<std::int32_t, std::int64_t> committed;
  if (auto c = consumer_->committed(ours, std::chrono::milliseconds(10000))) {
    for (const auto& tpo : *c) committed[tpo.partition] = tpo.offset;
  } else {
    set_fatal(c.error());
    return;
  }
  for (auto& tp : parts) {
    if (tp.topic != config_.input_topic) continue;
    const auto started = Clock::now();
    auto task = std::make_unique<PartitionTask>(tp.partition, *mapper_, config_, metrics_);
    auto stats = restorer_->restore(tp.partition, task->window(), config_.restore_timeout);
    if (!stats) {
      set_fatal(stats.error());
      return;
    }
    task->restate(stats->uncommitted);
    std::int64_t start = -1;
    if (auto c = committed.find(tp.partition); c != committed.end() && c->second >= 0) {
      start = c->second;
    }
    if (stats->input_offset) start = std::max(start, *stats->input_offset);
    if (start >= 0) tp.offset = start;
    task->set_start(start);
    metrics_.restore_duration.observe(seconds_since(started));
    metrics_.restore_records.add(static_cast<double>(stats->records));
    proc_log().info("partition restored", {{"partition", tp.partition},
                                           {"changelog_records", stats->records},
                                           {"identities", task->window().size()},
                                           {"skipped", stats->skipped},
                                           {"set_aside", stats->uncommitted.size()},
                                           {"start_offset", start},
                                           {"ms", static_cast<std::int64_t>(stats->took.count())}});
    tasks_[tp.partition] = std::move(task);
  }
  update_gauges();
}

void Processor::on_revoked(const std::vector<kafka::TopicPartition>& parts) {
  if (in_txn_ && !fatal_) commit_transaction();
  for (const auto& tp : parts) {
    if (tp.topic != config_.input_topic) continue;
    tasks_.erase(tp.partition);
    const std::string p = std::to_string(tp.partition);
    metrics_.dedup_keys.with({p}).set(0);
    metrics_.dedup_bytes.with({p}).set(0);
    metrics_.lag.with({p}).set(0);
  }
}

void Processor::update_gauges() {
  for (const auto& [p, task] : tasks_) {
    const std::string label = std::to_string(p);
    metrics_.dedup_keys.with({label}).set(static_cast<double>(task->window().size()));
    metrics_.dedup_bytes.with({label}).set(static_cast<double>(task->window().approximate_bytes()));
    std::int64_t low = 0, high = 0;
    if (task->next_offset() >= 0 &&
        rd_kafka_get_watermark_offsets(consumer_->handle(), config_.input_topic.c_str(), p, &low,
                                       &high) == RD_KAFKA_RESP_ERR_NO_ERROR &&
        high >= 0) {
      metrics_.lag.with({label}).set(
          static_cast<double>(std::max<std::int64_t>(0, high - task->next_offset())));
    }
  }
}

}  // namespace hookline::normalizer
