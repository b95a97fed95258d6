#pragma once
// An idempotent acks=all producer with per-record delivery callbacks.
//
// Contract: produce() either returns an error (nothing was queued, the callback is never
// called) or queues the record, and then the callback is called exactly once: with the
// partition and offset once Kafka acknowledged it, or with an error. A poll thread serves the
// callbacks; it is started in create() and callbacks cannot be changed while it runs.
// close() flushes for a bounded time, then purges what is left (those callbacks see an error).
// Topic handles are made once per topic and kept: naming a topic on every produce would take
// librdkafka's client-wide write lock each time.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/config.h"
#include "core/error.h"
#include "core/kafka/client_config.h"
#include "core/kafka/message.h"

namespace hookline::kafka {

struct DeliveryReport {
  std::optional<Error> error;  // nullopt: acknowledged
  std::string topic;
  std::int32_t partition = -1;
  std::int64_t offset = -1;
};

using DeliveryCallback = std::function<void(const DeliveryReport&)>;

inline constexpr std::chrono::milliseconds kDefaultCloseTimeout{5000};

class Producer {
 public:
  struct Options {
    std::string client_id = "hookline-producer";
    Properties defaults;  // added to the producer defaults (linger.ms=1, ...)
    Properties required;  // added to acks=all, enable.idempotence=true
  };

  // Throws KafkaError on a bad configuration.
  static std::unique_ptr<Producer> create(const KafkaConfig& cfg, Options options);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  Status produce(const OutRecord& record, DeliveryCallback on_delivery);
  // Produces and waits for the delivery report up to `timeout`.
  Result<DeliveryReport> produce_sync(const OutRecord& record, std::chrono::milliseconds timeout);
  Status flush(std::chrono::milliseconds timeout);
  // Records queued or awaiting acknowledgement.
  int in_flight() const noexcept;
  bool fatal() const noexcept { return state_->fatal.load(); }
  void close(std::chrono::milliseconds timeout = kDefaultCloseTimeout) noexcept;

  rd_kafka_t* handle() const noexcept { return rk_.get(); }
  const std::string& bootstrap() const noexcept { return bootstrap_; }

 protected:
  Producer(HandlePtr rk, std::unique_ptr<ClientState> state, std::string bootstrap,
           bool poll_thread);
  static ConfPtr make_producer_conf(const KafkaConfig& cfg, const Options& options,
                                    ClientState* state);

 private:
  void poll_loop() noexcept;
  // The kept handle for `topic` (made on first use); nullptr when librdkafka refuses the name.
  rd_kafka_topic_t* topic_handle(std::string_view topic);

  std::unique_ptr<ClientState> state_;
  HandlePtr rk_;
  std::string bootstrap_;
  std::atomic<bool> stop_{false};
  std::thread poller_;
  bool closed_ = false;
  std::shared_mutex topics_mutex_;
  std::vector<std::pair<std::string, rd_kafka_topic_t*>> topics_;  // destroyed before rk_
};

}  // namespace hookline::kafka
