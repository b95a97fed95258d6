#include "core/kafka/producer.h"

#include <future>

#include "core/kafka/error.h"
#include "core/log.h"

namespace hookline::kafka {
namespace {

const log::Logger& producer_log() {
  static const log::Logger logger("kafka.producer");
  return logger;
}

// Called from rd_kafka_poll on the poll thread: never lets an exception into C.
void dr_msg_cb(rd_kafka_t*, const rd_kafka_message_t* msg, void*) {
  std::unique_ptr<DeliveryCallback> cb(static_cast<DeliveryCallback*>(msg->_private));
  if (!cb || !*cb) return;
  DeliveryReport report;
  report.topic = msg->rkt ? rd_kafka_topic_name(msg->rkt) : "";
  report.partition = msg->partition;
  report.offset = msg->offset;
  if (msg->err) report.error = to_error(msg->err, "delivery to " + report.topic);
  try {
    (*cb)(report);
  } catch (const std::exception& e) {
    producer_log().error("delivery callback threw", {{"what", e.what()}});
  } catch (...) {
    producer_log().error("delivery callback threw", {});
  }
}

}  // namespace

ConfPtr Producer::make_producer_conf(const KafkaConfig& cfg, const Options& options,
                                     ClientState* state) {
  ClientSettings settings;
  settings.client_id = options.client_id;
  // Replying after the ack must stay fast: linger at 1 ms (DESIGN.md performance facts).
  settings.defaults = {{"linger.ms", "1"},
                       {"message.timeout.ms", "30000"},
                       {"compression.type", "lz4"},
                       {"socket.nagle.disable", "true"}};
  for (const auto& [k, v] : options.defaults) settings.defaults[k] = v;
  settings.required = {{"acks", "all"}, {"enable.idempotence", "true"}};
  for (const auto& [k, v] : options.required) settings.required[k] = v;
  ConfPtr conf = make_conf(cfg, settings, state);
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &dr_msg_cb);
  return conf;
}

std::unique_ptr<Producer> Producer::create(const KafkaConfig& cfg, Options options) {
  auto state = std::make_unique<ClientState>();
  state->client_id = options.client_id;
  ConfPtr conf = make_producer_conf(cfg, options, state.get());
  HandlePtr rk = make_handle(RD_KAFKA_PRODUCER, std::move(conf));
  return std::unique_ptr<Producer>(
      new Producer(std::move(rk), std::move(state), cfg.bootstrap, true));
}

Producer::Producer(HandlePtr rk, std::unique_ptr<ClientState> state, std::string bootstrap,
                   bool poll_thread)
    : state_(std::move(state)), rk_(std::move(rk)), bootstrap_(std::move(bootstrap)) {
  if (poll_thread) poller_ = std::thread([this] { poll_loop(); });
}

Producer::~Producer() {
  close();
  for (auto& [name, rkt] : topics_) rd_kafka_topic_destroy(rkt);
}

rd_kafka_topic_t* Producer::topic_handle(std::string_view topic) {
  {
    std::shared_lock lock(topics_mutex_);
    for (const auto& [name, rkt] : topics_) {
      if (name == topic) return rkt;
    }
  }
  std::unique_lock lock(topics_mutex_);
  for (const auto& [name, rkt] : topics_) {
    if (name == topic) return rkt;
  }
  std::string name(topic);
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk_.get(), name.c_str(), nullptr);
  if (rkt) topics_.emplace_back(std::move(name), rkt);
  return rkt;
}

void Producer::poll_loop() noexcept {
  while (!stop_.load(std::memory_order_relaxed)) rd_kafka_poll(rk_.get(), 100);
}

Status Producer::produce(const OutRecord& r, DeliveryCallback on_delivery) {
  rd_kafka_topic_t* rkt = topic_handle(r.topic);
  if (!rkt) return to_error(rd_kafka_last_error(), "produce to " + std::string(r.topic));
  auto cb = std::make_unique<DeliveryCallback>(std::move(on_delivery));
  rd_kafka_headers_t* hdrs = to_rd_headers(r.headers);
  // librdkafka's V_ macros cast their arguments without parentheses: pass plain values.
  void* key_ptr = r.key ? const_cast<char*>(r.key->data()) : nullptr;
  size_t key_len = r.key ? r.key->size() : 0;
  void* value_ptr = const_cast<char*>(r.value.data());
  size_t value_len = r.value.size();
  rd_kafka_resp_err_t err =
      rd_kafka_producev(rk_.get(), RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(r.partition),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                        RD_KAFKA_V_VALUE(value_ptr, value_len), RD_KAFKA_V_KEY(key_ptr, key_len),
                        RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_OPAQUE(cb.get()), RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (hdrs) rd_kafka_headers_destroy(hdrs);  // ownership passes only on success
    return to_error(err, "produce to " + std::string(r.topic));
  }
  (void)cb.release();  // owned by the delivery report now
  return {};
}

Result<DeliveryReport> Producer::produce_sync(const OutRecord& record,
                                              std::chrono::milliseconds timeout) {
  auto promise = std::make_shared<std::promise<DeliveryReport>>();
  auto future = promise->get_future();
  Status st = produce(record, [promise](const DeliveryReport& r) { promise->set_value(r); });
  if (!st) return st.error();
  if (future.wait_for(timeout) != std::future_status::ready) {
    return Error{ErrorKind::retriable, make_error_code(RD_KAFKA_RESP_ERR__TIMED_OUT),
                 "produce to " + std::string(record.topic) + ": no acknowledgement within " +
                     std::to_string(timeout.count()) + " ms"};
  }
  DeliveryReport report = future.get();
  if (report.error) return *report.error;
  return report;
}

Status Producer::flush(std::chrono::milliseconds timeout) {
  rd_kafka_resp_err_t err = rd_kafka_flush(rk_.get(), static_cast<int>(timeout.count()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return to_error(err, "flush");
  return {};
}

int Producer::in_flight() const noexcept {
  return rd_kafka_outq_len(rk_.get());
}

void Producer::close(std::chrono::milliseconds timeout) noexcept {
  if (closed_) return;
  closed_ = true;
  if (rd_kafka_flush(rk_.get(), static_cast<int>(timeout.count())) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    producer_log().warn("records not acknowledged at close; purging",
                        {{"client", state_->client_id}, {"pending", in_flight()}});
    rd_kafka_purge(rk_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(rk_.get(), 0);  // serve the purged records' callbacks
  }
  stop_.store(true);
  if (poller_.joinable()) poller_.join();
  rd_kafka_poll(rk_.get(), 0);
}

}  // namespace hookline::kafka
