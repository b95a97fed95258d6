#include "core/kafka/transactional_producer.h"

#include "core/kafka/error.h"

namespace hookline::kafka {

std::unique_ptr<TransactionalProducer> TransactionalProducer::create(
    const KafkaConfig& cfg, Options options, const std::string& transactional_id) {
  if (transactional_id.empty()) throw KafkaError("transactional.id must not be empty");
  options.required["transactional.id"] = transactional_id;
  auto state = std::make_unique<ClientState>();
  state->client_id = options.client_id;
  ConfPtr conf = make_producer_conf(cfg, options, state.get());
  HandlePtr rk = make_handle(RD_KAFKA_PRODUCER, std::move(conf));
  return std::unique_ptr<TransactionalProducer>(
      new TransactionalProducer(std::move(rk), std::move(state), cfg.bootstrap, true));
}

Status TransactionalProducer::init(std::chrono::milliseconds timeout) {
  if (rd_kafka_error_t* e =
          rd_kafka_init_transactions(handle(), static_cast<int>(timeout.count()))) {
    return to_error(e, "init transactions with Kafka at " + bootstrap());
  }
  return {};
}

Status TransactionalProducer::begin() {
  if (rd_kafka_error_t* e = rd_kafka_begin_transaction(handle())) {
    return to_error(e, "begin transaction");
  }
  return {};
}

Status TransactionalProducer::send_offsets(const std::vector<TopicPartitionOffset>& offsets,
                                           const rd_kafka_consumer_group_metadata_t* group,
                                           std::chrono::milliseconds timeout) {
  PartitionListPtr list = to_partition_list(offsets);
  if (rd_kafka_error_t* e = rd_kafka_send_offsets_to_transaction(
          handle(), list.get(), group, static_cast<int>(timeout.count()))) {
    return to_error(e, "send offsets to transaction");
  }
  return {};
}

Status TransactionalProducer::commit(std::chrono::milliseconds timeout) {
  if (rd_kafka_error_t* e =
          rd_kafka_commit_transaction(handle(), static_cast<int>(timeout.count()))) {
    return to_error(e, "commit transaction");
  }
  return {};
}

Status TransactionalProducer::abort(std::chrono::milliseconds timeout) {
  if (rd_kafka_error_t* e =
          rd_kafka_abort_transaction(handle(), static_cast<int>(timeout.count()))) {
    return to_error(e, "abort transaction");
  }
  return {};
}

}  // namespace hookline::kafka
