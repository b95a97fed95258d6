#include "core/kafka/consumer.h"

#include <cstring>

#include "core/kafka/error.h"
#include "core/log.h"

namespace hookline::kafka {
namespace {

const log::Logger& consumer_log() {
  static const log::Logger logger("kafka.consumer");
  return logger;
}

template <class Fn>
void call_hook(const Fn& fn, const std::vector<TopicPartition>& parts, const char* what) noexcept {
  if (!fn) return;
  try {
    fn(parts);
  } catch (const std::exception& e) {
    consumer_log().error("rebalance hook threw", {{"hook", what}, {"what", e.what()}});
  } catch (...) {
    consumer_log().error("rebalance hook threw", {{"hook", what}});
  }
}

}  // namespace

void Consumer::Deleter::operator()(rd_kafka_t* rk) const noexcept {
  // close() already left the group (bounded); do not let destroy block on it again.
  rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

std::unique_ptr<Consumer> Consumer::create(const KafkaConfig& cfg, Options options) {
  if (options.group_id.empty()) throw KafkaError("consumer group id must not be empty");
  auto state = std::make_unique<ClientState>();
  state->client_id = options.client_id;
  ClientSettings settings;
  settings.client_id = options.client_id;
  settings.defaults = {{"auto.offset.reset", "earliest"},
                       {"isolation.level", "read_committed"},
                       {"partition.assignment.strategy", "cooperative-sticky"},
                       {"session.timeout.ms", "10000"},
                       {"heartbeat.interval.ms", "1000"},
                       {"socket.nagle.disable", "true"}};
  for (const auto& [k, v] : options.defaults) settings.defaults[k] = v;
  settings.required = {{"group.id", options.group_id},
                       {"enable.auto.commit", "false"},
                       {"enable.partition.eof", "false"}};
  std::unique_ptr<Consumer> c(
      new Consumer(std::move(state), std::move(options.hooks), options.group_id));
  c->state_->owner = c.get();
  ConfPtr conf = make_conf(cfg, settings, c->state_.get());
  rd_kafka_conf_set_rebalance_cb(conf.get(), &Consumer::rebalance_cb);
  HandlePtr rk = make_handle(RD_KAFKA_CONSUMER, std::move(conf));
  c->rk_.reset(rk.release());
  rd_kafka_poll_set_consumer(c->rk_.get());
  return c;
}

Consumer::Consumer(std::unique_ptr<ClientState> state, RebalanceHooks hooks, std::string group_id)
    : state_(std::move(state)), hooks_(std::move(hooks)), group_id_(std::move(group_id)) {}

Consumer::~Consumer() {
  close();
}

void Consumer::rebalance_cb(rd_kafka_t*, rd_kafka_resp_err_t err,
                            rd_kafka_topic_partition_list_t* parts, void* opaque) {
  auto* state = static_cast<ClientState*>(opaque);
  static_cast<Consumer*>(state->owner)->on_rebalance(err, parts);
}

void Consumer::on_rebalance(rd_kafka_resp_err_t err,
                            rd_kafka_topic_partition_list_t* parts) noexcept {
  rd_kafka_t* rk = rk_.get();
  const bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
  auto list = from_partition_list(parts);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    if (hooks_.on_assigning) {
      std::vector<TopicPartitionOffset> starts;
      for (int i = 0; i < parts->cnt; ++i) {
        starts.push_back(
            {parts->elems[i].topic, parts->elems[i].partition, parts->elems[i].offset});
      }
      try {
        hooks_.on_assigning(starts);
      } catch (const std::exception& e) {
        consumer_log().error("rebalance hook threw",
                             {{"hook", "on_assigning"}, {"what", e.what()}});
      } catch (...) {
        consumer_log().error("rebalance hook threw", {{"hook", "on_assigning"}});
      }
      for (const auto& s : starts) {
        if (auto* tp = rd_kafka_topic_partition_list_find(parts, s.topic.c_str(), s.partition)) {
          tp->offset = s.offset;
        }
      }
    }
    if (cooperative) {
      if (rd_kafka_error_t* e = rd_kafka_incremental_assign(rk, parts)) {
        consumer_log().error("incremental assign failed", {{"reason", rd_kafka_error_string(e)}});
        rd_kafka_error_destroy(e);
      }
    } else {
      rd_kafka_assign(rk, parts);
    }
    consumer_log().info("partitions assigned",
                        {{"group", group_id_}, {"count", static_cast<std::int64_t>(list.size())}});
    call_hook(hooks_.on_assigned, list, "on_assigned");
  } else {
    // Revoked (or lost): let the owner finish its work before the partitions go.
    call_hook(hooks_.on_revoked, list, "on_revoked");
    if (cooperative) {
      if (rd_kafka_error_t* e = rd_kafka_incremental_unassign(rk, parts)) {
        consumer_log().error("incremental unassign failed", {{"reason", rd_kafka_error_string(e)}});
        rd_kafka_error_destroy(e);
      }
    } else {
      rd_kafka_assign(rk, nullptr);
    }
    consumer_log().info("partitions revoked",
                        {{"group", group_id_}, {"count", static_cast<std::int64_t>(list.size())}});
  }
}

Status Consumer::subscribe(const std::vector<std::string>& topics) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
  for (const auto& t : topics) {
    rd_kafka_topic_partition_list_add(list.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
  }
  if (auto err = rd_kafka_subscribe(rk_.get(), list.get())) return to_error(err, "subscribe");
  return {};
}

Result<std::optional<Message>> Consumer::poll(std::chrono::milliseconds timeout) {
  rd_kafka_message_t* raw = rd_kafka_consumer_poll(rk_.get(), static_cast<int>(timeout.count()));
  if (!raw) return std::optional<Message>();
  MessagePtr msg(raw);
  if (msg->err) {
    std::string topic = msg->rkt ? rd_kafka_topic_name(msg->rkt) : "";
    return to_error(msg->err, "consume" + (topic.empty() ? std::string() : " from " + topic));
  }
  return std::optional<Message>(Message(std::move(msg)));
}

Status Consumer::commit(const std::vector<TopicPartitionOffset>& offsets) {
  if (offsets.empty()) return {};
  PartitionListPtr list = to_partition_list(offsets);
  if (auto err = rd_kafka_commit(rk_.get(), list.get(), 0)) return to_error(err, "commit offsets");
  return {};
}

Status Consumer::commit(const Message& m) {
  return commit({{m.topic(), m.partition(), m.offset() + 1}});
}

std::vector<TopicPartition> Consumer::assignment() const {
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (rd_kafka_assignment(rk_.get(), &raw) != RD_KAFKA_RESP_ERR_NO_ERROR) return {};
  PartitionListPtr list(raw);
  return from_partition_list(list.get());
}

Status Consumer::seek(const std::vector<TopicPartitionOffset>& offsets,
                      std::chrono::milliseconds timeout) {
  if (offsets.empty()) return {};
  PartitionListPtr list = to_partition_list(offsets);
  if (rd_kafka_error_t* e =
          rd_kafka_seek_partitions(rk_.get(), list.get(), static_cast<int>(timeout.count()))) {
    return to_error(e, "seek");
  }
  for (int i = 0; i < list->cnt; ++i) {
    if (list->elems[i].err) return to_error(list->elems[i].err, "seek");
  }
  return {};
}

Status Consumer::pause(const std::vector<TopicPartition>& partitions) {
  PartitionListPtr list = to_partition_list(partitions);
  if (auto err = rd_kafka_pause_partitions(rk_.get(), list.get())) return to_error(err, "pause");
  return {};
}

Status Consumer::resume(const std::vector<TopicPartition>& partitions) {
  PartitionListPtr list = to_partition_list(partitions);
  if (auto err = rd_kafka_resume_partitions(rk_.get(), list.get())) return to_error(err, "resume");
  return {};
}

Result<std::vector<TopicPartitionOffset>> Consumer::committed(
    const std::vector<TopicPartition>& parts, std::chrono::milliseconds timeout) {
  PartitionListPtr list = to_partition_list(parts);
  if (auto err = rd_kafka_committed(rk_.get(), list.get(), static_cast<int>(timeout.count()))) {
    return to_error(err, "fetch committed offsets");
  }
  std::vector<TopicPartitionOffset> out;
  for (int i = 0; i < list->cnt; ++i) {
    out.push_back({list->elems[i].topic, list->elems[i].partition, list->elems[i].offset});
  }
  return out;
}

GroupMetadataPtr Consumer::group_metadata() const {
  return GroupMetadataPtr(rd_kafka_consumer_group_metadata(rk_.get()));
}

void Consumer::close(std::chrono::milliseconds timeout) noexcept {
  if (closed_ || !rk_) return;
  closed_ = true;
  QueuePtr queue(rd_kafka_queue_new(rk_.get()));
  if (rd_kafka_error_t* e = rd_kafka_consumer_close_queue(rk_.get(), queue.get())) {
    consumer_log().warn("close failed", {{"reason", rd_kafka_error_string(e)}});
    rd_kafka_error_destroy(e);
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!rd_kafka_consumer_closed(rk_.get())) {
    if (std::chrono::steady_clock::now() >= deadline) {
      consumer_log().warn("close timed out; leaving the group to the session timeout",
                          {{"group", group_id_}});
      break;
    }
    // Serves the revocation forwarded to this queue as an event (a callback-serving poll
    // would abort on fetched messages still queued), and drops anything else.
    EventPtr ev(rd_kafka_queue_poll(queue.get(), 100));
    if (ev && rd_kafka_event_type(ev.get()) == RD_KAFKA_EVENT_REBALANCE) {
      on_rebalance(rd_kafka_event_error(ev.get()),
                   rd_kafka_event_topic_partition_list(ev.get()));
    }
  }
}

}  // namespace hookline::kafka
