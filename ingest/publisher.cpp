#include "ingest/publisher.h"

#include <future>

namespace hookline::ingest {

KafkaPublisher::KafkaPublisher(const KafkaConfig& cfg, std::string topic,
                               std::chrono::milliseconds ack_timeout)
    : topic_(std::move(topic)), ack_timeout_(ack_timeout) {
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

PublishResult KafkaPublisher::publish(const RawRecord& record) {
  auto promise = std::make_shared<std::promise<kafka::DeliveryReport>>();
  auto future = promise->get_future();
  Status st =
      producer_->produce({topic_, record.key, record.value, &record.headers},
                         [promise](const kafka::DeliveryReport& r) { promise->set_value(r); });
  PublishResult out;
  if (!st) {
    out.error = st.error().message;
    return out;
  }
  // librdkafka reports within message.timeout.ms; the extra second covers callback delivery.
  if (future.wait_for(ack_timeout_ + std::chrono::seconds(1)) != std::future_status::ready) {
    out.error = "no delivery report in time";
    return out;
  }
  kafka::DeliveryReport r = future.get();
  if (r.error) {
    out.error = r.error->message;
    return out;
  }
  out.outcome = PublishResult::Outcome::acked;
  out.partition = r.partition;
  out.offset = r.offset;
  return out;
}

bool KafkaPublisher::healthy() const {
  // Readiness asks the cluster itself (one metadata round trip, at most a second).
  return !producer_->fatal() && kafka::wait_for_cluster(producer_->handle(), producer_->bootstrap(),
                                                        std::chrono::milliseconds(1000))
                                    .ok();
}

}  // namespace hookline::ingest
