#include "ingest/publisher.h"

#include <condition_variable>

namespace hookline::ingest {

// One thread's wait for the delivery report of the record it just produced.
struct AckWaiter {
  std::mutex mutex;
  std::condition_variable ready;
  bool done = false;
  bool abandoned = false;  // its thread stopped waiting; the late report recycles it
  kafka::DeliveryReport report;
};

namespace {

std::atomic<std::uint64_t> next_publisher_id{1};

struct ThreadWaiter {
  std::uint64_t publisher = 0;
  AckWaiter* waiter = nullptr;
};
thread_local ThreadWaiter this_thread_waiter;

}  // namespace

KafkaPublisher::KafkaPublisher(const KafkaConfig& cfg, std::string topic,
                               std::chrono::milliseconds ack_timeout)
    : id_(next_publisher_id.fetch_add(1)), topic_(std::move(topic)), ack_timeout_(ack_timeout) {
  kafka::Producer::Options opts;
  opts.client_id = "hookline-ingest";
  // Reply-after-ack caps throughput at concurrency / ack latency (DESIGN.md), so nothing may
  // wait on purpose: no linger (batches still form while requests are in flight) and no
  // compression of what are mostly one-record batches. Both are librdkafka properties a
  // deployment can change (HOOKLINE_KAFKA_LINGER_MS, HOOKLINE_KAFKA_COMPRESSION_TYPE).
  opts.defaults = {
      {"linger.ms", "0"}, {"compression.type", "none"}, {"batch.num.messages", "1000"}};
  opts.required = {{"message.timeout.ms", std::to_string(ack_timeout.count())}};
  producer_ = kafka::Producer::create(cfg, opts);
}

KafkaPublisher::~KafkaPublisher() {
  // Every delivery report is served before the waiters go (close() is idempotent).
  producer_->close();
}

AckWaiter& KafkaPublisher::waiter() {
  ThreadWaiter& mine = this_thread_waiter;
  if (mine.publisher != id_ || !mine.waiter) {
    std::lock_guard lock(waiters_mutex_);
    if (!recycled_.empty()) {
      mine = {id_, recycled_.back()};
      recycled_.pop_back();
    } else {
      waiters_.push_back(std::make_unique<AckWaiter>());
      mine = {id_, waiters_.back().get()};
    }
  }
  return *mine.waiter;
}

void KafkaPublisher::deliver(AckWaiter& w, const kafka::DeliveryReport& report) {
  bool abandoned = false;
  {
    std::lock_guard lock(w.mutex);
    w.report = report;
    w.done = true;
    abandoned = w.abandoned;
    w.abandoned = false;
  }
  if (abandoned) {
    std::lock_guard lock(waiters_mutex_);
    recycled_.push_back(&w);
  } else {
    w.ready.notify_one();
  }
}

PublishResult KafkaPublisher::publish(const RawRecord& record) {
  AckWaiter& w = waiter();
  {
    std::lock_guard lock(w.mutex);
    w.done = false;
  }
  // Two plain pointers: the callback fits in std::function's own buffer (no allocation).
  AckWaiter* target = &w;
  Status st =
      producer_->produce({topic_, record.key, record.value, &record.headers},
                         [this, target](const kafka::DeliveryReport& r) { deliver(*target, r); });
  PublishResult out;
  if (!st) {
    out.error = st.error().message;
    return out;
  }
  std::unique_lock lock(w.mutex);
  // librdkafka reports within message.timeout.ms; the extra second covers callback delivery.
  if (!w.ready.wait_for(lock, ack_timeout_ + std::chrono::seconds(1), [&] { return w.done; })) {
    // The report still comes (the producer calls back exactly once): this waiter is left to
    // it, which hands the waiter back for reuse, and the thread takes another one.
    w.abandoned = true;
    this_thread_waiter.waiter = nullptr;
    out.error = "no delivery report in time";
    return out;
  }
  if (w.report.error) {
    out.error = w.report.error->message;
    return out;
  }
  out.outcome = PublishResult::Outcome::acked;
  out.partition = w.report.partition;
  out.offset = w.report.offset;
  return out;
}

bool KafkaPublisher::healthy() const {
  // Readiness asks the cluster itself (one metadata round trip, at most a second).
  return !producer_->fatal() && kafka::wait_for_cluster(producer_->handle(), producer_->bootstrap(),
                                                        std::chrono::milliseconds(1000))
                                    .ok();
}

}  // namespace hookline::ingest
